#include "risk/pre_trade.hpp"

#include <gtest/gtest.h>

namespace af::risk {
namespace {

constexpr double kNav = 1'000'000.0;

// Buy 100 ETF units at 600 (last good 600): 60,000 USD = 6 % of NAV, flat position.
ProposedOrder base_order() {
  ProposedOrder o;
  o.instrument = InstrumentId("us_index_etf");
  o.type = InstrumentType::kEtf;
  o.side = OrderSide::kBuy;
  o.quantity = 100;
  o.limit_price = 600.0;
  o.last_good_price = 600.0;
  o.notional_usd = 60'000.0;
  o.current_position_usd = 0.0;
  return o;
}

PreTradeResult check(const ProposedOrder& o, double turnover_used = 0.0,
                     const PreTradeLimits& limits = PreTradeLimits{}) {
  return check_order(o, kNav, turnover_used, limits);
}

TEST(RiskPreTrade, CleanOrderIsAccepted) {
  const auto r = check(base_order());
  EXPECT_TRUE(r.accepted());
  EXPECT_DOUBLE_EQ(r.post_trade_position_usd, 60'000.0);
  EXPECT_FALSE(r.risk_reducing);
}

TEST(RiskPreTrade, NotTradeable) {
  auto o = base_order();
  o.tradeable = false;
  const auto r = check(o);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].code, PreTradeCode::kNotTradeable);
  EXPECT_NE(r.rejections[0].message.find("us_index_etf"), std::string::npos);
}

TEST(RiskPreTrade, InstrumentLocked) {
  auto o = base_order();
  o.locked = true;
  const auto r = check(o);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].code, PreTradeCode::kInstrumentLocked);
}

TEST(RiskPreTrade, MaxOrderNotional10PctOfNav) {
  // Limit 10 % × 1M = 100,000. Use limits wide enough that only this check can fire.
  PreTradeLimits wide;
  wide.max_position_etf_pct = 1.0;
  auto o = base_order();
  o.notional_usd = 100'000.0;
  EXPECT_TRUE(check(o, 0.0, wide).accepted());
  o.notional_usd = 100'001.0;
  const auto r = check(o, 0.0, wide);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].code, PreTradeCode::kMaxOrderNotional);
}

TEST(RiskPreTrade, MaxDailyTurnover50PctOfNav) {
  // 440,000 used + 60,000 = 500,000 = the limit: accepted; 450,000 + 60,000 = 510,000: rejected.
  EXPECT_TRUE(check(base_order(), 440'000.0).accepted());
  const auto r = check(base_order(), 450'000.0);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].code, PreTradeCode::kMaxDailyTurnover);
}

TEST(RiskPreTrade, RiskReducingOrderIsExemptFromTurnoverUnlessConfigured) {
  // Long 120,000, sell 60,000 -> 60,000: reduces risk; turnover already at the limit.
  auto o = base_order();
  o.side = OrderSide::kSell;
  o.current_position_usd = 120'000.0;
  const auto r = check(o, 500'000.0);
  EXPECT_TRUE(r.risk_reducing);
  EXPECT_TRUE(r.accepted());
  PreTradeLimits strict;
  strict.risk_reducing_exempt_from_turnover = false;
  EXPECT_TRUE(check(o, 500'000.0, strict).rejected_for(PreTradeCode::kMaxDailyTurnover));
}

TEST(RiskPreTrade, PriceCollar5PctAgainstLastGoodPrice) {
  auto o = base_order();
  o.limit_price = 629.0;  // +4.83 %
  EXPECT_TRUE(check(o).accepted());
  o.limit_price = 631.0;  // +5.17 %
  const auto up = check(o);
  ASSERT_EQ(up.rejections.size(), 1u);
  EXPECT_EQ(up.rejections[0].code, PreTradeCode::kPriceCollar);
  o.side = OrderSide::kSell;
  o.current_position_usd = 60'000.0;
  o.limit_price = 569.0;  // −5.17 %
  EXPECT_TRUE(check(o).rejected_for(PreTradeCode::kPriceCollar));
}

// The collar allows one tick of rounding on top of the percentage: 5 % of 600 = 30, + 0.01.
TEST(RiskPreTrade, PriceCollarAllowsOneTickOfRounding) {
  auto o = base_order();
  o.tick_size = 0.01;
  o.limit_price = 630.01;  // 30.01 above: collar + one tick exactly
  EXPECT_TRUE(check(o).accepted());
  o.limit_price = 630.02;  // 30.02 above
  EXPECT_TRUE(check(o).rejected_for(PreTradeCode::kPriceCollar));
}

// Regression (found by the backtest hedge test): a put worth 0.058 with a 0.01 tick can only be
// sold at 0.05 (−13.8 %). Allowed: 0.05 × 0.058 + 0.01 = 0.0129 from 0.058.
TEST(RiskPreTrade, CheapOptionRoundedToItsTickIsNotRejectedByTheCollar) {
  ProposedOrder o;
  o.instrument = InstrumentId("us_put");
  o.type = InstrumentType::kOption;
  o.side = OrderSide::kSell;
  o.quantity = 10;
  o.last_good_price = 0.058;
  o.tick_size = 0.01;
  o.limit_price = 0.05;
  o.notional_usd = 50.0;
  o.current_position_usd = 58.0;
  EXPECT_TRUE(check(o).accepted());
  o.side = OrderSide::kBuy;
  o.current_position_usd = 0.0;
  o.limit_price = 0.06;  // rounded up: +3.4 %
  EXPECT_TRUE(check(o).accepted());
  o.limit_price = 0.08;  // 0.022 above the last good price: beyond 0.0129
  EXPECT_TRUE(check(o).rejected_for(PreTradeCode::kPriceCollar));
  o.tick_size = 0.0;     // without a tick the plain 5 % applies: 0.06 is +3.4 %, 0.05 is −13.8 %
  o.limit_price = 0.05;
  EXPECT_TRUE(check(o).rejected_for(PreTradeCode::kPriceCollar));
}

TEST(RiskPreTrade, NoReferencePrice) {
  auto o = base_order();
  o.last_good_price.reset();
  const auto r = check(o);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].code, PreTradeCode::kNoReferencePrice);
}

TEST(RiskPreTrade, MaxPositionByInstrumentType) {
  // Post-trade = current + 60,000. Limits: ETF 150k, FUT 250k, OPT 50k, STK 50k.
  auto o = base_order();
  o.current_position_usd = 90'000.0;  // -> 150,000: at the ETF limit
  EXPECT_TRUE(check(o).accepted());
  o.current_position_usd = 100'000.0;  // -> 160,000
  EXPECT_TRUE(check(o).rejected_for(PreTradeCode::kMaxPosition));
  o.type = InstrumentType::kFuture;  // 160,000 <= 250,000
  EXPECT_TRUE(check(o).accepted());
  o.current_position_usd = 200'000.0;  // -> 260,000
  EXPECT_TRUE(check(o).rejected_for(PreTradeCode::kMaxPosition));
  o.current_position_usd = 0.0;
  o.type = InstrumentType::kOption;  // 60,000 > 50,000
  EXPECT_TRUE(check(o).rejected_for(PreTradeCode::kMaxPosition));
  o.type = InstrumentType::kStock;
  EXPECT_TRUE(check(o).rejected_for(PreTradeCode::kMaxPosition));
  o.notional_usd = 50'000.0;
  EXPECT_TRUE(check(o).accepted());
  // Unknown type uses the ETF limit (original compute_position_limits).
  o.type = InstrumentType::kOther;
  o.notional_usd = 60'000.0;
  o.current_position_usd = 100'000.0;
  EXPECT_TRUE(check(o).rejected_for(PreTradeCode::kMaxPosition));
}

TEST(RiskPreTrade, MaxPositionAppliesToShortsAndAllowsReductions) {
  auto o = base_order();
  o.side = OrderSide::kSell;
  o.current_position_usd = -100'000.0;  // -> −160,000
  EXPECT_TRUE(check(o).rejected_for(PreTradeCode::kMaxPosition));
  // Over the limit already (200,000) but selling to 140,000: allowed.
  o.current_position_usd = 200'000.0;
  const auto r = check(o);
  EXPECT_TRUE(r.risk_reducing);
  EXPECT_TRUE(r.accepted());
  // Crossing through zero is not a reduction: option limit 5 % = 50,000; long 40,000,
  // sell 100,000 -> short 60,000, over the limit.
  PreTradeLimits wide_order;
  wide_order.max_order_notional_pct = 1.0;
  o.type = InstrumentType::kOption;
  o.current_position_usd = 40'000.0;
  o.notional_usd = 100'000.0;
  const auto cross = check(o, 0.0, wide_order);
  EXPECT_FALSE(cross.risk_reducing);
  EXPECT_TRUE(cross.rejected_for(PreTradeCode::kMaxPosition));
}

TEST(RiskPreTrade, InvalidOrderAndNav) {
  auto o = base_order();
  o.quantity = 0.0;
  EXPECT_TRUE(check(o).rejected_for(PreTradeCode::kInvalidOrder));
  const auto nav0 = check_order(base_order(), 0.0, 0.0, PreTradeLimits{});
  EXPECT_TRUE(nav0.rejected_for(PreTradeCode::kInvalidOrder));
}

TEST(RiskPreTrade, AllProblemsAreReportedAtOnce) {
  auto o = base_order();
  o.tradeable = false;
  o.locked = true;
  o.limit_price = 700.0;
  o.notional_usd = 200'000.0;
  const auto r = check(o, 400'000.0);
  EXPECT_TRUE(r.rejected_for(PreTradeCode::kNotTradeable));
  EXPECT_TRUE(r.rejected_for(PreTradeCode::kInstrumentLocked));
  EXPECT_TRUE(r.rejected_for(PreTradeCode::kMaxOrderNotional));
  EXPECT_TRUE(r.rejected_for(PreTradeCode::kMaxDailyTurnover));
  EXPECT_TRUE(r.rejected_for(PreTradeCode::kPriceCollar));
  EXPECT_TRUE(r.rejected_for(PreTradeCode::kMaxPosition));
  EXPECT_EQ(r.rejections.size(), 6u);
  EXPECT_STREQ(to_string(PreTradeCode::kPriceCollar), "price_collar");
}

}  // namespace
}  // namespace af::risk
