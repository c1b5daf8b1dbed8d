// app/progress_bar.hpp — a one-line progress bar on stderr for long commands (backtest, strategy
// Monte Carlo). Callers draw it only when stderr is a terminal (isatty), so piped and CI runs stay
// quiet. Redraws at most every 2 %; ends the line when done == total. Not thread-safe: callers
// serialize calls (the Monte Carlo calls it under its progress mutex).
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace af::app {

class ProgressBar {
 public:
  // label: the command ("backtest"); unit: what is counted ("days", "paths").
  ProgressBar(std::string label, std::string unit) : label_(std::move(label)), unit_(std::move(unit)) {}
  void operator()(std::size_t done, std::size_t total) {
    const int pct = total ? static_cast<int>(100 * done / total) : 100;
    if (pct < last_ + 2 && done != total) return;
    last_ = pct;
    constexpr int kWidth = 40;
    const int filled = pct * kWidth / 100;
    std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% %zu/%zu %s", label_.c_str(), filled,
                 "########################################", kWidth - filled, "", pct, done, total, unit_.c_str());
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::string label_, unit_;
  int last_ = -100;
};

}  // namespace af::app
