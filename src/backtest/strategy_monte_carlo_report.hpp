// backtest/strategy_monte_carlo_report.hpp — output files of the full-strategy Monte Carlo:
//   summary.json    the run (paths, years, seed, threads, path model and its calibration), the
//                   distributions of final return, CAGR, volatility, Sharpe and max drawdown, the
//                   loss probabilities, failed paths with their errors (NaN -> null)
//   paths.csv       path,status,final_return,cagr,volatility,sharpe,max_drawdown,orders_filled,error
//   fan.csv         date,p5,p25,p50,p75,p95   (NAV / initial capital across the successful paths)
//   fan_chart.html  self-contained page (Chart.js inlined): the fan chart, histograms of final
//                   return and max drawdown, the distribution table, the model's assumptions.
// Thread-safety: plain functions.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "backtest/strategy_monte_carlo.hpp"
#include "core/result.hpp"

namespace af::backtest {

inline constexpr const char* kStrategyPathsCsvHeader =
    "path,status,final_return,cagr,volatility,sharpe,max_drawdown,orders_filled,error";
inline constexpr const char* kFanCsvHeader = "date,p5,p25,p50,p75,p95";

nlohmann::json strategy_monte_carlo_json(const StrategyMonteCarloResult& result);
std::string strategy_paths_csv(const StrategyMonteCarloResult& result);
std::string fan_csv(const StrategyMonteCarloResult& result);
// The modelling assumptions, one sentence each (page and JSON).
std::vector<std::string> strategy_monte_carlo_assumptions(const StrategyMonteCarloResult& result);
Result<std::string> fan_chart_html(const StrategyMonteCarloResult& result);
Status write_strategy_monte_carlo_report(const std::filesystem::path& dir, const StrategyMonteCarloResult& result);

}  // namespace af::backtest
