// strategy/tail_hedge.hpp — the tail-hedge manager: budget, rolls, coverage gaps, crisis
// playbook and hedge summary (SYSTEM.md §4 Tail hedges; original §3.6 with §7 items 9, 10 and 19
// fixed).
//
// Daily use (pure; the caller owns the book and applies fills):
//   TailHedgeInputs in{as_of, nav_usd, nav_at_year_start(history, as_of, nav_usd),
//                      risk.increase_hedges, {risk_free_rate, implied_vols}};
//   HedgePlan plan = ensure_tail_hedges(book, market, config, in);   // rolls the budget year
//   ... submit plan.orders; on each fill: apply_hedge_fill(book, order, filled, cash_usd)
//   (backtest / plan: apply_hedge_fills(book, plan.orders) records them at the model premium)
//   CrisisAction crisis = run_crisis_playbook(book, market, config, in, todays_return(...));
//   HedgeSummary s = hedge_summary(book);
//
// Rules (original §3.6.1-§3.6.3, constants from [tail_hedge] and [crisis] settings):
//   * Budget year: on the first call in a new calendar year the budget resets (used and realised
//     gains to 0) with NAV at year start = the last NAV of the previous year.
//   * Roll: every active option hedge with days to expiry <= roll_dte_days (21) is closed and
//     replaced by a NEW contract (expiry nearest the tenor from today, strike from today's spot);
//     the replacement re-spends the old hedge's premium (capped by the budget left).
//   * Gaps: coverage(type) = premium paid of active hedges of the type (after rolls);
//     target(type) = target_coverage_of_remaining (0.8) x remaining budget x allocation(type)
//     (40/20/15/15/10); when coverage < gap_trigger_fraction (0.5) x target (1.0 when the risk
//     decision asks to increase hedges) the gap target - coverage is bought.
//   * Sizing: contracts = floor(line budget / (premium per unit x multiplier x FX)), the premium
//     from Black–Scholes (implied vol when supplied, else realized vol of the underlying's
//     closes over `realized_vol_window_days`); only when no volatility can be computed the
//     original's premium estimate (§3.6.2) is used and the order is flagged kEstimateFallback.
//     Sovereign spread: pairs = floor(budget / margin per pair); SELL pairs france_oat and BUY
//     pairs germany_bund, each leg charged half the margin estimate.
//     VIX call strikes follow [tail_hedge] vix_call_strike_multiple / vix_call_min_strike
//     (max(30, 1.5 x VIX)), not the option line's otm_pct. A type with several lines (equity:
//     SPY 60 % / FEZ 40 %) splits its budget by line weight; an unusable line is skipped, its
//     share is not moved to the other line.
//   * An underlying without usable data skips that line with a reason (no guessed prices).
//   * A hedge found already expired (days to expiry <= 0) gets a kRollClose order priced at
//     intrinsic value (price_source kIntrinsic): the execution layer books it as expiry or
//     exercise, it is not sent as a market order.
//   * Nothing is bought twice: orders do not change the book; apply_hedge_fill records the
//     purchase in the hedge book and charges the budget, after which the coverage is there.
//   * Crisis playbook on TODAY's return: return >= pnl_spike_threshold (10 %) -> sell
//     floor(0.6 x |q|) of every profitable hedge (realised gains are recycled 50 % into the budget
//     when the sale is recorded), instruction "increase_core_exposure"; else VIX >= 40 -> spend
//     50 % of the remaining budget, 60 % VIX calls / 40 % equity puts, instruction
//     "reduce_exposure"; else nothing, "hold".
//
// Money is USD unless named otherwise; option prices are per unit of underlying in the option's
// currency. Thread-safety: pure functions; the book is owned by the calling thread.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/config.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "core/types.hpp"
#include "portfolio/hedge_book.hpp"
#include "strategy/market_view.hpp"
#include "strategy/option_contract.hpp"

namespace af::strategy {

using portfolio::HedgeType;

struct HedgePricingInputs {
  double risk_free_rate = 0.02;                 // annual, continuously compounded
  std::map<InstrumentId, double> implied_vols;  // annualised, keyed by option line or underlying id
  int realized_vol_window_days = 63;            // ~ the 3-month tenor of the puts
  int realized_vol_min_returns = 20;            // fewer -> premium-estimate fallback (flagged)
};

struct TailHedgeInputs {
  Date as_of;
  double nav_usd = 0.0;
  double nav_at_year_start_usd = 0.0;  // last NAV of the previous year (see nav_at_year_start)
  bool increase_hedges = false;        // risk::RiskDecision::increase_hedges: fill any gap
  double pending_premium_usd = 0.0;    // premium of planned buys not recorded yet (playbook)
  HedgePricingInputs pricing;
};

// Last NAV before 1 January of as_of's year; else the first NAV of as_of's year; else nav_today.
double nav_at_year_start(const std::map<Date, double>& nav_history, Date as_of, double nav_today);

// Today's return: nav_today / nav_yesterday - 1 (0 when yesterday's NAV is not positive).
double todays_return(double nav_today_usd, double nav_yesterday_usd);

enum class PriceSource {
  kBlackScholesImplied,   // implied vol supplied by the caller
  kBlackScholesRealized,  // realized vol of the underlying's closes
  kEstimateFallback,      // original §3.6.2 premium estimate: no vol could be computed (flagged)
  kMarginEstimate,        // sovereign futures pair: margin estimate, not a premium
  kBookMark,              // the hedge book's last mark (valuation only)
  kIntrinsic,             // expired option: intrinsic value
};
std::string_view to_string(PriceSource s) noexcept;

enum class HedgeOrderSide { kBuy, kSell };
enum class HedgeOrderKind {
  kOpen,        // gap fill: opens or adds to a hedge
  kRollClose,   // closes an expiring hedge
  kRollOpen,    // its replacement contract
  kCrisisOpen,  // VIX-crisis purchase
  kRealize,     // P&L-spike monetisation (partial close)
};
std::string_view to_string(HedgeOrderSide s) noexcept;
std::string_view to_string(HedgeOrderKind k) noexcept;
bool opens(HedgeOrderKind k) noexcept;

struct HedgeOrder {
  portfolio::Hedge hedge;  // the contract; hedge.quantity = signed change of the position
  HedgeOrderKind kind = HedgeOrderKind::kOpen;
  HedgeOrderSide side = HedgeOrderSide::kBuy;
  Quantity quantity = 0.0;    // contracts, > 0
  double model_price = 0.0;   // per unit of underlying, option currency (futures: last price)
  double limit_price = 0.0;   // model price on the tick grid (buys up, sells down)
  double premium_usd = 0.0;   // cost of a buy / proceeds of a sale at model price; futures: margin
  PriceSource price_source = PriceSource::kBlackScholesRealized;
  std::optional<double> volatility;  // the vol used (nullopt for fallbacks)
  std::string reason;
  std::string replaces;  // roll_open: the hedge_id of the hedge it replaces (marked replaced on fill)
};

struct HedgeSkip {
  HedgeType type = HedgeType::kEquityPut;
  InstrumentId instrument;
  std::string reason_code;  // "unusable_data", "rounds_to_zero", "no_budget", "config", ...
  std::string reason;
};

struct HedgePlan {
  std::vector<HedgeOrder> orders;  // roll closes and opens first, then gap fills by type
  std::vector<HedgeSkip> skipped;
  bool budget_reset = false;
  portfolio::HedgeBudget budget;  // after the year roll, before these orders
  double target_coverage_usd = 0.0;
  std::map<HedgeType, double> coverage_usd;  // after rolls, before gap fills
  std::map<HedgeType, double> target_usd;
  double planned_buy_premium_usd = 0.0;
};

// Rolls the budget year in `book` (the only change to it), then plans rolls and gap fills.
HedgePlan ensure_tail_hedges(portfolio::HedgeBook& book, const MarketView& market,
                             const config::Config& config, const TailHedgeInputs& in);

// Records one (partial) fill of `order`: opening kinds -> record_purchase of `contracts`
// (charging `cash_usd` to the budget), closing kinds -> record_sale for proceeds `cash_usd`.
Status apply_hedge_fill(portfolio::HedgeBook& book, const HedgeOrder& order, Quantity contracts,
                        double cash_usd);
// Records every order as fully filled at its model premium (backtest and plan).
Status apply_hedge_fills(portfolio::HedgeBook& book, std::span<const HedgeOrder> orders);

// Current model value of one hedge (USD, whole position) and its source: options by
// Black–Scholes at today's spot (intrinsic once expired), anything unpriceable -> the book mark.
struct HedgeValue {
  double value_usd = 0.0;
  PriceSource source = PriceSource::kBookMark;
  std::string note;
};
HedgeValue value_hedge(const portfolio::Hedge& hedge, const MarketView& market,
                       const config::Config& config, const HedgePricingInputs& pricing);
// Marks every active hedge in the book at value_hedge(); returns one note per book-mark fallback.
std::vector<std::string> mark_hedges(portfolio::HedgeBook& book, const MarketView& market,
                                     const config::Config& config, const HedgePricingInputs& pricing);

enum class CrisisActionType { kNone, kRealizeHedges, kIncreaseHedges };
enum class RebalanceInstruction { kHold, kIncreaseCoreExposure, kReduceExposure };
std::string_view to_string(CrisisActionType t) noexcept;
std::string_view to_string(RebalanceInstruction r) noexcept;

struct CrisisAction {
  CrisisActionType type = CrisisActionType::kNone;
  RebalanceInstruction instruction = RebalanceInstruction::kHold;  // for the daily run
  std::string urgency = "normal";  // "normal" | "urgent" (spike) | "immediate" (VIX crisis)
  std::string reason;
  double todays_return = 0.0;
  std::optional<double> vix;
  std::vector<HedgeOrder> orders;
  std::vector<HedgeSkip> skipped;
  double expected_realized_gain_usd = 0.0;  // spike: proceeds - premium of the sold share
};

// The playbook of original §3.6.3 on TODAY's return (see todays_return()).
CrisisAction run_crisis_playbook(const portfolio::HedgeBook& book, const MarketView& market,
                                 const config::Config& config, const TailHedgeInputs& in,
                                 double todays_return);

struct HedgeTypeSummary {
  HedgeType type = HedgeType::kEquityPut;
  int count = 0;
  double premium_usd = 0.0;
  double value_usd = 0.0;
  double pnl_usd = 0.0;
};
struct HedgeSummary {
  int active_count = 0;
  double premium_usd = 0.0;
  double value_usd = 0.0;
  double pnl_usd = 0.0;
  std::vector<HedgeTypeSummary> by_type;  // all five types, kAllHedgeTypes order
  portfolio::HedgeBudget budget;
  double budget_annual_usd = 0.0, budget_used_usd = 0.0, budget_remaining_usd = 0.0,
         budget_usage = 0.0;
};
// Original §3.6.4 over the active hedges (values are the book's marks; see mark_hedges).
HedgeSummary hedge_summary(const portfolio::HedgeBook& book);

nlohmann::json to_json(const HedgeOrder& order);
nlohmann::json to_json(const HedgePlan& plan);
nlohmann::json to_json(const CrisisAction& action);
nlohmann::json to_json(const HedgeSummary& summary);

}  // namespace af::strategy
