// app/cmd_montecarlo_strategy.cpp — the full-strategy Monte Carlo command body.
//
//   abstractfinance [--json] montecarlo --model strategy [--paths N] [--years Y] [--seed S]
//                   [--threads T] [--path-model bootstrap|gaussian] [--block-days B]
//                   [--store PATH] [--out DIR]
//
// Loads the configuration and the bar store (settings data.bar_store_path; fill it with
// `abstractfinance data import --bundled`), calibrates the path model on it and runs the real
// decision code on every simulated path. stdout: the distribution summary, or one JSON document
// with --json. With --out DIR: summary.json, paths.csv, fan.csv, fan_chart.html. A progress bar
// is drawn on stderr only when stderr is a terminal.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/market_history_source.hpp"
#include "app/montecarlo_strategy.hpp"
#include "app/progress_bar.hpp"
#include "backtest/strategy_monte_carlo.hpp"
#include "backtest/strategy_monte_carlo_report.hpp"
#include "config/config.hpp"

namespace af::app {
namespace {

int report_error(const Error& e) {
  std::fprintf(stderr, "montecarlo: %s\n", e.message.c_str());
  return exit_code_for(e);
}

std::string summary_text(const backtest::StrategyMonteCarloResult& r) {
  auto line = [](const char* name, const backtest::Distribution& d, double scale, const char* unit) {
    return fmt::format("  {:<13} median {:7.2f}{}  mean {:7.2f}{}  p5 {:7.2f}{}  p95 {:7.2f}{}  min {:7.2f}{}  max {:7.2f}{}\n",
                       name, d.p50 * scale, unit, d.mean * scale, unit, d.p5 * scale, unit, d.p95 * scale, unit,
                       d.min * scale, unit, d.max * scale, unit);
  };
  const auto& c = r.calibration;
  std::string out = fmt::format(
      "Strategy Monte Carlo: {} paths x {} years ({} days after {}), {} paths from {} rows {}..{}, seed {}\n",
      r.config.paths, r.config.years, r.dates.size(), c.start.iso(), backtest::to_string(c.options.model), c.rows,
      c.rows_from.iso(), c.rows_to.iso(), r.config.seed);
  out += line("final return", r.final_return, 100, " %");
  out += line("CAGR", r.cagr, 100, " %");
  out += line("volatility", r.volatility, 100, " %");
  out += line("Sharpe", r.sharpe, 1, "  ");
  out += line("max drawdown", r.max_drawdown, 100, " %");
  out += fmt::format("  P(loss) {:.4f}   P(final < {:.2f}) {:.4f}\n", r.prob_loss, r.config.significant_loss_return,
                     r.prob_significant_loss);
  if (r.failed_paths > 0) {
    for (const auto& p : r.paths) {
      if (p.ok) continue;
      out += fmt::format("  {} path(s) FAILED and are left out of the statistics; first error: {}\n", r.failed_paths,
                         p.error);
      break;
    }
  }
  return out;
}

}  // namespace

int run_strategy_montecarlo(const GlobalOptions& global, const StrategyMonteCarloCli& opt) {
  auto cfg = config::load_config(global.config_dir, config::process_environment());
  if (!cfg) return report_error(cfg.error());
  const config::Config& config = *cfg;
  const auto& bt = config.settings.backtest;

  backtest::StrategyMonteCarloConfig run;
  run.paths = opt.paths.value_or(bt.monte_carlo_paths);
  run.years = opt.years.value_or(bt.monte_carlo_years);
  run.seed = opt.seed.value_or(static_cast<std::uint64_t>(bt.monte_carlo.seed));
  int threads = opt.threads.value_or(bt.monte_carlo.threads);
  if (threads == 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  run.threads = threads;
  run.significant_loss_return = bt.monte_carlo.significant_loss_pct;
  if (!opt.path_model.empty()) {
    auto m = backtest::parse_path_model(opt.path_model);
    if (!m) return report_error(m.error());
    run.path_model.model = *m;
  }
  run.path_model.block_days = opt.block_days.value_or(bt.monte_carlo.block_bootstrap_days);

  const std::string store_path = bar_store_path(config, opt.store);
  auto history = load_market_history(config, store_path);
  if (!history) return report_error(history.error());

  ProgressBar bar("montecarlo", "paths");
  if (isatty(fileno(stderr))) run.on_progress = [&bar](std::size_t d, std::size_t n) { bar(d, n); };
  auto result = backtest::run_strategy_monte_carlo(config, *history, run);
  if (!result) return report_error(result.error());

  if (!opt.out_dir.empty()) {
    if (auto st = backtest::write_strategy_monte_carlo_report(opt.out_dir, *result); !st) return report_error(st.error());
  }
  if (global.json) {
    std::fputs((backtest::strategy_monte_carlo_json(*result).dump() + "\n").c_str(), stdout);
  } else {
    std::fputs(summary_text(*result).c_str(), stdout);
    if (!opt.out_dir.empty()) {
      std::printf("  wrote %s/{summary.json,paths.csv,fan.csv,fan_chart.html}\n", opt.out_dir.c_str());
    }
  }
  return 0;
}

}  // namespace af::app
