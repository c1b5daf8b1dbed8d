// `abstractfinance plan [--as-of DATE] [--portfolio FILE]`: a dry run of one day's decision
// (SYSTEM.md §5): data and quality flags, FX, NAV, risk, sleeve targets, orders and every
// skipped order with its reason. Calls execution::decide_day, the same code as backtest and live.
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/command.hpp"
#include "config/config.hpp"
#include "execution/daily_decision.hpp"
#include "marketdata/bar_store.hpp"
#include "portfolio/portfolio_json.hpp"
#include "strategy/market_history.hpp"

namespace af::app {
namespace {

using nlohmann::json;

struct PlanOptions {
  std::string as_of;
  std::string portfolio;
  std::string store;
  std::string fundamentals;
};

Result<std::string> read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kInvalidArgument, fmt::format("cannot read {} '{}'", what, path)};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json fx_json(const marketdata::FxRate& r) {
  json j{{"currency", to_string(r.from)}, {"usd_per_unit", r.value}, {"source", marketdata::to_string(r.source)},
         {"detail", r.detail}};
  j["as_of"] = r.as_of ? json(r.as_of->iso()) : json(nullptr);
  j["age_days"] = r.age_days ? json(*r.age_days) : json(nullptr);
  return j;
}

json decision_json(const execution::DailyDecision& d, const strategy::MarketHistory& history,
                   const strategy::MarketSnapshot& snap, const std::string& book_source) {
  json out;
  out["as_of"] = d.as_of.iso();
  out["book"] = book_source;
  // Data.
  json data = json::object();
  data["prices"] = json::object();
  for (const auto& [id, p] : snap.view.prices) {
    data["prices"][id.str()] = {{"close", p}, {"series_kind", std::string(history.series_kind(id))}};
  }
  data["unusable"] = json::object();
  for (const auto& [id, why] : snap.view.unusable) data["unusable"][id.str()] = why;
  data["quality_flags"] = json::array();
  for (const auto& f : history.quality_flags(snap.view.as_of)) {
    data["quality_flags"].push_back({{"instrument", f.instrument}, {"series", f.series},
                                     {"check", marketdata::to_string(f.check)},
                                     {"severity", marketdata::to_string(f.severity)},
                                     {"date", f.date ? json(f.date->iso()) : json(nullptr)}, {"reason", f.reason}});
  }
  data["vix"] = snap.view.vix ? json(*snap.view.vix) : json(nullptr);
  data["vix_is_proxy"] = snap.view.vix_is_proxy;
  out["data"] = data;
  out["fx"] = json::array();
  for (const auto& r : d.valuation.fx_used) out["fx"].push_back(fx_json(r));
  // Book.
  const auto& v = d.valuation;
  json book{{"nav_usd", v.nav_usd}, {"cash_usd", v.cash_usd}, {"option_hedges_usd", v.option_hedges_usd},
            {"gross_exposure_usd", v.gross_exposure_usd},
            {"net_exposure_usd", v.net_exposure_usd}, {"warnings", v.warnings}};
  book["cash"] = json::object();
  for (const auto& [c, a] : v.cash_local) book["cash"][std::string(to_string(c))] = a;
  book["positions"] = json::array();
  for (const auto& p : v.positions) {
    book["positions"].push_back({{"instrument", p.key.instrument.str()}, {"sleeve", config::to_string(p.key.sleeve)},
                                 {"quantity", p.quantity}, {"mark", p.mark}, {"value_usd", p.value_usd},
                                 {"exposure_usd", p.exposure_usd}, {"stale_mark", p.stale_mark}});
  }
  book["sleeves"] = json::array();
  for (const auto& s : v.sleeves) {
    book["sleeves"].push_back({{"sleeve", config::to_string(s.sleeve)}, {"long_usd", s.long_usd},
                               {"short_usd", s.short_usd}, {"weight", s.weight}});
  }
  book["today_return"] = d.today_return ? json(*d.today_return) : json(nullptr);
  out["book"] = book;
  out["book_source"] = book_source;
  // Risk.
  const auto& r = d.risk;
  json risk{{"scaling", r.scaling}, {"vol_scaling", r.vol_scaling}, {"realized_vol_annual", r.vol.annual_vol},
            {"vol_estimator", r.vol.describe()}, {"regime", risk::to_string(r.regime.regime)},
            {"regime_rule", risk::to_string(r.regime.rule)}, {"regime_reason", r.regime.reason},
            {"momentum_signal", risk::to_string(r.momentum.signal)}, {"momentum_reason", r.momentum.reason},
            {"current_drawdown", r.drawdown.current}, {"max_drawdown", r.drawdown.max},
            {"emergency_derisk", r.emergency_derisk}, {"increase_hedges", r.increase_hedges},
            {"warnings", r.warnings}};
  risk["factors"] = json::array();
  for (const auto& f : r.factors) {
    risk["factors"].push_back({{"name", f.name}, {"factor", f.factor}, {"scaling_after", f.scaling_after}, {"reason", f.reason}});
  }
  out["risk"] = risk;
  // Targets.
  out["sleeves"] = json::array();
  for (const auto& s : d.strategy.sleeves) {
    json js{{"sleeve", config::to_string(s.sleeve)}, {"weight", s.weight}, {"target_notional_usd", s.target_notional_usd},
            {"notes", s.notes}};
    js["lines"] = json::array();
    for (const auto& l : s.lines) {
      js["lines"].push_back({{"instrument", l.instrument.str()}, {"quantity", l.quantity}, {"price", l.price},
                             {"notional_usd", l.notional_usd}, {"reason", l.reason}});
    }
    out["sleeves"].push_back(js);
  }
  out["limit_adjustments"] = json::array();
  for (const auto& a : d.limit_adjustments) {
    out["limit_adjustments"].push_back({{"instrument", a.instrument.str()}, {"sleeve", config::to_string(a.sleeve)},
                                        {"before", a.before}, {"after", a.after}, {"reason", a.reason}});
  }
  out["leverage_actions"] = d.leverage.actions;
  // Hedges.
  out["hedge_book"] = strategy::to_json(d.hedge_summary);
  out["hedge_plan"] = strategy::to_json(d.hedges);
  out["crisis_playbook"] = strategy::to_json(d.crisis);
  // Orders.
  out["orders"] = json::array();
  for (const auto& o : d.plan.orders) {
    out["orders"].push_back({{"client_order_id", o.client_order_id}, {"instrument", o.instrument.str()},
                             {"sleeve", config::to_string(o.sleeve)}, {"side", execution::to_string(o.side)},
                             {"quantity", o.quantity}, {"order_type", o.market_order ? "MKT" : "LMT"},
                             {"limit_price", o.limit_price}, {"price_unit", o.price_unit.code()},
                             {"notional_usd", o.notional_usd}, {"reason", o.reason}});
  }
  out["skipped"] = json::array();
  for (const auto& s : d.strategy.skipped) {
    out["skipped"].push_back({{"stage", "targets"}, {"instrument", s.instrument.str()}, {"sleeve", config::to_string(s.sleeve)},
                              {"reason_code", s.reason_code}, {"reason", s.reason}});
  }
  for (const auto& s : d.plan.skipped) {
    out["skipped"].push_back({{"stage", "orders"}, {"instrument", s.instrument.str()}, {"quantity", s.quantity},
                              {"reason_code", s.reason_code}, {"reason", s.message}});
  }
  return out;
}

void print_text(const json& j) {
  std::cout << fmt::format("Plan for {} ({})\n\n", j["as_of"].get<std::string>(), j["book_source"].get<std::string>());
  const auto& b = j["book"];
  std::cout << fmt::format("NAV {:.2f} USD   cash {:.2f} USD   gross {:.2f}   net {:.2f}\n", b["nav_usd"].get<double>(),
                           b["cash_usd"].get<double>(), b["gross_exposure_usd"].get<double>(),
                           b["net_exposure_usd"].get<double>());
  for (const auto& [c, a] : b["cash"].items()) std::cout << fmt::format("  cash {} {:.2f}\n", c, a.get<double>());
  for (const auto& fx : j["fx"]) {
    std::cout << fmt::format("  FX {} = {:.6f} USD ({})\n", fx["currency"].get<std::string>(), fx["usd_per_unit"].get<double>(),
                             fx["detail"].get<std::string>());
  }
  for (const auto& p : b["positions"]) {
    std::cout << fmt::format("  {:<22} {:<14} {:>12} @ {:<12} {:>14.2f} USD\n", p["instrument"].get<std::string>(),
                             p["sleeve"].get<std::string>(), p["quantity"].dump(), p["mark"].dump(), p["value_usd"].get<double>());
  }
  const auto& d = j["data"];
  std::cout << fmt::format("\nData: {} instruments priced, {} unusable, {} quality flags; VIX {}{}\n", d["prices"].size(),
                           d["unusable"].size(), d["quality_flags"].size(), d["vix"].dump(),
                           d["vix_is_proxy"].get<bool>() ? " (realized-vol proxy)" : "");
  for (const auto& [id, p] : d["prices"].items()) {
    if (p["series_kind"] == "synthetic") { std::cout << "  prices from synthetic series are labelled synthetic in --json\n"; break; }
  }
  const auto& r = j["risk"];
  std::cout << fmt::format("\nRisk: scaling {:.4f} (vol scaling {:.4f}); realized vol {:.4f} [{}]\n", r["scaling"].get<double>(),
                           r["vol_scaling"].get<double>(), r["realized_vol_annual"].get<double>(),
                           r["vol_estimator"].get<std::string>());
  std::cout << fmt::format("  regime {} by {}: {}\n", r["regime"].get<std::string>(), r["regime_rule"].get<std::string>(),
                           r["regime_reason"].get<std::string>());
  std::cout << fmt::format("  momentum {}: {}\n", r["momentum_signal"].get<std::string>(), r["momentum_reason"].get<std::string>());
  for (const auto& f : r["factors"]) {
    std::cout << fmt::format("  x {:.4f} {:<24} -> {:.4f}  {}\n", f["factor"].get<double>(), f["name"].get<std::string>(),
                             f["scaling_after"].get<double>(), f["reason"].get<std::string>());
  }
  for (const auto& w : r["warnings"]) std::cout << "  warning: " << w.get<std::string>() << "\n";
  std::cout << "\nSleeve targets:\n";
  for (const auto& s : j["sleeves"]) {
    std::cout << fmt::format("  {:<14} weight {:.2f} target {:>14.2f} USD\n", s["sleeve"].get<std::string>(),
                             s["weight"].get<double>(), s["target_notional_usd"].get<double>());
    for (const auto& l : s["lines"]) {
      std::cout << fmt::format("    {:<22} {:>10} @ {:<10} {:>14.2f} USD  {}\n", l["instrument"].get<std::string>(),
                               l["quantity"].dump(), l["price"].dump(), l["notional_usd"].get<double>(),
                               l["reason"].get<std::string>());
    }
    for (const auto& n : s["notes"]) std::cout << "    note: " << n.get<std::string>() << "\n";
  }
  std::cout << "\nHedge book (before today's orders): " << j["hedge_book"].dump() << "\n";
  const auto& hp = j["hedge_plan"];
  std::cout << fmt::format("Hedge plan: {} orders, {} skipped; budget {}\n", hp["orders"].size(), hp["skipped"].size(),
                           hp["budget"].dump());
  for (const auto& sk : hp["skipped"]) std::cout << "  hedge skipped: " << sk.dump() << "\n";
  const auto& cp = j["crisis_playbook"];
  std::cout << fmt::format("Crisis playbook: {}\n", cp.dump());
  std::cout << fmt::format("\nOrders ({}), in submission order:\n", j["orders"].size());
  for (const auto& o : j["orders"]) {
    std::cout << fmt::format("  {:<4} {:>10} {:<22} {} {} {}  {:>12.2f} USD  {}  [{}]\n", o["side"].get<std::string>(),
                             o["quantity"].dump(), o["instrument"].get<std::string>(), o["order_type"].get<std::string>(),
                             o["limit_price"].dump(), o["price_unit"].get<std::string>(), o["notional_usd"].get<double>(),
                             o["reason"].get<std::string>(), o["client_order_id"].get<std::string>());
  }
  std::cout << fmt::format("\nSkipped ({}):\n", j["skipped"].size());
  for (const auto& s : j["skipped"]) {
    std::cout << fmt::format("  {:<8} {:<22} {:<28} {}\n", s["stage"].get<std::string>(), s["instrument"].get<std::string>(),
                             s["reason_code"].get<std::string>(), s["reason"].get<std::string>());
  }
}

int run_plan(const GlobalOptions& g, const PlanOptions& opt) {
  auto fail = [](const Error& e) {
    std::cerr << "abstractfinance plan: " << e.message << "\n";
    return exit_code_for(e);
  };
  auto cfg = config::load_config(g.config_dir, config::process_environment());
  if (!cfg) return fail(cfg.error());
  const std::string store_path = opt.store.empty() ? cfg->settings.data.bar_store_path : opt.store;
  auto store = marketdata::BarStore::open(store_path);
  if (!store) return fail(store.error().with_context("opening the bar store (run `abstractfinance data import --bundled`)"));
  auto history = strategy::MarketHistory::load(*cfg, *store);
  if (!history) return fail(history.error());
  Date as_of;
  if (!opt.as_of.empty()) {
    auto d = Date::parse(opt.as_of);
    if (!d) return fail(d.error().with_context("--as-of"));
    as_of = *d;
  } else if (auto last = history->last_date()) {
    as_of = *last;
  } else {
    return fail(Error{ErrorCode::kDataQuality, fmt::format("the bar store {} has no data for the core US series; run "
                                                           "`abstractfinance data import --bundled`", store_path)});
  }
  portfolio::Portfolio book;
  std::string source;
  if (!opt.portfolio.empty()) {
    auto text = read_file(opt.portfolio, "portfolio file");
    if (!text) return fail(text.error());
    auto parsed = portfolio::portfolio_from_json_text(*text, opt.portfolio, cfg->instruments);
    if (!parsed) return fail(parsed.error());
    book = std::move(*parsed);
    source = "portfolio " + opt.portfolio;
  } else {
    book = portfolio::cash_only_book(cfg->settings.portfolio.new_book_initial_cash);
    source = fmt::format("new book: {:.2f} USD cash (settings portfolio.new_book_initial_cash)",
                         cfg->settings.portfolio.new_book_initial_cash);
  }
  strategy::Fundamentals fundamentals;
  const std::string fpath = opt.fundamentals.empty() ? cfg->settings.strategy.single_name.fundamentals_csv : opt.fundamentals;
  if (!fpath.empty()) {
    auto text = read_file(fpath, "fundamentals CSV");
    if (!text) return fail(text.error());
    auto parsed = strategy::parse_fundamentals_csv(*text, fpath, cfg->instruments);
    if (!parsed) return fail(parsed.error());
    fundamentals = std::move(*parsed);
  }
  const strategy::MarketSnapshot snap = history->snapshot(as_of);
  execution::DecisionInputs in;
  in.config = &*cfg;
  in.market = &snap.view;
  in.us_eu_ratio = snap.us_eu_ratio;
  in.fundamentals = fpath.empty() ? nullptr : &fundamentals;
  auto decision = execution::decide_day(book, in);
  if (!decision) return fail(decision.error());
  const json doc = decision_json(*decision, *history, snap, source);
  if (g.json) {
    std::cout << doc.dump(2) << "\n";
  } else {
    print_text(doc);
  }
  return 0;
}

}  // namespace

void register_plan_commands(CommandContext& ctx) {
  auto opt = std::make_shared<PlanOptions>();
  CLI::App* plan = ctx.app.add_subcommand("plan", "Dry run of one day's decision: data, risk, targets, orders, reasons");
  plan->add_option("--as-of", opt->as_of, "Trading date YYYY-MM-DD (default: the latest date in the bar store)");
  plan->add_option("--portfolio", opt->portfolio, "Portfolio JSON file (docs/PORTFOLIO.md); default: a cash-only book");
  plan->add_option("--store", opt->store, "Bar store path (default: settings data.bar_store_path)");
  plan->add_option("--fundamentals", opt->fundamentals, "Fundamentals CSV for the single-name screen (optional)");
  GlobalOptions* g = &ctx.global;
  std::function<int()>* selected = &ctx.selected;
  plan->callback([g, opt, selected] { *selected = [g, opt] { return run_plan(*g, *opt); }; });
}

}  // namespace af::app
