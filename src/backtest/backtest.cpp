#include "backtest/backtest.hpp"

#include "portfolio/portfolio_json.hpp"
#include "strategy/tail_hedge.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

namespace af::backtest {

namespace {

std::size_t sleeve_index(config::Sleeve s) {
  for (std::size_t i = 0; i < kSleeveCount; ++i) {
    if (config::kAllSleeves[i] == s) return i;
  }
  return 0;
}

bool is_future(const config::Instrument& inst) { return inst.contract.sec_type == config::SecType::kFut; }

// USD per one currency unit on `date`, cached for the day.
class DayFx {
 public:
  DayFx(const marketdata::FxRates& fx, Date date) : fx_(&fx), date_(date) {}
  Result<double> operator()(Currency c) {
    if (c == Currency::USD) return 1.0;
    auto it = cache_.find(c);
    if (it != cache_.end()) return it->second;
    auto r = fx_->rate(c, date_);
    if (!r) return r.error();
    cache_.emplace(c, r->value);
    return r->value;
  }

 private:
  const marketdata::FxRates* fx_;
  Date date_;
  std::map<Currency, double> cache_;
};

// A position's state at a close, for the attribution.
struct Held {
  Quantity quantity = 0.0;
  double mark = 0.0;  // price unit
  double fx = 1.0;    // USD per currency unit
};

// Positions at a close, sorted by key, one entry per key.
using HeldBook = std::vector<std::pair<portfolio::PositionKey, Held>>;

// Sorts by key; of entries with equal keys the last one stays (assignment semantics).
void sort_unique_keep_last(HeldBook& book) {
  std::stable_sort(book.begin(), book.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  HeldBook::iterator out = book.begin();
  for (auto it = book.begin(); it != book.end(); ++it) {
    if (std::next(it) != book.end() && std::next(it)->first == it->first) continue;
    if (out != it) *out = std::move(*it);
    ++out;
  }
  book.erase(out, book.end());
}

const Held* find_held(const HeldBook& book, const portfolio::PositionKey& key) {
  auto it = std::lower_bound(book.begin(), book.end(), key, [](const auto& e, const auto& k) { return e.first < k; });
  return it != book.end() && it->first == key ? &it->second : nullptr;
}

// The fill-day prices of an instrument's series (price unit = series unit, checked by the
// quality checks of the snapshot), or nullopt when it has no bar on `date`.
std::optional<ExecutionPrices> bar_on(const strategy::SeriesData* series, Date date) {
  if (series == nullptr) return std::nullopt;
  auto idx = marketdata::index_at_or_before(series->bars, date);
  if (!idx || series->bars[*idx].date != date) return std::nullopt;
  const auto& b = series->bars[*idx];
  return ExecutionPrices{b.open, b.close};
}

// One day's market inputs that depend on market data only: the snapshot and the single-name
// screen on it (strategy::run_screen reads the view alone, no trading state).
struct PreparedDay {
  strategy::MarketSnapshot snapshot;
  std::shared_ptr<const strategy::ScreenResult> screen;
};

PreparedDay prepare_day(const config::Config& cfg, const strategy::MarketHistory& history, Date date) {
  PreparedDay p{history.snapshot(date), nullptr};
  p.screen = std::make_shared<const strategy::ScreenResult>(strategy::run_screen(cfg, p.snapshot.view, nullptr));
  return p;
}

// Computes the prepared days ahead of the decision loop on a helper thread. A prepared day
// depends only on its date (MarketHistory is immutable, snapshot() and run_screen are const and
// thread-safe), so the results are identical to computing them inline; trading state stays on
// the caller's thread. At most `ahead` days wait in memory. With ahead == 0 everything runs
// inline.
class DayPipeline {
 public:
  DayPipeline(const config::Config& cfg, const strategy::MarketHistory& history, const std::vector<Date>& dates,
              std::size_t ahead)
      : cfg_(&cfg), history_(&history), dates_(&dates), ahead_(ahead) {
    if (ahead_ > 0) worker_ = std::thread([this] { produce(); });
  }
  DayPipeline(const DayPipeline&) = delete;
  DayPipeline& operator=(const DayPipeline&) = delete;
  ~DayPipeline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
  }
  // The prepared day of dates[i]; calls must come in order i = 0, 1, 2 ...
  PreparedDay take(std::size_t i) {
    if (ahead_ == 0) return prepare_day(*cfg_, *history_, (*dates_)[i]);
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !ready_.empty(); });
    PreparedDay p = std::move(ready_.front());
    ready_.pop_front();
    lock.unlock();
    cv_.notify_all();
    return p;
  }

 private:
  void produce() {
    for (const Date& d : *dates_) {
      PreparedDay p = prepare_day(*cfg_, *history_, d);
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || ready_.size() < ahead_; });
      if (stop_) return;
      ready_.push_back(std::move(p));
      lock.unlock();
      cv_.notify_all();
    }
  }
  const config::Config* cfg_;
  const strategy::MarketHistory* history_;
  const std::vector<Date>* dates_;
  std::size_t ahead_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PreparedDay> ready_;
  bool stop_ = false;
  std::thread worker_;
};

// The tail-hedge order a planned order came from (same contract, side and size), or nullptr.
const strategy::HedgeOrder* find_hedge_order(const execution::PlannedOrder& o,
                                             const std::vector<strategy::HedgeOrder>& hedges,
                                             std::vector<bool>& used) {
  for (std::size_t i = 0; i < hedges.size(); ++i) {
    const auto& h = hedges[i];
    if (used[i] || !(h.hedge.instrument == o.instrument) || h.quantity != o.quantity) continue;
    const bool buy = h.side == strategy::HedgeOrderSide::kBuy;
    if (buy != (o.side == execution::PlannedSide::kBuy)) continue;
    if (o.option.has_value() != (h.hedge.expiry && h.hedge.strike && h.hedge.right)) continue;
    if (o.option && (o.option->expiry != *h.hedge.expiry || o.option->strike != *h.hedge.strike ||
                     o.option->right != *h.hedge.right)) {
      continue;
    }
    used[i] = true;
    return &h;
  }
  return nullptr;
}

bool is_planner_skip(const std::string& code) {
  return code == "below_rebalance_threshold" || code == "below_min_notional" || code == "rounds_to_zero";
}

}  // namespace

BacktestOptions backtest_options_from(const config::Settings& settings, Date from, Date to) {
  BacktestOptions o;
  o.from = from;
  o.to = to;
  o.initial_capital = settings.backtest.initial_capital;
  o.broker = sim_broker_settings_from(settings);
  return o;
}

Result<BacktestResult> run_backtest(const config::Config& cfg, const strategy::MarketHistory& history,
                                    const BacktestOptions& options) {
  const std::vector<Date> dates = history.trading_dates(options.from, options.to);
  if (dates.empty()) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("no trading date between {} and {} in the series of the core US instrument '{}'; "
                             "import the data (abstractfinance data import --bundled) or pick dates inside it",
                             options.from.iso(), options.to.iso(),
                             cfg.settings.strategy.core_index_rv.us_long.str())};
  }
  if (!(options.initial_capital > 0)) {
    return Error{ErrorCode::kInvalidArgument, "backtest initial capital must be positive (backtest.initial_capital)"};
  }
  const config::InstrumentUniverse& universe = cfg.instruments;
  const SimBroker broker(universe, options.broker);
  const marketdata::FxRates& fx = history.fx();

  BacktestResult result;
  result.from = dates.front();
  result.to = dates.back();
  result.initial_capital = options.initial_capital;
  result.broker = options.broker;
  result.us_leg = cfg.settings.strategy.core_index_rv.us_long;
  result.eu_leg = cfg.settings.strategy.core_index_rv.eu_short;
  result.days.reserve(dates.size());
  for (std::size_t i = 0; i < kSleeveCount; ++i) result.sleeve_weights[i] = cfg.settings.sleeves.weight(config::kAllSleeves[i]);

  std::map<InstrumentId, const strategy::SeriesData*> series_of;
  std::map<InstrumentId, std::size_t> use_index;
  for (const auto& inst : universe) {
    const strategy::SeriesData* sd = history.series_of(inst.id);
    series_of[inst.id] = sd;
    SeriesUse u;
    u.instrument = inst.id;
    u.series = inst.data_series;
    if (sd != nullptr) {
      u.kind = sd->info.kind == marketdata::SeriesKind::kSynthetic ? "synthetic" : "real";
      u.notes = sd->info.notes;
    } else {
      u.kind = "missing";
    }
    use_index[inst.id] = result.series.size();
    result.series.push_back(std::move(u));
  }

  portfolio::Portfolio book = portfolio::cash_only_book(options.initial_capital);
  std::vector<execution::PlannedOrder> pending;
  std::vector<strategy::HedgeOrder> pending_hedges;  // the decision's tail-hedge orders
  Date pending_decided;
  strategy::HedgePricingInputs pricing;
  pricing.risk_free_rate = cfg.settings.backtest.risk_free_rate;
  double prev_hedge_value = 0.0;
  HeldBook held;  // at the previous close, sorted by key
  std::vector<double> nav_values;               // book.nav_history()'s values (decide_day input)
  nav_values.reserve(dates.size());
  double prev_nav = options.initial_capital;
  double peak_nav = 0.0;
  std::optional<double> prev_us, prev_eu;

  const bool prefetch = options.prefetch_snapshots && dates.size() > 1 && std::thread::hardware_concurrency() > 1;
  DayPipeline prepared_days(cfg, history, dates, prefetch ? 8 : 0);

  for (std::size_t day = 0; day < dates.size(); ++day) {
    const Date t = dates[day];
    BacktestDay row;
    row.date = t;
    DayFx day_fx(fx, t);
    auto fail = [&](const Error& e) { return e.with_context(fmt::format("backtest day {}", t.iso())); };

    // 1. Interest on the cash held overnight.
    if (day > 0) {
      for (const auto& [c, amount] : broker.interest(book.cash(), dates[day - 1], t)) {
        book.set_cash(c, book.cash(c) + amount);
        auto r = day_fx(c);
        if (!r) return fail(r.error());
        row.interest_usd += amount * *r;
      }
    }

    // Trade terms of today's fills, per position, for the attribution.
    struct TradeTerm {
      portfolio::PositionKey key;
      Quantity quantity;
      double price;
      double commission_usd;
    };
    std::vector<TradeTerm> trade_terms;
    auto apply_execution = [&](SimExecution e) -> Status {
      if (e.filled) {
        for (const auto& f : broker.book_fills(e)) {
          AF_RETURN_IF_ERROR(book.apply_fill(f, universe));
          const double share = e.signed_quantity != 0.0 ? std::abs(f.quantity / e.signed_quantity) : 0.0;
          if (options.record_details) {
            trade_terms.push_back({{f.instrument, f.sleeve}, f.quantity, f.price, e.commission_usd * share});
          }
        }
        ++row.orders_filled;
        row.traded_notional_usd += e.notional_usd;
        row.commission_usd += e.commission_usd;
        row.slippage_usd += e.slippage_usd;
        if (e.used_close_for_open) ++result.fills_at_close_for_lack_of_open;
        if (e.hedge_premium) row.hedge_spend_usd += e.notional_usd;
      } else {
        ++row.orders_unfilled;
      }
      if (options.record_details) result.executions.push_back(std::move(e));
      return ok_status();
    };
    double hedge_cash_flow_usd = 0.0;  // option premium paid (< 0) or received today, with commissions
    auto execute_all = [&](const std::vector<execution::PlannedOrder>& orders,
                           const std::vector<strategy::HedgeOrder>& hedges, Date decided) -> Status {
      std::vector<bool> used(hedges.size(), false);
      for (const auto& o : orders) {
        const strategy::HedgeOrder* h = find_hedge_order(o, hedges, used);
        if (o.option) {
          // Option hedges: the bundle has no option prices, so they trade at the decision's
          // Black–Scholes model price (the order's reference price), with slippage and the
          // option commission. They live in the hedge book (one entry per contract), not in the
          // positions, and are valued by the hedge manager's model every day.
          const ExecutionPrices model{o.reference_price, o.reference_price};
          auto e = broker.execute(o, decided, t, model, fx);
          if (!e) return e.error();
          if (e->filled) {
            const config::Instrument& inst = universe.at(o.instrument);
            const double cash_local = e->signed_quantity * e->fill_price *
                                      inst.contract.price_unit.to_currency_units(1.0) * inst.contract.multiplier;
            book.set_cash(inst.contract.currency, book.cash(inst.contract.currency) - cash_local - e->commission.amount);
            hedge_cash_flow_usd -= cash_local * e->fx_usd_per_unit + e->commission_usd;
            if (h != nullptr) AF_RETURN_IF_ERROR(strategy::apply_hedge_fill(book.hedges(), *h, o.quantity, e->notional_usd));
            ++row.orders_filled;
            row.traded_notional_usd += e->notional_usd;
            row.commission_usd += e->commission_usd;
            row.slippage_usd += e->slippage_usd;
            if (e->hedge_premium) row.hedge_spend_usd += e->notional_usd;
          } else {
            ++row.orders_unfilled;
          }
          if (options.record_details) result.executions.push_back(std::move(*e));
          continue;
        }
        auto e = broker.execute(o, decided, t, bar_on(series_of[o.instrument], t), fx);
        if (!e) return e.error();
        // Futures hedges (sovereign spread) are positions like any other; the hedge book records
        // them too, with the margin estimate charged to the budget.
        if (e->filled && h != nullptr) {
          AF_RETURN_IF_ERROR(strategy::apply_hedge_fill(book.hedges(), *h, o.quantity, h->premium_usd));
        }
        AF_RETURN_IF_ERROR(apply_execution(std::move(*e)));
      }
      return ok_status();
    };

    // 2. Yesterday's orders at today's open.
    if (options.broker.fill_model == config::FillModel::kNextOpen && !pending.empty()) {
      if (auto st = execute_all(pending, pending_hedges, pending_decided); !st) return fail(st.error());
      pending.clear();
      pending_hedges.clear();
    }

    // 3. Today's market (data up to t only) and the book at the close.
    const PreparedDay prepared = prepared_days.take(day);
    const strategy::MarketSnapshot& snap = prepared.snapshot;
    // use_index and the view's maps are all in id order: one walk through the three.
    auto unusable = snap.view.unusable.begin();
    auto priced = snap.view.prices.begin();
    for (const auto& [id, index] : use_index) {
      SeriesUse& u = result.series[index];
      while (unusable != snap.view.unusable.end() && unusable->first < id) ++unusable;
      while (priced != snap.view.prices.end() && priced->first < id) ++priced;
      if (unusable != snap.view.unusable.end() && unusable->first == id) {
        ++u.days_unusable;
        u.last_unusable_reason = unusable->second;
      } else if (priced != snap.view.prices.end() && priced->first == id) {
        ++u.days_priced;
      }
    }

    // Expired option hedges settle in cash at intrinsic value (European, cash-settled), and the
    // hedge budget rolls into a new calendar year, on the caller's book: decide_day works on a
    // copy, so neither would persist otherwise.
    struct Expired {
      std::string id;
      Quantity quantity;
      double value_usd;
    };
    std::vector<Expired> expired;
    for (const portfolio::Hedge* h : book.hedges().active()) {
      if (!(h->expiry && h->strike && h->right) || *h->expiry > t) continue;
      expired.push_back({h->hedge_id, std::abs(h->quantity), strategy::value_hedge(*h, snap.view, cfg, pricing).value_usd});
    }
    for (const auto& x : expired) {
      book.set_cash(Currency::USD, book.cash(Currency::USD) + x.value_usd);
      hedge_cash_flow_usd += x.value_usd;
      if (auto st = book.hedges().record_sale(x.id, x.quantity, x.value_usd); !st) return fail(st.error());
    }
    // NAV at the start of the year: the last NAV of the previous year (yesterday's NAV stands in
    // for today's on the very first day of a history, where the rule needs it).
    const double nav_reference = book.nav_history().empty() ? options.initial_capital : book.nav_history().rbegin()->second;
    book.hedges().roll_budget_year(t, strategy::nav_at_year_start(book.nav_history(), t, nav_reference),
                                   cfg.settings.hedge_budget_annual_pct,
                                   cfg.settings.tail_hedge.realized_gain_recycle_fraction);

    // 4. The book at today's close before the decision: option hedges marked at the close, then
    // the valuation (the NAV decide_day and the risk code see), which decide_day reads instead
    // of valuing a copy. Then the decision (the one code path shared with plan and live).
    strategy::mark_hedges(book.hedges(), snap.view, cfg, pricing);
    auto valued = book.value(t, snap.view.prices, universe, fx);
    if (!valued) return fail(valued.error());
    execution::DecisionInputs in;
    in.valuation = &*valued;
    in.config = &cfg;
    in.market = &snap.view;
    in.us_eu_ratio = snap.us_eu_ratio;
    in.nav_history_usd = nav_values;
    in.screen = prepared.screen;
    auto decision = execution::decide_day(book, in);
    if (!decision) return fail(decision.error());
    if (options.on_decision) options.on_decision(*decision);
    row.scaling = decision->risk.scaling;
    row.regime = decision->risk.regime.regime;
    row.vol_annual = decision->risk.vol.annual_vol;
    if (decision->risk.vix) {
      row.vix = decision->risk.vix->level;
      row.vix_is_proxy = decision->risk.vix->is_proxy;
    }
    row.orders_planned = static_cast<int>(decision->plan.orders.size());
    for (const auto& s : decision->plan.skipped) {
      if (!is_planner_skip(s.reason_code)) ++row.orders_rejected;
    }

    // 5. Fills at today's close, or tomorrow's open.
    // The decision is not read after this step: its orders are moved, not copied.
    std::vector<strategy::HedgeOrder> hedge_orders = std::move(decision->hedges.orders);
    hedge_orders.insert(hedge_orders.end(), std::make_move_iterator(decision->crisis.orders.begin()),
                        std::make_move_iterator(decision->crisis.orders.end()));
    if (options.broker.fill_model == config::FillModel::kSameClose) {
      if (auto st = execute_all(decision->plan.orders, hedge_orders, t); !st) return fail(st.error());
      // The book at the close after today's fills: marked and valued again.
      strategy::mark_hedges(book.hedges(), snap.view, cfg, pricing);
      valued = book.value(t, snap.view.prices, universe, fx);
      if (!valued) return fail(valued.error());
    } else {
      // Nothing trades before tomorrow's open: the book at the close is the one valued above.
      pending = std::move(decision->plan.orders);
      pending_hedges = std::move(hedge_orders);
      pending_decided = t;
    }
    const portfolio::Valuation& val = *valued;

    // 6. Record.
    const double hedge_value = val.option_hedges_usd;
    const double nav = val.nav_usd;
    row.nav_usd = nav;
    row.daily_return = day == 0 ? 0.0 : nav / prev_nav - 1.0;
    peak_nav = std::max(peak_nav, nav);
    row.drawdown = nav / peak_nav - 1.0;
    row.gross_exposure_usd = val.gross_exposure_usd;
    row.net_exposure_usd = val.net_exposure_usd;
    for (const auto& s : val.sleeves) {
      const std::size_t i = sleeve_index(s.sleeve);
      row.sleeve_gross_usd[i] = s.gross_usd();
      row.sleeve_net_usd[i] = s.net_usd();
    }
    book.record_nav(t, val.nav_usd);
    nav_values.push_back(val.nav_usd);

    // Attribution (record_details). Positions are kept as vectors sorted by key (the order of the
    // former maps, so the sums below add in the same order); a day has a few dozen positions and a
    // few fills.
    if (options.record_details) {
      HeldBook now;
      now.reserve(val.positions.size());
      for (const auto& pv : val.positions) {
        const config::Instrument& inst = universe.at(pv.key.instrument);
        auto r = day_fx(inst.contract.currency);
        if (!r) return fail(r.error());
        now.emplace_back(pv.key, Held{pv.quantity, pv.mark, *r});
      }
      sort_unique_keep_last(now);
      auto mark_today = [&](const portfolio::PositionKey& k, double fallback) {
        if (const Held* h = find_held(now, k)) return h->mark;
        if (auto p = snap.view.price(k.instrument)) return *p;
        return fallback;
      };
      double attributed = 0.0;
      std::vector<portfolio::PositionKey> keys;
      keys.reserve(held.size() + trade_terms.size());
      for (const auto& [k, h] : held) keys.push_back(k);
      for (const auto& term : trade_terms) keys.push_back(term.key);
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (const auto& k : keys) {
        const config::Instrument& inst = universe.at(k.instrument);
        const double per_unit = inst.contract.price_unit.to_currency_units(1.0) * inst.contract.multiplier;
        auto r = day_fx(inst.contract.currency);
        if (!r) return fail(r.error());
        const double fx_t = *r;
        double pnl = 0.0;
        double fallback = 0.0;
        const Held* before = find_held(held, k);
        if (before != nullptr) fallback = before->mark;
        for (const auto& term : trade_terms) {
          if (term.key == k) fallback = term.price;
        }
        const double mark_t = mark_today(k, fallback);
        if (before != nullptr) {
          const Held& h = *before;
          pnl += is_future(inst) ? h.quantity * (mark_t - h.mark) * per_unit * fx_t
                                 : h.quantity * (mark_t * fx_t - h.mark * h.fx) * per_unit;
        }
        for (const auto& term : trade_terms) {
          if (!(term.key == k)) continue;
          pnl += term.quantity * (mark_t - term.price) * per_unit * fx_t - term.commission_usd;
        }
        row.sleeve_pnl_usd[sleeve_index(k.sleeve)] += pnl;
        attributed += pnl;
      }
      // Option hedges: change in model value plus today's premium flows, to crisis alpha.
      const double hedge_pnl = hedge_value - prev_hedge_value + hedge_cash_flow_usd;
      row.sleeve_pnl_usd[sleeve_index(config::Sleeve::kCrisisAlpha)] += hedge_pnl;
      attributed += hedge_pnl;
      prev_hedge_value = hedge_value;
      row.other_pnl_usd = day == 0 ? nav - options.initial_capital - attributed : nav - prev_nav - attributed;
      held = std::move(now);
    }

    // Benchmark legs in USD.
    auto leg = [&](const InstrumentId& id) -> std::optional<double> {
      auto p = snap.view.price(id);
      const config::Instrument* inst = universe.find(id);
      if (!p || inst == nullptr) return std::nullopt;
      auto r = day_fx(inst->contract.currency);
      if (!r) return std::nullopt;
      return inst->contract.price_unit.to_currency_units(*p) * *r;
    };
    row.us_leg_usd = leg(result.us_leg);
    row.eu_leg_usd = leg(result.eu_leg);

    prev_nav = nav;
    result.days.push_back(std::move(row));
    if (options.on_progress) options.on_progress(day + 1, dates.size());
  }
  if (!pending.empty()) {
    result.notes.push_back(fmt::format("{} orders decided on the last day {} were not executed (no next open)",
                                       pending.size(), result.to.iso()));
  }
  return result;
}

MetricsInput metrics_input(const BacktestResult& r) {
  MetricsInput in;
  in.dates.reserve(r.days.size());
  in.nav.reserve(r.days.size());
  for (const auto& d : r.days) {
    in.dates.push_back(d.date);
    in.nav.push_back(d.nav_usd);
  }
  // Legs: daily returns of the core instruments in USD; a day without a price on either side
  // counts as 0 (the leg did not move as far as the backtest could see).
  auto leg_returns = [&](auto get) {
    std::vector<double> out;
    for (std::size_t i = 1; i < r.days.size(); ++i) {
      auto a = get(r.days[i - 1]);
      auto b = get(r.days[i]);
      out.push_back(a && b && *a > 0 ? *b / *a - 1.0 : 0.0);
    }
    return out;
  };
  const bool have_us = std::any_of(r.days.begin(), r.days.end(), [](const auto& d) { return d.us_leg_usd.has_value(); });
  const bool have_eu = std::any_of(r.days.begin(), r.days.end(), [](const auto& d) { return d.eu_leg_usd.has_value(); });
  if (have_us) in.us_leg_returns = leg_returns([](const BacktestDay& d) { return d.us_leg_usd; });
  if (have_eu) in.eu_leg_returns = leg_returns([](const BacktestDay& d) { return d.eu_leg_usd; });
  // Sleeves: P&L over the previous NAV (contribution) and over the sleeve's capital.
  for (std::size_t s = 0; s <= kSleeveCount; ++s) {
    SleeveSeries series;
    series.name = s < kSleeveCount ? std::string(config::to_string(config::kAllSleeves[s])) : "cash_fx_financing";
    const double weight = s < kSleeveCount ? r.sleeve_weights[s] : 1.0;
    for (std::size_t i = 1; i < r.days.size(); ++i) {
      const double pnl = s < kSleeveCount ? r.days[i].sleeve_pnl_usd[s] : r.days[i].other_pnl_usd;
      const double nav_prev = r.days[i - 1].nav_usd;
      series.contributions.push_back(pnl / nav_prev);
      series.returns.push_back(weight > 0 ? pnl / (nav_prev * weight) : 0.0);
    }
    in.sleeves.push_back(std::move(series));
  }
  for (const auto& e : r.executions) {
    if (!e.filled) continue;
    TradeRecord t;
    t.date = e.fill_date;
    t.instrument = e.order.instrument.str();
    t.notional = e.notional_usd;
    t.cost = e.commission_usd + e.slippage_usd;
    t.hedge_premium = e.hedge_premium;
    in.trades.push_back(std::move(t));
  }
  return in;
}

Result<PerformanceMetrics> backtest_metrics(const BacktestResult& r, double risk_free_rate) {
  MetricsInput in = metrics_input(r);
  return compute_metrics(in, MetricsConventions{252, risk_free_rate});
}

}  // namespace af::backtest
