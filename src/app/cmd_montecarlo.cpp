// app/cmd_montecarlo.cpp — `abstractfinance montecarlo`: Monte Carlo simulations (SYSTEM.md §4/§5).
//
//   abstractfinance [--json] montecarlo --model spread --rng numpy-legacy|fast --paths N
//                   --years Y --seed S [--threads T] [--out DIR]
//   abstractfinance [--json] montecarlo --model strategy [--path-model bootstrap|gaussian]
//                   [--block-days B] [--store PATH] --paths N --years Y --seed S [--threads T] [--out DIR]
//                   (cmd_montecarlo_strategy.cpp)
//
// The spread model is the original's (original-system.md §3.10.3); with --rng numpy-legacy it
// reproduces the original's numbers exactly. Model parameters come from settings.yaml
// (quant_assumptions.*, hedge_budget_annual_pct, backtest.*); flags override the run shape.
// With --out DIR it writes DIR/summary.json and DIR/paths.csv (one row per path).
// Exit codes: 0 ok, 1 runtime failure (cannot write DIR), 2 usage or configuration error.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/command.hpp"
#include "app/montecarlo_strategy.hpp"
#include "backtest/spread_monte_carlo.hpp"
#include "config/config.hpp"

namespace af::app {
namespace {

struct MonteCarloOptions {
  std::string model;  // empty = settings (backtest.monte_carlo.model)
  std::string rng;    // empty = settings (backtest.monte_carlo.rng)
  std::optional<int> paths;
  std::optional<int> years;
  std::optional<std::uint64_t> seed;
  std::optional<int> threads;  // 0 = hardware concurrency
  std::string out_dir;
  // --model strategy only (app/montecarlo_strategy.hpp).
  std::string path_model;
  std::optional<int> block_days;
  std::string store;
};

// Settings, or the built-in defaults (which are the original's values) when the configuration
// directory has no settings.yaml; the fallback is announced on stderr, never silent.
// settings.yaml only: the spread model reads no instrument, and parsing instruments.yaml would be
// a third of the command's run time (the strategy model loads the whole configuration itself).
Result<config::Settings> load_settings(const GlobalOptions& global) {
  const std::filesystem::path dir = global.config_dir;
  if (!std::filesystem::exists(dir / "settings.yaml")) {
    std::fprintf(stderr,
                 "montecarlo: note: %s not found; using the built-in defaults (the original's "
                 "quant assumptions)\n",
                 (dir / "settings.yaml").string().c_str());
    return config::Settings{};
  }
  return config::load_settings(dir, config::process_environment());
}

nlohmann::json summary_json(const backtest::SpreadMonteCarloResult& r) {
  const auto& s = r.summary;
  const auto& p = r.params;
  return nlohmann::json{
      {"model", "spread"},
      {"rng", std::string(backtest::to_string(r.config.rng))},
      {"paths", r.config.paths},
      {"years", r.config.years},
      {"days_per_path", r.days},
      {"seed", r.config.seed},
      {"threads", r.config.threads},
      {"median_final_return", s.median_final_return},
      {"mean_final_return", s.mean_final_return},
      {"std_final_return", s.std_final_return},
      {"p10_final_return", s.p10_final_return},
      {"p25_final_return", s.p25_final_return},
      {"p75_final_return", s.p75_final_return},
      {"p90_final_return", s.p90_final_return},
      {"prob_loss", s.prob_loss},
      {"prob_significant_loss", s.prob_significant_loss},
      {"significant_loss_return", r.config.significant_loss_return},
      {"median_max_drawdown", s.median_max_drawdown},
      {"worst_max_drawdown", s.worst_max_drawdown},
      {"parameters",
       {{"us_annual_return", p.us_annual_return},
        {"eu_annual_return", p.eu_annual_return},
        {"index_annual_volatility", p.index_annual_volatility},
        {"correlation_us_eu", p.correlation_us_eu},
        {"hedge_budget_annual_pct", p.hedge_budget_annual_pct},
        {"capital", p.capital},
        {"trading_days_per_year", p.trading_days_per_year}}},
  };
}

std::string summary_text(const backtest::SpreadMonteCarloResult& r) {
  const auto& s = r.summary;
  return fmt::format(
      "Spread Monte Carlo: {} paths x {} years ({} days), rng {}, seed {}\n"
      "  final return   median {:.6f}  mean {:.6f}  std {:.6f}\n"
      "                 p10 {:.6f}  p25 {:.6f}  p75 {:.6f}  p90 {:.6f}\n"
      "  P(loss) {:.4f}   P(final < {:.2f}) {:.4f}\n"
      "  max drawdown   median {:.6f}  worst {:.6f}\n",
      r.config.paths, r.config.years, r.days, backtest::to_string(r.config.rng), r.config.seed,
      s.median_final_return, s.mean_final_return, s.std_final_return, s.p10_final_return,
      s.p25_final_return, s.p75_final_return, s.p90_final_return, s.prob_loss,
      r.config.significant_loss_return, s.prob_significant_loss, s.median_max_drawdown,
      s.worst_max_drawdown);
}

Status write_outputs(const std::string& out_dir, const backtest::SpreadMonteCarloResult& r) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec)
    return Error{ErrorCode::kIo, "cannot create output directory " + out_dir + ": " + ec.message()};
  const auto dir = std::filesystem::path(out_dir);
  {
    std::ofstream f(dir / "summary.json");
    f << summary_json(r).dump(2) << "\n";
    if (!f) return Error{ErrorCode::kIo, "cannot write " + (dir / "summary.json").string()};
  }
  std::ofstream f(dir / "paths.csv");
  f << "path,final_return,max_drawdown\n";
  for (std::size_t i = 0; i < r.final_returns.size(); ++i)
    f << fmt::format("{},{:.17g},{:.17g}\n", i, r.final_returns[i], r.max_drawdowns[i]);
  if (!f) return Error{ErrorCode::kIo, "cannot write " + (dir / "paths.csv").string()};
  return ok_status();
}

int report_error(const Error& e) {
  std::fprintf(stderr, "montecarlo: %s\n", e.message.c_str());
  return exit_code_for(e);
}

int run_montecarlo(const GlobalOptions& global, const MonteCarloOptions& opt) {
  auto settings = load_settings(global);
  if (!settings) return report_error(settings.error());
  const auto& bt = settings->backtest;

  const std::string model =
      opt.model.empty() ? std::string(config::to_string(bt.monte_carlo.model)) : opt.model;
  if (model == "strategy") {
    return run_strategy_montecarlo(global, StrategyMonteCarloCli{opt.paths, opt.years, opt.threads, opt.seed,
                                                                 opt.path_model, opt.block_days, opt.store, opt.out_dir});
  }
  if (model != "spread")
    return report_error(Error{ErrorCode::kInvalidArgument, "unknown --model `" + model + "`: use spread or strategy"});

  auto rng = backtest::parse_spread_rng(
      opt.rng.empty() ? std::string(config::to_string(bt.monte_carlo.rng)) : opt.rng);
  if (!rng) return report_error(rng.error());

  backtest::SpreadModelParams params;
  params.us_annual_return = settings->quant_assumptions.sp500_annual_return;
  params.eu_annual_return = settings->quant_assumptions.eurostoxx_annual_return;
  params.index_annual_volatility = settings->quant_assumptions.index_volatility;
  params.correlation_us_eu = settings->quant_assumptions.correlation_us_eu;
  params.hedge_budget_annual_pct = settings->hedge_budget_annual_pct;
  params.capital = bt.initial_capital;

  backtest::SpreadMonteCarloConfig run;
  run.paths = opt.paths.value_or(bt.monte_carlo_paths);
  run.years = opt.years.value_or(bt.monte_carlo_years);
  run.seed = opt.seed.value_or(static_cast<std::uint64_t>(bt.monte_carlo.seed));
  run.rng = *rng;
  int threads = opt.threads.value_or(bt.monte_carlo.threads);
  if (threads == 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  run.threads = threads;
  run.significant_loss_return = bt.monte_carlo.significant_loss_pct;

  auto result = backtest::run_spread_monte_carlo(params, run);
  if (!result) return report_error(result.error());

  if (!opt.out_dir.empty()) {
    if (auto st = write_outputs(opt.out_dir, *result); !st) return report_error(st.error());
  }
  if (global.json) {
    std::fputs((summary_json(*result).dump() + "\n").c_str(), stdout);
  } else {
    std::fputs(summary_text(*result).c_str(), stdout);
    if (!opt.out_dir.empty()) std::printf("  wrote %s/summary.json and %s/paths.csv\n", opt.out_dir.c_str(), opt.out_dir.c_str());
  }
  return 0;
}

}  // namespace

void register_montecarlo_commands(CommandContext& ctx) {
  auto opt = std::make_shared<MonteCarloOptions>();
  CLI::App* cmd = ctx.app.add_subcommand(
      "montecarlo", "Monte Carlo simulation: the original's spread model, or the real strategy on simulated markets");
  cmd->add_option("--model", opt->model, "spread | strategy (default: settings backtest.monte_carlo.model)")
      ->check(CLI::IsMember({"spread", "strategy"}));
  cmd->add_option("--rng", opt->rng, "numpy-legacy (exact parity with the original) | fast")
      ->check(CLI::IsMember({"numpy-legacy", "fast"}));
  cmd->add_option("--paths", opt->paths, "Number of simulated paths (default: settings)")->check(CLI::PositiveNumber);
  cmd->add_option("--years", opt->years, "Years per path, 252 trading days each (default: settings)")
      ->check(CLI::Range(1, 200));
  cmd->add_option("--seed", opt->seed, "Random seed (numpy-legacy: 0..4294967295)");
  cmd->add_option("--threads", opt->threads, "Worker threads, 0 = all cores (results do not depend on it)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--out", opt->out_dir,
                  "Write summary.json and paths.csv (strategy: also fan.csv and fan_chart.html) to this directory");
  cmd->add_option("--path-model", opt->path_model, "strategy: bootstrap (default) | gaussian simulated markets")
      ->check(CLI::IsMember({"bootstrap", "gaussian"}));
  cmd->add_option("--block-days", opt->block_days,
                  "strategy, bootstrap: block length in days (default: settings block_bootstrap_days)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--store", opt->store, "strategy: bar store file (default: settings data.bar_store_path)");
  GlobalOptions& global = ctx.global;
  std::function<int()>& selected = ctx.selected;
  cmd->callback([opt, &global, &selected] { selected = [opt, &global] { return run_montecarlo(global, *opt); }; });
}

}  // namespace af::app
