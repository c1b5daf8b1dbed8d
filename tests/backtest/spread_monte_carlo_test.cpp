// Spread Monte Carlo (original-system.md §3.10.3). The parity values are the ones the original
// printed for 1000 paths × 10 years, seed 42 (issue 4): they come from the original, not from
// this code.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "backtest/numpy_legacy_rng.hpp"
#include "backtest/spread_monte_carlo.hpp"
#include "backtest/statistics.hpp"

namespace af::backtest {
namespace {

SpreadMonteCarloResult run(SpreadMonteCarloConfig config, SpreadModelParams params = {}) {
  auto r = run_spread_monte_carlo(params, config);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return std::move(r).value();
}

TEST(BacktestSpreadMc, ReproducesTheOriginalsPublishedNumbers) {
  SpreadMonteCarloConfig c;
  c.paths = 1000;
  c.years = 10;
  c.seed = 42;
  c.rng = SpreadRng::numpy_legacy;
  const auto r = run(c);
  const auto& s = r.summary;
  EXPECT_EQ(r.days, 2520);
  EXPECT_NEAR(s.median_final_return, 0.433852, 5e-7);
  EXPECT_NEAR(s.mean_final_return, 0.495640, 5e-7);
  EXPECT_NEAR(s.p10_final_return, 0.003811, 5e-7);
  EXPECT_NEAR(s.p90_final_return, 1.075026, 5e-7);
  EXPECT_NEAR(s.prob_loss, 0.0950, 5e-5);
  EXPECT_NEAR(s.median_max_drawdown, -0.196101, 5e-7);
  EXPECT_NEAR(s.worst_max_drawdown, -0.519163, 5e-7);
}

TEST(BacktestSpreadMc, DailyParametersFollowTheSpec) {
  // μ_d = 0.07/252 = 2.777778e-4; σ_idx = 0.15/√252 = 9.449112e-3;
  // σ_spread = σ_idx·√0.36 = 5.669467e-3; loc = μ_d − σ²/2 = 2.777778e-4 − 1.607143e-5
  // = 2.617063e-4; drag = 0.025/252 = 9.920635e-5.
  const auto d = spread_daily_params({});
  EXPECT_NEAR(d.scale, 5.669467e-3, 1e-9);
  EXPECT_NEAR(d.loc, 2.617063e-4, 1e-10);
  EXPECT_NEAR(d.drag, 9.920635e-5, 1e-11);
  // ≈ 9 % annualised spread vol, as the spec says.
  EXPECT_NEAR(d.scale * std::sqrt(252.0), 0.09, 1e-12);
}

// Straightforward transcription of the original's numpy code, used as an oracle for the
// chunked, multi-threaded implementation: normal(loc, scale, (N, D)) filled row by row, minus
// the drag, cumprod, drawdown against np.maximum.accumulate with a division every day.
void reference_run(const SpreadModelParams& params, int paths, int days, std::uint32_t seed,
                   std::vector<double>& finals, std::vector<double>& dds) {
  const auto d = spread_daily_params(params);
  NumpyLegacyRandomState rng(seed);
  for (int p = 0; p < paths; ++p) {
    double equity = 1.0, peak = 0.0, dd_min = 0.0;
    for (int t = 0; t < days; ++t) {
      const double r = rng.normal(d.loc, d.scale) - d.drag;
      equity = (t == 0 ? 1.0 + r : equity * (1.0 + r));
      peak = (t == 0 ? equity : std::max(peak, equity));
      dd_min = std::min(dd_min, (equity - peak) / peak);
    }
    finals.push_back(equity - 1.0);
    dds.push_back(dd_min);
  }
}

TEST(BacktestSpreadMc, MatchesTheScalarNumpyTranscriptionBitForBit) {
  // An odd number of days per path (251) makes paths start in the middle of a polar pair.
  for (int days_per_year : {252, 251}) {
    SpreadModelParams params;
    params.trading_days_per_year = days_per_year;
    for (int threads : {1, 3}) {
      SpreadMonteCarloConfig c;
      c.paths = 101;  // several chunks plus a partial one
      c.years = 1;
      c.seed = 1234;
      c.threads = threads;
      const auto r = run(c, params);
      std::vector<double> finals, dds;
      reference_run(params, c.paths, days_per_year, 1234, finals, dds);
      ASSERT_EQ(r.final_returns.size(), finals.size());
      for (std::size_t i = 0; i < finals.size(); ++i) {
        ASSERT_EQ(r.final_returns[i], finals[i]) << "path " << i << " days " << days_per_year;
        ASSERT_EQ(r.max_drawdowns[i], dds[i]) << "path " << i << " days " << days_per_year;
      }
    }
  }
}

TEST(BacktestSpreadMc, DrawdownPeakStartsAtDayOneEquity) {
  // Zero vol, negative drift: equity falls every day from day 1. With the peak at day 1's equity
  // E_1 = 1 + r, max DD = E_D / E_1 − 1 = (1 + r)^(D−1) − 1, not (1 + r)^D − 1 (peak 1.0).
  SpreadModelParams params;
  params.us_annual_return = 0.0;
  params.eu_annual_return = 0.0;
  params.index_annual_volatility = 0.0;
  params.hedge_budget_annual_pct = 0.252;  // drag 0.001 per day, r = −0.001
  SpreadMonteCarloConfig c;
  c.paths = 3;
  c.years = 1;
  for (auto rng : {SpreadRng::numpy_legacy, SpreadRng::fast}) {
    c.rng = rng;
    const auto r = run(c, params);
    EXPECT_NEAR(r.final_returns[0], std::pow(0.999, 252) - 1.0, 1e-12);
    EXPECT_NEAR(r.max_drawdowns[0], std::pow(0.999, 251) - 1.0, 1e-12);
  }
}

TEST(BacktestSpreadMc, ResultsDoNotDependOnThreadCount) {
  for (auto rng : {SpreadRng::numpy_legacy, SpreadRng::fast}) {
    SpreadMonteCarloConfig c;
    c.paths = 200;
    c.years = 2;
    c.seed = 99;
    c.rng = rng;
    c.threads = 1;
    const auto one = run(c);
    c.threads = 2;
    const auto two = run(c);
    c.threads = 7;
    const auto seven = run(c);
    EXPECT_EQ(one.final_returns, two.final_returns);
    EXPECT_EQ(one.max_drawdowns, two.max_drawdowns);
    EXPECT_EQ(one.final_returns, seven.final_returns);
    EXPECT_EQ(one.max_drawdowns, seven.max_drawdowns);
  }
}

TEST(BacktestSpreadMc, SameSeedSameNumbersOtherSeedOtherNumbers) {
  for (auto rng : {SpreadRng::numpy_legacy, SpreadRng::fast}) {
    SpreadMonteCarloConfig c;
    c.paths = 50;
    c.years = 1;
    c.rng = rng;
    c.seed = 5;
    const auto a = run(c);
    const auto b = run(c);
    c.seed = 6;
    const auto other = run(c);
    EXPECT_EQ(a.final_returns, b.final_returns);
    EXPECT_NE(a.final_returns, other.final_returns);
  }
}

TEST(BacktestSpreadMc, FastGeneratorIsStatisticallyEquivalentToLegacy) {
  // 10 000 paths × 10 years with each generator. Independent samples: a statistic's difference
  // has standard error √(se_a² + se_b²); we accept 4 standard errors.
  //   mean:      se = sd / √n
  //   median:    se ≈ 1.2533 · sd / √n (normal approximation; final returns are log-normal-ish
  //              and the factor is only a scale for the tolerance)
  //   P(loss):   se = √(p (1 − p) / n)
  // The mean also has an exact value: E[Π(1 + r_t)] = (1 + loc − drag)^D − 1 (independent days).
  SpreadMonteCarloConfig c;
  c.paths = 10000;
  c.years = 10;
  c.seed = 2024;
  c.threads = 2;
  c.rng = SpreadRng::numpy_legacy;
  const auto legacy = run(c);
  c.rng = SpreadRng::fast;
  const auto fast = run(c);
  const double n = c.paths;
  auto se_mean = [&](const std::vector<double>& x) { return stddev(x, 1) / std::sqrt(n); };
  const double se_mean_diff = std::hypot(se_mean(legacy.final_returns), se_mean(fast.final_returns));
  EXPECT_NEAR(legacy.summary.mean_final_return, fast.summary.mean_final_return, 4 * se_mean_diff);
  EXPECT_NEAR(legacy.summary.median_final_return, fast.summary.median_final_return, 4 * 1.2533 * se_mean_diff);
  const double se_dd = std::hypot(se_mean(legacy.max_drawdowns), se_mean(fast.max_drawdowns));
  EXPECT_NEAR(legacy.summary.median_max_drawdown, fast.summary.median_max_drawdown, 4 * 1.2533 * se_dd);
  const double p = legacy.summary.prob_loss;
  EXPECT_NEAR(legacy.summary.prob_loss, fast.summary.prob_loss, 4 * std::sqrt(2 * p * (1 - p) / n));

  const auto d = spread_daily_params({});
  const double exact_mean = std::pow(1.0 + d.loc - d.drag, 2520) - 1.0;  // ≈ 0.5061
  EXPECT_NEAR(fast.summary.mean_final_return, exact_mean, 4 * se_mean(fast.final_returns));
  EXPECT_NEAR(legacy.summary.mean_final_return, exact_mean, 4 * se_mean(legacy.final_returns));
  // Daily returns of the fast generator have the model's mean and sd: checked through the
  // log-growth, whose per-path variance is ≈ D·σ² — the cross-path sd of log(1 + final).
  std::vector<double> log_growth;
  for (double f : fast.final_returns) log_growth.push_back(std::log1p(f));
  const double expected_sd = d.scale * std::sqrt(2520.0);  // 0.2846 (first order)
  EXPECT_NEAR(stddev(log_growth, 1), expected_sd, 0.03 * expected_sd);
}

TEST(BacktestSpreadMc, SummaryUsesNumpyLinearPercentiles) {
  // Five paths with hand-made outcomes: sorted finals −0.3, −0.1, 0.2, 0.4, 1.0.
  // median = 0.2; p10: h = 4·0.10 = 0.4 → −0.3 + 0.4·0.2 = −0.22; p90: h = 3.6 → 0.4 + 0.6·0.6
  // = 0.76; p25: h = 1 → −0.1; mean = 1.2/5 = 0.24; P(loss) = 2/5; P(< −20 %) = 1/5.
  const std::vector<double> finals{0.4, -0.1, 1.0, -0.3, 0.2};
  const std::vector<double> dds{-0.1, -0.3, -0.05, -0.5, -0.2};
  const auto s = summarize_spread_paths(finals, dds);
  EXPECT_DOUBLE_EQ(s.median_final_return, 0.2);
  EXPECT_NEAR(s.p10_final_return, -0.22, 1e-15);
  EXPECT_NEAR(s.p90_final_return, 0.76, 1e-15);
  EXPECT_NEAR(s.p25_final_return, -0.1, 1e-15);
  EXPECT_NEAR(s.mean_final_return, 0.24, 1e-15);
  EXPECT_DOUBLE_EQ(s.prob_loss, 0.4);
  EXPECT_DOUBLE_EQ(s.prob_significant_loss, 0.2);
  EXPECT_DOUBLE_EQ(s.median_max_drawdown, -0.2);
  EXPECT_DOUBLE_EQ(s.worst_max_drawdown, -0.5);
}

TEST(BacktestSpreadMc, RejectsBadInputsWithActionableMessages) {
  SpreadMonteCarloConfig c;
  c.paths = 0;
  auto r = run_spread_monte_carlo({}, c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("--paths"), std::string::npos);
  c.paths = 10;
  c.seed = 1ULL << 33;
  r = run_spread_monte_carlo({}, c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("--seed"), std::string::npos);
  c.rng = SpreadRng::fast;  // the fast generator takes any 64-bit seed
  EXPECT_TRUE(run_spread_monte_carlo({}, c).ok());
  EXPECT_FALSE(parse_spread_rng("numpy").ok());
  EXPECT_EQ(*parse_spread_rng("numpy-legacy"), SpreadRng::numpy_legacy);
}

}  // namespace
}  // namespace af::backtest
