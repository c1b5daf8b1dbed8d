// `abstractfinance config check`: validate settings.yaml and instruments.yaml in --config DIR and
// print the effective configuration (text, or one JSON document with --json).
// Exit codes: 0 valid, 2 configuration error (message with file, line and key on stderr).
#include <cstdio>
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "app/command.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "ops/log.hpp"

namespace af::app {
namespace {

int run_config_check(const GlobalOptions& global) {
  const auto env = config::process_environment();
  auto cfg = config::load_config(global.config_dir, env);
  if (!cfg) {
    std::fprintf(stderr, "abstractfinance: configuration error in %s:\n%s\n",
                 global.config_dir.c_str(), cfg.error().message.c_str());
    return exit_code_for(cfg.error());
  }
  // Applied environment overrides go to the JSON log on stderr (secrets are "<redacted>" in the
  // override list already; the logger's redaction layer is the second line of defence).
  SystemClock clock;
  ops::LoggerOptions options;
  options.run_id = ops::make_run_id(clock.now(), std::random_device{}());
  options.console = ops::ConsoleTarget::kStderr;
  auto logger = ops::Logger::create(options, clock, cfg->secret_values());
  if (logger) {
    for (const auto& o : cfg->overrides_applied) {
      (*logger)->info("config", "env_override",
                      {{"variable", o.variable}, {"key", o.key_path}, {"value", o.value},
                       {"secret", o.secret}});
    }
    (*logger)->info("config", "config_valid",
                    {{"dir", global.config_dir},
                     {"instruments", cfg->instruments.size()},
                     {"settings_sha256", cfg->settings_sha256},
                     {"instruments_sha256", cfg->instruments_sha256}});
  }
  if (global.json) {
    std::cout << config::to_json(*cfg).dump(2) << "\n";
  } else {
    std::cout << config::to_text(*cfg);
  }
  return 0;
}

}  // namespace

void register_config_commands(CommandContext& ctx) {
  CLI::App* group = ctx.app.add_subcommand("config", "Configuration (settings.yaml, instruments.yaml)");
  group->require_subcommand(1);
  CLI::App* check = group->add_subcommand(
      "check", "Validate the configuration and print the effective configuration");
  const GlobalOptions* global = &ctx.global;
  std::function<int()>* selected = &ctx.selected;
  check->callback([global, selected] {
    *selected = [global] { return run_config_check(*global); };
  });
}

}  // namespace af::app
