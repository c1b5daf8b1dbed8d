// risk/pre_trade.hpp — pre-trade checks on one proposed order, each rejection with a reason code.
//
//   ProposedOrder o{.instrument = InstrumentId("us_index_etf"), .type = InstrumentType::kEtf,
//                   .side = OrderSide::kBuy, .quantity = 100, .limit_price = 601.5,
//                   .last_good_price = 600.0, .notional_usd = 60'150,
//                   .current_position_usd = 0};
//   auto r = check_order(o, nav_usd, turnover_used_today_usd, PreTradeLimits{});
//   if (!r.accepted()) for (auto& x : r.rejections) skip(o, to_string(x.code), x.message);
//
// Every check runs, so an order reports all its problems at once:
//   not tradeable, instrument locked, max notional per order (% of NAV), max daily turnover
//   (turnover used today + this order, % of NAV), price collar, missing reference price, max
//   post-trade position by instrument type (% of NAV).
// Price collar: |limit − last good| ≤ price_collar_pct × last good + tick_size. The one tick is
// the rounding a limit price must undergo: an option worth 0.058 with a 0.01 tick can only be
// offered at 0.05 (−14 %); without the tick, every cheap option order would be rejected (and a
// hedge roll whose close is rejected leaves the old hedge in the book next to its replacement).
// Risk-reducing orders (the post-trade position is no larger in magnitude and on the same side,
// or flat) are never rejected for the position limit — they improve it — and are exempt from the
// turnover limit when `risk_reducing_exempt_from_turnover` (so a de-risk can always proceed).
// Units: USD for notionals and positions (converted by the caller; futures include the
// multiplier); the limit price and the last good price in the same unit as each other.
// Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "risk/params.hpp"

namespace af::risk {

enum class InstrumentType { kEtf, kFuture, kOption, kStock, kOther };
enum class OrderSide { kBuy, kSell };

enum class PreTradeCode {
  kInvalidOrder,       // quantity/price/notional not positive and finite, or NAV not positive
  kNotTradeable,       // the instrument is configured tradeable: false
  kInstrumentLocked,   // locked (e.g. reconciliation mismatch) until an operator unlocks it
  kMaxOrderNotional,   // notional > max_order_notional_pct × NAV
  kMaxDailyTurnover,   // turnover today + notional > max_daily_turnover_pct × NAV
  kNoReferencePrice,   // no last good price to check the collar against
  kPriceCollar,        // |limit − last good| > price_collar_pct × last good + tick_size
  kMaxPosition,        // |post-trade position| > limit for the instrument type × NAV
};

struct ProposedOrder {
  InstrumentId instrument;
  InstrumentType type = InstrumentType::kEtf;
  OrderSide side = OrderSide::kBuy;
  double quantity = 0.0;     // > 0, units or contracts
  double limit_price = 0.0;  // > 0
  std::optional<double> last_good_price;  // same unit as limit_price
  double tick_size = 0.0;                 // minimum price increment, same unit (0 = none)
  double notional_usd = 0.0;              // > 0: quantity × limit price × multiplier, in USD
  double current_position_usd = 0.0;      // signed, before the order
  bool tradeable = true;
  bool locked = false;
};

struct PreTradeLimits {
  double max_order_notional_pct = kDefaultMaxOrderNotionalPct;
  double max_daily_turnover_pct = kDefaultMaxDailyTurnoverPct;
  double price_collar_pct = kDefaultPriceCollarPct;
  double max_position_etf_pct = kDefaultMaxPositionEtfPct;
  double max_position_future_pct = kDefaultMaxPositionFuturePct;
  double max_position_option_pct = kDefaultMaxPositionOptionPct;
  double max_position_stock_pct = kDefaultMaxPositionStockPct;
  bool risk_reducing_exempt_from_turnover = true;

  // Position limit as a fraction of NAV; kOther uses the ETF limit (as the original did for an
  // unknown type).
  double max_position_pct(InstrumentType type) const noexcept;
};

struct PreTradeRejection {
  PreTradeCode code;
  std::string message;  // names the instrument, the numbers and the limit
};

struct PreTradeResult {
  std::vector<PreTradeRejection> rejections;
  double post_trade_position_usd = 0.0;
  bool risk_reducing = false;

  bool accepted() const noexcept { return rejections.empty(); }
  bool rejected_for(PreTradeCode code) const noexcept;
};

PreTradeResult check_order(const ProposedOrder& order, double nav_usd,
                           double turnover_used_today_usd, const PreTradeLimits& limits);

const char* to_string(InstrumentType t) noexcept;
const char* to_string(OrderSide s) noexcept;
const char* to_string(PreTradeCode c) noexcept;  // stable snake_case codes for reports

}  // namespace af::risk
