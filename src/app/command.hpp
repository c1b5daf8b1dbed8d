// app/command.hpp — how subcommands plug into the `abstractfinance` CLI.
//
// Each command group lives in its own cmd_<group>.cpp and exposes one registration function that
// adds its subcommands to the CLI11 app. A subcommand's callback stores its body in
// `ctx.selected`; main() runs it after parsing and exits with the code it returns
// (SYSTEM.md §5: 0 success, 1 runtime failure, 2 usage or configuration error, 3 refused).
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace af::app {

// Options shared by every subcommand (given before the subcommand).
struct GlobalOptions {
  std::string config_dir = "config";  // --config DIR: holds settings.yaml and instruments.yaml
  bool json = false;                  // --json: print one machine-readable JSON document
};

struct CommandContext {
  CLI::App& app;
  GlobalOptions& global;
  std::function<int()>& selected;  // set by the chosen subcommand's callback
};

// Registration functions, one per command group (defined in cmd_<group>.cpp).
void register_backtest_commands(CommandContext& ctx);
void register_config_commands(CommandContext& ctx);
void register_data_commands(CommandContext& ctx);
void register_gateway_commands(CommandContext& ctx);
void register_montecarlo_commands(CommandContext& ctx);
void register_plan_commands(CommandContext& ctx);

}  // namespace af::app
