// The one-day decision pipeline. Expected numbers are hand calculations in the comments.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "config/config.hpp"
#include "execution/daily_decision.hpp"
#include "portfolio/portfolio_json.hpp"

namespace af::execution {
namespace {

const Date kDay(2024, 3, 1);

class DecisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cfg = config::load_config(std::string(AF_SOURCE_DIR) + "/config", {});
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    cfg_ = std::make_unique<config::Config>(std::move(*cfg));
    fx_.set_broker_rate(Currency::EUR, 1.10, kDay);
    fx_.set_broker_rate(Currency::GBP, 1.25, kDay);
    market_.as_of = kDay;
    market_.fx = &fx_;
    market_.prices = {
        {InstrumentId("us_index_etf"), 600.0},  {InstrumentId("eu_index_etf"), 190.0},
        {InstrumentId("eurusd_micro"), 1.10},   {InstrumentId("tech_xlk"), 30.0},
        {InstrumentId("tech_qqq"), 1000.0},     {InstrumentId("tech_smh"), 50.0},
        {InstrumentId("health_xlv"), 10.0},     {InstrumentId("factor_qual"), 60.0},
        {InstrumentId("financials_eufn"), 20.0}, {InstrumentId("value_ewg"), 150.0},
        {InstrumentId("value_ewu"), 900.0},     {InstrumentId("ig_lqd"), 100.0},
        {InstrumentId("hy_hyg"), 90.0},         {InstrumentId("loans_bkln"), 5.0},
        {InstrumentId("bdc_arcc"), 20.0},       {InstrumentId("hy_ihyg"), 8000.0},
    };
    in_.config = cfg_.get();
    in_.market = &market_;
  }
  static const PlannedOrder* find(const OrderPlan& plan, const char* id) {
    for (const auto& o : plan.orders) {
      if (o.instrument == InstrumentId(id)) return &o;
    }
    return nullptr;
  }
  std::unique_ptr<config::Config> cfg_;
  marketdata::FxRates fx_;
  strategy::MarketView market_;
  DecisionInputs in_;
};

TEST_F(DecisionTest, CashOnlyBookFirstDayBuildsTheBookAtScalingOne) {
  auto d = decide_day(portfolio::cash_only_book(1'000'000), in_);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_DOUBLE_EQ(d->valuation.nav_usd, 1'000'000);
  EXPECT_FALSE(d->today_return.has_value());
  // No history: vol = prior 12 % = target -> scaling 1.0; no VIX, no momentum: no reduction.
  EXPECT_NEAR(d->risk.scaling, 1.0, 1e-12);
  EXPECT_FALSE(d->risk.momentum.has_signal());
  const PlannedOrder* us = find(d->plan, "us_index_etf");
  const PlannedOrder* eu = find(d->plan, "eu_index_etf");
  const PlannedOrder* hedge = find(d->plan, "eurusd_micro");
  ASSERT_TRUE(us && eu && hedge);
  EXPECT_EQ(us->quantity, 250);   // 15 % ETF limit: 150,000 / 600
  EXPECT_EQ(eu->quantity, 717);   // 150,000 / 1.10 / 190 = 717.7
  EXPECT_EQ(hedge->quantity, 10); // 717 x 190 / 12,500 = 10.9
  EXPECT_EQ(eu->side, PlannedSide::kSell);
  bool seen_buy = false;
  for (const auto& o : d->plan.orders) {
    if (o.side == PlannedSide::kBuy) seen_buy = true;
    else EXPECT_FALSE(seen_buy) << "sell after a buy: " << o.instrument.str();
  }
}

TEST_F(DecisionTest, EmergencyDeriskGivesQuarterScalingAppliedOnce) {
  portfolio::Portfolio book = portfolio::cash_only_book(1'000'000);
  // 37 days falling 0.5 % a day from 1.2M: the peak is 1.2M, today 1.0M -> drawdown -16.7 %.
  Date d0 = kDay.add_days(-40);
  double nav = 1'200'000;
  for (int i = 0; i < 37; ++i, nav *= 0.995) book.record_nav(d0.add_days(i), nav);
  auto d = decide_day(book, in_);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_TRUE(d->risk.emergency_derisk);
  EXPECT_DOUBLE_EQ(d->risk.scaling, 0.25);
  // Core leg 1e6 x 0.35 x 0.25 / 2 = 43,750 / 600 = 72.9 -> 72 (not 0.075: no second reduction).
  const PlannedOrder* us = find(d->plan, "us_index_etf");
  ASSERT_NE(us, nullptr);
  EXPECT_EQ(us->quantity, 72);
}

TEST_F(DecisionTest, NavHistoryFromTheCallersArrayEqualsTheBooksAndLeavesTheBookUnchanged) {
  portfolio::Portfolio book = portfolio::cash_only_book(1'000'000);
  std::vector<double> navs;
  Date d0 = kDay.add_days(-40);
  double nav = 1'000'000;
  for (int i = 0; i < 37; ++i, nav *= (i % 3 == 0 ? 1.004 : 0.998)) {
    book.record_nav(d0.add_days(i), nav);
    navs.push_back(nav);
  }
  const std::string before = portfolio::portfolio_to_json(book).dump();
  auto from_book = decide_day(book, in_);
  DecisionInputs with_array = in_;
  with_array.nav_history_usd = navs;
  auto from_array = decide_day(book, with_array);
  ASSERT_TRUE(from_book.ok() && from_array.ok());
  EXPECT_EQ(from_book->nav_history_usd, from_array->nav_history_usd);
  EXPECT_EQ(from_book->nav_history_usd.size(), 38u);  // 37 days, then today's NAV
  EXPECT_EQ(from_book->today_return, from_array->today_return);
  EXPECT_EQ(from_book->risk.scaling, from_array->risk.scaling);
  EXPECT_EQ(from_book->plan.orders.size(), from_array->plan.orders.size());
  EXPECT_EQ(portfolio::portfolio_to_json(book).dump(), before);  // the caller's book is not marked or changed
}

TEST_F(DecisionTest, RunningTheSameDayTwiceAfterFillsPlansNothingMore) {
  portfolio::Portfolio book = portfolio::cash_only_book(1'000'000);
  auto first = decide_day(book, in_);
  ASSERT_TRUE(first.ok());
  for (const auto& o : first->plan.orders) {
    const double q = o.side == PlannedSide::kBuy ? o.quantity : -o.quantity;
    ASSERT_TRUE(book.apply_fill({o.instrument, o.sleeve, q, o.reference_price, {0, Currency::USD}}, cfg_->instruments).ok());
  }
  auto second = decide_day(book, in_);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->plan.orders.empty()) << second->plan.orders.size() << " orders, first "
                                            << (second->plan.orders.empty() ? "" : second->plan.orders[0].instrument.str());
}

TEST_F(DecisionTest, CallersValuationGivesTheSameDecisionAsValuingACopy) {
  // A held book (yesterday's orders filled), then prices move: the copy's marks change.
  portfolio::Portfolio book = portfolio::cash_only_book(1'000'000);
  auto first = decide_day(book, in_);
  ASSERT_TRUE(first.ok());
  for (const auto& o : first->plan.orders) {
    const double q = o.side == PlannedSide::kBuy ? o.quantity : -o.quantity;
    ASSERT_TRUE(book.apply_fill({o.instrument, o.sleeve, q, o.reference_price, {0, Currency::USD}}, cfg_->instruments).ok());
  }
  book.record_nav(kDay.add_days(-1), 1'000'000);
  const Date today = kDay.add_days(3);
  fx_.set_broker_rate(Currency::EUR, 1.05, today);
  fx_.set_broker_rate(Currency::GBP, 1.20, today);
  market_.as_of = today;
  for (auto& [id, price] : market_.prices) price *= id.str().size() % 2 == 0 ? 1.08 : 0.93;

  auto copied = decide_day(book, in_);
  ASSERT_TRUE(copied.ok()) << copied.error().message;
  // The caller's own valuation, as the backtest makes it: hedges marked, then the book valued.
  strategy::HedgePricingInputs pricing;
  pricing.risk_free_rate = cfg_->settings.backtest.risk_free_rate;
  strategy::mark_hedges(book.hedges(), market_, *cfg_, pricing);
  auto valued = book.value(today, market_.prices, cfg_->instruments, fx_);
  ASSERT_TRUE(valued.ok());
  DecisionInputs with_valuation = in_;
  with_valuation.valuation = &*valued;
  auto in_place = decide_day(book, with_valuation);
  ASSERT_TRUE(in_place.ok()) << in_place.error().message;

  EXPECT_NE(copied->valuation.nav_usd, 1'000'000.0);  // the prices moved the NAV
  EXPECT_EQ(in_place->valuation.nav_usd, copied->valuation.nav_usd);
  EXPECT_EQ(in_place->valuation.gross_exposure_usd, copied->valuation.gross_exposure_usd);
  EXPECT_EQ(in_place->risk.scaling, copied->risk.scaling);
  ASSERT_EQ(in_place->plan.orders.size(), copied->plan.orders.size());
  ASSERT_FALSE(copied->plan.orders.empty());
  for (std::size_t i = 0; i < copied->plan.orders.size(); ++i) {
    const PlannedOrder& a = in_place->plan.orders[i];
    const PlannedOrder& b = copied->plan.orders[i];
    EXPECT_EQ(a.client_order_id, b.client_order_id);
    EXPECT_EQ(a.quantity, b.quantity) << a.instrument.str();
    EXPECT_EQ(a.limit_price, b.limit_price) << a.instrument.str();
  }
  ASSERT_EQ(in_place->plan.skipped.size(), copied->plan.skipped.size());
  for (std::size_t i = 0; i < copied->plan.skipped.size(); ++i) {
    EXPECT_EQ(in_place->plan.skipped[i].message, copied->plan.skipped[i].message);
  }

  valued->as_of = kDay;  // a valuation of another day: a caller bug, stopped loudly
  EXPECT_DEATH((void)decide_day(book, with_valuation), "valuation is for another day");
}

// Property: whatever the NAV and the gross/net limits, the final target book stays within them.
TEST_F(DecisionTest, PropertyFinalTargetBookStaysWithinGrossAndNetLimits) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> nav(2e5, 5e7), gross(0.3, 2.0), net(0.05, 1.0);
  for (int trial = 0; trial < 40; ++trial) {
    auto cfg = *cfg_;
    cfg.settings.gross_leverage_max = gross(rng);
    cfg.settings.net_leverage_max = net(rng);
    DecisionInputs in = in_;
    in.config = &cfg;
    const double n = nav(rng);
    auto d = decide_day(portfolio::cash_only_book(n), in);
    ASSERT_TRUE(d.ok()) << d.error().message;
    double g = 0, net_usd = 0;
    for (const auto& l : d->strategy.all_lines()) {
      g += std::abs(l.notional_usd);
      net_usd += l.notional_usd;
    }
    EXPECT_LE(g, cfg.settings.gross_leverage_max * n + 1e-6) << "trial " << trial;
    EXPECT_LE(std::abs(net_usd), cfg.settings.net_leverage_max * n + 1e-6) << "trial " << trial;
  }
}

TEST_F(DecisionTest, NonPositiveNavIsRefusedWithAnActionableMessage) {
  auto d = decide_day(portfolio::cash_only_book(0), in_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kRefused);
  EXPECT_NE(d.error().message.find("NAV"), std::string::npos);
}

}  // namespace
}  // namespace af::execution
