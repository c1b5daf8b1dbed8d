// Option tail hedges in the historical backtest, on a constructed market where the hedge manager
// buys puts on the US ETF. Every expected number is computed here by hand from the prices below:
// Black–Scholes written out in closed form (not the code under test's QuantLib call), realized
// volatility from the constructed closes, budget and sizing from the rules in
// strategy/tail_hedge.hpp, interest ACT/360 and fills from docs/BACKTEST.md.
//
// The book holds nothing but cash and the option hedges (core and sector sleeves at weight 0), so
// NAV = USD cash + the hedges' model value, which the test follows day by day:
//   * Mon 2024-11-25 (day 0): cash only; the manager buys puts 5 % OTM (strike 95), expiry the
//     listed third Friday nearest 30 days (2024-12-20); they fill at Tuesday's open at the model
//     price + 5 bps slippage, 0.65 USD a contract;
//   * the ETF drifts down to 94.00 on 2024-12-20: the puts expire 1.00 in the money and settle
//     in USD cash; the manager re-buys with the budget left (strike 89, expiry 2025-01-17);
//   * 2025-01-01: the budget year rolls (2.5 % of the NAV of 2024-12-31, nothing used yet); the
//     coverage carried over is below half the target, so a third line is bought (strike 92).
// roll_dte_days = 0 so the hedges are not rolled before expiry.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <vector>

#include "backtest/backtest.hpp"
#include "config/config.hpp"
#include "three_instruments.hpp"

namespace af::backtest {
namespace {

const char* kHedgeSettings = R"(
sleeves: {core_index_rv: 0.0, sector_rv: 0.0, single_name: 0.0, credit_carry: 0.0, crisis_alpha: 0.05, cash_buffer: 0.95}
hedge_budget_annual_pct: 0.025
vol_target_annual: 1.0
gross_leverage_max: 1.0
net_leverage_max: 1.0
rebalance_threshold_pct: 0.05
risk:
  position_limits: {etf_pct_nav: 0.5, future_pct_nav: 0.5, option_pct_nav: 0.05, stock_pct_nav: 0.05}
  pre_trade: {max_order_notional_pct_nav: 0.5, max_daily_turnover_pct_nav: 2.0, price_collar_pct: 0.05}
tail_hedge:
  allocation: {equity_puts: 1.0, vix_calls: 0.0, credit_puts: 0.0, sovereign_spread: 0.0, bank_puts: 0.0}
  roll_dte_days: 0
  target_coverage_of_remaining: 0.8
  gap_trigger_fraction: 0.5
  realized_gain_recycle_fraction: 0.5
  equity_puts: {us_put: 1.0}
  vix_calls: {us_put: 1.0}
  credit_puts: {us_put: 1.0}
  bank_puts: {us_put: 1.0}
  sovereign_short: eur_fut
  sovereign_long: eur_fut
strategy:
  core_index_rv: {us_long: us_etf, eu_short: eu_etf, fx_hedge: eur_fut, fx_hedge_enabled: true}
  sector_rv: {us_long: [us_etf], eu_short: [eu_etf]}
  single_name: {fallback_short: eu_etf}
  credit_carry: {us_long_share: 0.7, us_long: {us_etf: 1.0}, eu_short_share: 0.3, eu_short: {eu_etf: 1.0}}
execution:
  order_style: marketable_limit
  limit_offset_bps: 10
  slippage_bps: 5
  min_trade_notional_usd: 1000
  commission: {model: ib_tiered, option_per_contract_usd: 0.65}
backtest: {initial_capital: 1000000, risk_free_rate: 0.036, fill_model: next_open}
fx: {static_rates_to_usd: {EUR: 1.2, GBP: 1.3, CHF: 1.1, JPY: 0.007}}
)";

// The three-instrument universe with a priced put line on the US ETF (its data series is the
// underlying's, as for the shipped SPY line; listed on CBOE with SPY's 1-point strike grid).
const char* kHedgeInstruments = R"(
instruments:
  us_etf:
    category: equity_indices
    description: US index ETF
    sleeves: [core_index_rv, sector_rv, credit_carry]
    etf: true
    data_series: us
    contract: {symbol: USX, sec_type: STK, exchange: SMART, primary_exchange: ARCA, currency: USD, tick_size: 0.01, price_unit: USD}
  eu_etf:
    category: equity_indices
    description: EU index ETF
    sleeves: [core_index_rv, sector_rv, credit_carry, single_name]
    etf: true
    data_series: eu
    contract: {symbol: EUX, sec_type: STK, exchange: SMART, primary_exchange: IBIS, currency: EUR, tick_size: 0.01, price_unit: EUR}
  eur_fut:
    category: fx
    description: Micro EUR/USD future
    sleeves: [core_index_rv, crisis_alpha]
    data_series: eurusd
    contract: {symbol: M6E, sec_type: FUT, exchange: CME, currency: USD, multiplier: 12500, trading_class: M6E, tick_size: 0.0001, price_unit: USD}
    future: {expiry_cycle: quarterly, expiry_rule: two_business_days_before_third_wednesday, roll_business_days_before_expiry: 5}
  us_put:
    category: options
    description: puts on the US ETF, 1 month, 5 % OTM
    sleeves: [crisis_alpha]
    data_series: us
    contract: {symbol: USX, sec_type: OPT, exchange: CBOE, currency: USD, multiplier: 100, trading_class: SPY, tick_size: 0.01, price_unit: USD}
    option: {underlying: us_etf, right: P, target_tenor_days: 30, otm_pct: 0.05, expiry_rule: third_friday}
)";

constexpr double kRate = 0.036;           // backtest.risk_free_rate: cash interest and option pricing
constexpr double kSlippage = 5e-4;        // 5 bps
constexpr double kCommission = 0.65;      // USD a contract
constexpr double kMultiplier = 100.0;
constexpr double kBudgetPct = 0.025;
constexpr int kHistoryDays = 70;

// Closes of the US ETF from Mon 2024-11-25 to Fri 2025-01-03 (30 weekdays).
const std::vector<double> kUsCloses = {
    100.00, 100.80, 99.40, 99.90, 98.60,   // 11-25 .. 11-29
    99.10,  97.90,  98.30, 97.00, 97.60,   // 12-02 .. 12-06
    96.40,  96.90,  95.70, 96.10, 94.90,   // 12-09 .. 12-13
    95.40,  94.20,  94.80, 93.60, 94.00,   // 12-16 .. 12-20 (expiry: 1.00 in the money)
    94.80,  95.50,  95.10, 96.00, 95.60,   // 12-23 .. 12-27
    96.40,  96.20,  97.00, 96.50, 97.20,   // 12-30, 12-31, 01-01, 01-02, 01-03
};

// Standard normal CDF and the Black–Scholes put (no dividends), per unit of underlying.
double norm_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
double bs_put(double spot, double strike, double years, double rate, double vol) {
  const double sd = vol * std::sqrt(years);
  const double d1 = (std::log(spot / strike) + (rate + 0.5 * vol * vol) * years) / sd;
  const double d2 = d1 - sd;
  return strike * std::exp(-rate * years) * norm_cdf(-d2) - spot * norm_cdf(-d1);
}

// Sample standard deviation of the last 63 daily log returns x sqrt(252).
double realized_vol(const std::vector<double>& closes_to_date) {
  const std::size_t n = closes_to_date.size();
  std::vector<double> r;
  for (std::size_t i = n - 63; i < n; ++i) r.push_back(std::log(closes_to_date[i] / closes_to_date[i - 1]));
  double mean = 0.0;
  for (double x : r) mean += x;
  mean /= 63.0;
  double ss = 0.0;
  for (double x : r) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / 62.0) * std::sqrt(252.0);
}

std::size_t crisis_alpha_index() {
  for (std::size_t i = 0; i < kSleeveCount; ++i) {
    if (config::kAllSleeves[i] == config::Sleeve::kCrisisAlpha) return i;
  }
  return kSleeveCount;
}

struct HedgeMarket {
  std::unique_ptr<config::Config> cfg;
  std::vector<Date> dates;          // history + backtest days
  std::vector<double> us_closes;    // aligned with dates
  std::unique_ptr<strategy::MarketHistory> history;

  HedgeMarket() {
    auto c = config::load_config_from_text(kHedgeSettings, "hedges/settings.yaml", kHedgeInstruments,
                                           "hedges/instruments.yaml", {});
    if (!c) throw std::runtime_error(c.error().message);
    cfg = std::make_unique<config::Config>(std::move(*c));
    dates = testing::weekdays_ending(Date(2025, 1, 3), kHistoryDays + static_cast<int>(kUsCloses.size()));
    std::vector<testing::DayPrices> days;
    for (std::size_t i = 0; i < dates.size(); ++i) {
      // History: log returns alternating -/+ 2 % (realized vol about 32 %), then the path above.
      const double us = i < kHistoryDays ? (i % 2 == 0 ? 100.0 : 100.0 * std::exp(0.02)) : kUsCloses[i - kHistoryDays];
      const double prev = us_closes.empty() ? us : us_closes.back();
      const double wiggle = i % 2 == 0 ? 0.0 : 0.001;
      days.push_back({prev, us, 50 * (1 + wiggle), 50 * (1 + wiggle), 1.25 + wiggle / 10, 1.25 + wiggle / 10});
      us_closes.push_back(us);
    }
    history = std::make_unique<strategy::MarketHistory>(*cfg, testing::three_series(dates, days));
  }
  Date day(std::size_t k) const { return dates[kHistoryDays + k]; }
  double spot(std::size_t k) const { return us_closes[kHistoryDays + k]; }
  double vol(std::size_t k) const {
    return realized_vol({us_closes.begin(), us_closes.begin() + kHistoryDays + static_cast<std::ptrdiff_t>(k) + 1});
  }
};

// One put line the test expects the manager to buy.
struct Lot {
  std::size_t decided;  // day index of the decision; fills at the next day's open
  double strike;
  Date expiry;
  double model_price = 0.0;  // per unit, at the decision's close
  double contracts = 0.0;
  double premium_usd() const { return contracts * model_price * (1 + kSlippage) * kMultiplier; }
  double value_usd(double spot, Date as_of, double vol) const {
    const int days = as_of.days_until(expiry);
    if (days <= 0) return contracts * kMultiplier * std::max(0.0, strike - spot);
    return contracts * kMultiplier * bs_put(spot, strike, days / 365.0, kRate, vol);
  }
};

// Sizes a lot by the manager's rule: floor(budget / (model price x multiplier)).
Lot size_lot(const HedgeMarket& m, std::size_t k, double strike, Date expiry, double budget_usd) {
  Lot lot{k, strike, expiry};
  lot.model_price = bs_put(m.spot(k), strike, m.day(k).days_until(expiry) / 365.0, kRate, m.vol(k));
  lot.contracts = std::floor(budget_usd / (lot.model_price * kMultiplier));
  return lot;
}

class BacktestHedges : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(m_.day(0), Date(2024, 11, 25));
    ASSERT_EQ(m_.day(19), Date(2024, 12, 20));
    ASSERT_EQ(m_.day(26), Date(2024, 12, 31));
    ASSERT_EQ(m_.day(27), Date(2025, 1, 1));
    BacktestOptions opt = backtest_options_from(m_.cfg->settings, m_.day(0), m_.day(kUsCloses.size() - 1));
    ASSERT_EQ(opt.broker.fill_model, config::FillModel::kNextOpen);
    opt.on_decision = [this](const execution::DailyDecision& d) { decisions_.push_back(d); };
    auto r = run_backtest(*m_.cfg, *m_.history, opt);
    ASSERT_TRUE(r.ok()) << r.error().message;
    result_ = std::move(*r);
    ASSERT_EQ(result_.days.size(), kUsCloses.size());
    ASSERT_EQ(decisions_.size(), kUsCloses.size());
  }

  HedgeMarket m_;
  BacktestResult result_;
  std::vector<execution::DailyDecision> decisions_;
};

TEST_F(BacktestHedges, PutsAreBoughtMarkedAndSettledAsComputedByHand) {
  const std::size_t ca = crisis_alpha_index();
  ASSERT_LT(ca, kSleeveCount);

  // Day 0: budget 2.5 % x 1,000,000 = 25,000 USD, nothing used; target 0.8 x 25,000 = 20,000
  // for equity puts (allocation 1.0), coverage 0 -> buy 20,000 USD worth. Strike round(0.95 x
  // 100) = 95; expiry: third Fridays 2024-12-20 (25 days) and 2025-01-17 (53 days), nearest to
  // 2024-12-25 is 2024-12-20.
  std::vector<Lot> lots;
  lots.push_back(size_lot(m_, 0, 95.0, Date(2024, 12, 20), 0.8 * kBudgetPct * 1e6));
  ASSERT_GT(lots[0].contracts, 100.0);  // the test is not about the one-tick floor

  // Walk the days: interest (ACT/360 on yesterday's cash), fills at the open, settlement, marks.
  double cash = 1e6;
  double prev_value = 0.0, prev_nav = 1e6;
  std::optional<Lot> pending = lots[0];
  std::vector<Lot> held;
  double settled_usd = 0.0, total_spend = 0.0;
  for (std::size_t k = 0; k < kUsCloses.size(); ++k) {
    const Date t = m_.day(k);
    const BacktestDay& row = result_.days[k];
    SCOPED_TRACE(t.iso());
    double interest = 0.0;
    if (k > 0) interest = cash * kRate * m_.day(k - 1).days_until(t) / 360.0;
    cash += interest;
    double flows = 0.0, spend = 0.0;
    if (pending && pending->decided + 1 == k) {
      spend = pending->premium_usd();
      flows -= spend + kCommission * pending->contracts;
      held.push_back(*pending);
      pending.reset();
    }
    for (auto it = held.begin(); it != held.end();) {
      if (it->expiry <= t) {
        const double intrinsic = it->contracts * kMultiplier * std::max(0.0, it->strike - m_.spot(k));
        flows += intrinsic;
        settled_usd += intrinsic;
        it = held.erase(it);
      } else {
        ++it;
      }
    }
    cash += flows;
    total_spend += spend;

    // The decisions the test expects (see the header): day 19 re-buys after the expiry, day 27 in
    // the new budget year.
    if (k == 19) {
      // Budget 2024: 25,000 - premium 1 + 50 % of the realised gain (if the settlement exceeded
      // the premium); target 80 % of what remains, coverage 0 after the expiry. Strike
      // round(0.95 x 94) = round(89.3) = 89; expiry: 2025-01-17 (28 days) is nearest 2025-01-19.
      const double gain = std::max(0.0, settled_usd - lots[0].premium_usd());
      const double remaining = kBudgetPct * 1e6 - lots[0].premium_usd() + 0.5 * gain;
      EXPECT_NEAR(decisions_[k].hedges.budget.remaining_usd(), remaining, 1e-6);
      lots.push_back(size_lot(m_, k, 89.0, Date(2025, 1, 17), 0.8 * remaining));
      pending = lots.back();
    }
    if (k == 27) {
      // Budget 2025 = 2.5 % of the NAV of 2024-12-31; coverage carried over = lot 2's premium,
      // below half the target 0.8 x budget, so the gap target - coverage is bought. Strike
      // round(0.95 x 97) = round(92.15) = 92; expiry 2025-01-17 (16 days) is nearest 2025-01-31.
      const double budget = kBudgetPct * prev_nav;
      const double target = 0.8 * budget;
      ASSERT_LT(lots[1].premium_usd(), 0.5 * target);
      lots.push_back(size_lot(m_, k, 92.0, Date(2025, 1, 17), target - lots[1].premium_usd()));
      pending = lots.back();
    }

    double value = 0.0;
    for (const Lot& l : held) value += l.value_usd(m_.spot(k), t, m_.vol(k));
    const double nav = cash + value;

    EXPECT_NEAR(row.interest_usd, interest, 1e-6);
    // Premium paid leaves cash and is the day's hedge spend; the NAV includes the hedges' marks
    // (the decision values the book after the day's fills and settlements, at the same close).
    EXPECT_NEAR(row.hedge_spend_usd, spend, 1e-6);
    EXPECT_NEAR(decisions_[k].valuation.cash_usd, cash, 1e-6);
    EXPECT_NEAR(decisions_[k].valuation.option_hedges_usd, value, 1e-6);
    EXPECT_NEAR(row.nav_usd, nav, 1e-6);
    // Crisis-alpha P&L = change in hedge value + premium paid (with commission) and settlement.
    EXPECT_NEAR(row.sleeve_pnl_usd[ca], value - prev_value + flows, 1e-6);
    for (std::size_t s = 0; s < kSleeveCount; ++s) {
      if (s != ca) {
        EXPECT_EQ(row.sleeve_pnl_usd[s], 0.0) << s;
      }
    }
    EXPECT_NEAR(row.other_pnl_usd, interest, 1e-6);  // the rest of the NAV change is interest
    const bool buys_today = k == 0 || k == 19 || k == 27;
    EXPECT_EQ(row.orders_planned, buys_today ? 1 : 0);
    prev_value = value;
    prev_nav = nav;
  }

  // The fills: at the decision's model price plus slippage, the day after the decision.
  std::vector<const SimExecution*> options;
  for (const auto& e : result_.executions) {
    if (e.order.option) options.push_back(&e);
  }
  ASSERT_EQ(options.size(), 3u);
  ASSERT_EQ(result_.executions.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const SimExecution& e = *options[i];
    const Lot& l = lots[i];
    SCOPED_TRACE(i);
    ASSERT_TRUE(e.filled) << e.unfilled_reason;
    EXPECT_TRUE(e.hedge_premium);
    EXPECT_EQ(e.decision_date, m_.day(l.decided));
    EXPECT_EQ(e.fill_date, m_.day(l.decided + 1));
    EXPECT_EQ(e.order.instrument, InstrumentId("us_put"));
    EXPECT_EQ(e.order.sleeve, config::Sleeve::kCrisisAlpha);
    EXPECT_EQ(e.order.option->strike, l.strike);
    EXPECT_EQ(e.order.option->expiry, l.expiry);
    EXPECT_EQ(e.order.option->right, config::OptionRight::kPut);
    EXPECT_DOUBLE_EQ(e.signed_quantity, l.contracts);
    EXPECT_NEAR(e.order.reference_price, l.model_price, 1e-10);
    EXPECT_NEAR(e.fill_price, l.model_price * (1 + kSlippage), 1e-10);
    EXPECT_NEAR(e.notional_usd, l.premium_usd(), 1e-6);
    EXPECT_NEAR(e.commission_usd, kCommission * l.contracts, 1e-9);
  }

  // The first puts expired 1.00 in the money: settled in USD at intrinsic value.
  EXPECT_NEAR(settled_usd, lots[0].contracts * kMultiplier * (95.0 - 94.0), 1e-9);
  EXPECT_GT(settled_usd, 0.0);

  // Metrics: hedge spend is the premium bought.
  auto metrics = backtest_metrics(result_, kRate);
  ASSERT_TRUE(metrics.ok()) << metrics.error().message;
  EXPECT_NEAR(metrics->hedge_spend, total_spend, 1e-6);
  EXPECT_NEAR(total_spend, lots[0].premium_usd() + lots[1].premium_usd() + lots[2].premium_usd(), 1e-6);
}

TEST_F(BacktestHedges, ExpiredPutLeavesTheBookAndItsSettlementIsCash) {
  // The day before expiry the decision's valuation still carries the first puts (marked by
  // Black–Scholes with one day left); on the expiry day they are gone from the book and the NAV
  // holds the intrinsic value as USD cash.
  const auto& before = decisions_[18];
  const auto& expiry = decisions_[19];
  EXPECT_GT(before.valuation.option_hedges_usd, 0.0);
  EXPECT_EQ(expiry.valuation.option_hedges_usd, 0.0);
  EXPECT_NEAR(expiry.valuation.cash_usd, expiry.valuation.nav_usd, 1e-6);
  EXPECT_EQ(expiry.hedge_summary.active_count, 0);
  // Cash jumped by the settlement (plus one day's interest on the 12-19 balance).
  const double settlement = result_.executions[0].signed_quantity * kMultiplier * (95.0 - 94.0);
  const double cash_before = before.valuation.cash_usd;
  EXPECT_NEAR(expiry.valuation.cash_usd, cash_before * (1 + kRate / 360.0) + settlement, 1e-6);
}

TEST_F(BacktestHedges, BudgetYearRollsOnTheBacktestBook) {
  // 2024: one budget, charged with both purchases.
  const auto& dec31 = decisions_[26];
  EXPECT_EQ(dec31.hedges.budget.year, 2024);
  EXPECT_NEAR(dec31.hedges.budget.nav_at_year_start_usd, 1e6, 1e-9);
  EXPECT_NEAR(dec31.hedges.budget.used_ytd_usd, result_.executions[0].notional_usd + result_.executions[1].notional_usd,
              1e-6);
  // 1 January: a new budget on the NAV of 31 December, nothing used.
  const auto& jan1 = decisions_[27];
  EXPECT_EQ(jan1.hedges.budget.year, 2025);
  EXPECT_NEAR(jan1.hedges.budget.nav_at_year_start_usd, result_.days[26].nav_usd, 1e-9);
  EXPECT_EQ(jan1.hedges.budget.used_ytd_usd, 0.0);
  EXPECT_EQ(jan1.hedges.budget.realized_gains_ytd_usd, 0.0);
  // 2 January: the purchase decided on 1 January is charged to the 2025 budget and the year does
  // not reset again (so nothing is bought twice).
  for (std::size_t k : {28u, 29u}) {
    const auto& d = decisions_[k];
    EXPECT_EQ(d.hedges.budget.year, 2025);
    EXPECT_FALSE(d.hedges.budget_reset);
    EXPECT_NEAR(d.hedges.budget.nav_at_year_start_usd, result_.days[26].nav_usd, 1e-9);
    EXPECT_NEAR(d.hedges.budget.used_ytd_usd, result_.executions[2].notional_usd, 1e-6);
    EXPECT_TRUE(d.hedges.orders.empty());
  }
}

}  // namespace
}  // namespace af::backtest
