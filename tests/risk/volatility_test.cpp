#include "risk/volatility.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "series.hpp"

namespace af::risk {
namespace {

using testing::alternating;
using testing::concat;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Estimator alone: no burn-in blend, no floor, no cap.
VolEstimatorParams raw(VolMethod method) {
  VolEstimatorParams p = VolEstimatorParams::original();
  p.method = method;
  return p;
}

TEST(RiskVolatility, OriginalRuleFiveReturnsUsesAllOfThem) {
  // r = {1 %, −1 %, 2 %, −2 %, 0}: mean 0, Σr² = (1 + 1 + 4 + 4 + 0)e-4 = 10e-4,
  // sample var = 10e-4 / 4 = 2.5e-4, annual = √(2.5e-4 × 252) = √0.063 = 0.2509980.
  const std::vector<double> r = {0.01, -0.01, 0.02, -0.02, 0.0};
  const auto e = estimate_volatility(r, raw(VolMethod::kOriginalShortLong));
  EXPECT_NEAR(e.annual_vol, 0.2509980, 1e-7);
  // Both windows shrink to the 5 returns, so 20-day == 60-day < 1.5 × 60-day: short branch.
  EXPECT_EQ(e.branch, VolBranch::kShortWindow);
  EXPECT_NEAR(e.short_window_annual_vol, 0.2509980, 1e-7);
  EXPECT_NEAR(e.long_window_annual_vol, 0.2509980, 1e-7);
  EXPECT_EQ(e.observations, 5);
  EXPECT_DOUBLE_EQ(e.prior_weight, 0.0);
}

TEST(RiskVolatility, OriginalRuleFewerThanFiveReturnsGivesThePrior) {
  // Original §3.3.1: fewer than 5 observations -> the target vol (the prior, 0.12).
  const std::vector<double> r = {0.01, -0.01, 0.02, -0.02};
  const auto e = estimate_volatility(r, raw(VolMethod::kOriginalShortLong));
  EXPECT_DOUBLE_EQ(e.annual_vol, 0.12);
  EXPECT_EQ(e.branch, VolBranch::kPriorInsufficientHistory);
  EXPECT_DOUBLE_EQ(e.prior_weight, 1.0);
  const auto empty = estimate_volatility({}, raw(VolMethod::kOriginalShortLong));
  EXPECT_DOUBLE_EQ(empty.annual_vol, 0.12);
  EXPECT_EQ(empty.branch, VolBranch::kPriorInsufficientHistory);
}

TEST(RiskVolatility, OriginalRuleUsesShortWindowWhenCalm) {
  // 60 returns ±1 %. 20-day: Σr² = 20e-4, var = 20e-4/19 -> √(20e-4/19 × 252) = 0.1628690.
  // 60-day: var = 60e-4/59 -> 0.1600847. 0.1629 < 1.5 × 0.1601: the 20-day window.
  const auto e = estimate_volatility(alternating(0.01, 60), raw(VolMethod::kOriginalShortLong));
  EXPECT_EQ(e.branch, VolBranch::kShortWindow);
  EXPECT_NEAR(e.annual_vol, std::sqrt(20e-4 / 19 * 252), 1e-12);
  EXPECT_NEAR(e.annual_vol, 0.1628690, 1e-7);
  EXPECT_NEAR(e.long_window_annual_vol, std::sqrt(60e-4 / 59 * 252), 1e-12);
}

TEST(RiskVolatility, OriginalRuleSwitchesToLongWindowWhenShortSpikes) {
  // 40 returns ±0.1 % then 20 returns ±3 %.
  // 20-day: Σr² = 20 × 9e-4 = 0.018, var = 0.018/19, annual = √(0.018/19 × 252) = 0.4886
  // 60-day: mean 0, Σr² = 40e-6 + 0.018 = 0.01804, var = 0.01804/59, annual = √(…×252) = 0.2775828
  // 0.4886 >= 1.5 × 0.2776 = 0.4164 -> the calmer 60-day estimate (original §3.3.9 step 2).
  const auto r = concat(alternating(0.001, 40), alternating(0.03, 20));
  const auto e = estimate_volatility(r, raw(VolMethod::kOriginalShortLong));
  EXPECT_EQ(e.branch, VolBranch::kLongWindow);
  EXPECT_NEAR(e.annual_vol, std::sqrt(0.01804 / 59 * 252), 1e-12);
  EXPECT_NEAR(e.annual_vol, 0.2775828, 1e-6);
  EXPECT_NEAR(e.short_window_annual_vol, std::sqrt(0.018 / 19 * 252), 1e-12);
}

TEST(RiskVolatility, ConstantReturnsAreDegenerateAndGiveThePrior) {
  const std::vector<double> r(10, 0.005);  // sd = 0
  const auto orig = estimate_volatility(r, raw(VolMethod::kOriginalShortLong));
  EXPECT_EQ(orig.branch, VolBranch::kPriorDegenerate);
  EXPECT_DOUBLE_EQ(orig.annual_vol, 0.12);
  const std::vector<double> zeros(10, 0.0);  // EWMA variance 0
  const auto ewma = estimate_volatility(zeros, raw(VolMethod::kEwma));
  EXPECT_EQ(ewma.branch, VolBranch::kPriorDegenerate);
  EXPECT_DOUBLE_EQ(ewma.annual_vol, 0.12);
}

TEST(RiskVolatility, EwmaMatchesHandRecursion) {
  // λ = 0.94, seed = mean of the first 5 squares:
  //   (1 + 4 + 1 + 9 + 0)e-4 / 5 = 3e-4
  //   r6 = −2 %: 0.94 × 3e-4    + 0.06 × 4e-4 = 2.82e-4   + 0.24e-4 = 3.06e-4
  //   r7 = +1 %: 0.94 × 3.06e-4 + 0.06 × 1e-4 = 2.8764e-4 + 0.06e-4 = 2.9364e-4
  //   annual = √(2.9364e-4 × 252) = √0.07399728 = 0.2720244
  const std::vector<double> r = {0.01, 0.02, -0.01, 0.03, 0.0, -0.02, 0.01};
  const auto e = estimate_volatility(r, raw(VolMethod::kEwma));
  EXPECT_EQ(e.branch, VolBranch::kEwma);
  EXPECT_NEAR(e.annual_vol, std::sqrt(2.9364e-4 * 252), 1e-12);
  EXPECT_NEAR(e.annual_vol, 0.2720244, 1e-7);
}

TEST(RiskVolatility, EwmaLambdaIsConfigurable) {
  // λ = 0.5: seed 3e-4; r6: 0.5 × 3e-4 + 0.5 × 4e-4 = 3.5e-4; r7: 0.5 × 3.5e-4 + 0.5 × 1e-4
  // = 2.25e-4; annual = √(2.25e-4 × 252) = 0.015 × 15.8745079 = 0.2381176.
  const std::vector<double> r = {0.01, 0.02, -0.01, 0.03, 0.0, -0.02, 0.01};
  auto p = raw(VolMethod::kEwma);
  p.ewma_lambda = 0.5;
  EXPECT_NEAR(estimate_volatility(r, p).annual_vol, 0.2381176, 1e-7);
}

TEST(RiskVolatility, PriorIsBlendedInVarianceDuringBurnIn) {
  // 30 returns ±1 % (EWMA variance exactly 1e-4 -> 0.01 × √252 = 0.1587451 annual).
  // Burn-in 60: prior weight w = 1 − 30/60 = 0.5.
  // var = 0.5 × 0.0252 + 0.5 × 0.12² = 0.0126 + 0.0072 = 0.0198 -> √0.0198 = 0.1407125.
  VolEstimatorParams p;  // defaults: EWMA, burn-in 60, prior 12 %, floor 6 %, cap 60 %
  const auto e = estimate_volatility(alternating(0.01, 30), p);
  EXPECT_DOUBLE_EQ(e.prior_weight, 0.5);
  EXPECT_NEAR(e.estimator_annual_vol, 0.1587451, 1e-7);
  EXPECT_NEAR(e.annual_vol, std::sqrt(0.0198), 1e-12);
  EXPECT_NEAR(e.annual_vol, 0.1407125, 1e-7);
  // At 60 observations the prior has no weight left.
  const auto full = estimate_volatility(alternating(0.01, 60), p);
  EXPECT_DOUBLE_EQ(full.prior_weight, 0.0);
  EXPECT_NEAR(full.annual_vol, 0.01 * std::sqrt(252.0), 1e-12);
}

TEST(RiskVolatility, FloorAndCapBound) {
  VolEstimatorParams p;
  // ±0.1 % over 100 days: 0.001 × 15.87 = 1.59 % annual, raised to the 6 % floor.
  const auto low = estimate_volatility(alternating(0.001, 100), p);
  EXPECT_TRUE(low.floored);
  EXPECT_DOUBLE_EQ(low.annual_vol, 0.06);
  // ±5 % over 100 days: 0.05 × 15.87 = 79.4 % annual, lowered to the 60 % cap.
  const auto high = estimate_volatility(alternating(0.05, 100), p);
  EXPECT_TRUE(high.capped);
  EXPECT_DOUBLE_EQ(high.annual_vol, 0.60);
}

TEST(RiskVolatility, NonFiniteReturnsAreDroppedAndCounted) {
  // Same values as OriginalRuleFiveReturnsUsesAllOfThem with two NaNs in between.
  const std::vector<double> r = {0.01, kNaN, -0.01, 0.02, kNaN, -0.02, 0.0};
  const auto e = estimate_volatility(r, raw(VolMethod::kOriginalShortLong));
  EXPECT_EQ(e.dropped_non_finite, 2);
  EXPECT_EQ(e.observations, 5);
  EXPECT_NEAR(e.annual_vol, 0.2509980, 1e-7);
}

TEST(RiskVolatility, DescribeNamesMethodAndBranch) {
  const auto e = estimate_volatility(alternating(0.01, 60), raw(VolMethod::kOriginalShortLong));
  const std::string text = e.describe();
  EXPECT_NE(text.find("original_20_60"), std::string::npos) << text;
  EXPECT_NE(text.find("short_window"), std::string::npos) << text;
}

TEST(RiskScaling, OriginalExamples) {
  // Original §3.3.2 / §6.2: 8 % -> 1.5; 4 % -> 2.0 (cap); 1 % -> 2.0; 0 -> 1.0.
  EXPECT_DOUBLE_EQ(vol_target_scaling(0.08, 0.12, 2.0), 1.5);
  EXPECT_DOUBLE_EQ(vol_target_scaling(0.04, 0.12, 2.0), 2.0);
  EXPECT_DOUBLE_EQ(vol_target_scaling(0.01, 0.12, 2.0), 2.0);
  EXPECT_DOUBLE_EQ(vol_target_scaling(0.0, 0.12, 2.0), 1.0);
  EXPECT_DOUBLE_EQ(vol_target_scaling(kNaN, 0.12, 2.0), 1.0);
  EXPECT_DOUBLE_EQ(vol_target_scaling(-0.1, 0.12, 2.0), 1.0);
  EXPECT_DOUBLE_EQ(vol_target_scaling(0.24, 0.12, 2.0), 0.5);  // no floor
}

TEST(RiskParams, DefaultsAreValidAndBadValuesNamed) {
  EXPECT_TRUE(validate(RiskParams{}).ok());
  EXPECT_TRUE(validate(VolEstimatorParams::original()).ok());
  RiskParams p;
  p.vol.ewma_lambda = 1.0;
  const auto s = validate(p);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("vol.ewma_lambda"), std::string::npos);
  RiskParams q;
  q.momentum.long_window_days = 60;  // < 50 + 19
  ASSERT_FALSE(validate(q).ok());
  EXPECT_NE(validate(q).error().message.find("momentum.long_window_days"), std::string::npos);
}

}  // namespace
}  // namespace af::risk
