#include "strategy/tail_hedge.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/compile.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/check.hpp"

namespace af::strategy {

using config::OptionRight;
using portfolio::Hedge;
using portfolio::HedgeBook;

// --- small helpers ------------------------------------------------------------------------

double nav_at_year_start(const std::map<Date, double>& nav_history, Date as_of, double nav_today) {
  const Date jan1(as_of.year(), 1, 1);
  auto it = nav_history.lower_bound(jan1);  // first entry on/after 1 January
  if (it != nav_history.begin()) return std::prev(it)->second;
  if (it != nav_history.end() && it->first <= as_of) return it->second;
  return nav_today;
}

double todays_return(double nav_today_usd, double nav_yesterday_usd) {
  return nav_yesterday_usd > 0 ? nav_today_usd / nav_yesterday_usd - 1.0 : 0.0;
}

std::string_view to_string(PriceSource s) noexcept {
  switch (s) {
    case PriceSource::kBlackScholesImplied: return "black_scholes_implied_vol";
    case PriceSource::kBlackScholesRealized: return "black_scholes_realized_vol";
    case PriceSource::kEstimateFallback: return "premium_estimate_fallback";
    case PriceSource::kMarginEstimate: return "margin_estimate";
    case PriceSource::kBookMark: return "book_mark";
    case PriceSource::kIntrinsic: return "intrinsic";
  }
  return "unknown";
}
std::string_view to_string(HedgeOrderSide s) noexcept { return s == HedgeOrderSide::kBuy ? "BUY" : "SELL"; }
std::string_view to_string(HedgeOrderKind k) noexcept {
  switch (k) {
    case HedgeOrderKind::kOpen: return "open";
    case HedgeOrderKind::kRollClose: return "roll_close";
    case HedgeOrderKind::kRollOpen: return "roll_open";
    case HedgeOrderKind::kCrisisOpen: return "crisis_open";
    case HedgeOrderKind::kRealize: return "realize";
  }
  return "unknown";
}
bool opens(HedgeOrderKind k) noexcept {
  return k == HedgeOrderKind::kOpen || k == HedgeOrderKind::kRollOpen || k == HedgeOrderKind::kCrisisOpen;
}
std::string_view to_string(CrisisActionType t) noexcept {
  switch (t) {
    case CrisisActionType::kNone: return "none";
    case CrisisActionType::kRealizeHedges: return "realize_hedges";
    case CrisisActionType::kIncreaseHedges: return "increase_hedges";
  }
  return "unknown";
}
std::string_view to_string(RebalanceInstruction r) noexcept {
  switch (r) {
    case RebalanceInstruction::kHold: return "hold";
    case RebalanceInstruction::kIncreaseCoreExposure: return "increase_core_exposure";
    case RebalanceInstruction::kReduceExposure: return "reduce_exposure";
  }
  return "unknown";
}

namespace {

const std::vector<config::WeightedInstrument>* option_lines(const config::TailHedgeSettings& s,
                                                            HedgeType type) {
  switch (type) {
    case HedgeType::kEquityPut: return &s.equity_puts;
    case HedgeType::kVixCall: return &s.vix_calls;
    case HedgeType::kCreditPut: return &s.credit_puts;
    case HedgeType::kBankPut: return &s.bank_puts;
    case HedgeType::kSovereignSpread: return nullptr;
  }
  return nullptr;
}

double allocation(const config::HedgeAllocation& a, HedgeType type) {
  switch (type) {
    case HedgeType::kEquityPut: return a.equity_puts;
    case HedgeType::kVixCall: return a.vix_calls;
    case HedgeType::kCreditPut: return a.credit_puts;
    case HedgeType::kSovereignSpread: return a.sovereign_spread;
    case HedgeType::kBankPut: return a.bank_puts;
  }
  return 0.0;
}

// Original §3.6.2 premium estimate per unit of underlying, in the option's currency.
double premium_estimate(const config::PremiumEstimates& e, HedgeType type, double spot) {
  switch (type) {
    case HedgeType::kEquityPut: return spot * e.equity_put_pct_of_spot;
    case HedgeType::kCreditPut: return spot * e.credit_put_pct_of_spot;
    case HedgeType::kBankPut: return spot * e.bank_put_pct_of_spot;
    case HedgeType::kVixCall: return e.vix_call_usd;
    case HedgeType::kSovereignSpread: return 0.0;
  }
  return 0.0;
}

// Spot of an option's underlying: its usable price; for the VIX index the MarketView's VIX
// reading when the index has no price of its own (the same index, not a guess). Never when the
// underlying's data failed a check.
std::optional<double> underlying_spot(const MarketView& market, const config::Instrument& underlying) {
  if (market.unusable.count(underlying.id)) return std::nullopt;
  if (auto p = market.price(underlying.id)) return p;
  if (underlying.contract.symbol == "VIX" && market.vix && !market.vix_is_proxy && *market.vix > 0) {
    return market.vix;
  }
  return std::nullopt;
}

Result<double> usd_per_unit(const MarketView& market, Currency c, Date as_of) {
  if (c == Currency::USD) return 1.0;
  if (market.fx == nullptr) {
    return Error{ErrorCode::kInternal, "MarketView.fx is not set: cannot convert option premiums to USD"};
  }
  if (as_of == market.as_of) return market.usd_per_unit(c);
  auto r = market.fx->rate(c, as_of);
  if (!r) return r.error();
  return r->value;
}

struct VolChoice {
  std::optional<double> vol;
  PriceSource source = PriceSource::kEstimateFallback;
};

VolChoice choose_vol(const MarketView& market, const HedgePricingInputs& pricing,
                     const InstrumentId& option, const InstrumentId& underlying) {
  for (const InstrumentId* id : {&option, &underlying}) {
    if (auto it = pricing.implied_vols.find(*id); it != pricing.implied_vols.end() && it->second > 0) {
      return {it->second, PriceSource::kBlackScholesImplied};
    }
  }
  if (auto it = market.closes.find(underlying); it != market.closes.end()) {
    if (auto v = realized_vol_annual(it->second, pricing.realized_vol_window_days,
                                     pricing.realized_vol_min_returns)) {
      if (*v > 0) return {*v, PriceSource::kBlackScholesRealized};
    }
  }
  return {};
}

double years_between(Date from, Date to) { return from.days_until(to) / 365.0; }

// Limit price on the tick grid: buys round up, sells down; never below one tick (a listed
// contract has no zero limit).
double round_to_tick(double price, double tick, bool up) {
  if (!(tick > 0)) return price;
  const double n = price / tick;
  const double r = up ? std::ceil(n - 1e-9) : std::floor(n + 1e-9);
  return std::max(tick, r * tick);
}

struct Ctx {
  const MarketView& market;
  const config::Config& config;
  const TailHedgeInputs& in;
  std::vector<HedgeSkip>& skipped;
};

void skip(Ctx& ctx, HedgeType type, const InstrumentId& id, std::string code, std::string reason) {
  ctx.skipped.push_back({type, id, std::move(code), std::move(reason)});
}

// A new contract on one option line, priced for sizing.
struct Priced {
  OptionContract contract;
  double unit_price = 0.0;        // per unit of underlying, option currency (>= one tick)
  double per_contract_usd = 0.0;  // unit_price x multiplier x FX
  PriceSource source = PriceSource::kEstimateFallback;
  std::optional<double> vol;
  double spot = 0.0;
};

Result<Priced> price_new_contract(Ctx& ctx, HedgeType type, const config::Instrument& line) {
  const auto& settings = ctx.config.settings.tail_hedge;
  const Date as_of = ctx.in.as_of;
  if (auto it = ctx.market.unusable.find(line.id); it != ctx.market.unusable.end()) {
    return Error{ErrorCode::kDataQuality, fmt::format(FMT_COMPILE("option line '{}': {}"), line.id.str(), it->second)};
  }
  if (!line.option) {
    return Error{ErrorCode::kConfig, fmt::format(FMT_COMPILE("instrument '{}' is not an option line"), line.id.str())};
  }
  const config::Instrument* under = ctx.config.instruments.find(line.option->underlying);
  if (under == nullptr) {
    return Error{ErrorCode::kConfig, fmt::format(FMT_COMPILE("option line '{}': underlying '{}' is not in instruments.yaml"),
                                                 line.id.str(), line.option->underlying.str())};
  }
  const auto spot = underlying_spot(ctx.market, *under);
  if (!spot) {
    return Error{ErrorCode::kDataQuality,
                 fmt::format(FMT_COMPILE("underlying '{}' of '{}' is not usable: {} (no price guessed)"),
                             under->id.str(), line.id.str(), ctx.market.why_unusable(under->id))};
  }
  StrikeRule rule;
  if (type == HedgeType::kVixCall) {
    rule.spot_multiple = settings.vix_call_strike_multiple;
    rule.min_strike = settings.vix_call_min_strike;
  }
  auto contract = build_option_contract(ctx.config.instruments, line, *spot, as_of, rule,
                                        settings.roll_dte_days);
  if (!contract) return contract.error();
  auto fx = usd_per_unit(ctx.market, contract->currency, as_of);
  if (!fx) return fx.error().with_context(fmt::format(FMT_COMPILE("option line '{}'"), line.id.str()));

  Priced p;
  p.contract = *contract;
  p.spot = *spot;
  const VolChoice vc = choose_vol(ctx.market, ctx.in.pricing, line.id, under->id);
  if (vc.vol) {
    p.unit_price = black_scholes_price(contract->right, *spot, contract->strike,
                                       years_between(as_of, contract->expiry),
                                       ctx.in.pricing.risk_free_rate, *vc.vol);
    p.source = vc.source;
    p.vol = vc.vol;
  } else {
    p.unit_price = premium_estimate(settings.premium_estimates, type, *spot);
    p.source = PriceSource::kEstimateFallback;
  }
  // A listed option never trades below one tick: sizing on a near-zero model price would buy an
  // absurd number of contracts.
  p.unit_price = std::max(p.unit_price, line.contract.tick_size);
  p.per_contract_usd = p.unit_price * contract->multiplier * *fx;
  return p;
}

HedgeOrder make_buy(HedgeType type, const Priced& p, Quantity contracts, HedgeOrderKind kind,
                    double tick, Date as_of, std::string reason) {
  HedgeOrder o;
  o.hedge = make_option_hedge(type, p.contract, contracts, as_of);
  o.kind = kind;
  o.side = HedgeOrderSide::kBuy;
  o.quantity = contracts;
  o.model_price = p.unit_price;
  o.limit_price = round_to_tick(p.unit_price, tick, /*up=*/true);
  o.premium_usd = contracts * p.per_contract_usd;
  o.price_source = p.source;
  o.volatility = p.vol;
  o.reason = std::move(reason);
  if (p.source == PriceSource::kEstimateFallback) {
    o.reason += "; PREMIUM ESTIMATE FALLBACK (no volatility for the underlying)";
  }
  return o;
}

std::string describe(const Priced& p, Date as_of) {
  return fmt::format(FMT_COMPILE("{} {:g}{} exp {} ({} days; spot {:.4g}; {} {:.4f}/unit{})"), p.contract.instrument.str(),
                     p.contract.strike, config::to_string(p.contract.right), p.contract.expiry.iso(),
                     as_of.days_until(p.contract.expiry), p.spot, to_string(p.source), p.unit_price,
                     p.vol ? fmt::format(FMT_COMPILE(", vol {:.1f}%"), *p.vol * 100) : std::string{});
}

// Buys `budget_usd` of hedge type `type` (split over its lines). Returns the premium planned.
double buy_type(Ctx& ctx, HedgeType type, double budget_usd, HedgeOrderKind kind,
                const std::string& why, std::vector<HedgeOrder>& out) {
  const auto& settings = ctx.config.settings.tail_hedge;
  const Date as_of = ctx.in.as_of;
  double spent = 0.0;
  if (type == HedgeType::kSovereignSpread) {
    const double margin = settings.premium_estimates.sovereign_margin_per_pair_usd;
    const double pairs = std::floor(budget_usd / margin);
    if (pairs < 1) {
      skip(ctx, type, settings.sovereign_short, "rounds_to_zero",
           fmt::format(FMT_COMPILE("sovereign spread: budget {:.2f} USD < margin {:.0f} USD per OAT/Bund pair"), budget_usd, margin));
      return 0.0;
    }
    const InstrumentId* legs[] = {&settings.sovereign_short, &settings.sovereign_long};
    std::optional<double> prices[2];
    for (int i = 0; i < 2; ++i) {
      const config::Instrument* inst = ctx.config.instruments.find(*legs[i]);
      prices[i] = inst ? ctx.market.price(*legs[i]) : std::nullopt;
      if (!prices[i]) {
        skip(ctx, type, *legs[i], inst ? "unusable_data" : "config",
             inst ? fmt::format(FMT_COMPILE("sovereign spread leg '{}': {} (pair not traded)"), legs[i]->str(),
                                ctx.market.why_unusable(*legs[i]))
                  : fmt::format(FMT_COMPILE("sovereign spread leg '{}' is not in instruments.yaml"), legs[i]->str()));
        return 0.0;
      }
    }
    for (int i = 0; i < 2; ++i) {
      const bool is_short = i == 0;
      const config::Instrument& inst = ctx.config.instruments.at(*legs[i]);
      HedgeOrder o;
      o.hedge.hedge_id = fmt::format(FMT_COMPILE("{}:{}:front:{}"), to_string(type), legs[i]->str(), is_short ? "short" : "long");
      o.hedge.type = type;
      o.hedge.instrument = *legs[i];
      o.hedge.quantity = is_short ? -pairs : pairs;
      o.hedge.opened = as_of;
      o.kind = kind;
      o.side = is_short ? HedgeOrderSide::kSell : HedgeOrderSide::kBuy;
      o.quantity = pairs;
      o.model_price = *prices[i];
      o.limit_price = round_to_tick(*prices[i], inst.contract.tick_size, !is_short);
      o.premium_usd = pairs * margin / 2.0;  // half the pair's margin charged per leg
      o.price_source = PriceSource::kMarginEstimate;
      o.reason = fmt::format(FMT_COMPILE("{}: sovereign spread {} {:.0f} {} (margin estimate {:.0f} USD per pair)"), why,
                             is_short ? "sell" : "buy", pairs, legs[i]->str(), margin);
      spent += o.premium_usd;
      out.push_back(std::move(o));
    }
    return spent;
  }

  const auto* lines = option_lines(settings, type);
  AF_CHECK(lines != nullptr, "buy_type: option type without lines");
  if (lines->empty()) {
    skip(ctx, type, InstrumentId{}, "config", fmt::format(FMT_COMPILE("no option lines configured for {}"), to_string(type)));
    return 0.0;
  }
  for (const auto& line_w : *lines) {
    const double line_budget = budget_usd * line_w.weight;
    const config::Instrument* line = ctx.config.instruments.find(line_w.id);
    if (line == nullptr) {
      skip(ctx, type, line_w.id, "config", fmt::format(FMT_COMPILE("option line '{}' is not in instruments.yaml"), line_w.id.str()));
      continue;
    }
    auto priced = price_new_contract(ctx, type, *line);
    if (!priced) {
      skip(ctx, type, line_w.id,
           priced.error().code == ErrorCode::kDataQuality ? "unusable_data" : "config",
           priced.error().message);
      continue;
    }
    const double contracts = std::floor(line_budget / priced->per_contract_usd);
    if (contracts < 1) {
      skip(ctx, type, line_w.id, "rounds_to_zero",
           fmt::format(FMT_COMPILE("{}: budget {:.2f} USD < one contract {:.2f} USD"), describe(*priced, as_of), line_budget,
                       priced->per_contract_usd));
      continue;
    }
    HedgeOrder o = make_buy(type, *priced, contracts, kind, line->contract.tick_size, as_of,
                            fmt::format(FMT_COMPILE("{}: buy {:.0f} {} for {:.2f} USD of {:.2f} budgeted"), why, contracts,
                                        describe(*priced, as_of), contracts * priced->per_contract_usd,
                                        line_budget));
    spent += o.premium_usd;
    out.push_back(std::move(o));
  }
  return spent;
}

// Model value per unit of an option hedge today; nullopt when it cannot be priced.
struct UnitValue {
  double unit_price = 0.0;  // option currency per unit of underlying
  double usd_per_contract = 0.0;
  PriceSource source = PriceSource::kBookMark;
  std::optional<double> vol;
};

Result<UnitValue> option_unit_value(const Hedge& h, const MarketView& market, const config::Config& config,
                                    const HedgePricingInputs& pricing) {
  if (!h.strike || !h.expiry || !h.right) {
    return Error{ErrorCode::kInvalidArgument, fmt::format(FMT_COMPILE("hedge '{}' is not an option"), h.hedge_id)};
  }
  const config::Instrument* line = config.instruments.find(h.instrument);
  const config::Instrument* under = config.instruments.find(h.underlying);
  if (line == nullptr || under == nullptr) {
    return Error{ErrorCode::kConfig, fmt::format("hedge '{}': instrument '{}' or underlying '{}' not in "
                                                 "instruments.yaml", h.hedge_id, h.instrument.str(), h.underlying.str())};
  }
  const auto spot = underlying_spot(market, *under);
  if (!spot) {
    return Error{ErrorCode::kDataQuality, fmt::format(FMT_COMPILE("hedge '{}': underlying '{}' not usable: {}"), h.hedge_id,
                                                      under->id.str(), market.why_unusable(under->id))};
  }
  auto fx = usd_per_unit(market, line->contract.currency, market.as_of);
  if (!fx) return fx.error();
  UnitValue v;
  const int dte = market.as_of.days_until(*h.expiry);
  if (dte <= 0) {
    v.unit_price = *h.right == OptionRight::kPut ? std::max(0.0, *h.strike - *spot) : std::max(0.0, *spot - *h.strike);
    v.source = PriceSource::kIntrinsic;
  } else {
    const VolChoice vc = choose_vol(market, pricing, h.instrument, h.underlying);
    if (!vc.vol) {
      return Error{ErrorCode::kDataQuality,
                   fmt::format(FMT_COMPILE("hedge '{}': no volatility for '{}' (too few closes, no implied vol)"), h.hedge_id,
                               h.underlying.str())};
    }
    v.unit_price = black_scholes_price(*h.right, *spot, *h.strike, dte / 365.0, pricing.risk_free_rate, *vc.vol);
    v.source = vc.source;
    v.vol = vc.vol;
  }
  v.usd_per_contract = v.unit_price * line->contract.multiplier * *fx;
  return v;
}

}  // namespace

// --- valuation ----------------------------------------------------------------------------

HedgeValue value_hedge(const Hedge& hedge, const MarketView& market, const config::Config& config,
                       const HedgePricingInputs& pricing) {
  if (hedge.strike && hedge.expiry && hedge.right) {
    auto v = option_unit_value(hedge, market, config, pricing);
    if (v) return {v->usd_per_contract * hedge.quantity, v->source, {}};
    return {hedge.current_value_usd, PriceSource::kBookMark,
            v.error().message + "; the book's last mark is used"};
  }
  return {hedge.current_value_usd, PriceSource::kBookMark, {}};
}

std::vector<std::string> mark_hedges(HedgeBook& book, const MarketView& market, const config::Config& config,
                                     const HedgePricingInputs& pricing) {
  std::vector<std::string> notes;
  for (const Hedge* h : book.active()) {
    const HedgeValue v = value_hedge(*h, market, config, pricing);
    if (!v.note.empty()) notes.push_back(v.note);
    if (v.source != PriceSource::kBookMark) book.mark(*h, v.value_usd);
  }
  return notes;
}

// --- ensure ---------------------------------------------------------------------------------

HedgePlan ensure_tail_hedges(HedgeBook& book, const MarketView& market, const config::Config& config,
                             const TailHedgeInputs& in) {
  const auto& settings = config.settings.tail_hedge;
  HedgePlan plan;
  plan.budget_reset = book.roll_budget_year(in.as_of, in.nav_at_year_start_usd,
                                            config.settings.hedge_budget_annual_pct,
                                            settings.realized_gain_recycle_fraction);
  plan.budget = book.budget();
  Ctx ctx{market, config, in, plan.skipped};

  const double remaining = plan.budget.remaining_usd();
  double available = std::max(0.0, remaining - in.pending_premium_usd);

  std::map<HedgeType, double> coverage;
  for (HedgeType t : portfolio::kAllHedgeTypes) coverage[t] = book.coverage_usd(t);

  // 1. Rolls: every active option hedge at <= roll_dte_days days to expiry.
  for (const Hedge* h : book.active()) {
    if (!h->expiry) continue;
    const int dte = in.as_of.days_until(*h->expiry);
    if (dte > settings.roll_dte_days) continue;
    const config::Instrument* line = config.instruments.find(h->instrument);
    if (line == nullptr) {
      skip(ctx, h->type, h->instrument, "config",
           fmt::format(FMT_COMPILE("hedge '{}': instrument not in instruments.yaml; cannot roll"), h->hedge_id));
      continue;
    }
    auto value = option_unit_value(*h, market, config, in.pricing);
    if (!value) {
      skip(ctx, h->type, h->instrument,
           value.error().code == ErrorCode::kDataQuality ? "unusable_data" : "config",
           fmt::format(FMT_COMPILE("roll of '{}' deferred: {}"), h->hedge_id, value.error().message));
      continue;
    }
    HedgeOrder close;
    close.hedge = *h;
    close.hedge.quantity = -h->quantity;
    close.kind = HedgeOrderKind::kRollClose;
    close.side = h->quantity > 0 ? HedgeOrderSide::kSell : HedgeOrderSide::kBuy;
    close.quantity = std::abs(h->quantity);
    close.model_price = value->unit_price;
    close.limit_price = round_to_tick(value->unit_price, line->contract.tick_size, close.side == HedgeOrderSide::kBuy);
    close.premium_usd = close.quantity * value->usd_per_contract;
    close.price_source = value->source;
    close.volatility = value->vol;
    close.reason = fmt::format(FMT_COMPILE("roll: '{}' has {} days to expiry (<= {}); close {:.0f} at model {:.4f}/unit"),
                               h->hedge_id, dte, settings.roll_dte_days, close.quantity, value->unit_price);
    plan.orders.push_back(close);
    coverage[h->type] -= h->premium_paid_usd;
    // A replacement was already bought on an earlier day (the close did not go through then):
    // retry the close only, never buy a second replacement.
    if (h->replaced) continue;

    // The replacement: a new contract (expiry from today's tenor, strike from today's spot) that
    // re-spends the old premium, within the budget left.
    auto priced = price_new_contract(ctx, h->type, *line);
    if (!priced) {
      skip(ctx, h->type, h->instrument,
           priced.error().code == ErrorCode::kDataQuality ? "unusable_data" : "config",
           fmt::format(FMT_COMPILE("roll replacement for '{}': {}"), h->hedge_id, priced.error().message));
      continue;
    }
    const double roll_budget = std::min(h->premium_paid_usd, available);
    const double contracts = std::floor(roll_budget / priced->per_contract_usd);
    if (contracts < 1) {
      skip(ctx, h->type, h->instrument, roll_budget <= 0 ? "no_budget" : "rounds_to_zero",
           fmt::format(FMT_COMPILE("roll replacement for '{}': {:.2f} USD available < one contract {:.2f} USD"), h->hedge_id,
                       roll_budget, priced->per_contract_usd));
      continue;
    }
    HedgeOrder open = make_buy(h->type, *priced, contracts, HedgeOrderKind::kRollOpen, line->contract.tick_size,
                               in.as_of,
                               fmt::format(FMT_COMPILE("roll of '{}' into {:.0f} x {}"), h->hedge_id, contracts,
                                           describe(*priced, in.as_of)));
    open.replaces = h->hedge_id;
    available -= open.premium_usd;
    coverage[h->type] += open.premium_usd;
    plan.planned_buy_premium_usd += open.premium_usd;
    plan.orders.push_back(std::move(open));
  }

  // 2. Coverage gaps (original §3.6.1 step 4).
  plan.target_coverage_usd = settings.target_coverage_of_remaining * remaining;
  plan.coverage_usd = coverage;
  const double trigger = in.increase_hedges ? 1.0 : settings.gap_trigger_fraction;
  for (HedgeType t : portfolio::kAllHedgeTypes) {
    const double target = plan.target_coverage_usd * allocation(settings.allocation, t);
    plan.target_usd[t] = target;
    if (target <= 0 || coverage[t] >= trigger * target) continue;
    const double gap = std::min(target - coverage[t], available);
    if (gap <= 0) {
      skip(ctx, t, InstrumentId{}, "no_budget",
           fmt::format(FMT_COMPILE("{}: gap {:.2f} USD but no hedge budget left"), to_string(t), target - coverage[t]));
      continue;
    }
    const double spent =
        buy_type(ctx, t, gap, HedgeOrderKind::kOpen,
                 fmt::format(FMT_COMPILE("coverage gap {}: {:.2f} of target {:.2f} USD"), to_string(t), coverage[t], target),
                 plan.orders);
    available -= spent;
    plan.planned_buy_premium_usd += spent;
  }
  return plan;
}

// --- fills ----------------------------------------------------------------------------------

Status apply_hedge_fill(HedgeBook& book, const HedgeOrder& order, Quantity contracts, double cash_usd) {
  if (!(contracts > 0) || contracts > order.quantity + 1e-9) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format(FMT_COMPILE("hedge fill of {} contracts for order on '{}' of {} contracts"), contracts,
                             order.hedge.hedge_id, order.quantity)};
  }
  if (opens(order.kind)) {
    Hedge bought = order.hedge;
    bought.quantity = order.hedge.quantity >= 0 ? contracts : -contracts;
    book.record_purchase(bought, cash_usd);
    // The old hedge may already be closed (its close filled first): nothing left to mark then.
    if (order.kind == HedgeOrderKind::kRollOpen && !order.replaces.empty()) {
      if (const Hedge* old = book.find(order.replaces); old != nullptr && old->active) {
        return book.mark_replaced(order.replaces);
      }
    }
    return ok_status();
  }
  return book.record_sale(order.hedge.hedge_id, contracts, cash_usd);
}

Status apply_hedge_fills(HedgeBook& book, std::span<const HedgeOrder> orders) {
  for (const HedgeOrder& o : orders) {
    if (Status s = apply_hedge_fill(book, o, o.quantity, o.premium_usd); !s.ok()) return s;
  }
  return ok_status();
}

// --- crisis playbook ------------------------------------------------------------------------

CrisisAction run_crisis_playbook(const HedgeBook& book, const MarketView& market, const config::Config& config,
                                 const TailHedgeInputs& in, double todays_return) {
  const auto& crisis = config.settings.crisis;
  CrisisAction a;
  a.todays_return = todays_return;
  a.vix = market.vix;
  const bool spike = todays_return >= crisis.pnl_spike_threshold_pct;
  const bool vix_crisis = market.vix && *market.vix >= crisis.vix_threshold;

  if (spike) {
    a.type = CrisisActionType::kRealizeHedges;
    a.instruction = RebalanceInstruction::kIncreaseCoreExposure;
    a.urgency = "urgent";
    a.reason = fmt::format(FMT_COMPILE("today's return {:.2f}% >= {:.2f}%: realise {:.0f}% of every profitable hedge"),
                           todays_return * 100, crisis.pnl_spike_threshold_pct * 100,
                           crisis.crisis_redeploy_fraction * 100);
    for (const Hedge* h : book.active()) {
      const HedgeValue v = value_hedge(*h, market, config, in.pricing);
      const double pnl = v.value_usd - h->premium_paid_usd;
      if (!(pnl > 0)) continue;
      const double held = std::abs(h->quantity);
      const double sell = std::floor(held * crisis.crisis_redeploy_fraction);
      if (sell < 1) {
        a.skipped.push_back({h->type, h->instrument, "rounds_to_zero",
                             fmt::format(FMT_COMPILE("'{}': {:.0f} x {:.0f}% rounds to zero contracts"), h->hedge_id, held,
                                         crisis.crisis_redeploy_fraction * 100)});
        continue;
      }
      const config::Instrument* line = config.instruments.find(h->instrument);
      const double per_contract_usd = v.value_usd / h->quantity;  // sign-free: value and q share sign
      HedgeOrder o;
      o.hedge = *h;
      o.hedge.quantity = h->quantity > 0 ? -sell : sell;
      o.kind = HedgeOrderKind::kRealize;
      o.side = h->quantity > 0 ? HedgeOrderSide::kSell : HedgeOrderSide::kBuy;
      o.quantity = sell;
      o.premium_usd = std::abs(per_contract_usd) * sell;
      o.price_source = v.source;
      if (line != nullptr && h->strike) {
        auto fx = usd_per_unit(market, line->contract.currency, market.as_of);
        const double denom = line->contract.multiplier * (fx ? *fx : 1.0);
        o.model_price = denom > 0 ? std::abs(per_contract_usd) / denom : 0.0;
        o.limit_price = round_to_tick(o.model_price, line->contract.tick_size, o.side == HedgeOrderSide::kBuy);
      } else if (auto p = market.price(h->instrument)) {
        o.model_price = *p;
        o.limit_price = line ? round_to_tick(*p, line->contract.tick_size, o.side == HedgeOrderSide::kBuy) : *p;
      }
      const double gain = o.premium_usd - h->premium_paid_usd * sell / held;
      a.expected_realized_gain_usd += gain;
      o.reason = fmt::format("P&L spike: realise {:.0f} of {:.0f} '{}' (P&L {:.2f} USD; expected gain {:.2f} USD, "
                             "{:.0f}% recycled into the hedge budget)",
                             sell, held, h->hedge_id, pnl, gain, book.budget().recycle_fraction * 100);
      a.orders.push_back(std::move(o));
    }
    if (a.orders.empty()) a.reason += "; no profitable hedge to realise";
    return a;
  }

  if (vix_crisis) {
    a.type = CrisisActionType::kIncreaseHedges;
    a.instruction = RebalanceInstruction::kReduceExposure;
    a.urgency = "immediate";
    const double remaining = std::max(0.0, book.budget().remaining_usd() - in.pending_premium_usd);
    a.reason = fmt::format(FMT_COMPILE("VIX {:.2f} >= {:.2f}{}"), *market.vix, crisis.vix_threshold,
                           market.vix_is_proxy ? " (VIX is a realized-vol proxy)" : "");
    if (remaining <= 0) {
      a.reason += "; no hedge budget left: no hedge purchase";
      return a;
    }
    const double crisis_budget = crisis.crisis_budget_fraction * remaining;
    a.reason += fmt::format(FMT_COMPILE(": spend {:.0f}% of the remaining budget ({:.2f} of {:.2f} USD), {:.0f}% VIX calls"),
                            crisis.crisis_budget_fraction * 100, crisis_budget, remaining,
                            crisis.crisis_vix_call_share * 100);
    Ctx ctx{market, config, in, a.skipped};
    buy_type(ctx, HedgeType::kVixCall, crisis_budget * crisis.crisis_vix_call_share, HedgeOrderKind::kCrisisOpen,
             "VIX crisis", a.orders);
    buy_type(ctx, HedgeType::kEquityPut, crisis_budget * (1.0 - crisis.crisis_vix_call_share),
             HedgeOrderKind::kCrisisOpen, "VIX crisis", a.orders);
    return a;
  }

  a.reason = fmt::format(FMT_COMPILE("today's return {:.2f}% < {:.2f}% and {}"), todays_return * 100,
                         crisis.pnl_spike_threshold_pct * 100,
                         market.vix ? fmt::format(FMT_COMPILE("VIX {:.2f} < {:.2f}"), *market.vix, crisis.vix_threshold)
                                    : std::string("VIX unavailable"));
  return a;
}

// --- summary --------------------------------------------------------------------------------

HedgeSummary hedge_summary(const HedgeBook& book) {
  HedgeSummary s;
  for (HedgeType t : portfolio::kAllHedgeTypes) s.by_type.push_back({t, 0, 0.0, 0.0, 0.0});
  for (const Hedge* h : book.active()) {
    ++s.active_count;
    s.premium_usd += h->premium_paid_usd;
    s.value_usd += h->current_value_usd;
    s.pnl_usd += h->pnl_usd();
    for (auto& b : s.by_type) {
      if (b.type != h->type) continue;
      ++b.count;
      b.premium_usd += h->premium_paid_usd;
      b.value_usd += h->current_value_usd;
      b.pnl_usd += h->pnl_usd();
    }
  }
  s.budget = book.budget();
  s.budget_annual_usd = s.budget.total_usd();
  s.budget_used_usd = s.budget.used_ytd_usd;
  s.budget_remaining_usd = s.budget.remaining_usd();
  s.budget_usage = s.budget.usage();
  return s;
}

// --- JSON -----------------------------------------------------------------------------------

namespace {
nlohmann::json hedge_json(const Hedge& h) {
  nlohmann::json j{{"hedge_id", h.hedge_id},
                   {"type", to_string(h.type)},
                   {"instrument", h.instrument.str()},
                   {"quantity", h.quantity},
                   {"premium_paid_usd", h.premium_paid_usd},
                   {"current_value_usd", h.current_value_usd},
                   {"pnl_usd", h.pnl_usd()}};
  j["underlying"] = h.underlying.str().empty() ? nlohmann::json() : nlohmann::json(h.underlying.str());
  j["strike"] = h.strike ? nlohmann::json(*h.strike) : nlohmann::json();
  j["expiry"] = h.expiry ? nlohmann::json(h.expiry->iso()) : nlohmann::json();
  j["right"] = h.right ? nlohmann::json(config::to_string(*h.right)) : nlohmann::json();
  return j;
}
nlohmann::json skips_json(const std::vector<HedgeSkip>& skips) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& s : skips) {
    a.push_back({{"type", to_string(s.type)}, {"instrument", s.instrument.str()}, {"reason_code", s.reason_code},
                 {"reason", s.reason}});
  }
  return a;
}
nlohmann::json orders_json(const std::vector<HedgeOrder>& orders) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& o : orders) a.push_back(to_json(o));
  return a;
}
nlohmann::json budget_json(const portfolio::HedgeBudget& b) {
  return {{"year", b.year},
          {"annual_pct", b.annual_pct},
          {"nav_at_year_start_usd", b.nav_at_year_start_usd},
          {"annual_usd", b.total_usd()},
          {"used_ytd_usd", b.used_ytd_usd},
          {"realized_gains_ytd_usd", b.realized_gains_ytd_usd},
          {"recycle_fraction", b.recycle_fraction},
          {"remaining_usd", b.remaining_usd()},
          {"usage", b.usage()}};
}
}  // namespace

nlohmann::json to_json(const HedgeOrder& o) {
  nlohmann::json j{{"hedge", hedge_json(o.hedge)},
                   {"kind", to_string(o.kind)},
                   {"side", to_string(o.side)},
                   {"quantity", o.quantity},
                   {"model_price", o.model_price},
                   {"limit_price", o.limit_price},
                   {"premium_usd", o.premium_usd},
                   {"price_source", to_string(o.price_source)},
                   {"reason", o.reason}};
  j["volatility"] = o.volatility ? nlohmann::json(*o.volatility) : nlohmann::json();
  return j;
}

nlohmann::json to_json(const HedgePlan& p) {
  nlohmann::json cov = nlohmann::json::object();
  for (const auto& [t, v] : p.coverage_usd) {
    cov[std::string(to_string(t))] = {{"coverage_usd", v},
                                      {"target_usd", p.target_usd.count(t) ? p.target_usd.at(t) : 0.0}};
  }
  return {{"budget_reset", p.budget_reset},       {"budget", budget_json(p.budget)},
          {"target_coverage_usd", p.target_coverage_usd}, {"coverage", cov},
          {"planned_buy_premium_usd", p.planned_buy_premium_usd}, {"orders", orders_json(p.orders)},
          {"skipped", skips_json(p.skipped)}};
}

nlohmann::json to_json(const CrisisAction& a) {
  nlohmann::json j{{"action", to_string(a.type)},
                   {"rebalance_instruction", to_string(a.instruction)},
                   {"urgency", a.urgency},
                   {"reason", a.reason},
                   {"todays_return", a.todays_return},
                   {"expected_realized_gain_usd", a.expected_realized_gain_usd},
                   {"orders", orders_json(a.orders)},
                   {"skipped", skips_json(a.skipped)}};
  j["vix"] = a.vix ? nlohmann::json(*a.vix) : nlohmann::json();
  return j;
}

nlohmann::json to_json(const HedgeSummary& s) {
  nlohmann::json by = nlohmann::json::array();
  for (const auto& b : s.by_type) {
    by.push_back({{"type", to_string(b.type)}, {"count", b.count}, {"premium_usd", b.premium_usd},
                  {"value_usd", b.value_usd}, {"pnl_usd", b.pnl_usd}});
  }
  return {{"active_count", s.active_count}, {"premium_usd", s.premium_usd}, {"value_usd", s.value_usd},
          {"pnl_usd", s.pnl_usd},           {"by_type", by},               {"budget", budget_json(s.budget)}};
}

}  // namespace af::strategy
