#include "execution/daily_decision.hpp"

#include <cmath>
#include <map>
#include <set>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace af::execution {

risk::RiskParams risk_params_from(const config::Settings& s) {
  risk::RiskParams p;
  p.vol_target_annual = s.vol_target_annual;
  p.gross_leverage_max = s.gross_leverage_max;
  p.net_leverage_max = s.net_leverage_max;
  p.emergency_drawdown_pct = s.max_drawdown_pct;
  p.emergency_scaling = s.risk.emergency_scaling;
  p.high_vix_warning = s.risk.regime.vix_warning_level;
  p.increase_hedges_vix = s.risk.regime.vix_increase_hedges;
  const auto& v = s.risk.vol_estimator;
  p.vol.method = v.method == config::VolEstimator::kEwma ? risk::VolMethod::kEwma : risk::VolMethod::kOriginalShortLong;
  p.vol.short_window_days = v.short_window_days;
  p.vol.long_window_days = v.long_window_days;
  p.vol.vol_switch_ratio = v.switch_ratio;
  p.vol.min_observations = v.min_observations;
  p.vol.ewma_lambda = v.ewma_lambda;
  p.vol.burn_in_observations = v.prior_days;
  p.vol.prior_vol_annual = v.prior_vol_annual;
  p.vol.floor_vol_annual = v.floor_vol_annual;
  p.vol.cap_vol_annual = v.cap_vol_annual;
  // Config thresholds are signed drawdowns (-0.05); the risk module takes magnitudes.
  p.regime.crisis_vix = s.crisis.vix_threshold;
  p.regime.elevated_vix = s.risk.regime.vix_elevated;
  p.regime.recovery_vix_max = s.risk.regime.vix_recovery_max;
  p.regime.crisis_drawdown_pct = s.max_drawdown_pct;
  p.regime.elevated_drawdown_pct = std::abs(s.risk.regime.drawdown_elevated_pct);
  p.regime.normal_drawdown_pct = std::abs(s.risk.regime.drawdown_normal_pct);
  p.momentum.short_window_days = s.momentum.short_window_days;
  p.momentum.long_window_days = s.momentum.long_window_days;
  p.momentum.slope_lookback_days = s.momentum.slope_lookback_days;
  p.reduction.crisis_factor = s.risk.crisis_reduce_factor;
  p.reduction.momentum_floor = s.momentum.regime_reduce_factor;
  p.reduction.elevated_factor = s.risk.elevated_reduce_factor;
  p.reduction.elevated_momentum_threshold = s.risk.elevated_momentum_threshold;
  return p;
}

namespace {

// Caps every target line so that the instrument's total target stays within its type's position
// limit (fraction of NAV). Lines of one instrument are cut pro rata.
void cap_position_limits(const config::Config& cfg, const strategy::MarketView& market, double nav_usd,
                         strategy::StrategyOutput& out, std::vector<TargetAdjustment>& adjustments) {
  // Per-instrument totals indexed by the universe's id rank: one id lookup per line, the sums in
  // line order as before.
  std::vector<double> total_usd(cfg.instruments.size(), 0.0);
  std::vector<const config::Instrument*> line_instrument;
  for (const auto& s : out.sleeves) {
    for (const auto& l : s.lines) {
      const config::Instrument& inst = cfg.instruments.at(l.instrument);
      line_instrument.push_back(&inst);
      total_usd[cfg.instruments.id_rank(inst)] += l.notional_usd;
    }
  }
  std::size_t line_index = 0;
  for (auto& s : out.sleeves) {
    for (auto& l : s.lines) {
      const config::Instrument& inst = *line_instrument[line_index++];
      auto pct = inst.position_limit_pct_nav(cfg.settings.risk.position_limits);
      if (!pct) continue;
      const double limit = *pct * nav_usd;
      const double total = std::abs(total_usd[cfg.instruments.id_rank(inst)]);
      if (total <= limit) continue;
      // This line's share of the limit, re-sized with the strategy's own sizing rule.
      const double allowed_usd = limit * (l.notional_usd / total);
      const Quantity before = l.quantity;
      auto q = strategy::quantity_for_notional(inst, allowed_usd, l.price, market);
      l.quantity = q ? *q : 0.0;
      auto n = strategy::notional_usd(inst, l.quantity, l.price, market);
      l.notional_usd = n ? *n : 0.0;
      adjustments.push_back({l.instrument, l.sleeve, before, l.quantity,
                             fmt::format(FMT_COMPILE("position limit {:.0f}% of NAV for its type: {:.0f} USD target above {:.0f} USD"),
                                         *pct * 100, total, limit)});
    }
  }
}

// Scales lines to the leverage-adjusted exposures (per instrument factor), truncating to lots.
void apply_leverage(const config::Config& cfg, const strategy::MarketView& market,
                    const risk::LeverageAdjustment& lev, const std::map<InstrumentId, double>& before,
                    strategy::StrategyOutput& out, std::vector<TargetAdjustment>& adjustments) {
  for (auto& s : out.sleeves) {
    for (auto& l : s.lines) {
      const double b = before.at(l.instrument);
      const double a = lev.exposures_usd.at(l.instrument);
      if (b == 0.0 || a == b) continue;
      const config::Instrument& inst = cfg.instruments.at(l.instrument);
      const double lot = inst.contract.lot_size > 0 ? inst.contract.lot_size : 1.0;
      const Quantity q0 = l.quantity;
      l.quantity = std::trunc(l.quantity * (a / b) / lot) * lot + 0.0;
      auto n = strategy::notional_usd(inst, l.quantity, l.price, market);
      l.notional_usd = n ? *n : 0.0;
      adjustments.push_back({l.instrument, l.sleeve, q0, l.quantity, "gross/net leverage limit on the target book"});
    }
  }
}

}  // namespace

Result<DailyDecision> decide_day(const portfolio::Portfolio& held, const DecisionInputs& in) {
  AF_CHECK(in.config != nullptr && in.market != nullptr && in.market->fx != nullptr, "decide_day: missing inputs");
  const config::Config& cfg = *in.config;
  const strategy::MarketView& market = *in.market;
  DailyDecision d;
  d.as_of = market.as_of;

  // The working hedge book: the caller's active hedges (with the hedge budget), which the
  // tail-hedge steps below change; every step reads active hedges only. The positions are read
  // from a working copy whose marks today's valuation refreshes, or in place when the caller
  // has valued its book already. The NAV history is only read, from the caller's book (copying
  // it would cost O(days) per day).
  portfolio::Portfolio working;
  working.hedges() = held.hedges().active_only();
  portfolio::HedgeBook& hedges = working.hedges();
  const portfolio::Portfolio& book = in.valuation != nullptr ? held : working;
  const std::map<Date, double>& nav_history = held.nav_history();

  // 1. Valuation, with the option hedges marked at today's model value.
  strategy::HedgePricingInputs pricing;
  pricing.risk_free_rate = cfg.settings.backtest.risk_free_rate;
  if (in.valuation != nullptr) {
    AF_CHECK(in.valuation->as_of == market.as_of, "decide_day: the caller's valuation is for another day");
    d.valuation = *in.valuation;
  } else {
    for (const auto& [key, position] : held.positions()) working.set_position(position);
    working.replace_cash(held.cash());
    strategy::mark_hedges(hedges, market, cfg, pricing);
    AF_ASSIGN_OR_RETURN(d.valuation, working.value(market.as_of, market.prices, cfg.instruments, *market.fx));
  }
  const double nav = d.valuation.nav_usd;
  if (!(nav > 0)) {
    return Error{ErrorCode::kRefused, fmt::format("NAV on {} is {:.2f} USD (not positive): no targets can be sized; "
                                                  "check cash and positions", market.as_of.iso(), nav)};
  }
  // History before as_of (the map is ordered by date), then today's NAV.
  d.nav_history_usd.reserve(nav_history.size() + 1);
  if (!in.nav_history_usd.empty()) {
    AF_CHECK(in.nav_history_usd.size() == nav_history.size() && nav_history.rbegin()->first < market.as_of &&
                 in.nav_history_usd.back() == nav_history.rbegin()->second,
             "decide_day: nav_history_usd must be the book's NAV history, all before as_of");
    d.nav_history_usd.assign(in.nav_history_usd.begin(), in.nav_history_usd.end());
  } else {
    for (auto it = nav_history.begin(), end = nav_history.lower_bound(market.as_of); it != end; ++it) {
      d.nav_history_usd.push_back(it->second);
    }
  }
  if (!d.nav_history_usd.empty()) d.today_return = nav / d.nav_history_usd.back() - 1.0;
  d.nav_history_usd.push_back(nav);
  // Independent divisions into a sized array (the compiler vectorises them).
  std::vector<double> returns(d.nav_history_usd.size() - 1);
  {
    const double* navs = d.nav_history_usd.data();
    for (std::size_t i = 0; i < returns.size(); ++i) returns[i] = navs[i + 1] / navs[i] - 1.0;
  }

  // 2. Risk.
  risk::RiskInputs ri;
  ri.daily_returns = returns;
  ri.nav_history_usd = d.nav_history_usd;
  if (market.vix) ri.vix = risk::VixReading{*market.vix, market.vix_is_proxy};
  ri.us_eu_ratio = in.us_eu_ratio;
  ri.current_gross_exposure_usd = d.valuation.gross_exposure_usd;
  ri.nav_usd = nav;
  d.risk = risk::evaluate_risk(ri, risk_params_from(cfg.settings));

  // 3. Targets.
  strategy::StrategyInputs si;
  si.nav_usd = nav;
  si.scaling = d.risk.scaling;
  si.stressed_regime = d.risk.regime.regime == risk::Regime::kElevated || d.risk.regime.regime == risk::Regime::kCrisis;
  si.market = &market;
  si.fundamentals = in.fundamentals;
  si.screen = in.screen;
  d.strategy = strategy::compute_targets(cfg, si);

  // 4. Limits on the final target book: per-type position limits, then gross/net leverage.
  cap_position_limits(cfg, market, nav, d.strategy, d.limit_adjustments);
  std::map<InstrumentId, double> exposures;
  for (const auto& s : d.strategy.sleeves) {
    for (const auto& l : s.lines) exposures[l.instrument] += l.notional_usd;
  }
  AF_ASSIGN_OR_RETURN(d.leverage, risk::enforce_leverage_limits(
                                      exposures, nav, {cfg.settings.gross_leverage_max, cfg.settings.net_leverage_max}));
  if (d.leverage.changed()) apply_leverage(cfg, market, d.leverage, exposures, d.strategy, d.limit_adjustments);

  // 5. Tail hedges and the crisis playbook (today's return: original defect 19).
  strategy::TailHedgeInputs th;
  th.as_of = market.as_of;
  th.nav_usd = nav;
  th.nav_at_year_start_usd = strategy::nav_at_year_start(nav_history, market.as_of, nav);
  th.increase_hedges = d.risk.increase_hedges;
  th.pricing = pricing;
  d.hedge_summary = strategy::hedge_summary(hedges);
  d.hedges = strategy::ensure_tail_hedges(hedges, market, cfg, th);
  th.pending_premium_usd = d.hedges.planned_buy_premium_usd;
  d.crisis = strategy::run_crisis_playbook(hedges, market, cfg, th, d.today_return.value_or(0.0));
  // A hedge the roll step already closes today is not also sold by the playbook.
  std::set<std::string> closing;
  for (const auto& h : d.hedges.orders) {
    if (!strategy::opens(h.kind)) closing.insert(h.hedge.hedge_id);
  }
  std::erase_if(d.crisis.orders, [&](const strategy::HedgeOrder& h) {
    return !strategy::opens(h.kind) && closing.count(h.hedge.hedge_id) != 0;
  });

  // 6. Orders.
  PlanInputs pi;
  pi.trading_date = market.as_of;
  pi.session = in.session;
  pi.nav_usd = nav;
  pi.turnover_used_today_usd = in.turnover_used_today_usd;
  pi.locked = in.locked;
  // The planner reads each target's instrument, sleeve and quantity: the lines are copied without
  // their reason texts (kept in d.strategy), saving a string allocation per line.
  for (const auto& s : d.strategy.sleeves) {
    for (const auto& l : s.lines) {
      pi.targets.push_back({l.instrument, l.sleeve, l.quantity, l.price, l.notional_usd, l.intended_usd, {}});
    }
  }
  auto add_hedge_orders = [&](const std::vector<strategy::HedgeOrder>& orders) {
    for (const auto& h : orders) {
      ExtraOrder e;
      e.instrument = h.hedge.instrument;
      e.sleeve = config::Sleeve::kCrisisAlpha;
      e.quantity = h.side == strategy::HedgeOrderSide::kBuy ? h.quantity : -h.quantity;
      e.reference_price = h.model_price;
      if (h.hedge.expiry && h.hedge.strike && h.hedge.right) {
        e.option = OptionContractSpec{h.hedge.underlying, *h.hedge.expiry, *h.hedge.strike, *h.hedge.right};
      }
      e.leg = std::string(strategy::to_string(h.kind));
      e.reason = fmt::format(FMT_COMPILE("{} {}: {}"), strategy::to_string(h.kind), portfolio::to_string(h.hedge.type), h.reason);
      pi.extra.push_back(std::move(e));
    }
  };
  add_hedge_orders(d.hedges.orders);
  add_hedge_orders(d.crisis.orders);
  d.plan = plan_orders(cfg, book, market, pi);
  return d;
}

}  // namespace af::execution
