#include "risk/tail_risk.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace af::risk {
namespace {

// Ten daily returns, deliberately unsorted. Sorted: −5, −3, −2, −1, 0, 1, 1, 2, 3, 4 (%).
const std::vector<double> kTen = {0.01, -0.03, 0.04, 0.0, -0.05, 0.02, -0.01, 0.03, 0.01, -0.02};

TEST(RiskTailRisk, HistoricalVar95ByHand) {
  // h = (10 − 1) × 0.05 = 0.45 -> q = x0 + 0.45 (x1 − x0) = −0.05 + 0.45 × 0.02 = −0.041.
  // VaR = 0.041. Tail <= −0.041: {−0.05} -> ES = 0.05.
  const auto t = historical_var_es(kTen, TailRiskParams{.confidence = 0.95});
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_NEAR(t->var, 0.041, 1e-12);
  EXPECT_NEAR(t->expected_shortfall, 0.05, 1e-12);
  EXPECT_EQ(t->observations, 10);
}

TEST(RiskTailRisk, HistoricalVar80ByHand) {
  // h = 9 × 0.2 = 1.8 -> q = x1 + 0.8 (x2 − x1) = −0.03 + 0.8 × 0.01 = −0.022 -> VaR 0.022.
  // Tail <= −0.022: {−0.05, −0.03} -> ES = 0.04.
  const auto t = historical_var_es(kTen, TailRiskParams{.confidence = 0.80});
  ASSERT_TRUE(t.ok());
  EXPECT_NEAR(t->var, 0.022, 1e-12);
  EXPECT_NEAR(t->expected_shortfall, 0.04, 1e-12);
}

TEST(RiskTailRisk, ParametricByHand) {
  // μ = 0 (the ten sum to 0); Σr² = (25 + 9 + 4 + 1 + 0 + 1 + 1 + 4 + 9 + 16)e-4 = 70e-4;
  // σ = √(70e-4 / 9) = 0.0278887. Normal table: z(0.95) = 1.6448536, φ(z) = 0.1031356.
  // VaR = 1.6448536 × 0.0278887 = 0.0458728; ES = 0.0278887 × 0.1031356 / 0.05 = 0.0575263.
  const auto t = parametric_var_es(kTen, TailRiskParams{.confidence = 0.95});
  ASSERT_TRUE(t.ok());
  EXPECT_NEAR(t->var, 0.0458728, 1e-6);
  EXPECT_NEAR(t->expected_shortfall, 0.0575263, 1e-6);
  EXPECT_EQ(t->method, TailMethod::kParametricNormal);
}

TEST(RiskTailRisk, WindowUsesTheLastReturns) {
  // Window 5 -> the last five: 0.02, −0.01, 0.03, 0.01, −0.02; sorted −2, −1, 1, 2, 3 (%).
  // c = 0.75: h = 4 × 0.25 = 1 -> q = −0.01 -> VaR 0.01; tail {−0.02, −0.01} -> ES 0.015.
  const auto t = historical_var_es(
      kTen, TailRiskParams{.confidence = 0.75, .window_days = 5, .min_observations = 5});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->observations, 5);
  EXPECT_NEAR(t->var, 0.01, 1e-12);
  EXPECT_NEAR(t->expected_shortfall, 0.015, 1e-12);
}

TEST(RiskTailRisk, OrderingOfLevels) {
  const auto v95 = historical_var_es(kTen, TailRiskParams{.confidence = 0.95});
  const auto v99 = historical_var_es(kTen, TailRiskParams{.confidence = 0.99});
  ASSERT_TRUE(v95.ok() && v99.ok());
  EXPECT_GT(v99->var, v95->var);
  EXPECT_GE(v95->expected_shortfall, v95->var);
  const auto p95 = parametric_var_es(kTen, TailRiskParams{.confidence = 0.95});
  const auto p99 = parametric_var_es(kTen, TailRiskParams{.confidence = 0.99});
  EXPECT_GT(p99->var, p95->var);
  EXPECT_GE(p95->expected_shortfall, p95->var);
}

TEST(RiskTailRisk, InsufficientOrInvalidInputIsAnError) {
  const std::vector<double> three = {0.01, -0.01, 0.0};
  const auto few = historical_var_es(three, TailRiskParams{});
  ASSERT_FALSE(few.ok());
  EXPECT_EQ(few.error().code, ErrorCode::kDataQuality);
  const auto bad = parametric_var_es(kTen, TailRiskParams{.confidence = 1.0});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  const std::vector<double> same(20, 0.001);
  EXPECT_EQ(parametric_var_es(same, TailRiskParams{}).error().code, ErrorCode::kDataQuality);
}

}  // namespace
}  // namespace af::risk
