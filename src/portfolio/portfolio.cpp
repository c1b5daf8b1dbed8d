#include "portfolio/portfolio.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <set>

#include <fmt/format.h>

namespace af::portfolio {
namespace {

// Portfolio::value indexes its per-sleeve array by the enum value.
static_assert([] {
  for (std::size_t i = 0; i < std::size(config::kAllSleeves); ++i) {
    if (static_cast<std::size_t>(config::kAllSleeves[i]) != i) return false;
  }
  return true;
}(), "config::kAllSleeves must list the sleeves in declaration order");

bool is_future(const config::Instrument& inst) { return inst.contract.sec_type == config::SecType::kFut; }

Error bad(std::string message) { return Error{ErrorCode::kInvalidArgument, std::move(message)}; }

// Last NAV strictly before `date`'s month (or year) start, from an ordered history.
std::optional<double> last_nav_before(const std::map<Date, double>& history, Date boundary) {
  auto it = history.lower_bound(boundary);
  if (it == history.begin()) return std::nullopt;
  return std::prev(it)->second;
}

}  // namespace

Sleeve default_sleeve(const config::Instrument& instrument) {
  return instrument.sleeves.empty() ? Sleeve::kCoreIndexRv : instrument.sleeves.front();
}

Quantity Portfolio::quantity(const InstrumentId& instrument) const {
  Quantity q = 0.0;
  for (const auto& [key, p] : positions_) {
    if (key.instrument == instrument) q += p.quantity;
  }
  return q;
}

Quantity Portfolio::quantity(const InstrumentId& instrument, Sleeve sleeve) const {
  auto it = positions_.find(PositionKey{instrument, sleeve});
  return it == positions_.end() ? 0.0 : it->second.quantity;
}

void Portfolio::set_position(Position p) {
  PositionKey key{p.instrument, p.sleeve};
  if (p.quantity == 0.0) {
    positions_.erase(key);
    return;
  }
  positions_[key] = std::move(p);
}

std::vector<std::string> Portfolio::replace_from_broker(const std::vector<BrokerPosition>& broker,
                                                        const config::InstrumentUniverse& universe) {
  std::vector<std::string> changes;
  std::map<PositionKey, Position> next;
  std::set<InstrumentId> seen;
  for (const auto& bp : broker) {
    seen.insert(bp.instrument);
    const Quantity book_total = quantity(bp.instrument);
    if (bp.quantity == 0.0) continue;
    if (book_total == bp.quantity) {
      // Same total: keep the book's sleeve split, take the broker's average price.
      for (const auto& [key, p] : positions_) {
        if (key.instrument != bp.instrument) continue;
        Position copy = p;
        copy.avg_price = bp.avg_price;
        next[key] = copy;
      }
      continue;
    }
    const config::Instrument* inst = universe.find(bp.instrument);
    Sleeve sleeve = inst ? default_sleeve(*inst) : Sleeve::kCoreIndexRv;
    std::optional<double> mark;
    for (const auto& [key, p] : positions_) {
      if (key.instrument == bp.instrument && p.mark) mark = p.mark;
    }
    next[PositionKey{bp.instrument, sleeve}] =
        Position{bp.instrument, sleeve, bp.quantity, bp.avg_price, mark, 0.0};
    changes.push_back(fmt::format("{}: book {} -> broker {} (assigned to sleeve {})",
                                  bp.instrument.str(), book_total, bp.quantity,
                                  config::to_string(sleeve)));
  }
  for (const auto& [key, p] : positions_) {
    if (!seen.count(key.instrument)) {
      changes.push_back(fmt::format("{}: book {} -> broker 0 (removed)", key.instrument.str(), p.quantity));
    }
  }
  positions_ = std::move(next);
  return changes;
}

double Portfolio::cash(Currency c) const {
  auto it = cash_.find(c);
  return it == cash_.end() ? 0.0 : it->second;
}

void Portfolio::set_cash(Currency c, double amount) { cash_[c] = amount; }

void Portfolio::replace_cash(const std::map<Currency, double>& balances) { cash_ = balances; }

Status Portfolio::apply_fill(const Fill& fill, const config::InstrumentUniverse& universe) {
  const config::Instrument* inst = universe.find(fill.instrument);
  if (inst == nullptr) return bad(fmt::format("fill for unknown instrument '{}'", fill.instrument.str()));
  if (!std::isfinite(fill.quantity) || !std::isfinite(fill.price) || fill.price <= 0.0 ||
      fill.quantity == 0.0 || !std::isfinite(fill.commission.amount)) {
    return bad(fmt::format("fill for '{}' has invalid quantity {} or price {}", fill.instrument.str(),
                           fill.quantity, fill.price));
  }
  const auto& c = inst->contract;
  const double mult = c.multiplier;
  PositionKey key{fill.instrument, fill.sleeve};
  Position& pos = positions_[key];
  pos.instrument = fill.instrument;
  pos.sleeve = fill.sleeve;

  const double old_q = pos.quantity;
  const double new_q = old_q + fill.quantity;
  double realized_local = 0.0;  // in currency units
  if (old_q == 0.0 || (old_q > 0) == (fill.quantity > 0)) {
    // Opening or adding: weighted average price.
    pos.avg_price = (pos.avg_price * old_q + fill.price * fill.quantity) / new_q;
  } else {
    // Reducing (and possibly flipping): realise P&L on the closed part.
    const double closed = std::min(std::abs(fill.quantity), std::abs(old_q)) * (old_q > 0 ? 1.0 : -1.0);
    realized_local = c.price_unit.to_currency_units((fill.price - pos.avg_price) * closed) * mult;
    if (std::abs(fill.quantity) > std::abs(old_q)) pos.avg_price = fill.price;  // flipped
  }
  pos.quantity = new_q;
  pos.realized_pnl_local += realized_local;
  pos.mark = fill.price;

  // Cash: stocks/options/FX pay the notional; futures only settle realised P&L.
  const double notional_local = c.price_unit.to_currency_units(fill.price * fill.quantity) * mult;
  if (is_future(*inst)) {
    cash_[c.currency] += realized_local;
  } else {
    cash_[c.currency] -= notional_local;
  }
  cash_[fill.commission.currency] -= fill.commission.amount;
  if (pos.quantity == 0.0) positions_.erase(key);
  return ok_status();
}

Result<Valuation> Portfolio::value(Date as_of, const Marks& marks,
                                   const config::InstrumentUniverse& universe,
                                   const marketdata::FxRates& fx) {
  Valuation v;
  v.as_of = as_of;
  boost::container::flat_map<Currency, marketdata::FxRate> rates;  // the few currencies of the book
  rates.reserve(std::size(kAllCurrencies));
  auto rate_of = [&](Currency c) -> Result<double> {
    if (c == Currency::USD) return 1.0;
    auto it = rates.find(c);
    if (it == rates.end()) {
      auto r = fx.rate(c, as_of);
      if (!r) return r.error().with_context(fmt::format("valuing the book on {}", as_of.iso()));
      if (r->source != marketdata::FxSource::kBroker && r->source != marketdata::FxSource::kBarStore) {
        v.warnings.push_back(fmt::format("FX {} from {} ({})", to_string(c), to_string(r->source), r->detail));
      } else if (r->age_days && *r->age_days > 0) {
        v.warnings.push_back(fmt::format("FX {} is {} days old ({})", to_string(c), *r->age_days, r->detail));
      }
      it = rates.emplace(c, *r).first;
    }
    return it->second.value;
  };

  for (const auto& [c, amount] : cash_) {
    AF_ASSIGN_OR_RETURN(double r, rate_of(c));
    v.cash_local[c] = amount;
    v.cash_usd += amount * r;
  }
  // Exposures per sleeve, in kAllSleeves order (indexed by the enum: kAllSleeves lists it in
  // declaration order, static_assert above).
  std::array<SleeveExposure, std::size(config::kAllSleeves)> sleeves;
  for (std::size_t i = 0; i < sleeves.size(); ++i) sleeves[i].sleeve = config::kAllSleeves[i];
  v.positions.reserve(positions_.size());

  // Positions are ordered by instrument, like the marks: each mark is searched for from the
  // previous one onwards.
  auto next_mark = marks.begin();
  for (auto& [key, pos] : positions_) {
    const config::Instrument* inst = universe.find(key.instrument);
    if (inst == nullptr) {
      return Error{ErrorCode::kNotFound,
                   fmt::format("position in '{}' but the instrument is not in instruments.yaml; add it "
                               "or close the position", key.instrument.str())};
    }
    PositionValuation pv;
    pv.key = key;
    pv.quantity = pos.quantity;
    next_mark = std::lower_bound(next_mark, marks.end(), key.instrument,
                                 [](const auto& mark, const InstrumentId& id) { return mark.first < id; });
    auto m = next_mark != marks.end() && next_mark->first == key.instrument ? next_mark : marks.end();
    if (m != marks.end()) {
      if (!std::isfinite(m->second) || m->second <= 0.0) {
        return Error{ErrorCode::kDataQuality, fmt::format("mark for '{}' on {} is not a positive number ({})",
                                                          key.instrument.str(), as_of.iso(), m->second)};
      }
      pos.mark = m->second;
    } else if (pos.mark) {
      pv.stale_mark = true;
      v.warnings.push_back(fmt::format("{}: no mark on {}, last mark {} used", key.instrument.str(),
                                       as_of.iso(), *pos.mark));
    } else {
      return Error{ErrorCode::kDataQuality,
                   fmt::format("{}: no price on {} and none before; cannot value the book",
                               key.instrument.str(), as_of.iso())};
    }
    pv.mark = *pos.mark;
    const auto& c = inst->contract;
    const double unit_value = c.price_unit.to_currency_units(pv.mark) * c.multiplier;
    const double exposure_local = pos.quantity * unit_value;
    const double value_local =
        is_future(*inst) ? pos.quantity * c.price_unit.to_currency_units(pv.mark - pos.avg_price) * c.multiplier
                         : exposure_local;
    AF_ASSIGN_OR_RETURN(double r, rate_of(c.currency));
    pv.value_local = Money{value_local, c.currency};
    pv.value_usd = value_local * r;
    pv.exposure_usd = exposure_local * r;
    v.positions.push_back(pv);
    auto& se = sleeves[static_cast<std::size_t>(key.sleeve)];
    if (pv.exposure_usd >= 0) se.long_usd += pv.exposure_usd;
    else se.short_usd += -pv.exposure_usd;
  }
  v.option_hedges_usd = hedges_.option_value_usd();
  v.nav_usd = v.cash_usd + v.option_hedges_usd;
  for (const auto& pv : v.positions) v.nav_usd += pv.value_usd;
  v.sleeves.reserve(sleeves.size());
  for (std::size_t i = 0; i < sleeves.size(); ++i) {
    auto se = sleeves[i];
    se.weight = v.nav_usd > 0 ? se.gross_usd() / v.nav_usd : 0.0;
    v.gross_exposure_usd += se.gross_usd();
    v.net_exposure_usd += se.net_usd();
    v.sleeves.push_back(se);
  }
  v.fx_used.reserve(rates.size());
  for (const auto& [c, r] : rates) v.fx_used.push_back(r);
  return v;
}

void Portfolio::record_nav(Date date, double nav_usd) { nav_history_[date] = nav_usd; }

std::optional<PnlSummary> Portfolio::pnl(Date as_of) const {
  auto it = nav_history_.upper_bound(as_of);
  if (it == nav_history_.begin()) return std::nullopt;
  --it;
  PnlSummary s;
  s.as_of = it->first;
  s.nav_usd = it->second;
  if (it != nav_history_.begin()) {
    double prev = std::prev(it)->second;
    s.daily_pnl_usd = s.nav_usd - prev;
    if (prev > 0) s.daily_return = s.nav_usd / prev - 1.0;
  }
  const Date month_start(s.as_of.year(), s.as_of.month(), 1);
  const Date year_start(s.as_of.year(), 1, 1);
  if (auto base = last_nav_before(nav_history_, month_start)) {
    s.mtd_pnl_usd = s.nav_usd - *base;
    if (*base > 0) s.mtd_return = s.nav_usd / *base - 1.0;
  }
  if (auto base = last_nav_before(nav_history_, year_start)) {
    s.ytd_pnl_usd = s.nav_usd - *base;
    if (*base > 0) s.ytd_return = s.nav_usd / *base - 1.0;
  }
  double peak = 0.0;
  bool first = true;
  for (auto h = nav_history_.begin(); h != std::next(it); ++h) {
    if (first || h->second > peak) peak = h->second;
    first = false;
    double dd = peak > 0 ? (h->second - peak) / peak : 0.0;
    s.max_drawdown = std::min(s.max_drawdown, dd);
    s.current_drawdown = dd;
  }
  return s;
}

std::vector<double> Portfolio::daily_returns() const {
  std::vector<double> out;
  const double* prev = nullptr;
  for (const auto& [d, nav] : nav_history_) {
    if (prev != nullptr && *prev > 0) out.push_back(nav / *prev - 1.0);
    prev = &nav;
  }
  return out;
}

double max_drawdown(const std::vector<double>& nav) {
  double peak = 0.0, worst = 0.0;
  for (std::size_t i = 0; i < nav.size(); ++i) {
    if (i == 0 || nav[i] > peak) peak = nav[i];
    if (peak > 0) worst = std::min(worst, (nav[i] - peak) / peak);
  }
  return worst;
}

}  // namespace af::portfolio
