// The simulated broker and the historical backtest. Every expected number is a hand calculation
// written next to it (prices, slippage, commissions from settings.yaml's IB tiered schedule).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>

#include "backtest/backtest.hpp"
#include "backtest/report.hpp"
#include "backtest/sim_broker.hpp"
#include "config/config.hpp"
#include "three_instruments.hpp"

namespace af::backtest {
namespace {

using execution::PlannedOrder;
using execution::PlannedSide;

const Date kFri(2024, 3, 1);
const Date kMon(2024, 3, 4);

// ------------------------------------------------------------------------------------------
// Simulated broker, on the shipped instruments.

class BacktestSimBroker : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cfg = config::load_config(std::string(AF_SOURCE_DIR) + "/config", {});
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    cfg_ = std::make_unique<config::Config>(std::move(*cfg));
    fx_.set_broker_rate(Currency::EUR, 1.10, kMon);
    fx_.set_broker_rate(Currency::GBP, 1.25, kMon);
    settings_.fill_model = config::FillModel::kNextOpen;
    settings_.commission = config::CommissionSettings{};  // the shipped IB tiered schedule
    settings_.slippage_bps = 5.0;
    settings_.cash_rate_annual = 0.02;
    settings_.borrow_spread_annual = 0.005;
  }
  static PlannedOrder order(const char* id, PlannedSide side, double qty, double limit, config::Sleeve sleeve) {
    PlannedOrder o;
    o.client_order_id = std::string("test-") + id;
    o.instrument = InstrumentId(id);
    o.side = side;
    o.quantity = qty;
    o.limit_price = limit;
    o.sleeve = sleeve;
    o.allocation = {{sleeve, side == PlannedSide::kBuy ? qty : -qty}};
    return o;
  }
  std::unique_ptr<config::Config> cfg_;
  marketdata::FxRates fx_;
  SimBrokerSettings settings_;
};

TEST_F(BacktestSimBroker, NextOpenBuyFillsAtOpenPlusSlippageWithPerShareCommission) {
  SimBroker broker(cfg_->instruments, settings_);
  auto o = order("us_index_etf", PlannedSide::kBuy, 1000, 500.50, config::Sleeve::kCoreIndexRv);
  auto e = broker.execute(o, kFri, kMon, ExecutionPrices{500.0, 510.0}, fx_);
  ASSERT_TRUE(e.ok()) << e.error().message;
  ASSERT_TRUE(e->filled);
  EXPECT_DOUBLE_EQ(e->market_price, 500.0);               // the open, not the close
  EXPECT_NEAR(e->fill_price, 500.25, 1e-9);               // 500 x 1.0005
  EXPECT_NEAR(e->notional_usd, 500'250.0, 1e-6);          // 1000 x 500.25
  EXPECT_NEAR(e->slippage_usd, 250.0, 1e-6);              // 1000 x 0.25
  EXPECT_NEAR(e->commission_usd, 3.5, 1e-12);             // 1000 x 0.0035, above the 0.35 minimum
  EXPECT_EQ(e->commission.currency, Currency::USD);
  EXPECT_DOUBLE_EQ(e->signed_quantity, 1000);
}

TEST_F(BacktestSimBroker, UsStockCommissionMinimumAndPercentCap) {
  SimBroker broker(cfg_->instruments, settings_);
  const config::Instrument& etf = cfg_->instruments.at(InstrumentId("us_index_etf"));
  EXPECT_NEAR(*broker.commission_usd(etf, 10, 200.0), 0.35, 1e-12);    // 0.035 < minimum 0.35
  EXPECT_NEAR(*broker.commission_usd(etf, 1, 10.0), 0.10, 1e-12);      // min 0.35 capped at 1 % of 10
  EXPECT_NEAR(*broker.commission_usd(etf, -1000, 5e5), 3.5, 1e-12);    // sign of quantity ignored
}

TEST_F(BacktestSimBroker, GbxSellAtSameCloseConvertsPenceAndChargesEuropeanMinimumInPounds) {
  settings_.fill_model = config::FillModel::kSameClose;
  SimBroker broker(cfg_->instruments, settings_);
  auto o = order("value_ewu", PlannedSide::kSell, 100, 1998.0, config::Sleeve::kSectorRv);
  auto e = broker.execute(o, kMon, kMon, ExecutionPrices{1990.0, 2000.0}, fx_);
  ASSERT_TRUE(e.ok()) << e.error().message;
  ASSERT_TRUE(e->filled);
  EXPECT_DOUBLE_EQ(e->market_price, 2000.0);              // the close
  EXPECT_NEAR(e->fill_price, 1999.0, 1e-9);               // 2000 x 0.9995 pence, >= limit 1998
  // 100 x 1999 GBX = 1999 GBP x 1.25 = 2498.75 USD.
  EXPECT_NEAR(e->notional_usd, 2498.75, 1e-9);
  EXPECT_NEAR(e->slippage_usd, 1.25, 1e-9);               // 100 x 1 GBX = 1 GBP
  // 0.05 % x 2498.75 = 1.249 USD < minimum 1.5 USD -> 1.5 USD = 1.2 GBP.
  EXPECT_NEAR(e->commission_usd, 1.5, 1e-12);
  EXPECT_EQ(e->commission.currency, Currency::GBP);
  EXPECT_NEAR(e->commission.amount, 1.2, 1e-12);
}

TEST_F(BacktestSimBroker, FuturesPerContractAndFxPercentage) {
  SimBroker broker(cfg_->instruments, settings_);
  auto es = broker.execute(order("us_index_future", PlannedSide::kBuy, 2, 4010.0, config::Sleeve::kCoreIndexRv),
                           kFri, kMon, ExecutionPrices{4000.0, 4100.0}, fx_);
  ASSERT_TRUE(es.ok() && es->filled);
  EXPECT_NEAR(es->fill_price, 4002.0, 1e-9);
  EXPECT_NEAR(es->notional_usd, 2 * 4002.0 * 50, 1e-6);   // multiplier once
  EXPECT_NEAR(es->commission_usd, 1.70, 1e-12);           // 2 x 0.85
  const config::Instrument& spot = cfg_->instruments.at(InstrumentId("eurusd_spot"));
  EXPECT_NEAR(*broker.commission_usd(spot, 1e6, 1.1e6), 22.0, 1e-9);  // 0.2 bps x 1.1M
  EXPECT_NEAR(*broker.commission_usd(spot, 1e4, 1.1e4), 2.0, 1e-12);  // minimum
}

TEST_F(BacktestSimBroker, FixedBpsModelChargesBpsOfValueInListingCurrency) {
  settings_.commission.model = config::CommissionModel::kFixedBps;
  settings_.commission.fixed_bps = 2.0;
  SimBroker broker(cfg_->instruments, settings_);
  auto e = broker.execute(order("eu_index_etf", PlannedSide::kBuy, 100, 200.0, config::Sleeve::kCoreIndexRv), kFri,
                          kMon, ExecutionPrices{190.0, 191.0}, fx_);
  ASSERT_TRUE(e.ok() && e->filled);
  // 100 x 190.095 EUR x 1.10 = 20,910.45 USD; 2 bps = 4.182090 USD = 3.80190 EUR.
  EXPECT_NEAR(e->notional_usd, 20'910.45, 1e-6);
  EXPECT_NEAR(e->commission_usd, 4.18209, 1e-9);
  EXPECT_EQ(e->commission.currency, Currency::EUR);
  EXPECT_NEAR(e->commission.amount, 3.8019, 1e-9);
}

TEST_F(BacktestSimBroker, LimitNotReachedAndNoBarLeaveTheOrderUnfilled) {
  SimBroker broker(cfg_->instruments, settings_);
  // Buy limit 100.00, open 100.00: 100.05 after slippage is above the limit.
  auto e = broker.execute(order("us_index_etf", PlannedSide::kBuy, 10, 100.0, config::Sleeve::kCoreIndexRv), kFri,
                          kMon, ExecutionPrices{100.0, 99.0}, fx_);
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->filled);
  EXPECT_EQ(e->unfilled_reason, "limit_not_reached");
  // Sell limit 100.00, open 100.10: 100.04995 >= 100 fills.
  auto s = broker.execute(order("us_index_etf", PlannedSide::kSell, 10, 100.0, config::Sleeve::kCoreIndexRv), kFri,
                          kMon, ExecutionPrices{100.10, 99.0}, fx_);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->filled);
  EXPECT_NEAR(s->fill_price, 100.04995, 1e-9);
  auto none = broker.execute(order("us_index_etf", PlannedSide::kBuy, 10, 100.0, config::Sleeve::kCoreIndexRv), kFri,
                             kMon, std::nullopt, fx_);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->filled);
  EXPECT_EQ(none->unfilled_reason, "no_bar");
}

TEST_F(BacktestSimBroker, MarketOrderIgnoresLimitAndCloseOnlySeriesFillsAtClose) {
  SimBroker broker(cfg_->instruments, settings_);
  auto o = order("us_index_etf", PlannedSide::kBuy, 10, 0.0, config::Sleeve::kCoreIndexRv);
  o.market_order = true;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto e = broker.execute(o, kFri, kMon, ExecutionPrices{nan, 120.0}, fx_);
  ASSERT_TRUE(e.ok() && e->filled);
  EXPECT_TRUE(e->used_close_for_open);
  EXPECT_NEAR(e->fill_price, 120.06, 1e-9);
}

TEST_F(BacktestSimBroker, InterestActual360WithBorrowSpreadOnNegativeBalances) {
  SimBroker broker(cfg_->instruments, settings_);
  // Friday -> Monday = 3 calendar days.
  auto i = broker.interest({{Currency::USD, 1'000'000.0}, {Currency::EUR, -100'000.0}}, kFri, kMon);
  EXPECT_NEAR(i[Currency::USD], 1e6 * 0.02 * 3 / 360, 1e-9);      // 166.67
  EXPECT_NEAR(i[Currency::EUR], -1e5 * 0.025 * 3 / 360, 1e-9);    // -20.83
  EXPECT_TRUE(broker.interest({{Currency::USD, 1e6}}, kMon, kMon).empty());
}

TEST_F(BacktestSimBroker, BookFillsSplitTheOrderAndCommissionAcrossSleeves) {
  SimBroker broker(cfg_->instruments, settings_);
  auto o = order("us_index_etf", PlannedSide::kBuy, 1000, 600.0, config::Sleeve::kCoreIndexRv);
  o.allocation = {{config::Sleeve::kCoreIndexRv, 750}, {config::Sleeve::kSectorRv, 250}};
  auto e = broker.execute(o, kFri, kMon, ExecutionPrices{500.0, 500.0}, fx_);
  ASSERT_TRUE(e.ok() && e->filled);
  auto fills = broker.book_fills(*e);
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].sleeve, config::Sleeve::kCoreIndexRv);
  EXPECT_DOUBLE_EQ(fills[0].quantity, 750);
  EXPECT_NEAR(fills[0].commission.amount, 3.5 * 0.75, 1e-12);
  EXPECT_DOUBLE_EQ(fills[1].quantity, 250);
  EXPECT_NEAR(fills[1].commission.amount, 3.5 * 0.25, 1e-12);
  EXPECT_DOUBLE_EQ(fills[1].price, e->fill_price);
}

// ------------------------------------------------------------------------------------------
// The backtest on the constructed three-instrument market.

// Mon 2024-03-04 .. Thu 2024-03-07 after 70 history days.
struct ThreeDayMarket {
  std::unique_ptr<config::Config> cfg = testing::three_config();
  std::vector<Date> dates = testing::weekdays_ending(Date(2024, 3, 7), 74);
  std::vector<testing::DayPrices> days = {
      // us open/close, eu open/close, eurusd open/close
      {100.00, 100.0, 50.00, 50.0, 1.25, 1.25},  // D1 Mon: the book is planned at these closes
      {100.02, 101.0, 49.99, 50.5, 1.25, 1.26},  // D2 Tue: filled at these opens
      {101.00, 99.0, 50.50, 49.0, 1.26, 1.24},   // D3 Wed
      {99.00, 102.0, 49.00, 50.0, 1.24, 1.25},   // D4 Thu
  };
  std::unique_ptr<strategy::MarketHistory> history =
      std::make_unique<strategy::MarketHistory>(*cfg, testing::three_series(dates, days));
};

TEST(BacktestThree, PnlMatchesTheHandCalculation) {
  ThreeDayMarket m;
  BacktestOptions opt = backtest_options_from(m.cfg->settings, Date(2024, 3, 4), Date(2024, 3, 7));
  ASSERT_EQ(opt.broker.fill_model, config::FillModel::kNextOpen);
  auto r = run_backtest(*m.cfg, *m.history, opt);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->days.size(), 4u);

  // D1: NAV 1,000,000, cash only. Core leg = 1e6 x 0.5 x 1.0 / 2 = 250,000 USD:
  //   us_etf  +250,000 / 100 = 2500;  eu_etf  -250,000 / 1.25 / 50 = -4000;
  //   eur_fut -trunc(4000 x 50 EUR / 12,500) = -16.
  EXPECT_DOUBLE_EQ(r->days[0].nav_usd, 1'000'000.0);
  EXPECT_DOUBLE_EQ(r->days[0].scaling, 1.0);
  EXPECT_EQ(r->days[0].orders_planned, 3);
  ASSERT_EQ(r->executions.size(), 3u) << trades_csv(*r);
  for (const auto& e : r->executions) {
    EXPECT_TRUE(e.filled) << e.order.instrument.str() << " " << e.unfilled_reason;
    EXPECT_EQ(e.decision_date, Date(2024, 3, 4));
    EXPECT_EQ(e.fill_date, Date(2024, 3, 5));
  }
  auto exec_of = [&](const char* id) {
    for (const auto& e : r->executions)
      if (e.order.instrument == InstrumentId(id)) return e;
    ADD_FAILURE() << "no execution for " << id;
    return SimExecution{};
  };
  EXPECT_DOUBLE_EQ(exec_of("us_etf").signed_quantity, 2500);
  EXPECT_DOUBLE_EQ(exec_of("eu_etf").signed_quantity, -4000);
  EXPECT_DOUBLE_EQ(exec_of("eur_fut").signed_quantity, -16);

  // D2 fills at the opens with 5 bps slippage:
  const double us_fill = 100.02 * 1.0005;   // 100.07001 USD
  const double eu_fill = 49.99 * 0.9995;    // 49.965005 EUR
  const double fut_fill = 1.25 * 0.9995;    // 1.249375
  EXPECT_NEAR(exec_of("us_etf").fill_price, us_fill, 1e-12);
  EXPECT_NEAR(exec_of("eu_etf").fill_price, eu_fill, 1e-12);
  EXPECT_NEAR(exec_of("eur_fut").fill_price, fut_fill, 1e-12);
  // Commissions: US 2500 x 0.0035 = 8.75 USD; future 16 x 0.85 = 13.60 USD;
  // EU 0.05 % of 4000 x 49.965005 x 1.26 (D2 FX) = 125.9118 USD, paid in EUR at 1.26.
  const double eu_comm_usd = 0.0005 * 4000 * eu_fill * 1.26;
  EXPECT_NEAR(exec_of("us_etf").commission_usd, 8.75, 1e-9);
  EXPECT_NEAR(exec_of("eur_fut").commission_usd, 13.60, 1e-9);
  EXPECT_NEAR(exec_of("eu_etf").commission_usd, eu_comm_usd, 1e-9);

  // Cash after D2: interest on D1's cash for one day at 3.6 %/360 = 0.0001 a day.
  double usd = 1'000'000.0 * (1 + 0.0001);                  // 1,000,100
  usd -= 2500 * us_fill + 8.75 + 13.60;                     // ETF paid in cash; the future is not
  double eur = 4000 * eu_fill - eu_comm_usd / 1.26;         // short-sale proceeds less commission
  // D2 close: us 101, eu 50.5, eurusd 1.26.
  double nav2 = usd + 2500 * 101.0 + (eur - 4000 * 50.5) * 1.26 + (-16) * (1.26 - fut_fill) * 12'500;
  EXPECT_NEAR(r->days[1].nav_usd, nav2, 1e-6);              // 997,455.34
  EXPECT_NEAR(nav2, 997'455.338, 1e-3);
  EXPECT_NEAR(r->days[1].daily_return, nav2 / 1e6 - 1, 1e-12);
  // D2..D4: the core sleeve's weight drift stays below the 5 % rebalance threshold, nothing more
  // is traded. D2: target gross 2468 x 101 + 3919 x 50.5 x 1.26 + 15 x 12,500 x 1.26 = 734,883
  // vs held 2500 x 101 + 4000 x 50.5 x 1.26 + 16 x 12,500 x 1.26 = 759,020: 2.4 % of NAV.
  // D3: 2535 x 99 + 4131 x 49 x 1.24 + 16 x 12,500 x 1.24 = 749,965 vs 738,540: 1.1 %.
  EXPECT_EQ(r->days[1].orders_planned, 0);
  EXPECT_EQ(r->days[2].orders_planned, 0);

  // D3: interest on both balances, then close us 99, eu 49, eurusd 1.24.
  usd *= 1.0001;
  eur *= 1.0001;
  const double nav3 = usd + 2500 * 99.0 + (eur - 4000 * 49.0) * 1.24 + (-16) * (1.24 - fut_fill) * 12'500;
  EXPECT_NEAR(r->days[2].nav_usd, nav3, 1e-6);              // 1,004,039.90
  // Attribution of D3: core = us 2500 x (99 - 101) + eu -4000 x (49 x 1.24 - 50.5 x 1.26)
  //                          + future -16 x (1.24 - 1.26) x 12,500 = -5000 + 11,480 + 4000.
  EXPECT_NEAR(r->days[2].sleeve_pnl_usd[0], 10'480.0, 1e-6);
  EXPECT_NEAR(r->days[2].other_pnl_usd, nav3 - nav2 - 10'480.0, 1e-6);

  // D4: close us 102, eu 50, eurusd 1.25.
  usd *= 1.0001;
  eur *= 1.0001;
  const double nav4 = usd + 2500 * 102.0 + (eur - 4000 * 50.0) * 1.25 + (-16) * (1.25 - fut_fill) * 12'500;
  EXPECT_NEAR(r->days[3].nav_usd, nav4, 1e-6);
  // Drawdown vs the running peak (1,004,039.90 on D3).
  EXPECT_NEAR(r->days[3].drawdown, std::min(0.0, nav4 / std::max({1e6, nav2, nav3, nav4}) - 1), 1e-12);
  EXPECT_EQ(r->days[3].regime, risk::Regime::kNormal);
}

TEST(BacktestThree, SameCloseFillsAtTheDecisionClose) {
  ThreeDayMarket m;
  BacktestOptions opt = backtest_options_from(m.cfg->settings, Date(2024, 3, 4), Date(2024, 3, 5));
  opt.broker.fill_model = config::FillModel::kSameClose;
  auto r = run_backtest(*m.cfg, *m.history, opt);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->executions.size(), 3u);
  // US: 2500 at 100 x 1.0005 on D1 itself; the NAV of D1 loses the slippage and commissions:
  // slippage 2500 x 0.05 + 4000 x 0.025 x 1.25 + 16 x 12,500 x 0.000625 = 125 + 125 + 125;
  // commissions 8.75 + 0.0005 x 4000 x 49.975 x 1.25 + 13.60.
  double slip = 125.0 + 125.0 + 125.0;
  double comm = 8.75 + 0.0005 * 4000 * 49.975 * 1.25 + 13.60;
  for (const auto& e : r->executions) EXPECT_EQ(e.fill_date, Date(2024, 3, 4));
  EXPECT_NEAR(r->days[0].nav_usd, 1e6 - slip - comm, 1e-6);
}

// No look-ahead: poisoning every bar after day t with NaN leaves every decision up to t
// unchanged (the decision at t can only have read data up to t).
TEST(BacktestThree, DecisionAtDayTReadsNoDataAfterT) {
  auto cfg = testing::three_config();
  std::mt19937 rng(11);
  std::normal_distribution<double> n01(0.0, 1.0);
  const int kDays = 60;
  std::vector<Date> dates = testing::weekdays_ending(Date(2024, 6, 28), 70 + kDays);
  std::vector<testing::DayPrices> days;
  double us = 100, eu = 50, fx = 1.25;
  for (int i = 0; i < kDays; ++i) {
    const double us_o = us * (1 + 0.002 * n01(rng)), eu_o = eu * (1 + 0.002 * n01(rng)), fx_o = fx * (1 + 0.001 * n01(rng));
    us = us_o * (1 + 0.012 * n01(rng));
    eu = eu_o * (1 + 0.012 * n01(rng));
    fx = fx_o * (1 + 0.005 * n01(rng));
    days.push_back({us_o, us, eu_o, eu, fx_o, fx});
  }
  const Date from = dates[70], to = dates.back();
  const Date t = dates[70 + 40];

  struct Seen {
    Date as_of;
    double nav, scaling;
    std::vector<std::tuple<std::string, double, double>> orders;
    bool operator==(const Seen&) const = default;
  };
  auto run = [&](std::map<std::string, strategy::SeriesData> series) {
    strategy::MarketHistory history(*cfg, std::move(series));
    std::vector<Seen> seen;
    BacktestOptions opt = backtest_options_from(cfg->settings, from, to);
    opt.on_decision = [&](const execution::DailyDecision& d) {
      Seen s{d.as_of, d.valuation.nav_usd, d.risk.scaling, {}};
      for (const auto& o : d.plan.orders) s.orders.emplace_back(o.instrument.str(), o.quantity, o.limit_price);
      seen.push_back(std::move(s));
    };
    auto r = run_backtest(*cfg, history, opt);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return seen;
  };
  const auto clean = run(testing::three_series(dates, days));
  auto poisoned_series = testing::three_series(dates, days);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (auto& [id, s] : poisoned_series) {
    for (auto& b : s.bars) {
      if (b.date > t) b.open = b.high = b.low = b.close = nan;
    }
  }
  const auto poisoned = run(std::move(poisoned_series));

  ASSERT_EQ(clean.size(), static_cast<std::size_t>(kDays));
  std::size_t compared = 0;
  bool traded_after_first_day = false;
  for (std::size_t i = 0; i < clean.size() && clean[i].as_of <= t; ++i) {
    ASSERT_LT(i, poisoned.size());
    EXPECT_EQ(clean[i], poisoned[i]) << "decision on " << clean[i].as_of.iso() << " changed";
    if (i > 0 && !clean[i].orders.empty()) traded_after_first_day = true;
    ++compared;
  }
  EXPECT_EQ(compared, 41u);
  EXPECT_EQ(poisoned.back().as_of, t);  // the poisoned run has no day after t
  // The comparison is not vacuous: the book moved and was re-planned.
  EXPECT_TRUE(traded_after_first_day);
  EXPECT_NE(clean[40].nav, clean[0].nav);
}

// The three instruments over 150 weekdays ending 2024-06-28, the last 80 closes a seeded random
// walk: a market on which the strategy keeps trading after its first day.
struct RandomWalkMarket {
  std::vector<Date> dates;
  std::unique_ptr<strategy::MarketHistory> history;
};
RandomWalkMarket random_walk_market(const config::Config& cfg, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n01(0.0, 1.0);
  RandomWalkMarket m;
  m.dates = testing::weekdays_ending(Date(2024, 6, 28), 70 + 80);
  std::vector<testing::DayPrices> days;
  double us = 100, eu = 50, fx = 1.25;
  for (int i = 0; i < 80; ++i) {
    us *= 1 + 0.012 * n01(rng);
    eu *= 1 + 0.012 * n01(rng);
    fx *= 1 + 0.004 * n01(rng);
    days.push_back({us * 0.999, us, eu * 1.001, eu, fx, fx});
  }
  m.history = std::make_unique<strategy::MarketHistory>(cfg, testing::three_series(m.dates, days));
  return m;
}

TEST(BacktestThree, SnapshotPrefetchThreadGivesIdenticalResults) {
  auto cfg = testing::three_config();
  const RandomWalkMarket m = random_walk_market(*cfg, 3);
  BacktestOptions opt = backtest_options_from(cfg->settings, m.dates[70], m.dates.back());
  opt.prefetch_snapshots = false;
  auto inline_run = run_backtest(*cfg, *m.history, opt);
  opt.prefetch_snapshots = true;
  auto prefetched = run_backtest(*cfg, *m.history, opt);
  ASSERT_TRUE(inline_run.ok() && prefetched.ok());
  EXPECT_EQ(equity_csv(*inline_run), equity_csv(*prefetched));
  EXPECT_EQ(trades_csv(*inline_run), trades_csv(*prefetched));
  EXPECT_GT(inline_run->executions.size(), 3u);
}

// record_details off (the full-strategy Monte Carlo) drops the execution records and the
// attribution only: NAV, returns and fill counts stay those of the full run, whose NAV the hand
// calculation above checks.
TEST(BacktestThree, WithoutDetailsTheNavAndFillCountsAreUnchanged) {
  auto cfg = testing::three_config();
  const RandomWalkMarket m = random_walk_market(*cfg, 5);
  BacktestOptions opt = backtest_options_from(cfg->settings, m.dates[70], m.dates.back());
  auto full = run_backtest(*cfg, *m.history, opt);
  opt.record_details = false;
  auto lean = run_backtest(*cfg, *m.history, opt);
  ASSERT_TRUE(full.ok() && lean.ok());
  ASSERT_EQ(full->days.size(), lean->days.size());
  int filled = 0;
  for (const auto& e : full->executions) filled += e.filled ? 1 : 0;
  ASSERT_GT(filled, 3);  // the book traded after the first day: the comparison is not vacuous
  int lean_filled = 0;
  for (std::size_t i = 0; i < full->days.size(); ++i) {
    const auto& a = full->days[i];
    const auto& b = lean->days[i];
    EXPECT_EQ(a.nav_usd, b.nav_usd) << i;
    EXPECT_EQ(a.daily_return, b.daily_return) << i;
    EXPECT_EQ(a.orders_filled, b.orders_filled) << i;
    EXPECT_EQ(a.orders_planned, b.orders_planned) << i;
    EXPECT_EQ(a.commission_usd, b.commission_usd) << i;
    for (double pnl : b.sleeve_pnl_usd) EXPECT_EQ(pnl, 0.0) << i;
    EXPECT_EQ(b.other_pnl_usd, 0.0) << i;
    lean_filled += b.orders_filled;
  }
  EXPECT_EQ(lean_filled, filled);
  EXPECT_TRUE(lean->executions.empty());
}

TEST(BacktestThree, CsvFilesHaveTheDocumentedColumns) {
  ThreeDayMarket m;
  auto r = run_backtest(*m.cfg, *m.history, backtest_options_from(m.cfg->settings, Date(2024, 3, 4), Date(2024, 3, 7)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::string eq = equity_csv(*r);
  std::istringstream in(eq);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "date,nav,daily_return,drawdown,scaling,regime");
  std::getline(in, line);
  EXPECT_EQ(line, "2024-03-04,1000000.00,0,0,1,NORMAL");
  int rows = 1;
  while (std::getline(in, line)) {
    ++rows;
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), 5) << line;
  }
  EXPECT_EQ(rows, 4);

  const std::string tr = trades_csv(*r);
  std::istringstream tin(tr);
  std::getline(tin, line);
  EXPECT_EQ(line, kTradesCsvHeader);
  const auto columns = std::count(line.begin(), line.end(), ',');
  EXPECT_EQ(columns, 19);
  int trades = 0;
  while (std::getline(tin, line)) {
    ++trades;
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), columns) << line;
    EXPECT_NE(line.find(",filled,"), std::string::npos) << line;
  }
  EXPECT_EQ(trades, 3);
  EXPECT_NE(tr.find("2024-03-04,2024-03-05,"), std::string::npos);
}

TEST(BacktestThree, MetricsJsonCarriesMetricsSourcesAndAssumptions) {
  ThreeDayMarket m;
  auto r = run_backtest(*m.cfg, *m.history, backtest_options_from(m.cfg->settings, Date(2024, 3, 4), Date(2024, 3, 7)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto metrics = backtest_metrics(*r, 0.036);
  ASSERT_TRUE(metrics.ok()) << metrics.error().message;
  const auto j = backtest_json(*r, *metrics);
  EXPECT_NEAR(j["metrics"]["returns"]["total_return"].get<double>(), r->days.back().nav_usd / 1e6 - 1, 1e-12);
  EXPECT_EQ(j["run"]["orders_filled"], 3);
  ASSERT_EQ(j["data_sources"].size(), 3u);
  for (const auto& src : j["data_sources"]) EXPECT_EQ(src["kind"], "real") << src.dump();
  ASSERT_EQ(j["never_priced"].size(), 1u);
  EXPECT_EQ(j["never_priced"][0]["instrument"], "us_put");
  EXPECT_FALSE(j["assumptions"].empty());
  // Trading costs reach the metrics: 8.75 + 13.60 + EU commission + slippage.
  EXPECT_GT(j["metrics"]["trading"]["costs_usd"].get<double>(), 22.35);
}

TEST(BacktestThree, EmptyRangeIsAnActionableError) {
  ThreeDayMarket m;
  auto r = run_backtest(*m.cfg, *m.history, backtest_options_from(m.cfg->settings, Date(2030, 1, 1), Date(2030, 12, 31)));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("data import"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace af::backtest
