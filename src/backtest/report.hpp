// backtest/report.hpp — the backtest's output files (issue 4 item 3):
//   report.html  self-contained tear sheet: Chart.js inlined (report_assets.hpp), data inlined as
//                JSON; charts: equity vs the US and EU legs, drawdown, rolling volatility and
//                scaling, regime timeline, sleeve exposures, sleeve contributions, hedge spend and
//                costs; tables: metrics, monthly returns, data sources (real or synthetic per
//                instrument), assumptions. Each canvas gets data-drawn="1" once Chart.js has
//                rendered pixels into it (the headless-browser test checks it).
//   metrics.json the PerformanceMetrics (docs/METRICS.md conventions; NaN -> null) plus the run's
//                parameters and data sources.
//   equity.csv   date,nav,daily_return,drawdown,scaling,regime   (one row per backtest day)
//   trades.csv   one row per planned order, filled or not (columns in kTradesCsvHeader).
// Files are written to `dir` (created if needed). Thread-safety: plain functions.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "backtest/backtest.hpp"
#include "backtest/metrics.hpp"
#include "core/result.hpp"

namespace af::backtest {

inline constexpr const char* kEquityCsvHeader = "date,nav,daily_return,drawdown,scaling,regime";
inline constexpr const char* kTradesCsvHeader =
    "decision_date,fill_date,client_order_id,instrument,sleeve,side,quantity,order_type,limit_price,"
    "reference_price,market_price,fill_price,price_unit,status,reason,notional_usd,commission,"
    "commission_currency,commission_usd,slippage_usd";

std::string equity_csv(const BacktestResult& result);
std::string trades_csv(const BacktestResult& result);
nlohmann::json metrics_json(const PerformanceMetrics& metrics);
// metrics.json: {"metrics": ..., "run": {...}, "data_sources": [...], "assumptions": [...]}.
nlohmann::json backtest_json(const BacktestResult& result, const PerformanceMetrics& metrics);
// The HTML page. Error when Chart.js was not embedded at build time.
Result<std::string> report_html(const BacktestResult& result, const PerformanceMetrics& metrics);
// Writes the four files.
Status write_backtest_report(const std::filesystem::path& dir, const BacktestResult& result,
                             const PerformanceMetrics& metrics);
// The modelling assumptions a reader needs (fill model, costs, interest, data), one per line.
std::vector<std::string> backtest_assumptions(const BacktestResult& result);

}  // namespace af::backtest
