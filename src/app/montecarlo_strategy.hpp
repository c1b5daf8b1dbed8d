// app/montecarlo_strategy.hpp — `abstractfinance montecarlo --model strategy` (the full-strategy
// Monte Carlo, backtest/strategy_monte_carlo.hpp); the montecarlo command (cmd_montecarlo.cpp)
// parses the flags and hands over here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/command.hpp"

namespace af::app {

struct StrategyMonteCarloCli {
  std::optional<int> paths, years, threads;  // unset = settings backtest.monte_carlo_* / monte_carlo.threads
  std::optional<std::uint64_t> seed;
  std::string path_model;                    // bootstrap | gaussian; empty = bootstrap
  std::optional<int> block_days;             // unset = settings backtest.monte_carlo.block_bootstrap_days
  std::string store;                         // empty = settings data.bar_store_path
  std::string out_dir;                       // empty = no files
};

// Exit codes: 0 ok (failed paths are reported, not fatal), 1 runtime failure, 2 usage/configuration.
int run_strategy_montecarlo(const GlobalOptions& global, const StrategyMonteCarloCli& options);

}  // namespace af::app
