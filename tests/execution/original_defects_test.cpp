// One regression test per defect of original-system.md §7 (items 1-20) that belongs to the
// decision layer and is not already covered by a test named after it elsewhere:
//   01 tests/execution/order_planner_test.cpp, 09/10/19 tests/strategy/tail_hedge_test.cpp,
//   11 tests/strategy/sleeves_test.cpp, 14-18 tests/risk/original_defects_test.cpp.
// Items 8 (futures months) and 20/3-in-live belong to the broker and engine layers.
#include <gtest/gtest.h>

#include <random>

#include "config/config.hpp"
#include "execution/daily_decision.hpp"
#include "portfolio/portfolio.hpp"
#include "portfolio/portfolio_json.hpp"
#include "strategy/sleeves.hpp"

namespace af {
namespace {

using config::Sleeve;
const Date kDay(2024, 3, 1);

class OriginalDefects : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cfg = config::load_config(std::string(AF_SOURCE_DIR) + "/config", {});
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    cfg_ = std::make_unique<config::Config>(std::move(*cfg));
    fx_.set_broker_rate(Currency::EUR, 1.10, kDay);
    fx_.set_broker_rate(Currency::GBP, 1.25, kDay);
  }
  const config::InstrumentUniverse& u() const { return cfg_->instruments; }
  std::unique_ptr<config::Config> cfg_;
  marketdata::FxRates fx_;
};

TEST_F(OriginalDefects, OriginalDefect02_BrokerSyncReplacesPositionsInsteadOfMerging) {
  portfolio::Portfolio book;
  book.set_position({InstrumentId("ig_lqd"), Sleeve::kCreditCarry, 500, 100, 100.0, 0});
  book.set_position({InstrumentId("bdc_arcc"), Sleeve::kCreditCarry, 300, 20, 20.0, 0});
  book.replace_from_broker({{InstrumentId("ig_lqd"), 500, 100}}, u());
  EXPECT_EQ(book.quantity(InstrumentId("bdc_arcc")), 0);  // closed at the broker: no phantom
  EXPECT_EQ(book.quantity(InstrumentId("ig_lqd")), 500);
}

TEST_F(OriginalDefects, OriginalDefect03_NewBookCashIsNotTheBacktestCapital) {
  // settings: backtest.initial_capital 10,000,000 vs portfolio.new_book_initial_cash 1,000,000.
  EXPECT_DOUBLE_EQ(cfg_->settings.backtest.initial_capital, 10'000'000);
  auto book = portfolio::cash_only_book(cfg_->settings.portfolio.new_book_initial_cash);
  EXPECT_DOUBLE_EQ(book.cash(Currency::USD), 1'000'000);
}

TEST_F(OriginalDefects, OriginalDefect04_FillsMoveCashSoNavDoesNotInflate) {
  portfolio::Portfolio book = portfolio::cash_only_book(1'000'000);
  // Buying 1000 ARCC at 20 used to add 20,000 of "value" with cash unchanged (+2 % NAV).
  ASSERT_TRUE(book.apply_fill({InstrumentId("bdc_arcc"), Sleeve::kCreditCarry, 1000, 20.0, {0, Currency::USD}}, u()).ok());
  auto v = book.value(kDay, {{InstrumentId("bdc_arcc"), 20.0}}, u(), fx_);
  ASSERT_TRUE(v.ok());
  EXPECT_DOUBLE_EQ(v->nav_usd, 1'000'000);
}

TEST_F(OriginalDefects, OriginalDefect05_NavConvertsEurAndGbpToUsd) {
  portfolio::Portfolio book;
  book.set_cash(Currency::EUR, 100'000);  // 110,000 USD at 1.10, not 100,000
  book.set_cash(Currency::GBP, 100'000);  // 125,000 USD at 1.25
  auto v = book.value(kDay, {}, u(), fx_);
  ASSERT_TRUE(v.ok());
  EXPECT_DOUBLE_EQ(v->nav_usd, 235'000);
}

TEST_F(OriginalDefects, OriginalDefect06_PenceQuotesAreDividedByOneHundredExactlyOnce) {
  portfolio::Portfolio book;
  // IUKD 1000 shares at 900 GBX = 9,000 GBP = 11,250 USD (not 900,000 GBP).
  book.set_position({InstrumentId("value_ewu"), Sleeve::kSectorRv, 1000, 900, std::nullopt, 0});
  auto v = book.value(kDay, {{InstrumentId("value_ewu"), 900.0}}, u(), fx_);
  ASSERT_TRUE(v.ok());
  EXPECT_DOUBLE_EQ(v->nav_usd, 11'250);
}

TEST_F(OriginalDefects, OriginalDefect07_FuturesMultiplierIsAppliedOnce) {
  portfolio::Portfolio book;
  // 10 M6E bought at 1.0800 (avg price per unit; the broker adapter divides IB's avgCost by
  // 12,500), marked 1.0900: open P&L = 10 x 0.01 x 12,500 = 1,250 USD (not x 12,500 twice).
  book.set_position({InstrumentId("eurusd_micro"), Sleeve::kCoreIndexRv, 10, 1.08, std::nullopt, 0});
  auto v = book.value(kDay, {{InstrumentId("eurusd_micro"), 1.09}}, u(), fx_);
  ASSERT_TRUE(v.ok());
  EXPECT_NEAR(v->nav_usd, 1'250, 1e-6);
  EXPECT_NEAR(v->gross_exposure_usd, 10 * 1.09 * 12'500, 1e-6);
}

TEST_F(OriginalDefects, OriginalDefect12_PositionsKeepTheirSleeve) {
  portfolio::Portfolio book;
  book.replace_from_broker({{InstrumentId("ig_lqd"), 100, 100}, {InstrumentId("tech_xlk"), 50, 30}}, u());
  EXPECT_EQ(book.quantity(InstrumentId("ig_lqd"), Sleeve::kCreditCarry), 100);
  EXPECT_EQ(book.quantity(InstrumentId("tech_xlk"), Sleeve::kSectorRv), 50);
  EXPECT_EQ(book.quantity(InstrumentId("ig_lqd"), Sleeve::kCoreIndexRv), 0);
}

TEST_F(OriginalDefects, OriginalDefect13_EuCreditShortIsPlaced) {
  strategy::MarketView m;
  m.as_of = kDay;
  m.fx = &fx_;
  m.prices = {{InstrumentId("hy_ihyg"), 8000.0}, {InstrumentId("ig_lqd"), 100.0}};
  strategy::StrategyInputs in;
  in.nav_usd = 1'000'000;
  in.market = &m;
  auto out = strategy::compute_targets(*cfg_, in);
  Quantity ihyg = 0;
  for (const auto& l : out.all_lines()) if (l.instrument == InstrumentId("hy_ihyg")) ihyg += l.quantity;
  EXPECT_EQ(ihyg, -450);  // 45,000 USD / 1.25 / 80.00 GBP
}

// Property over random books and prices: a fill changes NAV only by its commission.
TEST_F(OriginalDefects, PropertyAFillChangesNavOnlyByItsCommission) {
  std::mt19937 rng(42);
  const char* ids[] = {"us_index_etf", "eu_index_etf", "value_ewu", "eurusd_micro", "ig_lqd", "eu_index_future"};
  std::uniform_real_distribution<double> price(0.5, 500.0), qty(-300, 300), comm(0, 25);
  std::uniform_int_distribution<int> pick(0, 5);
  for (int trial = 0; trial < 300; ++trial) {
    portfolio::Portfolio book;
    book.set_cash(Currency::USD, 1e6);
    book.set_cash(Currency::EUR, 2e5);
    portfolio::Marks marks;
    for (const char* id : ids) {
      marks[InstrumentId(id)] = price(rng);
      book.set_position({InstrumentId(id), Sleeve::kCoreIndexRv, std::round(qty(rng)), price(rng), std::nullopt, 0});
    }
    auto before = book.value(kDay, marks, u(), fx_);
    ASSERT_TRUE(before.ok());
    const InstrumentId id(ids[pick(rng)]);
    double q = std::round(qty(rng));
    if (q == 0) q = 1;
    const double c = comm(rng);
    // Filled at the mark: the book's value moves between cash and positions only.
    ASSERT_TRUE(book.apply_fill({id, Sleeve::kCoreIndexRv, q, marks[id], {c, Currency::USD}}, u()).ok());
    auto after = book.value(kDay, marks, u(), fx_);
    ASSERT_TRUE(after.ok());
    EXPECT_NEAR(after->nav_usd - before->nav_usd, -c, 1e-6 * std::max(1.0, before->nav_usd)) << "trial " << trial;
  }
}

}  // namespace
}  // namespace af
