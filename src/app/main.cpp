// abstractfinance — the command-line entry point (SYSTEM.md §5).
#include <cstdio>
#include <exception>

#include "app/command.hpp"

int main(int argc, char** argv) {
  using namespace af::app;
  CLI::App app{"AbstractFinance: a multi-sleeve macro fund engine for Interactive Brokers"};
  app.require_subcommand(1);
  GlobalOptions global;
  std::function<int()> selected;
  app.add_option("--config", global.config_dir, "Configuration directory (settings.yaml, instruments.yaml)")
      ->capture_default_str();
  app.add_flag("--json", global.json, "Print one machine-readable JSON document on stdout");

  CommandContext ctx{app, global, selected};
  register_backtest_commands(ctx);
  register_config_commands(ctx);
  register_data_commands(ctx);
  register_gateway_commands(ctx);
  register_montecarlo_commands(ctx);
  register_plan_commands(ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors exit 2
  }
  if (!selected) {
    std::fprintf(stderr, "abstractfinance: no command given (see --help)\n");
    return 2;
  }
  try {
    return selected();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "abstractfinance: fatal: %s\n", e.what());
    return 1;
  }
}
