// Order planning. Expected values are hand calculations from the settings documented in
// config/settings.yaml (rebalance threshold 2 %, minimum trade 1,000 USD, limit offset 10 bps).
#include <gtest/gtest.h>

#include <random>

#include "config/config.hpp"
#include "execution/order_planner.hpp"

namespace af::execution {
namespace {

using config::Sleeve;
const Date kDay(2024, 3, 1);

class PlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cfg = config::load_config(std::string(AF_SOURCE_DIR) + "/config", {});
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    cfg_ = std::make_unique<config::Config>(std::move(*cfg));
    fx_.set_broker_rate(Currency::EUR, 1.10, kDay);
    fx_.set_broker_rate(Currency::GBP, 1.25, kDay);
    market_.as_of = kDay;
    market_.fx = &fx_;
    market_.prices = {{InstrumentId("us_index_etf"), 600.0}, {InstrumentId("eu_index_etf"), 190.0},
                      {InstrumentId("value_ewu"), 900.0}, {InstrumentId("tech_xlk"), 30.0},
                      {InstrumentId("ig_lqd"), 100.0}};
    in_.trading_date = kDay;
    in_.nav_usd = 1'000'000;
  }
  strategy::TargetLine target(const char* id, Sleeve s, Quantity q) {
    return strategy::TargetLine{InstrumentId(id), s, q, market_.prices[InstrumentId(id)], 0, 0, ""};
  }
  std::unique_ptr<config::Config> cfg_;
  marketdata::FxRates fx_;
  strategy::MarketView market_;
  portfolio::Portfolio book_;
  PlanInputs in_;
};

TEST(RoundToTick, BuysRoundUpSellsRoundDownExactMultiplesStay) {
  EXPECT_DOUBLE_EQ(round_to_tick(100.123, 0.05, PlannedSide::kBuy), 100.15);
  EXPECT_DOUBLE_EQ(round_to_tick(100.123, 0.05, PlannedSide::kSell), 100.10);
  EXPECT_DOUBLE_EQ(round_to_tick(100.10, 0.05, PlannedSide::kBuy), 100.10);
  EXPECT_DOUBLE_EQ(round_to_tick(899.1, 0.5, PlannedSide::kSell), 899.0);
}

TEST(ClientOrderId, IsDeterministicFromDateSessionInstrumentLegAttempt) {
  EXPECT_EQ(client_order_id(Date(2024, 3, 1), 2, InstrumentId("us_index_etf"), PlannedSide::kBuy, 1),
            "af-20240301-s2-us_index_etf-b-1");
  EXPECT_EQ(client_order_id(Date(2024, 3, 1), 2, InstrumentId("us_index_etf"), PlannedSide::kSell, 3),
            "af-20240301-s2-us_index_etf-s-3");
}

TEST_F(PlannerTest, SellsGoBeforeBuysWithMarketableLimitsInTheListingUnit) {
  book_.set_position({InstrumentId("value_ewu"), Sleeve::kSectorRv, 0, 0, std::nullopt, 0});
  // Sizes inside the 15 % ETF position limit: 200 x 600 = 120,000 USD; 700 x 190 x 1.10 = 146,300.
  in_.targets = {target("us_index_etf", Sleeve::kCoreIndexRv, 200), target("eu_index_etf", Sleeve::kCoreIndexRv, -700),
                 target("value_ewu", Sleeve::kSectorRv, -3703)};
  auto plan = plan_orders(*cfg_, book_, market_, in_);
  ASSERT_EQ(plan.orders.size(), 3u) << (plan.skipped.empty() ? "" : plan.skipped[0].message);
  EXPECT_EQ(plan.orders[0].instrument, InstrumentId("eu_index_etf"));
  EXPECT_EQ(plan.orders[0].side, PlannedSide::kSell);
  EXPECT_EQ(plan.orders[1].instrument, InstrumentId("value_ewu"));
  EXPECT_EQ(plan.orders[1].side, PlannedSide::kSell);
  EXPECT_EQ(plan.orders[2].instrument, InstrumentId("us_index_etf"));
  EXPECT_EQ(plan.orders[2].side, PlannedSide::kBuy);
  // IUKD sell: 900 GBX x (1 - 0.001) = 899.1 GBX, down to the 0.5 tick = 899.0 GBX (never /100).
  EXPECT_EQ(plan.orders[1].price_unit, QuoteUnit::gbx());
  EXPECT_DOUBLE_EQ(plan.orders[1].limit_price, 899.0);
  // Its notional: 3703 x 8.99 GBP x 1.25 = 41,612.46 USD.
  EXPECT_NEAR(plan.orders[1].notional_usd, 3703 * 8.99 * 1.25, 1e-6);
  // CSPX buy: 600 x 1.001 = 600.6, on a 0.05 tick stays 600.60.
  EXPECT_DOUBLE_EQ(plan.orders[2].limit_price, 600.6);
  EXPECT_EQ(plan.orders[2].client_order_id, "af-20240301-s1-us_index_etf-b-1");
}

TEST_F(PlannerTest, SmallDriftAndSmallNotionalAreSkippedButFullClosesAlwaysGo) {
  book_.set_position({InstrumentId("us_index_etf"), Sleeve::kCoreIndexRv, 291, 600, 600.0, 0});
  book_.set_position({InstrumentId("tech_xlk"), Sleeve::kSectorRv, 10, 30, 30.0, 0});
  in_.targets = {target("us_index_etf", Sleeve::kCoreIndexRv, 300),  // +9 x 600 = 5,400 = 0.54 % < 2 %
                 target("ig_lqd", Sleeve::kCreditCarry, 5)};          // 500 USD: below 2 % too
  auto plan = plan_orders(*cfg_, book_, market_, in_);
  ASSERT_EQ(plan.orders.size(), 1u);
  // tech_xlk has no target: closed (10 x 30 = 300 USD is below both limits, still closed).
  EXPECT_EQ(plan.orders[0].instrument, InstrumentId("tech_xlk"));
  EXPECT_EQ(plan.orders[0].quantity, 10);
  ASSERT_EQ(plan.skipped.size(), 2u);
  EXPECT_EQ(plan.skipped[0].instrument, InstrumentId("ig_lqd"));
  EXPECT_EQ(plan.skipped[0].reason_code, "below_rebalance_threshold");
  EXPECT_EQ(plan.skipped[1].reason_code, "below_rebalance_threshold");
  EXPECT_EQ(plan.skipped[0].message, "sleeve weight drift below the 2.00% threshold (credit_carry drift 0.05%)");
  EXPECT_EQ(plan.skipped[1].message, "sleeve weight drift below the 2.00% threshold (core_index_rv drift 0.54%)");
}

TEST_F(PlannerTest, HeldBackSleevesAreListedInSleeveOrder) {
  book_.set_position({InstrumentId("us_index_etf"), Sleeve::kCoreIndexRv, 291, 600, 600.0, 0});
  book_.set_position({InstrumentId("us_index_etf"), Sleeve::kSectorRv, 100, 600, 600.0, 0});
  in_.targets = {target("us_index_etf", Sleeve::kSectorRv, 105), target("us_index_etf", Sleeve::kCoreIndexRv, 300)};
  auto plan = plan_orders(*cfg_, book_, market_, in_);
  EXPECT_TRUE(plan.orders.empty());
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_EQ(plan.skipped[0].reason_code, "below_rebalance_threshold");
  EXPECT_EQ(plan.skipped[0].message,
            "sleeve weight drift below the 2.00% threshold (core_index_rv drift 0.54%, sector_rv drift 0.30%)");
}

TEST_F(PlannerTest, MinimumNotionalAppliesWhenThresholdIsLow) {
  auto cfg = *cfg_;
  cfg.settings.rebalance_threshold_pct = 0.0;
  in_.targets = {target("ig_lqd", Sleeve::kCreditCarry, 5)};  // 500 USD < 1,000
  auto plan = plan_orders(cfg, book_, market_, in_);
  EXPECT_TRUE(plan.orders.empty());
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_EQ(plan.skipped[0].reason_code, "below_min_notional");
}

TEST_F(PlannerTest, PositionAboveTheTypeLimitIsRejectedWithMaxPosition) {
  // 291 x 600 = 174,600 USD = 17.46 % of NAV > 15 % ETF limit.
  in_.targets = {target("us_index_etf", Sleeve::kCoreIndexRv, 291)};
  auto plan = plan_orders(*cfg_, book_, market_, in_);
  EXPECT_TRUE(plan.orders.empty());
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_EQ(plan.skipped[0].reason_code, "max_position");
}

TEST_F(PlannerTest, LockedInstrumentIsRejectedWithItsReasonCode) {
  in_.locked.insert(InstrumentId("us_index_etf"));
  in_.targets = {target("us_index_etf", Sleeve::kCoreIndexRv, 100)};  // 60,000 = 6 %
  auto plan = plan_orders(*cfg_, book_, market_, in_);
  EXPECT_TRUE(plan.orders.empty());
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_NE(plan.skipped[0].reason_code.find("instrument_locked"), std::string::npos);
}

TEST_F(PlannerTest, UnpricedInstrumentIsSkippedNotGuessed) {
  market_.unusable[InstrumentId("us_index_etf")] = "stale: unchanged for 3 sessions";
  in_.targets = {target("us_index_etf", Sleeve::kCoreIndexRv, 100)};
  auto plan = plan_orders(*cfg_, book_, market_, in_);
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_EQ(plan.skipped[0].reason_code, "no_price");
  EXPECT_NE(plan.skipped[0].message.find("stale"), std::string::npos);
}

TEST_F(PlannerTest, OriginalDefect01_PositionsDoNotAccumulateAcrossDays) {
  in_.targets = {target("us_index_etf", Sleeve::kCoreIndexRv, 200)};
  for (int day = 0; day < 5; ++day) {
    auto plan = plan_orders(*cfg_, book_, market_, in_);
    for (const auto& o : plan.orders) {
      const double q = o.side == PlannedSide::kBuy ? o.quantity : -o.quantity;
      ASSERT_TRUE(book_.apply_fill({o.instrument, o.sleeve, q, o.reference_price, {1.0, Currency::USD}}, cfg_->instruments).ok());
    }
  }
  EXPECT_EQ(book_.quantity(InstrumentId("us_index_etf")), 200);  // not 5 x 200
}

// Property: over random books and targets, applying the planned orders gives the target for
// every instrument that was not skipped.
TEST_F(PlannerTest, PropertyPlannedOrdersMoveTheBookToTheTarget) {
  auto cfg = *cfg_;
  cfg.settings.rebalance_threshold_pct = 0.0;
  cfg.settings.execution.min_trade_notional_usd = 0.0;
  std::mt19937 rng(20241121);
  std::uniform_int_distribution<int> qty(-400, 400);
  const char* ids[] = {"us_index_etf", "eu_index_etf", "value_ewu", "tech_xlk", "ig_lqd"};
  const Sleeve sleeves[] = {Sleeve::kCoreIndexRv, Sleeve::kCoreIndexRv, Sleeve::kSectorRv, Sleeve::kSectorRv,
                            Sleeve::kCreditCarry};
  in_.nav_usd = 1e9;  // keep the pre-trade limits out of this property
  for (int trial = 0; trial < 200; ++trial) {
    portfolio::Portfolio book;
    PlanInputs in = in_;
    for (int i = 0; i < 5; ++i) {
      book.set_position({InstrumentId(ids[i]), sleeves[i], double(qty(rng)), 1.0, std::nullopt, 0});
      in.targets.push_back(target(ids[i], sleeves[i], qty(rng)));
    }
    auto plan = plan_orders(cfg, book, market_, in);
    std::set<InstrumentId> skipped;
    for (const auto& s : plan.skipped) skipped.insert(s.instrument);
    for (const auto& o : plan.orders) {
      const double q = o.side == PlannedSide::kBuy ? o.quantity : -o.quantity;
      ASSERT_TRUE(book.apply_fill({o.instrument, o.sleeve, q, o.reference_price, {0, Currency::USD}}, cfg.instruments).ok());
    }
    for (const auto& t : in.targets) {
      if (skipped.count(t.instrument)) continue;
      EXPECT_EQ(book.quantity(t.instrument), t.quantity) << t.instrument.str() << " trial " << trial;
    }
    // Sells strictly before buys.
    bool seen_buy = false;
    for (const auto& o : plan.orders) {
      if (o.side == PlannedSide::kBuy) seen_buy = true;
      else EXPECT_FALSE(seen_buy);
    }
  }
}

}  // namespace
}  // namespace af::execution
