// app/cmd_backtest.cpp — `abstractfinance backtest`: the historical backtest (SYSTEM.md §4/§5).
//
//   abstractfinance [--config DIR] [--json] backtest [--from D] [--to D] [--out DIR]
//                   [--store PATH] [--fill-model next_open|same_close]
//
// Runs the real decision code day by day on the bar store (default settings
// data.bar_store_path; fill it with `abstractfinance data import --bundled`) from --from
// (default settings backtest.start_date) to --to (default backtest.end_date, or the last bar).
// With --out DIR writes DIR/report.html, metrics.json, equity.csv, trades.csv
// (backtest/report.hpp). A progress bar is drawn on stderr only when stderr is a terminal.
// stdout: a short summary, or with --json one JSON document.
// Exit codes: 0 ok, 1 runtime failure (store, decision, writing DIR), 2 usage or configuration.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/command.hpp"
#include "app/market_history_source.hpp"
#include "app/progress_bar.hpp"
#include "backtest/backtest.hpp"
#include "backtest/report.hpp"
#include "config/config.hpp"

namespace af::app {
namespace {

struct BacktestCliOptions {
  std::string from, to;  // ISO dates; empty = settings
  std::string out_dir;
  std::string store;       // empty = settings data.bar_store_path
  std::string fill_model;  // empty = settings backtest.fill_model
};

int report_error(const Error& e) {
  std::fprintf(stderr, "backtest: %s\n", e.message.c_str());
  return exit_code_for(e);
}

Result<Date> parse_date_option(const std::string& text, const char* flag) {
  auto d = Date::parse(text);
  if (!d) return Error{ErrorCode::kInvalidArgument, fmt::format("{} {}: expected a date YYYY-MM-DD", flag, text)};
  return *d;
}

int run_backtest_command(const GlobalOptions& global, const BacktestCliOptions& opt) {
  auto cfg = config::load_config(global.config_dir, config::process_environment());
  if (!cfg) return report_error(cfg.error());
  config::Config& config = *cfg;
  const auto& bt = config.settings.backtest;

  Date from = bt.start_date;
  std::optional<Date> to = bt.end_date;
  if (!opt.from.empty()) {
    auto d = parse_date_option(opt.from, "--from");
    if (!d) return report_error(d.error());
    from = *d;
  }
  if (!opt.to.empty()) {
    auto d = parse_date_option(opt.to, "--to");
    if (!d) return report_error(d.error());
    to = *d;
  }
  if (!opt.fill_model.empty()) {
    config.settings.backtest.fill_model =
        opt.fill_model == "same_close" ? config::FillModel::kSameClose : config::FillModel::kNextOpen;
  }

  const std::string store_path = bar_store_path(config, opt.store);
  auto history = load_market_history(config, store_path);
  if (!history) return report_error(history.error());
  if (!to) {
    to = history->last_date();
    if (!to) {
      return report_error(Error{ErrorCode::kNotFound,
                                fmt::format("the bar store {} has no bars for the core US instrument '{}'; run "
                                            "`abstractfinance data import --bundled`",
                                            store_path, config.settings.strategy.core_index_rv.us_long.str())});
    }
  }
  if (*to < from) {
    return report_error(Error{ErrorCode::kInvalidArgument,
                              fmt::format("--to {} is before --from {}", to->iso(), from.iso())});
  }

  backtest::BacktestOptions options = backtest::backtest_options_from(config.settings, from, *to);
  ProgressBar bar("backtest", "days");
  if (isatty(fileno(stderr))) options.on_progress = [&bar](std::size_t d, std::size_t n) { bar(d, n); };

  auto result = backtest::run_backtest(config, *history, options);
  if (!result) return report_error(result.error());
  auto metrics = backtest::backtest_metrics(*result, bt.risk_free_rate);
  if (!metrics) return report_error(metrics.error());

  if (!opt.out_dir.empty()) {
    if (auto st = backtest::write_backtest_report(opt.out_dir, *result, *metrics); !st) return report_error(st.error());
  }

  int real = 0, synthetic = 0;
  for (const auto& s : result->series) {
    if (s.days_priced == 0) continue;
    (s.kind == "synthetic" ? synthetic : real)++;
  }
  int filled = 0, unfilled = 0;
  for (const auto& e : result->executions) (e.filled ? filled : unfilled)++;
  const auto& m = *metrics;
  if (global.json) {
    nlohmann::json j = {
        {"from", result->from.iso()},
        {"to", result->to.iso()},
        {"trading_days", result->days.size()},
        {"initial_capital_usd", result->initial_capital},
        {"final_nav_usd", result->days.back().nav_usd},
        {"total_return", m.total_return},
        {"cagr", m.cagr},
        {"volatility", m.volatility},
        {"sharpe", std::isfinite(m.sharpe) ? nlohmann::json(m.sharpe) : nlohmann::json(nullptr)},
        {"max_drawdown", m.max_drawdown},
        {"costs_usd", m.costs},
        {"hedge_spend_usd", m.hedge_spend},
        {"turnover_annual", m.turnover_annual},
        {"orders_filled", filled},
        {"orders_unfilled", unfilled},
        {"fill_model", std::string(config::to_string(result->broker.fill_model))},
        {"instruments_priced", {{"real", real}, {"synthetic", synthetic}}},
        {"out_dir", opt.out_dir.empty() ? nlohmann::json(nullptr) : nlohmann::json(opt.out_dir)},
    };
    std::fputs((j.dump() + "\n").c_str(), stdout);
  } else {
    std::printf("Backtest %s to %s: %zu days, NAV %.0f -> %.0f USD\n", result->from.iso().c_str(),
                result->to.iso().c_str(), result->days.size(), result->initial_capital, result->days.back().nav_usd);
    std::printf("  total %.2f %%  CAGR %.2f %%  vol %.2f %%  Sharpe %.2f  max DD %.2f %%\n", m.total_return * 100,
                m.cagr * 100, m.volatility * 100, m.sharpe, m.max_drawdown * 100);
    std::printf("  orders filled %d, unfilled %d; costs %.0f USD; instruments priced: %d real, %d synthetic series\n",
                filled, unfilled, m.costs, real, synthetic);
    if (!opt.out_dir.empty()) {
      std::printf("  wrote %s/{report.html,metrics.json,equity.csv,trades.csv}\n", opt.out_dir.c_str());
    }
  }
  return 0;
}

}  // namespace

void register_backtest_commands(CommandContext& ctx) {
  auto opt = std::make_shared<BacktestCliOptions>();
  CLI::App* cmd = ctx.app.add_subcommand("backtest", "Historical backtest of the real strategy on the bar store");
  cmd->add_option("--from", opt->from, "First date YYYY-MM-DD (default: settings backtest.start_date)");
  cmd->add_option("--to", opt->to, "Last date YYYY-MM-DD (default: settings backtest.end_date, or the last bar)");
  cmd->add_option("--out", opt->out_dir, "Write report.html, metrics.json, equity.csv and trades.csv here");
  cmd->add_option("--store", opt->store, "Bar store file (default: settings data.bar_store_path)");
  cmd->add_option("--fill-model", opt->fill_model, "next_open | same_close (default: settings backtest.fill_model)")
      ->check(CLI::IsMember({"next_open", "same_close"}));
  GlobalOptions& global = ctx.global;
  std::function<int()>& selected = ctx.selected;
  cmd->callback([opt, &global, &selected] { selected = [opt, &global] { return run_backtest_command(global, *opt); }; });
}

}  // namespace af::app
