// Small series builders shared by the risk tests.
#pragma once

#include <cstddef>
#include <vector>

namespace af::risk::testing {

// +a, −a, +a, −a, ... (n values). Mean 0 for even n; every square is a².
inline std::vector<double> alternating(double a, std::size_t n) {
  std::vector<double> r(n);
  for (std::size_t i = 0; i < n; ++i) r[i] = (i % 2 == 0) ? a : -a;
  return r;
}

// start, start + step, start + 2·step, ... (n values).
inline std::vector<double> linear(double start, double step, std::size_t n) {
  std::vector<double> r(n);
  for (std::size_t i = 0; i < n; ++i) r[i] = start + step * static_cast<double>(i);
  return r;
}

inline std::vector<double> concat(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace af::risk::testing
