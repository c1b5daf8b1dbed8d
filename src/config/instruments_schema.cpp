// The instruments.yaml schema (one row per key) and the readers shared with settings.yaml.
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "config/schemas.hpp"

namespace af::config::detail {

std::string read_id_list(std::vector<InstrumentId>& out, const YAML::Node& n) {
  if (!n.IsSequence() || n.size() == 0) {
    return "expected a non-empty list of instrument ids, got " + describe(n);
  }
  out.clear();
  std::set<std::string> seen;
  for (const auto& item : n) {
    std::string what;
    auto id = parse_string(item, what, false);
    if (!id) return "list item: " + what;
    if (!seen.insert(*id).second) return "instrument '" + *id + "' listed twice";
    out.emplace_back(*id);
  }
  return {};
}

std::string read_weight_map(std::vector<WeightedInstrument>& out, const YAML::Node& n) {
  if (!n.IsMap() || n.size() == 0) {
    return "expected a non-empty mapping instrument_id: weight, got " + describe(n);
  }
  out.clear();
  std::set<std::string> seen;
  double sum = 0;
  for (const auto& kv : n) {
    std::string what;
    auto id = parse_string(kv.first, what, false);
    if (!id) return what;
    if (!seen.insert(*id).second) return "instrument '" + *id + "' listed twice";
    auto w = parse_number(kv.second, NumberRange{0, 1, true}, what);
    if (!w) return *id + ": " + what;
    sum += *w;
    out.push_back({InstrumentId(*id), *w});
  }
  if (std::fabs(sum - 1.0) > 1e-9) {
    return fmt::format("weights must sum to 1 (+/-1e-9), got {}", sum);
  }
  return {};
}

nlohmann::json write_id_list(const std::vector<InstrumentId>& ids) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& id : ids) arr.push_back(id.str());
  return arr;
}

nlohmann::json write_weight_map(const std::vector<WeightedInstrument>& items) {
  nlohmann::json obj = nlohmann::json::object();
  for (const auto& w : items) obj[w.id.str()] = w.weight;
  return obj;
}

namespace {

using B = Builder<InstrumentsDoc>;

#define AT(member) [](auto& d) -> auto& { return d.list.back().member; }

bool is_snake_id(const std::string& s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::vector<std::pair<std::string, ExpiryRule>> expiry_rules() {
  return {{"third_friday", ExpiryRule::kThirdFriday},
          {"two_business_days_before_third_wednesday",
           ExpiryRule::kTwoBusinessDaysBeforeThirdWednesday},
          {"two_business_days_before_tenth", ExpiryRule::kTwoBusinessDaysBeforeTenth},
          {"thirty_days_before_next_third_friday", ExpiryRule::kThirtyDaysBeforeNextThirdFriday}};
}

std::vector<Field<InstrumentsDoc>> build() {
  std::vector<Field<InstrumentsDoc>> f;
  auto add = [&f](Field<InstrumentsDoc> x) { f.push_back(std::move(x)); };

  {
    Field<InstrumentsDoc> all;
    all.path = "instruments";
    all.kind = FieldKind::kWildcardMap;
    all.type = "map";
    all.doc = "Every instrument, keyed by its canonical id, in a stable order.";
    add(all);
    Field<InstrumentsDoc> one;
    one.path = "instruments.<id>";
    one.kind = FieldKind::kSection;
    one.type = "map";
    one.range = "id: [a-z][a-z0-9_]*";
    one.doc = "One instrument; the key is its canonical id (used everywhere else).";
    one.enter = [](InstrumentsDoc& d, const std::string& key, const Where& where) -> std::string {
      Instrument inst;
      inst.id = InstrumentId(key);
      inst.source_line = where.line;
      d.list.push_back(std::move(inst));
      if (!is_snake_id(key)) return "instrument id must match [a-z][a-z0-9_]*";
      return {};
    };
    add(one);
  }
  add(B::string("instruments.<id>.category", AT(category), kRequired, "[a-z0-9_]+",
                "Grouping label (equity_indices, fx, sectors_us, single_stocks_eu, ...).", false));
  add(B::string("instruments.<id>.description", AT(description), kRequired, "non-empty",
                "What the instrument is (fund name, contract name).", false));
  add(B::custom(
      "instruments.<id>.sleeves", "list of sleeves", "[]",
      "core_index_rv sector_rv single_name credit_carry crisis_alpha cash_buffer", "",
      "Sleeve roles: the sleeves allowed to hold it (empty = reference/underlying only).",
      [](InstrumentsDoc& d, const YAML::Node& n, const Where&) -> std::string {
        if (!n.IsSequence()) return "expected a list of sleeve names, got " + describe(n);
        auto& out = d.list.back().sleeves;
        out.clear();
        for (const auto& item : n) {
          std::string what;
          auto s = parse_string(item, what, false);
          if (!s) return what;
          auto sl = parse_sleeve(*s);
          if (!sl) return sl.error().message;
          for (Sleeve x : out) {
            if (x == *sl) return "sleeve '" + *s + "' listed twice";
          }
          out.push_back(*sl);
        }
        return {};
      }));
  add(B::boolean("instruments.<id>.tradeable", AT(tradeable), "true",
                 "false = never ordered (index underlyings, reference lines)."));
  add(B::boolean("instruments.<id>.etf", AT(is_etf), "false",
                 "An exchange-traded fund (position limit risk.position_limits.etf_pct_nav)."));
  add(B::string("instruments.<id>.data_series", AT(data_series), kRequired, "[a-z0-9_]+",
                "Bar-store series id: sp500, eurusd, dj30_<ticker>, or syn_<id> (synthetic).",
                false));

  add(B::section("instruments.<id>.contract", "The broker contract."));
  add(B::string("instruments.<id>.contract.symbol", AT(contract.symbol), kRequired, "non-empty",
                "IB symbol (local symbol for stocks, root for futures/options).", false));
  add(B::enumeration("instruments.<id>.contract.sec_type", AT(contract.sec_type),
                     std::vector<std::pair<std::string, SecType>>{{"STK", SecType::kStk},
                                                                  {"FUT", SecType::kFut},
                                                                  {"CASH", SecType::kCash},
                                                                  {"OPT", SecType::kOpt},
                                                                  {"IND", SecType::kInd}},
                     kRequired, "IB security type."));
  add(B::string("instruments.<id>.contract.exchange", AT(contract.exchange), kRequired,
                "IB exchange code",
                "Routing: SMART for every STK; the venue for FUT/OPT/CASH/IND (CME, EUREX, "
                "IDEALPRO ...).",
                false));
  add(B::string("instruments.<id>.contract.primary_exchange", AT(contract.primary_exchange),
                "\"\"", "IB exchange code or empty",
                "Listing venue of a SMART-routed line (LSEETF, IBIS, SBF, NASDAQ, NYSE); required "
                "for STK."));
  add(B::custom(
      "instruments.<id>.contract.currency", "currency", kRequired, "USD EUR GBP CHF JPY", "",
      "Currency of the contract (amounts, cash, P&L). GBX is a price unit, not a currency.",
      [](InstrumentsDoc& d, const YAML::Node& n, const Where&) -> std::string {
        std::string what;
        auto s = parse_string(n, what, false);
        if (!s) return what;
        auto c = parse_currency(*s);
        if (!c) return c.error().message;
        d.list.back().contract.currency = *c;
        return {};
      }));
  add(B::number("instruments.<id>.contract.multiplier", AT(contract.multiplier), {0, 1e300, true},
                "1", "currency units per price unit",
                "Contract multiplier (ES 50, 6E 125000, options 100; 1 for stocks)."));
  add(B::string("instruments.<id>.contract.trading_class", AT(contract.trading_class), "\"\"",
                "IB trading class or empty", "Disambiguates futures/options (e.g. OESX, SPX)."));
  add(B::number("instruments.<id>.contract.tick_size", AT(contract.tick_size), {0, 1e300, true},
                kRequired, "price unit",
                "Minimum price increment the planner rounds limit prices to (the broker's market "
                "rule is authoritative when connected)."));
  add(B::custom(
      "instruments.<id>.contract.price_unit", "quote unit", kRequired, "USD EUR GBP CHF JPY GBX", "",
      "Unit prices are quoted in: the currency, or GBX (pence) for GBP lines on the LSE.",
      [](InstrumentsDoc& d, const YAML::Node& n, const Where&) -> std::string {
        std::string what;
        auto s = parse_string(n, what, false);
        if (!s) return what;
        auto u = parse_quote_unit(*s);
        if (!u) return u.error().message;
        d.list.back().contract.price_unit = *u;
        return {};
      }));
  add(B::number("instruments.<id>.contract.lot_size", AT(contract.lot_size), {0, 1e300, true}, "1",
                "units", "Order quantities are rounded to multiples of this."));

  add(B::section("instruments.<id>.future", "Futures only (sec_type FUT): cycle and roll.", true));
  {
    Field<InstrumentsDoc>& sec = f.back();
    sec.enter = [](InstrumentsDoc& d, const std::string&, const Where&) {
      d.list.back().future.emplace();
      return std::string{};
    };
  }
  add(B::enumeration("instruments.<id>.future.expiry_cycle", AT(future->expiry_cycle),
                     std::vector<std::pair<std::string, ExpiryCycle>>{
                         {"quarterly", ExpiryCycle::kQuarterly}, {"monthly", ExpiryCycle::kMonthly}},
                     kRequired, "quarterly = March, June, September, December (H M U Z); monthly."));
  add(B::enumeration("instruments.<id>.future.expiry_rule", AT(future->expiry_rule), expiry_rules(),
                     kRequired, "How the last trading day of a contract month is found."));
  add(B::integer("instruments.<id>.future.roll_business_days_before_expiry",
                 AT(future->roll_business_days_before_expiry), {0, 60}, kRequired,
                 "business days", "Roll to the next contract this many business days before expiry."));

  add(B::section("instruments.<id>.option", "Options only (sec_type OPT): the hedge contract spec.",
                 true));
  {
    Field<InstrumentsDoc>& sec = f.back();
    sec.enter = [](InstrumentsDoc& d, const std::string&, const Where&) {
      d.list.back().option.emplace();
      return std::string{};
    };
  }
  add(B::custom("instruments.<id>.option.underlying", "instrument id", kRequired, "instrument id",
                "", "The underlying instrument (an id in this file, not an option).",
                [](InstrumentsDoc& d, const YAML::Node& n, const Where&) {
                  std::string what;
                  auto v = parse_string(n, what, false);
                  if (v) d.list.back().option->underlying = InstrumentId(*v);
                  return what;
                }));
  add(B::enumeration("instruments.<id>.option.right", AT(option->right),
                     std::vector<std::pair<std::string, OptionRight>>{{"P", OptionRight::kPut},
                                                                      {"C", OptionRight::kCall}},
                     kRequired, "Put or call."));
  add(B::integer("instruments.<id>.option.target_tenor_days", AT(option->target_tenor_days),
                 {1, 1000}, kRequired, "calendar days", "Buy the listed expiry nearest this tenor."));
  add(B::number("instruments.<id>.option.otm_pct", AT(option->otm_pct), {0, 1, false, true},
                kRequired, "fraction",
                "Strike distance from spot: puts spot x (1 - otm), calls spot x (1 + otm)."));
  add(B::enumeration("instruments.<id>.option.expiry_rule", AT(option->expiry_rule), expiry_rules(),
                     "third_friday", "Expiry day rule of the listed option months."));
  return f;
}

#undef AT

}  // namespace

const std::vector<Field<InstrumentsDoc>>& instrument_fields() {
  static const std::vector<Field<InstrumentsDoc>> kFields = build();
  return kFields;
}

}  // namespace af::config::detail
