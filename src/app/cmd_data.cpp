// `abstractfinance data import|check|list`: the local bar store (SYSTEM.md §4 Market data, §5).
//
//   data import --bundled                         every series of data/catalog.yaml (real CSVs and
//                                                 the synthetic series generated from them)
//   data import FILE --series ID [--column C] [--unit GBX]   one CSV file as a real series
//   data check [--as-of DATE]                     quality report per instrument; exit 1 when an
//                                                 enabled sleeve cannot run (marketdata/readiness.hpp)
//   data list                                     series in the store: range, bars, real/synthetic
// Common options: --store PATH (default: settings data.bar_store_path), --data DIR (default:
// settings data.dir). Global --json prints one JSON document. Exit codes: 0 ok, 1 runtime or data
// failure, 2 usage or configuration error.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "app/command.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "marketdata/bar_store.hpp"
#include "marketdata/bundled.hpp"
#include "marketdata/catalog.hpp"
#include "marketdata/readiness.hpp"

namespace af::app {
namespace {

using nlohmann::json;
namespace md = af::marketdata;

struct DataOptions {
  std::string store;        // empty = settings
  std::string data_dir;     // empty = settings
  bool bundled = false;
  std::string file;
  std::string series;
  std::string column;
  std::string unit;         // quote unit of an imported file; empty = USD
  std::string as_of;
};

int fail(const Error& e) {
  std::fprintf(stderr, "abstractfinance: %s\n", e.message.c_str());
  return exit_code_for(e);
}

struct Context {
  config::Config config;
  md::BarStore store;
  std::string data_dir;
};

Result<Context> open_context(const GlobalOptions& global, const DataOptions& opt) {
  auto cfg = config::load_config(global.config_dir, config::process_environment());
  if (!cfg) return cfg.error().with_context(fmt::format("configuration in {}", global.config_dir));
  const std::string path = opt.store.empty() ? cfg->settings.data.bar_store_path : opt.store;
  AF_ASSIGN_OR_RETURN(md::BarStore store, md::BarStore::open(path));
  std::string dir = opt.data_dir.empty() ? cfg->settings.data.dir : opt.data_dir;
  return Context{std::move(*cfg), std::move(store), std::move(dir)};
}

std::string opt_date(const std::optional<Date>& d) { return d ? d->iso() : "-"; }

// ---------------------------------------------------------------------------- import
int run_import(const GlobalOptions& global, const DataOptions& opt) {
  if (opt.bundled == !opt.file.empty()) {
    return fail(Error{ErrorCode::kInvalidArgument, "data import: give either --bundled or FILE --series ID"});
  }
  if (!opt.file.empty() && opt.series.empty()) {
    return fail(Error{ErrorCode::kInvalidArgument, "data import FILE: --series ID is required"});
  }
  auto ctx = open_context(global, opt);
  if (!ctx) return fail(ctx.error());
  SystemClock clock;
  const auto started = clock.steady_now();

  if (!opt.file.empty()) {
    md::FileImport req;
    req.path = opt.file;
    req.series_id = opt.series;
    req.csv.column = opt.column;
    if (!opt.unit.empty()) {
      auto unit = parse_quote_unit(opt.unit);
      if (!unit) return fail(unit.error().with_context("--unit"));
      req.unit = *unit;
    }
    auto r = md::import_csv_file(ctx->store, req, clock.now());
    if (!r) return fail(r.error());
    const double secs = std::chrono::duration<double>(clock.steady_now() - started).count();
    if (global.json) {
      std::cout << json{{"store", ctx->store.path()},     {"series", opt.series},        {"kind", "real"},
                        {"file", opt.file},               {"close_column", r->close_column},
                        {"unit", std::string(req.unit.code())}, {"bars", r->bars.size()},
                        {"blank_rows", r->blank_rows},    {"explicit_nan_rows", r->explicit_nan_rows},
                        {"seconds", secs}}
                       .dump(2)
                << "\n";
    } else {
      std::cout << fmt::format("imported {} bars into series {} ({}, column {}, unit {}) in {} ({:.2f} s)\n",
                               r->bars.size(), opt.series, opt.file, r->close_column, req.unit.code(),
                               ctx->store.path(), secs);
      if (r->blank_rows > 0) std::cout << fmt::format("  {} rows without a value: no bar on those days\n", r->blank_rows);
      if (r->explicit_nan_rows > 0) {
        std::cout << fmt::format("  {} rows with NaN/NA values kept as NaN: `data check` flags them\n",
                                 r->explicit_nan_rows);
      }
    }
    return 0;
  }

  auto catalog = md::load_catalog(ctx->data_dir + "/catalog.yaml");
  if (!catalog) return fail(catalog.error());
  auto built = md::build_catalog_series(*catalog, ctx->data_dir);
  if (!built) return fail(built.error());
  auto st = md::import_built_series(ctx->store, *built, clock.now());
  if (!st) return fail(st.error());
  const double secs = std::chrono::duration<double>(clock.steady_now() - started).count();
  std::size_t real = 0, synthetic = 0, bars = 0;
  json series = json::array();
  for (const auto& b : *built) {
    (b.entry->kind == md::SeriesKind::kReal ? real : synthetic) += 1;
    bars += b.bars.size();
    json calib = json::array();
    for (const auto& c : b.calibration) {
      calib.push_back({{"driver", c.driver}, {"from", c.from.iso()}, {"to", c.to.iso()}, {"rho", c.rho},
                       {"vol_annual", c.vol_annual}, {"beta", c.beta}, {"basis", c.basis}});
    }
    series.push_back({{"id", b.entry->id},
                      {"kind", std::string(md::to_string(b.entry->kind))},
                      {"unit", std::string(b.entry->unit.code())},
                      {"bars", b.bars.size()},
                      {"first", b.bars.empty() ? "-" : b.bars.front().date.iso()},
                      {"last", b.bars.empty() ? "-" : b.bars.back().date.iso()},
                      {"source", b.entry->source_text()},
                      {"calibration", calib}});
  }
  if (global.json) {
    std::cout << json{{"store", ctx->store.path()}, {"catalog", catalog->path}, {"real_series", real},
                      {"synthetic_series", synthetic}, {"bars", bars}, {"seconds", secs}, {"series", series}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << fmt::format("imported {} series ({} real, {} synthetic), {} bars, from {} into {} in {:.2f} s\n",
                             built->size(), real, synthetic, bars, catalog->path, ctx->store.path(), secs);
    std::cout << "synthetic series are generated from real proxies (docs/DATA.md) and labelled synthetic\n";
  }
  return 0;
}

// ---------------------------------------------------------------------------- list
int run_list(const GlobalOptions& global, const DataOptions& opt) {
  auto ctx = open_context(global, opt);
  if (!ctx) return fail(ctx.error());
  auto list = ctx->store.list();
  if (!list) return fail(list.error());
  // Which instruments read each series.
  std::map<std::string, std::vector<std::string>> users;
  for (const auto& ins : ctx->config.instruments) users[ins.data_series].push_back(ins.id.str());
  if (global.json) {
    json out = json::array();
    for (const auto& s : *list) {
      out.push_back({{"series", s.info.id},
                     {"kind", std::string(md::to_string(s.info.kind))},
                     {"unit", std::string(s.info.unit.code())},
                     {"first", opt_date(s.first)},
                     {"last", opt_date(s.last)},
                     {"bars", s.bar_count},
                     {"source", s.info.source},
                     {"notes", s.info.notes},
                     {"imported_at", s.imported_at},
                     {"instruments", users[s.info.id]}});
    }
    std::cout << json{{"store", ctx->store.path()}, {"series", out}}.dump(2) << "\n";
    return 0;
  }
  std::cout << fmt::format("bar store {} (schema {}): {} series\n", ctx->store.path(), ctx->store.schema_version(),
                           list->size());
  std::cout << fmt::format("{:<24} {:<9} {:<4} {:<10} {:<10} {:>6}  {}\n", "series", "kind", "unit", "first", "last",
                           "bars", "instruments");
  for (const auto& s : *list) {
    const auto& u = users[s.info.id];
    std::cout << fmt::format("{:<24} {:<9} {:<4} {:<10} {:<10} {:>6}  {}\n", s.info.id, md::to_string(s.info.kind),
                             s.info.unit.code(), opt_date(s.first), opt_date(s.last), s.bar_count,
                             u.empty() ? "-" : fmt::format("{}", fmt::join(u, ",")));
  }
  std::set<std::string> missing;
  for (const auto& ins : ctx->config.instruments) {
    bool found = std::any_of(list->begin(), list->end(), [&](const auto& s) { return s.info.id == ins.data_series; });
    if (!found) missing.insert(ins.data_series);
  }
  if (!missing.empty()) {
    std::cout << fmt::format("not in the store (used by instruments.yaml): {}\n", fmt::join(missing, ", "));
  }
  return 0;
}

// ---------------------------------------------------------------------------- check
json flag_json(const md::QualityFlag& f) {
  return {{"check", std::string(md::to_string(f.check))},
          {"severity", std::string(md::to_string(f.severity))},
          {"instrument", f.instrument},
          {"series", f.series},
          {"date", opt_date(f.date)},
          {"reason", f.reason}};
}

int run_check(const GlobalOptions& global, const DataOptions& opt) {
  std::optional<Date> as_of;
  if (!opt.as_of.empty()) {
    auto d = Date::parse(opt.as_of);
    if (!d) return fail(d.error().with_context("--as-of"));
    as_of = *d;
  }
  auto ctx = open_context(global, opt);
  if (!ctx) return fail(ctx.error());
  auto report = md::check_data(ctx->config, ctx->store, as_of);
  if (!report) return fail(report.error());
  const auto& r = *report;

  if (global.json) {
    json instruments = json::array();
    for (const auto& i : r.instruments) {
      json flags = json::array();
      for (const auto& f : i.flags) flags.push_back(flag_json(f));
      instruments.push_back({{"instrument", i.instrument},
                             {"series", i.series},
                             {"kind", i.kind ? std::string(md::to_string(*i.kind)) : "missing"},
                             {"price_unit", std::string(i.price_unit.code())},
                             {"last_date", i.last_bar ? i.last_bar->date.iso() : "-"},
                             {"last_close", i.last_bar ? json(i.last_bar->close) : json(nullptr)},
                             {"needed_by", i.needed_by},
                             {"usable", i.usable},
                             {"flags", flags}});
    }
    json sleeves = json::array();
    for (const auto& s : r.sleeves) {
      json reqs = json::array();
      for (const auto& q : s.requirements) {
        reqs.push_back({{"name", q.name}, {"needs", q.all ? "all" : "any"}, {"members", q.members}, {"met", q.met}});
      }
      sleeves.push_back({{"sleeve", s.sleeve}, {"weight", s.weight}, {"enabled", s.enabled}, {"usable", s.usable},
                         {"requirements", reqs}});
    }
    json fx = json::array();
    for (const auto& f : r.fx) {
      json e = {{"currency", std::string(to_string(f.currency))}};
      if (f.rate) {
        e["usd_per_unit"] = f.rate->value;
        e["source"] = std::string(md::to_string(f.rate->source));
        e["as_of"] = opt_date(f.rate->as_of);
        e["age_days"] = f.rate->age_days ? json(*f.rate->age_days) : json(nullptr);
        e["detail"] = f.rate->detail;
      } else {
        e["error"] = f.error;
      }
      fx.push_back(e);
    }
    std::cout << json{{"as_of", r.as_of.iso()}, {"as_of_basis", r.as_of_basis}, {"store", ctx->store.path()},
                      {"ok", r.ok},         {"sleeves", sleeves},           {"instruments", instruments},
                      {"fx", fx}}
                     .dump(2)
              << "\n";
    return r.ok ? 0 : 1;
  }

  std::cout << fmt::format("data check as of {} ({})\nstore {}\n\n", r.as_of.iso(), r.as_of_basis, ctx->store.path());
  std::cout << fmt::format("{:<20} {:<22} {:<9} {:<4} {:<10} {:>12}  {:<8} {}\n", "instrument", "series", "kind",
                           "unit", "last", "close", "status", "needed by");
  int unusable_needed = 0, warnings = 0;
  for (const auto& i : r.instruments) {
    const bool needed = !i.needed_by.empty();
    if (needed && !i.usable) ++unusable_needed;
    std::cout << fmt::format("{:<20} {:<22} {:<9} {:<4} {:<10} {:>12.4f}  {:<8} {}\n", i.instrument, i.series,
                             i.kind ? md::to_string(*i.kind) : "missing", i.price_unit.code(),
                             i.last_bar ? i.last_bar->date.iso() : "-", i.last_bar ? i.last_bar->close : 0.0,
                             i.usable ? "ok" : "UNUSABLE", needed ? fmt::format("{}", fmt::join(i.needed_by, ",")) : "-");
    for (const auto& f : i.flags) {
      if (f.severity == md::Severity::kWarning) ++warnings;
      std::cout << fmt::format("    {:<8} {:<12} {:<10} {}\n", md::to_string(f.severity), md::to_string(f.check),
                               opt_date(f.date), f.reason);
    }
  }
  std::cout << "\nsleeves:\n";
  for (const auto& s : r.sleeves) {
    std::cout << fmt::format("  {:<14} weight {:.2f}  {}\n", s.sleeve, s.weight,
                             !s.enabled ? "disabled" : (s.usable ? "can run" : "CANNOT RUN"));
    for (const auto& q : s.requirements) {
      if (q.met) continue;
      std::cout << fmt::format("    {} needs {} of [{}] usable: not met\n", q.name, q.all ? "all" : "one",
                               fmt::join(q.members, ", "));
    }
  }
  std::cout << "\nFX to USD:\n";
  for (const auto& f : r.fx) {
    if (f.rate) {
      std::cout << fmt::format("  {} {:.6f} from {} as of {} (age {} days){}\n", to_string(f.currency), f.rate->value,
                               md::to_string(f.rate->source), opt_date(f.rate->as_of),
                               f.rate->age_days ? std::to_string(*f.rate->age_days) : "?",
                               f.rate->source == md::FxSource::kStaticTable ? "  FALLBACK" : "");
    } else {
      std::cout << fmt::format("  {} NO RATE: {}\n", to_string(f.currency), f.error);
    }
  }
  std::cout << fmt::format("\n{}: {} needed instrument(s) unusable, {} warning(s); synthetic series are proxies "
                           "(docs/DATA.md)\n",
                           r.ok ? "OK" : "FAILED", unusable_needed, warnings);
  return r.ok ? 0 : 1;
}

}  // namespace

void register_data_commands(CommandContext& ctx) {
  CLI::App* group = ctx.app.add_subcommand("data", "Local bar store: CSV import, quality report, listing");
  group->require_subcommand(1);
  auto opt = std::make_shared<DataOptions>();
  const GlobalOptions* global = &ctx.global;
  std::function<int()>* selected = &ctx.selected;
  auto common = [&](CLI::App* sub) {
    sub->add_option("--store", opt->store, "Bar store file (default: settings data.bar_store_path)");
    sub->add_option("--data", opt->data_dir, "Bundled data directory with catalog.yaml (default: settings data.dir)");
  };

  CLI::App* import = group->add_subcommand("import", "Import the bundled data set or one CSV file into the bar store");
  common(import);
  import->add_flag("--bundled", opt->bundled, "Import every series of data/catalog.yaml (real and synthetic)");
  import->add_option("file", opt->file, "CSV file (header row, first column `date`; docs/DATA.md)");
  import->add_option("--series", opt->series, "Series id to import FILE as");
  import->add_option("--column", opt->column, "Column to use as the close (default: `close`, or the only column)");
  import->add_option("--unit", opt->unit, "Quote unit of the prices: USD, EUR, GBP, GBX (pence), CHF, JPY")
      ->default_str("USD");
  import->callback([global, selected, opt] { *selected = [global, opt] { return run_import(*global, *opt); }; });

  CLI::App* check = group->add_subcommand("check", "Quality report per instrument; exit 1 when an enabled sleeve cannot run");
  common(check);
  check->add_option("--as-of", opt->as_of, "Check as of this date (YYYY-MM-DD; default: last date of the core series)");
  check->callback([global, selected, opt] { *selected = [global, opt] { return run_check(*global, *opt); }; });

  CLI::App* list = group->add_subcommand("list", "Series in the bar store with ranges, counts, real/synthetic");
  common(list);
  list->callback([global, selected, opt] { *selected = [global, opt] { return run_list(*global, *opt); }; });
}

}  // namespace af::app
