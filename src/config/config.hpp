// config/config.hpp — load and validate the configuration directory.
//
//   af::config::Environment env = af::config::process_environment();   // or a map in tests
//   auto cfg = af::config::load_config("config", env);
//   if (!cfg) { std::cerr << cfg.error().message << "\n"; return af::exit_code_for(cfg.error()); }
//   for (const auto& o : cfg->overrides_applied) log(o.variable, o.key_path, o.value);  // no secrets
//   redactor.add(cfg->secret_values());
//
// load_config reads <dir>/settings.yaml and <dir>/instruments.yaml, applies the explicit
// environment overrides (table in docs/CONFIGURATION.md), validates everything (types, ranges,
// unknown keys, sleeve weights summing to 1, duplicate broker contracts, references to unknown
// instruments) and returns an immutable Config, or Error{kConfig} whose message names the file,
// the line and the key path:
//   config/instruments.yaml:42: key instruments.us_index_future.contract.multiplier: expected a
//   positive number, got -50
// When several problems exist the message lists up to 20 of them, one per line, first one first.
//
// Thread-safety: load_config is reentrant (no globals, environment injected); Config is
// immutable and safe to share.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/instruments.hpp"
#include "config/settings.hpp"
#include "core/result.hpp"

namespace af::config {

// Environment variables visible to the loader (name -> value). Injected so tests need no setenv.
using Environment = std::map<std::string, std::string>;

// Snapshot of the process environment (for main()).
Environment process_environment();

// One applied environment override, safe to log: `value` is "<redacted>" for secrets.
struct EnvOverride {
  std::string variable;  // "IBKR_PORT"
  std::string key_path;  // "ibkr.port"
  std::string value;     // "4000" or "<redacted>"
  bool secret = false;
  friend bool operator==(const EnvOverride&, const EnvOverride&) = default;
};

struct Config {
  std::filesystem::path dir;
  Settings settings;
  InstrumentUniverse instruments;
  std::vector<EnvOverride> overrides_applied;  // in the order of the override table
  std::string settings_sha256;     // lowercase hex of settings.yaml bytes (audit log)
  std::string instruments_sha256;  // lowercase hex of instruments.yaml bytes

  // Every non-empty secret value (tokens, passwords, the database URL and its password part),
  // for the log redaction layer. Never log these.
  std::vector<std::string> secret_values() const;
};

// Reads and validates <dir>/settings.yaml and <dir>/instruments.yaml.
Result<Config> load_config(const std::filesystem::path& dir, const Environment& env);

// Same, from text (tests, tools). `settings_label`/`instruments_label` are the file names used in
// messages ("config/settings.yaml").
Result<Config> load_config_from_text(std::string_view settings_yaml, std::string_view settings_label,
                                     std::string_view instruments_yaml,
                                     std::string_view instruments_label, const Environment& env);

// Reads and validates <dir>/settings.yaml alone, for commands that need no instrument (the spread
// Monte Carlo): the same parsing, environment overrides and settings checks as load_config, with
// the same messages. Not made: the checks that need instruments.yaml (references to instrument
// ids, static FX rates for the instruments' currencies); instruments.yaml is not read.
Result<Settings> load_settings(const std::filesystem::path& dir, const Environment& env);
Result<Settings> load_settings_from_text(std::string_view settings_yaml, std::string_view settings_label,
                                         const Environment& env);

// The effective configuration (no secrets) as one JSON document: {"settings": {...},
// "instruments": [...], "overrides_applied": [...], "sha256": {...}}.
nlohmann::json to_json(const Config& config);

// The same content as readable text: one "key.path = value" line per setting, one block per
// instrument.
std::string to_text(const Config& config);

// ------------------------------------------------------------------------------------------
// The schema (one table drives the parser, the dump and the documentation drift test).

struct SchemaKey {
  std::string file;     // "settings.yaml" | "instruments.yaml"
  std::string path;     // "ibkr.paper_port", "instruments.<id>.contract.symbol",
                        // "schedule.maintenance_windows[].start_utc"
  std::string type;     // "number", "integer", "bool", "string", "enum", "date", "map", "list"...
  std::string default_value;  // YAML text; "(required)" when there is none
  std::string range;    // "[0, 1]", "sim | paper | live", ...
  std::string unit;     // "fraction", "seconds", "USD", "" ...
  std::string doc;      // one-line meaning
};
// Every key of both files, in schema order.
std::vector<SchemaKey> schema_keys();

// The environment override table: variable, key path, secret flag, meaning.
struct EnvKey {
  std::string variable;
  std::string key_path;
  bool secret = false;
  std::string doc;
};
std::vector<EnvKey> env_keys();

}  // namespace af::config
