// backtest/statistics.hpp — small descriptive-statistics kernels shared by the metrics library
// and the Monte Carlo summaries. Pure functions on plain doubles; thread-safe.
//
// Conventions (documented in docs/METRICS.md):
//   percentile_linear  numpy's default (method "linear"): on the sorted sample x_0 ≤ … ≤ x_{n−1},
//                      h = (n − 1) · q / 100, result = x_⌊h⌋ + (h − ⌊h⌋) (x_⌊h⌋+1 − x_⌊h⌋).
//   stddev(…, ddof)    sqrt(Σ (x − mean)² / (n − ddof)); ddof 0 = population, 1 = sample.
#pragma once

#include <span>
#include <vector>

namespace af::backtest {

double mean(std::span<const double> x);                     // 0 for an empty input
double stddev(std::span<const double> x, int ddof);         // 0 when n − ddof ≤ 0
// q in [0, 100]. Precondition: !sorted.empty() and sorted ascending.
double percentile_linear_sorted(std::span<const double> sorted, double q);
// Sorts a copy; 0 for an empty input.
double percentile_linear(std::span<const double> x, double q);

}  // namespace af::backtest
