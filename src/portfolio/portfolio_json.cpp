#include "portfolio/portfolio_json.hpp"

#include <cmath>
#include <set>

#include <fmt/format.h>

namespace af::portfolio {
namespace {

using nlohmann::json;

class Reader {
 public:
  explicit Reader(std::string_view label) : label_(label) {}
  Error error(const std::string& path, const std::string& what) const {
    return Error{ErrorCode::kInvalidArgument, fmt::format("{}: {}: {}", label_, path, what)};
  }
  Result<double> number(const json& j, const std::string& path) const {
    if (!j.is_number()) return error(path, fmt::format("expected a number, got {}", j.dump()));
    double v = j.get<double>();
    if (!std::isfinite(v)) return error(path, "expected a finite number");
    return v;
  }
  Result<std::string> string(const json& j, const std::string& path) const {
    if (!j.is_string()) return error(path, fmt::format("expected a string, got {}", j.dump()));
    return j.get<std::string>();
  }
  Result<Date> date(const json& j, const std::string& path) const {
    AF_ASSIGN_OR_RETURN(std::string s, string(j, path));
    auto d = Date::parse(s);
    if (!d) return error(path, d.error().message);
    return *d;
  }
  Status keys(const json& j, const std::string& path, std::set<std::string> allowed) const {
    if (!j.is_object()) return error(path.empty() ? "(document)" : path, "expected an object");
    for (const auto& [k, v] : j.items()) {
      if (!allowed.count(k)) {
        return error(path.empty() ? k : path + "." + k,
                     fmt::format("unknown key (allowed: {})", fmt::join(allowed, ", ")));
      }
    }
    return ok_status();
  }

 private:
  std::string label_;
};

}  // namespace

Portfolio cash_only_book(double cash_usd) {
  Portfolio p;
  p.set_cash(Currency::USD, cash_usd);
  return p;
}

Result<Portfolio> portfolio_from_json_text(std::string_view text, std::string_view source_label,
                                           const config::InstrumentUniverse& universe) {
  Reader r(source_label);
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return r.error("(document)", "not valid JSON");
  AF_RETURN_IF_ERROR(r.keys(doc, "", {"as_of", "positions", "cash", "nav_history", "hedge_book", "comment"}));
  Portfolio book;

  if (doc.contains("positions")) {
    const json& arr = doc["positions"];
    if (!arr.is_array()) return r.error("positions", "expected a list");
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string path = fmt::format("positions[{}]", i);
      const json& p = arr[i];
      AF_RETURN_IF_ERROR(r.keys(p, path, {"instrument", "sleeve", "quantity", "avg_price", "mark"}));
      if (!p.contains("instrument")) return r.error(path + ".instrument", "missing");
      AF_ASSIGN_OR_RETURN(std::string id, r.string(p["instrument"], path + ".instrument"));
      const config::Instrument* inst = universe.find(InstrumentId(id));
      if (inst == nullptr) return r.error(path + ".instrument", fmt::format("unknown instrument '{}'", id));
      Position pos;
      pos.instrument = InstrumentId(id);
      pos.sleeve = default_sleeve(*inst);
      if (p.contains("sleeve")) {
        AF_ASSIGN_OR_RETURN(std::string s, r.string(p["sleeve"], path + ".sleeve"));
        auto sl = config::parse_sleeve(s);
        if (!sl) return r.error(path + ".sleeve", sl.error().message);
        pos.sleeve = *sl;
      }
      if (!p.contains("quantity")) return r.error(path + ".quantity", "missing");
      AF_ASSIGN_OR_RETURN(pos.quantity, r.number(p["quantity"], path + ".quantity"));
      if (p.contains("avg_price")) {
        AF_ASSIGN_OR_RETURN(pos.avg_price, r.number(p["avg_price"], path + ".avg_price"));
      }
      if (p.contains("mark")) {
        AF_ASSIGN_OR_RETURN(double m, r.number(p["mark"], path + ".mark"));
        if (m <= 0) return r.error(path + ".mark", "must be > 0");
        pos.mark = m;
      }
      if (book.quantity(pos.instrument, pos.sleeve) != 0.0) {
        return r.error(path, fmt::format("duplicate position for {} in sleeve {}", id, config::to_string(pos.sleeve)));
      }
      book.set_position(pos);
    }
  }
  if (doc.contains("cash")) {
    const json& c = doc["cash"];
    if (!c.is_object()) return r.error("cash", "expected an object of currency -> amount");
    for (const auto& [code, amount] : c.items()) {
      auto ccy = parse_currency(code);
      if (!ccy) return r.error("cash." + code, ccy.error().message);
      AF_ASSIGN_OR_RETURN(double a, r.number(amount, "cash." + code));
      book.set_cash(*ccy, a);
    }
  }
  if (doc.contains("nav_history")) {
    const json& h = doc["nav_history"];
    if (!h.is_object()) return r.error("nav_history", "expected an object of ISO date -> NAV in USD");
    for (const auto& [d, nav] : h.items()) {
      auto date = Date::parse(d);
      if (!date) return r.error("nav_history." + d, date.error().message);
      AF_ASSIGN_OR_RETURN(double v, r.number(nav, "nav_history." + d));
      if (v <= 0) return r.error("nav_history." + d, "NAV must be > 0");
      book.record_nav(*date, v);
    }
  }
  if (doc.contains("hedge_book")) {
    const json& hb = doc["hedge_book"];
    AF_RETURN_IF_ERROR(r.keys(hb, "hedge_book", {"budget", "hedges"}));
    HedgeBudget budget;
    if (hb.contains("budget")) {
      const json& b = hb["budget"];
      AF_RETURN_IF_ERROR(r.keys(b, "hedge_book.budget", {"year", "annual_pct", "nav_at_year_start_usd",
                                                         "used_ytd_usd", "realized_gains_ytd_usd",
                                                         "recycle_fraction"}));
      auto num = [&](const char* k, double& out) -> Status {
        if (b.contains(k)) {
          AF_ASSIGN_OR_RETURN(out, r.number(b[k], std::string("hedge_book.budget.") + k));
        }
        return ok_status();
      };
      double year = 0;
      AF_RETURN_IF_ERROR(num("year", year));
      budget.year = static_cast<int>(year);
      AF_RETURN_IF_ERROR(num("annual_pct", budget.annual_pct));
      AF_RETURN_IF_ERROR(num("nav_at_year_start_usd", budget.nav_at_year_start_usd));
      AF_RETURN_IF_ERROR(num("used_ytd_usd", budget.used_ytd_usd));
      AF_RETURN_IF_ERROR(num("realized_gains_ytd_usd", budget.realized_gains_ytd_usd));
      AF_RETURN_IF_ERROR(num("recycle_fraction", budget.recycle_fraction));
    }
    std::vector<Hedge> hedges;
    if (hb.contains("hedges")) {
      const json& arr = hb["hedges"];
      if (!arr.is_array()) return r.error("hedge_book.hedges", "expected a list");
      for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string path = fmt::format("hedge_book.hedges[{}]", i);
        const json& h = arr[i];
        AF_RETURN_IF_ERROR(r.keys(h, path, {"hedge_id", "type", "instrument", "underlying", "strike", "expiry",
                                            "right", "quantity", "premium_paid_usd", "current_value_usd",
                                            "opened", "active", "replaced"}));
        Hedge hedge;
        for (const char* required : {"hedge_id", "type", "instrument", "quantity", "premium_paid_usd", "opened"}) {
          if (!h.contains(required)) return r.error(path + "." + required, "missing");
        }
        AF_ASSIGN_OR_RETURN(hedge.hedge_id, r.string(h["hedge_id"], path + ".hedge_id"));
        AF_ASSIGN_OR_RETURN(std::string type, r.string(h["type"], path + ".type"));
        auto t = parse_hedge_type(type);
        if (!t) return r.error(path + ".type", t.error().message);
        hedge.type = *t;
        AF_ASSIGN_OR_RETURN(std::string inst, r.string(h["instrument"], path + ".instrument"));
        if (!universe.contains(InstrumentId(inst))) {
          return r.error(path + ".instrument", fmt::format("unknown instrument '{}'", inst));
        }
        hedge.instrument = InstrumentId(inst);
        if (h.contains("underlying")) {
          AF_ASSIGN_OR_RETURN(std::string u, r.string(h["underlying"], path + ".underlying"));
          hedge.underlying = InstrumentId(u);
        }
        if (h.contains("strike")) {
          AF_ASSIGN_OR_RETURN(double k, r.number(h["strike"], path + ".strike"));
          hedge.strike = k;
        }
        if (h.contains("expiry")) {
          AF_ASSIGN_OR_RETURN(Date e, r.date(h["expiry"], path + ".expiry"));
          hedge.expiry = e;
        }
        if (h.contains("right")) {
          AF_ASSIGN_OR_RETURN(std::string right, r.string(h["right"], path + ".right"));
          if (right == "P") hedge.right = config::OptionRight::kPut;
          else if (right == "C") hedge.right = config::OptionRight::kCall;
          else return r.error(path + ".right", "expected P or C");
        }
        AF_ASSIGN_OR_RETURN(hedge.quantity, r.number(h["quantity"], path + ".quantity"));
        AF_ASSIGN_OR_RETURN(hedge.premium_paid_usd, r.number(h["premium_paid_usd"], path + ".premium_paid_usd"));
        if (h.contains("current_value_usd")) {
          AF_ASSIGN_OR_RETURN(hedge.current_value_usd, r.number(h["current_value_usd"], path + ".current_value_usd"));
        }
        AF_ASSIGN_OR_RETURN(hedge.opened, r.date(h["opened"], path + ".opened"));
        if (h.contains("active")) {
          if (!h["active"].is_boolean()) return r.error(path + ".active", "expected true or false");
          hedge.active = h["active"].get<bool>();
        }
        if (h.contains("replaced")) {
          if (!h["replaced"].is_boolean()) return r.error(path + ".replaced", "expected true or false");
          hedge.replaced = h["replaced"].get<bool>();
        }
        hedges.push_back(hedge);
      }
    }
    book.hedges().restore(std::move(hedges), budget);
  }
  return book;
}

nlohmann::json portfolio_to_json(const Portfolio& book) {
  json doc;
  doc["positions"] = json::array();
  for (const auto& [key, p] : book.positions()) {
    json jp{{"instrument", key.instrument.str()}, {"sleeve", config::to_string(key.sleeve)},
            {"quantity", p.quantity}, {"avg_price", p.avg_price}};
    if (p.mark) jp["mark"] = *p.mark;
    doc["positions"].push_back(jp);
  }
  doc["cash"] = json::object();
  for (const auto& [c, a] : book.cash()) doc["cash"][std::string(to_string(c))] = a;
  doc["nav_history"] = json::object();
  for (const auto& [d, nav] : book.nav_history()) doc["nav_history"][d.iso()] = nav;
  const auto& b = book.hedges().budget();
  json hb;
  hb["budget"] = {{"year", b.year}, {"annual_pct", b.annual_pct}, {"nav_at_year_start_usd", b.nav_at_year_start_usd},
                  {"used_ytd_usd", b.used_ytd_usd}, {"realized_gains_ytd_usd", b.realized_gains_ytd_usd},
                  {"recycle_fraction", b.recycle_fraction}};
  hb["hedges"] = json::array();
  for (const auto& h : book.hedges().hedges()) {
    json jh{{"hedge_id", h.hedge_id}, {"type", to_string(h.type)}, {"instrument", h.instrument.str()},
            {"quantity", h.quantity}, {"premium_paid_usd", h.premium_paid_usd},
            {"current_value_usd", h.current_value_usd}, {"opened", h.opened.iso()}, {"active", h.active}};
    if (h.replaced) jh["replaced"] = true;
    if (!h.underlying.empty()) jh["underlying"] = h.underlying.str();
    if (h.strike) jh["strike"] = *h.strike;
    if (h.expiry) jh["expiry"] = h.expiry->iso();
    if (h.right) jh["right"] = *h.right == config::OptionRight::kPut ? "P" : "C";
    hb["hedges"].push_back(jh);
  }
  doc["hedge_book"] = hb;
  return doc;
}

}  // namespace af::portfolio
