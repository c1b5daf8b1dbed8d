// backtest/path_generator.hpp — simulated multi-asset markets for the full-strategy Monte Carlo
// (issue 4; docs/BACKTEST.md "Full-strategy Monte Carlo").
//
// Calibration (once, from the real MarketHistory):
//   * start date S = the last bar of the core US instrument's series (MarketHistory::last_date).
//   * simulated series: every series of the history (instrument data series and FX series) that
//     is live at S (its newest bar is at most the quality check's max_age_sessions before S).
//     The others are "frozen": they keep their real bars up to S and get no simulated bars, so
//     the quality checks mark their instruments unusable, as they are on S in the real data.
//   * return rows: on the dates of the core US series up to S, the daily log return of every
//     simulated series, ln(C_i / C_{i−1}) with C the last finite positive close on or before each
//     date (forward fill: a series closed on a US trading day has a 0 return that day). Rows start
//     on the first date on which every simulated series has a previous close, so every row is a
//     complete cross-section of one real day.
//   * Gaussian model: μ = mean row, Σ = sample covariance (ddof 1) of the rows; factor L with
//     L Lᵀ = Σ by Cholesky, or, when Σ is not positive definite (e.g. two series with identical
//     returns), by the eigen-decomposition with negative eigenvalues clipped to 0.
// Simulation of path p (seed s): a xoshiro256++ stream (fast_rng.hpp) for (s, p), so a path does
// not depend on which thread runs it or on the other paths.
//   bootstrap  blocks of `block_days` consecutive rows, each block's first row uniform over the
//              rows (boost::random::uniform_int_distribution), concatenated and cut to the length:
//              keeps the cross-asset correlation, fat tails and short-range autocorrelation.
//   gaussian   r_t = μ + L z_t with z_t standard normals (Boost.Random's ziggurat), row by row.
// Simulated market of a path: for every series, its last `warmup_bars` real bars up to S (the
// decision code's look-back: quality window, 260-close history, momentum window), then, for a
// simulated series, one bar per simulated date: open = previous close, close = previous close ×
// exp(r), high = max(open, close), low = min(open, close), volume 0. Simulated dates are the
// weekdays after S (no holidays). Series metadata (kind real/synthetic, unit) is kept.
// Pure apart from the caller's data: no I/O, no clock. Calibration is immutable and shared by
// all worker threads; simulate_* functions are const and thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Dense>

#include "config/config.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "strategy/market_history.hpp"

namespace af::backtest {

enum class PathModel { kBootstrap, kGaussian };
std::string_view to_string(PathModel m);
Result<PathModel> parse_path_model(std::string_view text);  // "bootstrap" | "gaussian"

struct PathModelOptions {
  PathModel model = PathModel::kBootstrap;
  int block_days = 20;   // settings backtest.monte_carlo.block_bootstrap_days (bootstrap only)
  int warmup_bars = 0;   // 0 = derived from the settings (see warmup_bars_for)
};

// Real bars each simulated market keeps before the start: the largest look-back of the decision
// code and the quality checks (quality lookback, 260 closes of history, momentum long window + 60)
// plus 5 sessions of margin.
int warmup_bars_for(const config::Settings& settings);

struct PathCalibration {
  Date start;                          // last real date; simulated dates are the weekdays after it
  std::vector<std::string> simulated;  // series ids, ascending (column order of the rows)
  std::vector<std::string> frozen;     // series not live at `start` (real bars only)
  Date rows_from, rows_to;             // dates of the first and last return row
  std::size_t rows = 0;
  std::vector<double> log_returns;     // rows × simulated.size(), row-major
  Eigen::VectorXd mean;                // daily log-return mean per simulated series
  Eigen::MatrixXd factor;              // L, L Lᵀ = Σ
  bool covariance_clipped = false;     // Σ was not positive definite: eigenvalues clipped at 0
  PathModelOptions options;
  int real_series_simulated = 0;       // how many simulated series are real (the rest synthetic)
};

// Errors: no core US series, fewer return rows than max(2 × series, block_days, 60).
Result<PathCalibration> calibrate_paths(const config::Config& config, const strategy::MarketHistory& history,
                                        const PathModelOptions& options);

// The `days` weekdays after `start`.
std::vector<Date> simulated_dates(Date start, int days);

// Log returns of path `path`: days × calibration.simulated.size(), row-major, written to `out`.
void simulate_log_returns(const PathCalibration& calibration, std::uint64_t seed, std::uint64_t path, int days,
                          std::vector<double>& out);

// The series of one simulated market (input of strategy::MarketHistory's in-memory constructor).
// `log_returns` as from simulate_log_returns for `dates`.
std::map<std::string, strategy::SeriesData> simulated_market(const strategy::MarketHistory& history,
                                                             const PathCalibration& calibration,
                                                             std::span<const double> log_returns,
                                                             const std::vector<Date>& dates);

}  // namespace af::backtest
