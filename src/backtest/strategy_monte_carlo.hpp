// backtest/strategy_monte_carlo.hpp — the full-strategy Monte Carlo (issue 4; docs/BACKTEST.md):
// the REAL decision code (run_backtest → execution::decide_day, the simulated broker, the hedge
// book) run over many simulated multi-asset markets (path_generator.hpp).
//
// Per path p: simulate_log_returns(seed, p) → simulated_market → strategy::MarketHistory →
// run_backtest over the simulated dates, from a cash-only book of backtest.initial_capital USD,
// fills per the settings' fill model. Its NAV series (the initial capital at the start date, then
// one NAV per simulated day) gives, with the metrics library's conventions (docs/METRICS.md):
// final return, CAGR, volatility, Sharpe ((CAGR − rf) / vol) and max drawdown (peak includes the
// initial capital). A path whose decision fails (e.g. NAV ≤ 0) is reported as failed with the
// error and left out of the distributions; nothing is dropped silently.
// Threads: paths are handed out one at a time from a shared counter; each path depends only on
// (seed, p), results are stored by path index, so every number is identical for any thread count.
// Memory: one simulated market per worker at a time plus days × 8 B of equity per path.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backtest/path_generator.hpp"
#include "config/config.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "strategy/market_history.hpp"

namespace af::backtest {

struct StrategyMonteCarloConfig {
  int paths = 1000;
  int years = 10;
  int trading_days_per_year = 252;   // simulated days per path = years × this
  std::uint64_t seed = 42;
  int threads = 1;                   // ≥ 1; results do not depend on it
  PathModelOptions path_model;
  double significant_loss_return = -0.20;  // threshold of prob_significant_loss
  // Called after each finished path with (done, total), from the worker threads, serialized.
  std::function<void(std::size_t, std::size_t)> on_progress;
};

struct StrategyPathResult {
  bool ok = false;
  std::string error;  // why the path failed (ok == false)
  double final_return = 0.0;
  double cagr = 0.0;
  double volatility = 0.0;
  double sharpe = 0.0;        // NaN when the path has zero volatility
  double max_drawdown = 0.0;  // ≤ 0
  int orders_filled = 0;
};

// Distribution over the successful paths (non-finite values left out; `count` says how many were
// used). Percentiles use numpy's linear interpolation (statistics.hpp); std is sample (ddof 1).
struct Distribution {
  std::size_t count = 0;
  double mean = 0, std = 0, min = 0, p5 = 0, p10 = 0, p25 = 0, p50 = 0, p75 = 0, p90 = 0, p95 = 0, max = 0;
};
Distribution distribution_of(const std::vector<double>& values);

// Percentile bands of the normalized equity (NAV / initial capital) per simulated day.
struct FanBands {
  std::vector<double> p5, p25, p50, p75, p95;  // one value per simulated date
};

struct StrategyMonteCarloResult {
  StrategyMonteCarloConfig config;
  PathCalibration calibration;     // the path model (log_returns cleared to save memory)
  double initial_capital = 0.0;
  double risk_free_rate = 0.0;
  std::vector<Date> dates;         // the simulated dates (common to every path)
  std::vector<StrategyPathResult> paths;  // index = path number
  int failed_paths = 0;
  Distribution final_return, cagr, sharpe, max_drawdown, volatility;
  double prob_loss = 0.0;               // share of successful paths with final return < 0
  double prob_significant_loss = 0.0;   // … < significant_loss_return
  FanBands fan;
};

// Validates the configuration (paths, years, threads ≥ 1), calibrates on `history`, runs.
Result<StrategyMonteCarloResult> run_strategy_monte_carlo(const config::Config& config,
                                                          const strategy::MarketHistory& history,
                                                          const StrategyMonteCarloConfig& run);

}  // namespace af::backtest
