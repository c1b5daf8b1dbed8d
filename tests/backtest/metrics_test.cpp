// Metrics against hand calculations on short series (docs/METRICS.md gives the formulas).
// The arithmetic is written out next to each expectation; long decimals were evaluated with a
// few lines of plain Python from those written formulas, not with this library.
#include <gtest/gtest.h>

#include <cmath>

#include "backtest/metrics.hpp"
#include "backtest/statistics.hpp"

namespace af::backtest {
namespace {

// Nine NAV points (start + 8 trading days) over a month end:
//   date        NAV      r_t = NAV_t/NAV_{t−1} − 1     running peak   dd
//   2024-01-29  100      (start)                       100            0
//   2024-01-30  102      +0.02                         102            0
//   2024-01-31   99.96   −0.02                         102           −0.02
//   2024-02-01  101      +1.04/99.96 = +0.0104041617   102           −0.0098039
//   2024-02-02  103      +2/101      = +0.0198019802   103            0   (recovered)
//   2024-02-05  100.43   −2.57/103   = −0.0249514563   103           −0.0249515
//   2024-02-06   99.9    −0.53/100.43= −0.0052773076   103           −0.0300971
//   2024-02-07  104      +4.1/99.9   = +0.0410410410   104            0   (recovered)
//   2024-02-08  103.48   −0.52/104   = −0.005          104           −0.005
MetricsInput sample_input() {
  MetricsInput in;
  in.dates = {Date(2024, 1, 29), Date(2024, 1, 30), Date(2024, 1, 31), Date(2024, 2, 1), Date(2024, 2, 2),
              Date(2024, 2, 5),  Date(2024, 2, 6),  Date(2024, 2, 7),  Date(2024, 2, 8)};
  in.nav = {100, 102, 99.96, 101, 103, 100.43, 99.9, 104, 103.48};
  return in;
}

constexpr double kTol = 1e-9;

TEST(BacktestMetrics, Returns) {
  const auto m = compute_metrics(sample_input()).value();
  EXPECT_EQ(m.trading_days, 8);
  EXPECT_NEAR(m.years, 8.0 / 252.0, 1e-15);
  // total = 103.48 / 100 − 1 = 0.0348
  EXPECT_NEAR(m.total_return, 0.0348, 1e-12);
  // CAGR = 1.0348^(252/8) − 1 = 1.0348^31.5 − 1 = 1.9374956449
  EXPECT_NEAR(m.cagr, 1.9374956449140117, kTol);
  // mean r = 0.0360184190 / 8 = 0.0045023024; × 252 = 1.1345801990
  EXPECT_NEAR(m.annual_return_arithmetic, 1.1345801989923474, kTol);
  // sample std: Σ(r − mean)² / 7 = 0.00049971… → sd = 0.0223542626; × √252 = 0.3548629169
  EXPECT_NEAR(m.volatility, 0.354862916905315, kTol);
  // Sharpe = (1.9374956449 − 0.02) / 0.3548629169 = 5.4034827354
  EXPECT_NEAR(m.sharpe, 5.403482735350565, 1e-8);
  // downside deviation = √((0.02² + 0.0249514563² + 0.0052773076² + 0.005²) / 8) × √252
  //                    = √(0.00107624… / 8) × 15.8745 = 0.1840540468
  EXPECT_NEAR(m.downside_deviation, 0.18405404678965365, kTol);
  // Sortino = (1.9374956449 − 0.02) / 0.1840540468 = 10.4181118446
  EXPECT_NEAR(m.sortino, 10.418111844644326, 1e-8);
  // Calmar = CAGR / |max DD| = 1.9374956449 / 0.0300970874 = 64.3748552988
  EXPECT_NEAR(m.calmar, 64.37485529875605, 1e-7);
}

TEST(BacktestMetrics, Drawdowns) {
  const auto m = compute_metrics(sample_input()).value();
  // Three episodes (peak → trough → recovery, depth, days with dd < 0):
  //   01-30 → 01-31 → 02-02   −0.02                     2 days (01-31, 02-01)
  //   02-02 → 02-06 → 02-07   99.9/103 − 1 = −0.0300971  2 days (02-05, 02-06)
  //   02-07 → 02-08 → none    −0.005                    1 day
  ASSERT_EQ(m.drawdown_episodes.size(), 3u);
  EXPECT_NEAR(m.max_drawdown, 99.9 / 103.0 - 1.0, 1e-15);
  EXPECT_EQ(m.max_drawdown_peak, Date(2024, 2, 2));
  EXPECT_EQ(m.max_drawdown_trough, Date(2024, 2, 6));
  ASSERT_TRUE(m.max_drawdown_recovery.has_value());
  EXPECT_EQ(*m.max_drawdown_recovery, Date(2024, 2, 7));
  EXPECT_FALSE(m.drawdown_episodes[2].recovery.has_value());
  EXPECT_EQ(m.drawdown_episodes[0].peak, Date(2024, 1, 30));
  EXPECT_EQ(m.drawdown_episodes[0].recovery.value(), Date(2024, 2, 2));
  // average = (−0.02 − 0.0300970874 − 0.005) / 3 = −0.0183656958
  EXPECT_NEAR(m.average_drawdown, (-0.02 + (99.9 / 103.0 - 1.0) - 0.005) / 3.0, 1e-12);
  EXPECT_EQ(m.longest_drawdown_days, 2);
  // under water on 01-31, 02-01, 02-05, 02-06, 02-08: 5 of 8 days
  EXPECT_DOUBLE_EQ(m.time_under_water, 0.625);
  ASSERT_EQ(m.drawdown_series.size(), 9u);
  EXPECT_NEAR(m.drawdown_series[3], 101.0 / 102.0 - 1.0, 1e-15);
  EXPECT_EQ(m.drawdown_series[4], 0.0);
}

TEST(BacktestMetrics, TailsArePositiveLosses) {
  const auto m = compute_metrics(sample_input()).value();
  // sorted r: −0.0249514563, −0.02, −0.0052773076, −0.005, 0.0104, 0.0198, 0.02, 0.0410
  // 5th percentile: h = 7 × 0.05 = 0.35 → −0.0249514563 + 0.35 × 0.0049514563 = −0.0232184466
  EXPECT_NEAR(m.var_95, 0.0232184466, 1e-10);
  // 1st percentile: h = 0.07 → −0.0249514563 + 0.07 × 0.0049514563 = −0.0246048544
  EXPECT_NEAR(m.var_99, 0.0246048544, 1e-10);
  // only −0.0249514563 is at or below either percentile
  EXPECT_NEAR(m.es_95, 2.57 / 103.0, 1e-12);
  EXPECT_NEAR(m.es_99, 2.57 / 103.0, 1e-12);
  // population moments of r: m2 = 0.000437246, skew = m3 / m2^1.5, kurt = m4 / m2² − 3
  EXPECT_NEAR(m.skew, 0.1946253229894478, 1e-9);
  EXPECT_NEAR(m.excess_kurtosis, -1.0212638810069479, 1e-9);
}

TEST(BacktestMetrics, MomentsOnATinySample) {
  // x = 0, 0, 0, 1: mean 0.25; m2 = (3·0.0625 + 0.5625)/4 = 0.1875;
  // m3 = (3·(−0.015625) + 0.421875)/4 = 0.09375 → skew = 0.09375 / 0.1875^1.5 = 2/√3;
  // m4 = (3·0.00390625 + 0.31640625)/4 = 0.08203125 → kurt = 0.08203125 / 0.03515625 − 3 = −2/3.
  const std::vector<double> x{0, 0, 0, 1};
  EXPECT_NEAR(skewness(x), 2.0 / std::sqrt(3.0), 1e-12);
  EXPECT_NEAR(excess_kurtosis(x), -2.0 / 3.0, 1e-12);
  // sample std of x: √(0.75 / 3) = 0.5; population: √0.1875
  EXPECT_NEAR(stddev(x, 1), 0.5, 1e-15);
  EXPECT_NEAR(stddev(x, 0), std::sqrt(0.1875), 1e-15);
}

TEST(BacktestMetrics, TradingMetrics) {
  auto in = sample_input();
  in.trades = {{Date(2024, 1, 30), "SPY", 50.0, 0.10, false}, {Date(2024, 2, 5), "SPY_PUT", 30.0, 0.05, true}};
  const auto m = compute_metrics(in).value();
  // up days: 01-30, 02-01, 02-02, 02-07 → 4 / 8
  EXPECT_DOUBLE_EQ(m.hit_rate, 0.5);
  // daily P&L: +2, −2.04, +1.04, +2, −2.57, −0.53, +4.1, −0.52
  // gains 9.14, losses 5.66 → 1.6148409894
  EXPECT_NEAR(m.profit_factor, 9.14 / 5.66, 1e-12);
  EXPECT_EQ(m.best_day.date, Date(2024, 2, 7));
  EXPECT_NEAR(m.best_day.value, 4.1 / 99.9, 1e-12);
  EXPECT_EQ(m.worst_day.date, Date(2024, 2, 5));
  EXPECT_NEAR(m.worst_day.value, -2.57 / 103.0, 1e-12);
  // months: Jan = 99.96/100 − 1 = −0.0004; Feb = 103.48/99.96 − 1 = 0.0352140856
  ASSERT_EQ(m.monthly_returns.size(), 2u);
  EXPECT_NEAR(m.monthly_returns[0].value, -0.0004, 1e-12);
  EXPECT_EQ(m.best_month.month, 2u);
  EXPECT_NEAR(m.best_month.value, 103.48 / 99.96 - 1.0, 1e-12);
  EXPECT_EQ(m.worst_month.year, 2024);
  EXPECT_EQ(m.worst_month.month, 1u);
  // mean NAV = 913.77 / 9 = 101.53; years = 8/252
  // turnover = 80 / 101.53 / (8/252) = 24.8202501724; costs = 0.15 / 101.53 / (8/252)
  // hedge spend = 30 / 101.53 / (8/252)
  EXPECT_DOUBLE_EQ(m.traded_notional, 80.0);
  EXPECT_NEAR(m.costs, 0.15, 1e-15);
  EXPECT_DOUBLE_EQ(m.hedge_spend, 30.0);
  EXPECT_NEAR(m.turnover_annual, 24.820250172362847, 1e-9);
  EXPECT_NEAR(m.costs_annual_pct_nav, 0.04653796907318034, 1e-12);
  EXPECT_NEAR(m.hedge_spend_annual_pct_nav, 9.30759381463607, 1e-9);
}

TEST(BacktestMetrics, SleevesAndLegs) {
  auto in = sample_input();
  const auto r = daily_returns(in.nav);
  // Sleeve: +1 %, −0.5 % alternating. total = (1.01 · 0.995)^4 − 1 = 1.00495^4 − 1 = 0.0199475007
  // annual = 1.0199475007^(252/8) − 1 = 0.8629503072; mean 0.0025, deviations ±0.0075:
  // sample var = 8 · 0.0075² / 7 → sd 0.0080178373, vol = sd·√252 = 0.1272792206
  // Sharpe = (0.8629503072 − 0.02) / 0.1272792206 = 6.6228430937; contribution = 8 · 0.002
  in.sleeves.push_back({"core_index_rv", {0.01, -0.005, 0.01, -0.005, 0.01, -0.005, 0.01, -0.005},
                        std::vector<double>(8, 0.002)});
  // Legs: US = 2·r → beta 0.5, correlation 1; EU = −r → beta −1, correlation −1.
  for (double v : r) {
    in.us_leg_returns.push_back(2.0 * v);
    in.eu_leg_returns.push_back(-v);
  }
  const auto m = compute_metrics(in).value();
  ASSERT_EQ(m.sleeves.size(), 1u);
  EXPECT_NEAR(m.sleeves[0].total_return, 0.019947500749872393, 1e-12);
  EXPECT_NEAR(m.sleeves[0].annual_return, 0.8629503072115401, 1e-9);
  EXPECT_NEAR(m.sleeves[0].volatility, 0.12727922061357858, 1e-12);
  EXPECT_NEAR(m.sleeves[0].sharpe, 6.622843093695149, 1e-8);
  EXPECT_NEAR(m.sleeves[0].contribution, 0.016, 1e-15);
  ASSERT_TRUE(m.us_leg && m.eu_leg);
  EXPECT_NEAR(m.us_leg->beta, 0.5, 1e-12);
  EXPECT_NEAR(m.us_leg->correlation, 1.0, 1e-12);
  EXPECT_NEAR(m.eu_leg->beta, -1.0, 1e-12);
  EXPECT_NEAR(m.eu_leg->correlation, -1.0, 1e-12);
}

TEST(BacktestMetrics, BetaAndCorrelationOnANonTrivialPair) {
  // x = 1,2,3,4; y = 2,1,4,3: deviations (−1.5,−0.5,0.5,1.5) and (−0.5,−1.5,1.5,0.5);
  // Σ products = 0.75 · 4 = 3 → cov = 1; var x = var y = 5/3 → beta = 0.6, correlation = 0.6.
  const std::vector<double> x{1, 2, 3, 4}, y{2, 1, 4, 3};
  EXPECT_NEAR(beta(y, x), 0.6, 1e-12);
  EXPECT_NEAR(correlation(x, y), 0.6, 1e-12);
}

TEST(BacktestMetrics, UndefinedMetricsAreNaN) {
  // Flat NAV: zero vol, no losses, no drawdown → Sharpe, Sortino, Calmar, profit factor undefined.
  MetricsInput in;
  in.dates = {Date(2024, 3, 1), Date(2024, 3, 4), Date(2024, 3, 5)};
  in.nav = {100, 100, 100};
  const auto m = compute_metrics(in).value();
  EXPECT_TRUE(std::isnan(m.sharpe));
  EXPECT_TRUE(std::isnan(m.sortino));
  EXPECT_TRUE(std::isnan(m.calmar));
  EXPECT_TRUE(std::isnan(m.profit_factor));
  EXPECT_EQ(m.max_drawdown, 0.0);
  EXPECT_EQ(m.hit_rate, 0.0);
}

TEST(BacktestMetrics, RejectsBadInput) {
  auto in = sample_input();
  in.nav[3] = -1;
  auto r = compute_metrics(in);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nav[3] (2024-02-01)"), std::string::npos) << r.error().message;
  in = sample_input();
  std::swap(in.dates[1], in.dates[2]);
  EXPECT_FALSE(compute_metrics(in).ok());
  in = sample_input();
  in.us_leg_returns = {0.1};
  r = compute_metrics(in);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("us_leg_returns"), std::string::npos);
}

}  // namespace
}  // namespace af::backtest
