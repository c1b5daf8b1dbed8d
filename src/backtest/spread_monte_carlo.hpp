// backtest/spread_monte_carlo.hpp — the original's "spread" Monte Carlo (original-system.md
// §3.10.3), with a compatibility generator that reproduces its numbers exactly and a fast one.
//
// Model (all per trading day, D = 252 × years days per path, equity starts at 1):
//   μ_d       = (us_drift − eu_drift) / 252
//   σ_idx     = index_vol / √252
//   σ_spread  = σ_idx · √(2 (1 − ρ))
//   r_t       = Normal(μ_d − σ_spread² / 2, σ_spread) − hedge_budget / 252
//   E_t       = Π_{s ≤ t} (1 + r_s)          final return = E_D − 1
//   DD_t      = (E_t − P_t) / P_t, P_t = max_{s ≤ t} E_s — the running peak starts at day 1's
//               equity E_1, not at 1.0 (the original's convention); max drawdown = min_t DD_t ≤ 0.
// No vol targeting, leverage or regime logic (as in the original).
//
// Generators (docs/METRICS.md, "Spread Monte Carlo"):
//   numpy_legacy  numpy's legacy RandomState (numpy_legacy_rng.hpp); the N×D normal matrix is
//                 consumed row by row (path by path) exactly as numpy fills it, so results match
//                 the original's float64 arithmetic bit for bit (same libm log/sqrt).
//   fast          per-path xoshiro256++ stream seeded from (seed, path) by splitmix64, normals
//                 from Boost.Random's ziggurat; statistically equivalent, not identical.
// Memory: paths are streamed; only per-path final return and max drawdown are kept (16 B/path).
// Results do not depend on the thread count. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace af::backtest {

// Defaults are the original's settings (original-system.md §2 table: quant_assumptions.*,
// hedge_budget_annual_pct).
struct SpreadModelParams {
  double us_annual_return = 0.10;         // quant_assumptions.sp500_annual_return
  double eu_annual_return = 0.03;         // quant_assumptions.eurostoxx_annual_return
  double index_annual_volatility = 0.15;  // quant_assumptions.index_volatility (each index)
  double correlation_us_eu = 0.82;        // quant_assumptions.correlation_us_eu
  double hedge_budget_annual_pct = 0.025; // hedge_budget_annual_pct: daily drag = this / 252
  double capital = 10'000'000.0;          // informational: results are returns, capital-free
  int trading_days_per_year = 252;
};

enum class SpreadRng { numpy_legacy, fast };
std::string_view to_string(SpreadRng rng);
Result<SpreadRng> parse_spread_rng(std::string_view text);  // "numpy-legacy" | "fast"

struct SpreadMonteCarloConfig {
  int paths = 1000;
  int years = 10;
  std::uint64_t seed = 42;  // numpy-legacy requires seed ≤ 2^32 − 1 (as numpy does)
  SpreadRng rng = SpreadRng::numpy_legacy;
  int threads = 1;          // ≥ 1; results are identical for any value
  double significant_loss_return = -0.20;  // threshold of prob_significant_loss
};

// Distribution summary, as the original reported it (§3.10.3). Percentiles use numpy's default
// linear interpolation; std is the population std (numpy's default ddof = 0).
struct SpreadMonteCarloSummary {
  double median_final_return = 0;
  double mean_final_return = 0;
  double std_final_return = 0;
  double p10_final_return = 0;
  double p25_final_return = 0;
  double p75_final_return = 0;
  double p90_final_return = 0;
  double prob_loss = 0;              // share of paths with final return < 0
  double prob_significant_loss = 0;  // share of paths with final return < significant_loss_return
  double median_max_drawdown = 0;    // drawdowns are ≤ 0
  double worst_max_drawdown = 0;     // minimum over paths
};

struct SpreadMonteCarloResult {
  SpreadModelParams params;
  SpreadMonteCarloConfig config;
  int days = 0;                        // per path
  std::vector<double> final_returns;   // per path, index = path number
  std::vector<double> max_drawdowns;   // per path, ≤ 0
  SpreadMonteCarloSummary summary;
};

// Derived daily parameters of the model (exposed for tests and documentation).
struct SpreadDailyParams {
  double loc;    // μ_d − σ_spread² / 2
  double scale;  // σ_spread
  double drag;   // hedge_budget_annual_pct / 252
};
SpreadDailyParams spread_daily_params(const SpreadModelParams& params);

// Validates the inputs (paths ≥ 1, years ≥ 1, threads ≥ 1, |ρ| ≤ 1, vol ≥ 0, legacy seed range).
Result<SpreadMonteCarloResult> run_spread_monte_carlo(const SpreadModelParams& params,
                                                      const SpreadMonteCarloConfig& config);

// Summary of per-path results (shared with other Monte Carlo models).
SpreadMonteCarloSummary summarize_spread_paths(const std::vector<double>& final_returns,
                                               const std::vector<double>& max_drawdowns,
                                               double significant_loss_return = -0.20);

}  // namespace af::backtest
