#include "risk/pre_trade.hpp"

#include <cmath>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace af::risk {
namespace {

bool positive_finite(double x) { return std::isfinite(x) && x > 0.0; }

}  // namespace

double PreTradeLimits::max_position_pct(InstrumentType type) const noexcept {
  switch (type) {
    case InstrumentType::kEtf: return max_position_etf_pct;
    case InstrumentType::kFuture: return max_position_future_pct;
    case InstrumentType::kOption: return max_position_option_pct;
    case InstrumentType::kStock: return max_position_stock_pct;
    case InstrumentType::kOther: return max_position_etf_pct;
  }
  return max_position_etf_pct;
}

bool PreTradeResult::rejected_for(PreTradeCode code) const noexcept {
  for (const auto& r : rejections) {
    if (r.code == code) return true;
  }
  return false;
}

PreTradeResult check_order(const ProposedOrder& o, double nav_usd, double turnover_used_today_usd,
                           const PreTradeLimits& limits) {
  PreTradeResult res;
  const std::string& id = o.instrument.str();
  auto reject = [&](PreTradeCode code, std::string message) {
    res.rejections.push_back({code, fmt::format(FMT_COMPILE("{} {} {}: {}"), to_string(o.side), o.quantity, id,
                                                 message)});
  };

  if (!o.tradeable) {
    reject(PreTradeCode::kNotTradeable,
           "instrument is marked tradeable: false in the instrument configuration");
  }
  if (o.locked) {
    reject(PreTradeCode::kInstrumentLocked,
           "instrument is locked (e.g. after a reconciliation mismatch); resolve and unlock it "
           "before trading");
  }

  const bool order_valid = positive_finite(o.quantity) && positive_finite(o.limit_price) &&
                           positive_finite(o.notional_usd) && std::isfinite(o.current_position_usd);
  if (!order_valid) {
    reject(PreTradeCode::kInvalidOrder,
           fmt::format("quantity {}, limit price {} and notional {} USD must be positive and "
                       "finite, position {} USD finite",
                       o.quantity, o.limit_price, o.notional_usd, o.current_position_usd));
  }
  if (!positive_finite(nav_usd)) {
    reject(PreTradeCode::kInvalidOrder,
           fmt::format(FMT_COMPILE("NAV {} USD is not positive; no NAV-based limit can be checked"), nav_usd));
  }
  if (!order_valid || !positive_finite(nav_usd)) return res;

  const double signed_notional = o.side == OrderSide::kBuy ? o.notional_usd : -o.notional_usd;
  res.post_trade_position_usd = o.current_position_usd + signed_notional;
  res.risk_reducing = std::abs(res.post_trade_position_usd) <= std::abs(o.current_position_usd) &&
                      res.post_trade_position_usd * o.current_position_usd >= 0.0;

  // Max notional per order.
  const double max_order = limits.max_order_notional_pct * nav_usd;
  if (o.notional_usd > max_order) {
    reject(PreTradeCode::kMaxOrderNotional,
           fmt::format("notional {:.0f} USD is {:.2f}% of NAV, above the per-order limit {:.2f}% "
                       "({:.0f} USD); split the order",
                       o.notional_usd, 100 * o.notional_usd / nav_usd,
                       100 * limits.max_order_notional_pct, max_order));
  }

  // Max daily turnover.
  const bool turnover_exempt = res.risk_reducing && limits.risk_reducing_exempt_from_turnover;
  const double turnover_after = turnover_used_today_usd + o.notional_usd;
  const double max_turnover = limits.max_daily_turnover_pct * nav_usd;
  if (!turnover_exempt && turnover_after > max_turnover) {
    reject(PreTradeCode::kMaxDailyTurnover,
           fmt::format("turnover today would be {:.0f} USD ({:.2f}% of NAV), above the daily limit "
                       "{:.2f}% ({:.0f} USD already used)",
                       turnover_after, 100 * turnover_after / nav_usd,
                       100 * limits.max_daily_turnover_pct, turnover_used_today_usd));
  }

  // Price collar against the last good price.
  if (!o.last_good_price || !positive_finite(*o.last_good_price)) {
    reject(PreTradeCode::kNoReferencePrice,
           "no last good price to check the limit price against; the instrument's data must pass "
           "its quality checks first");
  } else {
    const double deviation = o.limit_price / *o.last_good_price - 1.0;
    const double tick = std::isfinite(o.tick_size) && o.tick_size > 0.0 ? o.tick_size : 0.0;
    const double allowed = limits.price_collar_pct * *o.last_good_price + tick;
    if (std::abs(o.limit_price - *o.last_good_price) > allowed) {
      reject(PreTradeCode::kPriceCollar,
             fmt::format("limit price {} is {:+.2f}% from the last good price {}, outside the "
                         "collar of {:.2f}% plus one tick ({})",
                         o.limit_price, 100 * deviation, *o.last_good_price,
                         100 * limits.price_collar_pct, tick));
    }
  }

  // Max post-trade position by instrument type.
  const double max_position = limits.max_position_pct(o.type) * nav_usd;
  if (!res.risk_reducing && std::abs(res.post_trade_position_usd) > max_position) {
    reject(PreTradeCode::kMaxPosition,
           fmt::format("post-trade position {:.0f} USD is {:.2f}% of NAV, above the {} limit "
                       "{:.2f}% ({:.0f} USD)",
                       res.post_trade_position_usd,
                       100 * std::abs(res.post_trade_position_usd) / nav_usd, to_string(o.type),
                       100 * limits.max_position_pct(o.type), max_position));
  }
  return res;
}

const char* to_string(InstrumentType t) noexcept {
  switch (t) {
    case InstrumentType::kEtf: return "ETF";
    case InstrumentType::kFuture: return "FUT";
    case InstrumentType::kOption: return "OPT";
    case InstrumentType::kStock: return "STK";
    case InstrumentType::kOther: return "OTHER";
  }
  return "unknown";
}

const char* to_string(OrderSide s) noexcept {
  return s == OrderSide::kBuy ? "BUY" : "SELL";
}

const char* to_string(PreTradeCode c) noexcept {
  switch (c) {
    case PreTradeCode::kInvalidOrder: return "invalid_order";
    case PreTradeCode::kNotTradeable: return "not_tradeable";
    case PreTradeCode::kInstrumentLocked: return "instrument_locked";
    case PreTradeCode::kMaxOrderNotional: return "max_order_notional";
    case PreTradeCode::kMaxDailyTurnover: return "max_daily_turnover";
    case PreTradeCode::kNoReferencePrice: return "no_reference_price";
    case PreTradeCode::kPriceCollar: return "price_collar";
    case PreTradeCode::kMaxPosition: return "max_position";
  }
  return "unknown";
}

}  // namespace af::risk
