#include "execution/order_planner.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace af::execution {
namespace {

risk::InstrumentType risk_type(const config::Instrument& inst) {
  switch (inst.contract.sec_type) {
    case config::SecType::kFut: return risk::InstrumentType::kFuture;
    case config::SecType::kOpt: return risk::InstrumentType::kOption;
    case config::SecType::kStk: return inst.is_etf ? risk::InstrumentType::kEtf : risk::InstrumentType::kStock;
    default: return risk::InstrumentType::kOther;
  }
}

risk::PreTradeLimits limits_from(const config::Settings& s) {
  risk::PreTradeLimits l;
  l.max_order_notional_pct = s.risk.pre_trade.max_order_notional_pct_nav;
  l.max_daily_turnover_pct = s.risk.pre_trade.max_daily_turnover_pct_nav;
  l.price_collar_pct = s.risk.pre_trade.price_collar_pct;
  l.max_position_etf_pct = s.risk.position_limits.etf_pct_nav;
  l.max_position_future_pct = s.risk.position_limits.future_pct_nav;
  l.max_position_option_pct = s.risk.position_limits.option_pct_nav;
  l.max_position_stock_pct = s.risk.position_limits.stock_pct_nav;
  return l;
}

struct Draft {
  InstrumentId instrument;
  Quantity change = 0.0;  // signed
  std::map<Sleeve, Quantity> allocation;
  double reference_price = 0.0;
  std::optional<OptionContractSpec> option;
  std::string leg;
  std::string reason;
  bool extra = false;
  const config::Instrument* inst = nullptr;  // resolved once (nullptr: look it up)
};

}  // namespace

const char* to_string(PlannedSide s) noexcept { return s == PlannedSide::kBuy ? "BUY" : "SELL"; }

std::string client_order_id(Date d, int session, const InstrumentId& instrument, PlannedSide side, int attempt) {
  return fmt::format(FMT_COMPILE("af-{:04d}{:02d}{:02d}-s{}-{}-{}-{}"), d.year(), d.month(), d.day(), session, instrument.str(),
                     side == PlannedSide::kBuy ? 'b' : 's', attempt);
}

double round_to_tick(double price, double tick, PlannedSide side) {
  if (!(tick > 0)) return price;
  const double ticks = price / tick;
  // A tiny epsilon keeps exact multiples (e.g. 100.10 / 0.01) from moving a whole tick.
  const double n = side == PlannedSide::kBuy ? std::ceil(ticks - 1e-9) : std::floor(ticks + 1e-9);
  return std::round(n * tick * 1e8) / 1e8;
}

OrderPlan plan_orders(const config::Config& cfg, const portfolio::Portfolio& book,
                      const strategy::MarketView& market, const PlanInputs& in) {
  const auto& ex = cfg.settings.execution;
  OrderPlan plan;

  // 1. Targets and holdings per instrument and sleeve (instruments in id order; a sleeve is
  // present when a target line or a position names it).
  struct Book {
    std::array<Quantity, std::size(config::kAllSleeves)> target{}, current{};
    std::array<bool, std::size(config::kAllSleeves)> has_target{}, has_current{};
  };
  struct Entry {
    const InstrumentId* id;            // points into in.targets or the book's positions
    const config::Instrument* inst;    // nullptr: not in the universe
    Book b;
  };
  auto index_of = [](Sleeve s) { return static_cast<std::size_t>(s); };
  std::vector<Entry> books;
  books.reserve(in.targets.size() + book.positions().size());
  // Known instruments find their entry through their id rank; unknown ones (a broker position
  // not in instruments.yaml) by a scan of the few unknown entries.
  std::vector<int> entry_of_rank(cfg.instruments.size(), -1);
  auto book_of = [&](const InstrumentId& id) -> Book& {
    const config::Instrument* inst = cfg.instruments.find(id);
    if (inst != nullptr) {
      int& e = entry_of_rank[cfg.instruments.id_rank(*inst)];
      if (e < 0) {
        e = static_cast<int>(books.size());
        books.push_back({&id, inst, {}});
      }
      return books[static_cast<std::size_t>(e)].b;
    }
    for (Entry& e : books) {
      if (e.inst == nullptr && *e.id == id) return e.b;
    }
    books.push_back({&id, nullptr, {}});
    return books.back().b;
  };
  for (const auto& t : in.targets) {
    Book& b = book_of(t.instrument);
    b.target[index_of(t.sleeve)] += t.quantity;
    b.has_target[index_of(t.sleeve)] = true;
  }
  for (const auto& [key, pos] : book.positions()) {
    // The crisis-alpha sleeve holds the tail-hedge book: the hedge manager trades it (extra
    // orders), never the target diff, which would otherwise close every hedge.
    if (key.sleeve == Sleeve::kCrisisAlpha) continue;
    Book& b = book_of(key.instrument);
    b.current[index_of(key.sleeve)] += pos.quantity;
    b.has_current[index_of(key.sleeve)] = true;
  }
  // Id order: by rank between known instruments (the same order as the ids, without string
  // compares), by id otherwise.
  std::sort(books.begin(), books.end(), [&](const Entry& x, const Entry& y) {
    if (x.inst != nullptr && y.inst != nullptr) return cfg.instruments.id_rank(*x.inst) < cfg.instruments.id_rank(*y.inst);
    return *x.id < *y.id;
  });

  // 2. Sleeve weight drift: |target gross - current gross| / NAV per sleeve (original
  // check_rebalance_needed, now enforced). A sleeve inside the band keeps its holdings.
  // Each instrument's usable price, looked up once (in `books` order).
  std::vector<std::optional<double>> prices;
  prices.reserve(books.size());
  for (const Entry& e : books) prices.push_back(market.price(*e.id));
  std::array<double, std::size(config::kAllSleeves)> sleeve_target_usd{}, sleeve_current_usd{};
  std::size_t book_index = 0;
  for (const auto& [id, inst, b] : books) {
    const std::optional<double>& price = prices[book_index++];
    if (inst == nullptr || !price) continue;
    for (Sleeve s : config::kAllSleeves) {
      const std::size_t i = index_of(s);
      if (!b.has_target[i]) continue;
      if (auto n = strategy::notional_usd(*inst, b.target[i], *price, market)) sleeve_target_usd[i] += std::abs(*n);
    }
    for (Sleeve s : config::kAllSleeves) {
      const std::size_t i = index_of(s);
      if (!b.has_current[i]) continue;
      if (auto n = strategy::notional_usd(*inst, b.current[i], *price, market)) sleeve_current_usd[i] += std::abs(*n);
    }
  }
  std::array<double, std::size(config::kAllSleeves)> sleeve_drift{};
  for (Sleeve s : config::kAllSleeves) {
    const std::size_t i = index_of(s);
    sleeve_drift[i] = in.nav_usd > 0 ? std::abs(sleeve_target_usd[i] - sleeve_current_usd[i]) / in.nav_usd : 1.0;
  }

  // The texts of a held-back line depend on the sleeve's drift and the threshold only: formatted
  // once per plan (lazily), then joined per instrument.
  std::array<std::string, std::size(config::kAllSleeves)> held_text;
  std::string held_prefix;
  auto held_sleeve_text = [&](Sleeve s) -> const std::string& {
    std::string& t = held_text[index_of(s)];
    if (t.empty()) t = fmt::format(FMT_COMPILE("{} drift {:.2f}%"), config::to_string(s), sleeve_drift[index_of(s)] * 100);
    return t;
  };

  std::vector<Draft> drafts;
  book_index = 0;
  for (const auto& [id_ptr, inst, b] : books) {
    const InstrumentId& id = *id_ptr;
    const std::optional<double>& price = prices[book_index++];
    Draft d;
    d.instrument = id;
    d.inst = inst;
    Quantity tgt_total = 0, cur_total = 0, held_back = 0;
    std::vector<const std::string*> held_sleeves;
    const bool priced = price.has_value();  // unpriced lines are reported as no_price
    for (Sleeve s : config::kAllSleeves) {
      const std::size_t i = index_of(s);
      const Quantity t = b.target[i];
      const Quantity c = b.current[i];
      cur_total += c;
      if (priced && t != c && t != 0.0 && sleeve_drift[i] < cfg.settings.rebalance_threshold_pct) {
        // Inside the band: keep this sleeve's holding.
        tgt_total += c;
        held_back += t - c;
        held_sleeves.push_back(&held_sleeve_text(s));
        continue;
      }
      tgt_total += t;
      if (t != c) d.allocation[s] = t - c;
    }
    if (held_back != 0.0) {
      // "sleeve weight drift below the {:.2f}% threshold ({})" with the held sleeves joined by ", ".
      if (held_prefix.empty()) {
        held_prefix = fmt::format("sleeve weight drift below the {:.2f}% threshold (",
                                  cfg.settings.rebalance_threshold_pct * 100);
      }
      std::string message = held_prefix;
      for (std::size_t k = 0; k < held_sleeves.size(); ++k) {
        if (k > 0) message += ", ";
        message += *held_sleeves[k];
      }
      message += ')';
      plan.skipped.push_back({id, held_back, "below_rebalance_threshold", std::move(message)});
    }
    if (inst == nullptr) {
      plan.skipped.push_back({id, tgt_total - cur_total, "unknown_instrument",
                              fmt::format(FMT_COMPILE("'{}' is not in instruments.yaml"), id.str())});
      continue;
    }
    const double lot = inst->contract.lot_size > 0 ? inst->contract.lot_size : 1.0;
    d.change = std::trunc((tgt_total - cur_total) / lot) * lot + 0.0;
    if (d.change == 0.0) continue;
    if (!price) {
      plan.skipped.push_back({id, d.change, "no_price", market.why_unusable(id)});
      continue;
    }
    d.reference_price = *price;
    auto change_usd = strategy::notional_usd(*inst, d.change, *price, market);
    if (!change_usd) {
      plan.skipped.push_back({id, d.change, "fx_unavailable", change_usd.error().message});
      continue;
    }
    const bool full_close = tgt_total == 0.0;
    if (!full_close && std::abs(*change_usd) < ex.min_trade_notional_usd) {
      plan.skipped.push_back({id, d.change, "below_min_notional",
                              fmt::format(FMT_COMPILE("{:.0f} USD is below the minimum trade of {:.0f} USD"),
                                          std::abs(*change_usd), ex.min_trade_notional_usd)});
      continue;
    }
    d.reason = full_close ? fmt::format(FMT_COMPILE("close {} (no target)"), cur_total)
                          : fmt::format(FMT_COMPILE("rebalance {} -> {}"), cur_total, tgt_total);
    drafts.push_back(std::move(d));
  }
  for (const auto& e : in.extra) {
    Draft d;
    d.instrument = e.instrument;
    d.change = e.quantity;
    d.allocation[e.sleeve] = e.quantity;
    d.reference_price = e.reference_price;
    d.option = e.option;
    d.leg = e.leg;
    d.reason = e.reason;
    d.extra = true;
    if (d.change != 0.0) drafts.push_back(std::move(d));
  }

  // Submission order: sells first, then buys; by instrument id (then hedge contract) inside.
  std::stable_sort(drafts.begin(), drafts.end(), [](const Draft& a, const Draft& b) {
    const bool sa = a.change < 0, sb = b.change < 0;
    if (sa != sb) return sa;
    return a.instrument < b.instrument;
  });

  const auto limits = limits_from(cfg.settings);
  double turnover = in.turnover_used_today_usd;
  for (const auto& d : drafts) {
    const config::Instrument& inst = d.inst != nullptr ? *d.inst : cfg.instruments.at(d.instrument);
    const auto& c = inst.contract;
    PlannedOrder o;
    o.side = d.change > 0 ? PlannedSide::kBuy : PlannedSide::kSell;
    o.client_order_id = client_order_id(in.trading_date, in.session, d.instrument, o.side, in.attempt);
    if (d.option) {
      o.client_order_id += fmt::format(FMT_COMPILE("-{}{}{}"), d.option->expiry.iso(), d.option->right == config::OptionRight::kPut ? 'P' : 'C',
                                       d.option->strike);
    }
    if (!d.leg.empty()) o.client_order_id += "-" + d.leg;
    o.instrument = d.instrument;
    o.allocation = d.allocation;
    o.sleeve = std::max_element(d.allocation.begin(), d.allocation.end(), [](const auto& a, const auto& b) {
                 return std::abs(a.second) < std::abs(b.second);
               })->first;
    o.quantity = std::abs(d.change);
    o.price_unit = c.price_unit;
    o.reference_price = d.reference_price;
    o.option = d.option;
    o.reason = d.reason;
    o.market_order = ex.order_style == config::OrderStyle::kMarket;
    const double offset = ex.limit_offset_bps / 10'000.0;
    const double px = o.side == PlannedSide::kBuy ? d.reference_price * (1 + offset) : d.reference_price * (1 - offset);
    o.limit_price = o.market_order ? 0.0 : round_to_tick(px, c.tick_size, o.side);
    const double priced_at = o.market_order ? d.reference_price : o.limit_price;
    auto notional = strategy::notional_usd(inst, o.quantity, priced_at, market);
    auto current_usd = strategy::notional_usd(inst, book.quantity(d.instrument), d.reference_price, market);
    if (!notional || !current_usd) {
      plan.skipped.push_back({d.instrument, d.change, "fx_unavailable", (notional ? current_usd.error() : notional.error()).message});
      continue;
    }
    o.notional_usd = *notional;

    risk::ProposedOrder po;
    po.instrument = d.instrument;
    po.type = risk_type(inst);
    po.side = o.side == PlannedSide::kBuy ? risk::OrderSide::kBuy : risk::OrderSide::kSell;
    po.quantity = o.quantity;
    po.limit_price = priced_at;
    po.last_good_price = d.reference_price;
    po.tick_size = c.tick_size;
    // Economic size at the last good price: the limit is a worst-case bound, and a position
    // sized exactly at its limit must not be rejected for the limit offset.
    auto economic = strategy::notional_usd(inst, o.quantity, d.reference_price, market);
    po.notional_usd = economic ? *economic : o.notional_usd;
    // Hedge contracts are distinct from the instrument's other holdings: their position is new.
    po.current_position_usd = d.extra ? 0.0 : *current_usd;
    po.tradeable = inst.tradeable;
    po.locked = in.locked.count(d.instrument) != 0;
    auto check = risk::check_order(po, in.nav_usd, turnover, limits);
    if (!check.accepted()) {
      std::vector<std::string> codes, messages;
      for (const auto& r : check.rejections) {
        codes.push_back(risk::to_string(r.code));
        messages.push_back(r.message);
      }
      plan.skipped.push_back({d.instrument, d.change, fmt::format("{}", fmt::join(codes, ",")),
                              fmt::format("{}", fmt::join(messages, "; "))});
      continue;
    }
    turnover += o.notional_usd;
    plan.turnover_usd += o.notional_usd;
    plan.orders.push_back(std::move(o));
  }
  return plan;
}

}  // namespace af::execution
