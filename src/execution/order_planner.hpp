// execution/order_planner.hpp — targets minus the book -> orders (SYSTEM.md §4 Order planning;
// original §3.4.8 with defects 1, 18 and 22 fixed). Pure; thread-safe.
//
// Rules, in order, per instrument (targets and holdings are summed over sleeves, so one
// instrument gets at most one order a day and never a buy and a sell at once):
//   1. diff = target quantity - current quantity, rounded toward zero to the lot size.
//   2. skip "below_rebalance_threshold" for the lines of a sleeve whose weight drift
//      |target gross - current gross| / NAV is below rebalance_threshold_pct (the original's
//      check_rebalance_needed on sleeve weights, now enforced); a line whose target is zero
//      always goes out (no residual positions);
//   3. skip "below_min_notional" when |diff notional| < min_trade_notional_usd, unless full close;
//   4. price: marketable limit = last x (1 + offset) for buys rounded UP to the tick, last x (1 -
//      offset) for sells rounded DOWN to the tick, in the listing's price unit (GBX for GBX lines;
//      the market view's prices are already in it, so no conversion happens here); or a market
//      order when execution.order_style is market;
//   5. pre-trade checks (risk::check_order), turnover accumulating in submission order; a
//      rejected order is reported with every reason code.
// Submission order: all sells (by instrument id), then all buys (by instrument id).
// Extra orders (tail hedges: already sized, specific option contracts) skip rules 1-3 and go
// through 4-5. Holdings in the crisis-alpha sleeve (the hedge book) are left to the hedge
// manager: the target diff never touches them.
// Client order id: "af-<yyyymmdd>-s<session>-<instrument>-<b|s>-<attempt>" — deterministic from
// (trading date, session, instrument, leg, attempt) and sent as IB orderRef, so a restart
// recognises its own orders.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "portfolio/portfolio.hpp"
#include "risk/pre_trade.hpp"
#include "strategy/market_view.hpp"
#include "strategy/sleeves.hpp"

namespace af::execution {

using config::Sleeve;

enum class PlannedSide { kBuy, kSell };
const char* to_string(PlannedSide s) noexcept;

// A specific option contract (for hedge orders).
struct OptionContractSpec {
  InstrumentId underlying;
  Date expiry;
  double strike = 0.0;
  config::OptionRight right = config::OptionRight::kPut;
};

struct PlannedOrder {
  std::string client_order_id;
  InstrumentId instrument;
  Sleeve sleeve = Sleeve::kCoreIndexRv;  // the sleeve with the largest share of the change
  std::map<Sleeve, Quantity> allocation; // signed change per sleeve (sums to the order)
  PlannedSide side = PlannedSide::kBuy;
  Quantity quantity = 0.0;               // > 0, whole lots
  bool market_order = false;
  double limit_price = 0.0;              // listing price unit; 0 for market orders
  QuoteUnit price_unit = QuoteUnit::major(Currency::USD);
  double reference_price = 0.0;          // the last good price the limit was derived from
  double notional_usd = 0.0;             // > 0: quantity x limit (or reference) x multiplier x FX
  std::optional<OptionContractSpec> option;
  std::string reason;
};

struct SkippedOrder {
  InstrumentId instrument;
  Quantity quantity = 0.0;     // the signed change that was not sent
  std::string reason_code;     // below_rebalance_threshold, below_min_notional, rounds_to_zero,
                               // no_price, fx_unavailable, or a risk::PreTradeCode string
  std::string message;
};

// An already-sized order to plan as is (e.g. a tail hedge).
struct ExtraOrder {
  InstrumentId instrument;
  Sleeve sleeve = Sleeve::kCrisisAlpha;
  Quantity quantity = 0.0;  // signed
  double reference_price = 0.0;  // price unit of the instrument (option premium for options)
  std::optional<OptionContractSpec> option;
  std::string leg;  // distinguishes two orders for one contract in one run ("open", "crisis_open")
  std::string reason;
};

struct PlanInputs {
  Date trading_date;
  int session = 1;
  int attempt = 1;
  double nav_usd = 0.0;
  double turnover_used_today_usd = 0.0;
  std::set<InstrumentId> locked;                // reconciliation locks
  std::vector<strategy::TargetLine> targets;    // from strategy::compute_targets (reason not read)
  std::vector<ExtraOrder> extra;                // hedges
};

struct OrderPlan {
  std::vector<PlannedOrder> orders;  // submission order
  std::vector<SkippedOrder> skipped;
  double turnover_usd = 0.0;         // sum of planned notionals
};

OrderPlan plan_orders(const config::Config& config, const portfolio::Portfolio& book,
                      const strategy::MarketView& market, const PlanInputs& in);

std::string client_order_id(Date trading_date, int session, const InstrumentId& instrument, PlannedSide side,
                            int attempt);

// Rounds `price` to the tick: up for buys, down for sells (never crossing to a worse price).
double round_to_tick(double price, double tick, PlannedSide side);

}  // namespace af::execution
