#include "backtest/statistics.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"

namespace af::backtest {

double mean(std::span<const double> x) {
  if (x.empty()) return 0.0;
  double sum = 0.0;
  for (double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

double stddev(std::span<const double> x, int ddof) {
  const auto n = static_cast<long>(x.size());
  if (n - ddof <= 0) return 0.0;
  const double m = mean(x);
  double ss = 0.0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(n - ddof));
}

double percentile_linear_sorted(std::span<const double> sorted, double q) {
  AF_CHECK(!sorted.empty(), "percentile of an empty sample");
  const double h = (static_cast<double>(sorted.size()) - 1.0) * q / 100.0;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = h - static_cast<double>(lo);
  // numpy's _lerp: interpolate from the nearer end for t ≥ 0.5 (bit-compatible with numpy).
  const double diff = sorted[hi] - sorted[lo];
  return frac >= 0.5 ? sorted[hi] - diff * (1.0 - frac) : sorted[lo] + diff * frac;
}

double percentile_linear(std::span<const double> x, double q) {
  if (x.empty()) return 0.0;
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  return percentile_linear_sorted(sorted, q);
}

}  // namespace af::backtest
