#include "risk/regime.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "series.hpp"

namespace af::risk {
namespace {

using testing::linear;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::optional<double> kNoSignal = std::nullopt;
constexpr std::optional<double> kNoVix = std::nullopt;

// ---- Drawdown ---------------------------------------------------------------------------------

TEST(RiskDrawdown, OriginalTestCurves) {
  // [100, 110, 105, 95, 100, 90, 95]: peak 110, trough 90 -> (90 − 110)/110 = −0.181818;
  // last (95 − 110)/110 = −0.136364.
  const std::vector<double> a = {100, 110, 105, 95, 100, 90, 95};
  const auto d = compute_drawdown(a);
  EXPECT_NEAR(d.max, -20.0 / 110.0, 1e-12);
  EXPECT_NEAR(d.current, -15.0 / 110.0, 1e-12);
  // [100, 110, 105, 108]: current (108 − 110)/110 = −0.0181818.
  const std::vector<double> b = {100, 110, 105, 108};
  EXPECT_NEAR(compute_drawdown(b).current, -2.0 / 110.0, 1e-12);
  // Original portfolio test: 100k, 102k, 105k, 100k, 95k, 98k -> max (95 − 105)/105 = −9.52 %.
  const std::vector<double> c = {100e3, 102e3, 105e3, 100e3, 95e3, 98e3};
  EXPECT_NEAR(compute_drawdown(c).max, -10.0 / 105.0, 1e-12);
}

TEST(RiskDrawdown, MonotoneAndEmptyAreZero) {
  const std::vector<double> up = {100, 101, 102, 103};
  EXPECT_EQ(compute_drawdown(up).max, 0.0);
  EXPECT_EQ(compute_drawdown(up).current, 0.0);
  EXPECT_EQ(compute_drawdown({}).max, 0.0);
  EXPECT_EQ(compute_drawdown({}).points, 0);
}

// compute_drawdown divides once per stretch between new peaks; the reference divides at every
// point (the definition: max over t of (E_t - running peak) / running peak).
TEST(RiskDrawdown, PerStretchMinimumEqualsThePerPointDefinition) {
  auto reference = [](const std::vector<double>& curve) {
    Drawdown d;
    double peak = 0.0;
    for (double e : curve) {
      if (!std::isfinite(e) || e <= 0.0) {
        ++d.skipped_points;
        continue;
      }
      ++d.points;
      peak = std::max(peak, e);
      d.current = (e - peak) / peak;
      d.max = std::min(d.max, d.current);
    }
    return d;
  };
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> step(-0.03, 0.031);
  std::uniform_int_distribution<int> kind(0, 60);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> curve;
    double nav = 1'000'000;
    for (int i = 0; i < 1 + trial * 7; ++i) {
      const int k = kind(rng);
      if (k == 0) curve.push_back(std::numeric_limits<double>::quiet_NaN());
      else if (k == 1) curve.push_back(0.0);
      else if (k == 2) curve.push_back(-5.0);
      else if (k == 3) curve.push_back(curve.empty() ? nav : curve.back());  // a plateau
      else curve.push_back(nav *= 1.0 + step(rng));
    }
    const Drawdown got = compute_drawdown(curve), want = reference(curve);
    EXPECT_EQ(got.max, want.max) << trial;
    EXPECT_EQ(got.current, want.current) << trial;
    EXPECT_EQ(got.points, want.points) << trial;
    EXPECT_EQ(got.skipped_points, want.skipped_points) << trial;
  }
}

TEST(RiskDrawdown, BadPointsAreSkippedAndCounted) {
  const std::vector<double> a = {100, kNaN, 110, 0.0, 99};
  const auto d = compute_drawdown(a);
  EXPECT_EQ(d.skipped_points, 2);
  EXPECT_EQ(d.points, 3);
  EXPECT_NEAR(d.current, -11.0 / 110.0, 1e-12);
}

TEST(RiskDrawdown, EquityCurveFromReturnsStartsAtOne) {
  // 1, 1 × 0.9 = 0.9, 0.9 × 1.1 = 0.99: a first-day loss is a 10 % drawdown.
  const std::vector<double> r = {-0.10, 0.10};
  const auto curve = equity_curve_from_returns(r);
  ASSERT_EQ(curve.size(), 3u);
  EXPECT_NEAR(curve[2], 0.99, 1e-12);
  EXPECT_NEAR(compute_drawdown(curve).max, -0.10, 1e-12);
}

// ---- Momentum ---------------------------------------------------------------------------------

TEST(RiskMomentum, RisingRatioIsStrongUp) {
  // Linear rise: MA50 (recent) > MA200, and MA50 rose over 19 sessions -> +1 (original test).
  const auto m = compute_momentum(linear(1.0, 0.001, 250), MomentumParams{});
  EXPECT_EQ(m.signal, MomentumSignal::kStrongUp);
  EXPECT_EQ(m.value(), 1.0);
  EXPECT_GT(m.slope, 0.0);
}

TEST(RiskMomentum, FallingRatioIsStrongDown) {
  const auto m = compute_momentum(linear(1.5, -0.001, 250), MomentumParams{});
  EXPECT_EQ(m.signal, MomentumSignal::kStrongDown);
  EXPECT_EQ(m.value(), -1.0);
}

TEST(RiskMomentum, AboveLongAverageButTurningDownIsHalfUp) {
  // 130 × 1.0, 51 × 1.2 (indices 130..180), 19 × 1.1 (181..199).
  // MA50 now = (31 × 1.2 + 19 × 1.1)/50 = 58.1/50 = 1.162; MA50 19 sessions ago (131..180) = 1.2
  // -> slope (1.162 − 1.2)/1.2 < 0. MA200 = (130 + 61.2 + 20.9)/200 = 1.0605 < 1.162 -> +0.5.
  std::vector<double> r(130, 1.0);
  r.insert(r.end(), 51, 1.2);
  r.insert(r.end(), 19, 1.1);
  const auto m = compute_momentum(r, MomentumParams{});
  EXPECT_EQ(m.signal, MomentumSignal::kUp);
  EXPECT_NEAR(m.ma_short, 1.162, 1e-12);
  EXPECT_NEAR(m.ma_long, 1.0605, 1e-12);
  EXPECT_NEAR(m.slope, (1.162 - 1.2) / 1.2, 1e-12);
  EXPECT_EQ(m.value(), 0.5);
}

TEST(RiskMomentum, BelowLongAverageButTurningUpIsHalfDown) {
  // Mirror: MA50 = (31 × 0.8 + 19 × 0.9)/50 = 0.838 > 0.8 (19 ago) -> slope > 0;
  // MA200 = (130 + 40.8 + 17.1)/200 = 0.9395 > 0.838 -> −0.5.
  std::vector<double> r(130, 1.0);
  r.insert(r.end(), 51, 0.8);
  r.insert(r.end(), 19, 0.9);
  const auto m = compute_momentum(r, MomentumParams{});
  EXPECT_EQ(m.signal, MomentumSignal::kDown);
  EXPECT_NEAR(m.ma_short, 0.838, 1e-12);
  EXPECT_NEAR(m.ma_long, 0.9395, 1e-12);
  EXPECT_EQ(m.value(), -0.5);
}

TEST(RiskMomentum, FewerThan200PointsIsNoSignal) {
  EXPECT_EQ(compute_momentum(linear(1.0, 0.001, 199), MomentumParams{}).signal,
            MomentumSignal::kNoSignal);
  EXPECT_EQ(compute_momentum(linear(1.0, 0.001, 3), MomentumParams{}).value(), std::nullopt);
  EXPECT_FALSE(compute_momentum({}, MomentumParams{}).has_signal());
  EXPECT_TRUE(compute_momentum(linear(1.0, 0.001, 200), MomentumParams{}).has_signal());
}

TEST(RiskMomentum, NaNOrNonPositiveInWindowIsNoSignal) {
  auto r = linear(1.0, 0.001, 250);
  r[240] = kNaN;
  const auto m = compute_momentum(r, MomentumParams{});
  EXPECT_EQ(m.signal, MomentumSignal::kNoSignal);
  EXPECT_NE(m.reason.find("missing"), std::string::npos) << m.reason;
  auto z = linear(1.0, 0.001, 250);
  z[249] = 0.0;
  EXPECT_EQ(compute_momentum(z, MomentumParams{}).signal, MomentumSignal::kNoSignal);
  // A NaN before the used window (the last 200 points) does not matter.
  auto old = linear(1.0, 0.001, 250);
  old[10] = kNaN;
  EXPECT_EQ(compute_momentum(old, MomentumParams{}).signal, MomentumSignal::kStrongUp);
}

// ---- Regime ladder (original §3.3.7) ------------------------------------------------------------

RegimeAssessment regime(std::optional<double> vix, std::optional<double> mom, double dd) {
  return detect_regime(vix, mom, dd, RegimeParams{});
}

TEST(RiskRegime, OriginalTestCases) {
  // Original §6.2: (VIX, momentum, DD).
  EXPECT_EQ(regime(18, 0.5, -0.02).regime, Regime::kNormal);
  EXPECT_EQ(regime(28, 0.0, -0.03).regime, Regime::kElevated);
  EXPECT_EQ(regime(45, 0.0, -0.05).regime, Regime::kCrisis);
  EXPECT_EQ(regime(25, 0.0, -0.12).regime, Regime::kCrisis);
}

TEST(RiskRegime, CrisisVixBoundary40) {
  EXPECT_EQ(regime(40.0, 0.0, 0.0).rule, RegimeRule::kCrisisVix);
  EXPECT_EQ(regime(40.01, 0.0, 0.0).rule, RegimeRule::kCrisisVix);
  const auto below = regime(39.99, 0.0, 0.0);
  EXPECT_EQ(below.regime, Regime::kElevated);
  EXPECT_EQ(below.rule, RegimeRule::kElevatedVix);
}

TEST(RiskRegime, CrisisDrawdownBoundaryMinus10) {
  EXPECT_EQ(regime(15, 0.0, -0.10).rule, RegimeRule::kCrisisDrawdown);
  EXPECT_EQ(regime(15, 0.0, -0.1001).rule, RegimeRule::kCrisisDrawdown);
  const auto above = regime(15, 0.0, -0.0999);
  EXPECT_EQ(above.regime, Regime::kElevated);
  EXPECT_EQ(above.rule, RegimeRule::kElevatedDrawdown);
  // (0.9 − 1.0)/1.0 = −0.09999999999999998 in doubles: still "at" −10 %.
  EXPECT_EQ(regime(15, 0.0, (0.9 - 1.0) / 1.0).regime, Regime::kCrisis);
}

TEST(RiskRegime, ElevatedVixBoundary25) {
  EXPECT_EQ(regime(25.0, 0.0, 0.0).rule, RegimeRule::kElevatedVix);
  EXPECT_EQ(regime(25.01, 0.0, 0.0).rule, RegimeRule::kElevatedVix);
  const auto below = regime(24.99, 0.0, 0.0);
  EXPECT_EQ(below.regime, Regime::kNormal);
  EXPECT_EQ(below.rule, RegimeRule::kNormalCalm);
}

TEST(RiskRegime, ElevatedDrawdownBoundaryMinus5) {
  EXPECT_EQ(regime(15, 0.0, -0.05).rule, RegimeRule::kElevatedDrawdown);
  EXPECT_EQ(regime(15, 0.0, -0.0501).rule, RegimeRule::kElevatedDrawdown);
  // Just above −5 %: not ELEVATED; RECOVERY with positive momentum, else NORMAL by default.
  EXPECT_EQ(regime(15, 1.0, -0.0499).rule, RegimeRule::kRecovery);
  EXPECT_EQ(regime(15, 0.0, -0.0499).rule, RegimeRule::kNormalDefault);
}

TEST(RiskRegime, NormalDrawdownBoundaryMinus3) {
  // At −3 %: rung 3 needs DD > −3 %, so it falls to rung 4 (RECOVERY with momentum > 0).
  EXPECT_EQ(regime(15, 1.0, -0.03).rule, RegimeRule::kRecovery);
  EXPECT_EQ(regime(15, 1.0, -0.0301).rule, RegimeRule::kRecovery);
  EXPECT_EQ(regime(15, 1.0, -0.0299).rule, RegimeRule::kNormalCalm);
  EXPECT_EQ(regime(15, 0.0, -0.03).rule, RegimeRule::kNormalDefault);
}

TEST(RiskRegime, RecoveryVixBoundary20) {
  EXPECT_EQ(regime(20.0, 1.0, -0.04).rule, RegimeRule::kNormalDefault);
  EXPECT_EQ(regime(20.01, 1.0, -0.04).rule, RegimeRule::kNormalDefault);
  EXPECT_EQ(regime(19.99, 1.0, -0.04).regime, Regime::kRecovery);
}

TEST(RiskRegime, RecoveryNeedsPositiveMomentum) {
  EXPECT_EQ(regime(15, 0.5, -0.04).regime, Regime::kRecovery);
  EXPECT_EQ(regime(15, 0.0, -0.04).regime, Regime::kNormal);
  EXPECT_EQ(regime(15, -0.5, -0.04).regime, Regime::kNormal);
  EXPECT_EQ(regime(15, kNoSignal, -0.04).regime, Regime::kNormal);
}

TEST(RiskRegime, OrderingFirstMatchWins) {
  // Both CRISIS clauses: the VIX clause is reported.
  EXPECT_EQ(regime(45, 0.0, -0.12).rule, RegimeRule::kCrisisVix);
  // CRISIS (drawdown) beats ELEVATED (VIX).
  EXPECT_EQ(regime(30, 0.0, -0.12).rule, RegimeRule::kCrisisDrawdown);
  // CRISIS (VIX) beats ELEVATED (drawdown).
  EXPECT_EQ(regime(41, 0.0, -0.06).rule, RegimeRule::kCrisisVix);
  // Both ELEVATED clauses: VIX reported.
  EXPECT_EQ(regime(26, 0.0, -0.06).rule, RegimeRule::kElevatedVix);
  // ELEVATED (drawdown) beats RECOVERY/NORMAL.
  EXPECT_EQ(regime(15, 1.0, -0.06).rule, RegimeRule::kElevatedDrawdown);
  // NORMAL (calm) beats RECOVERY: the 2025-12-04 fix (a −2 % day was labelled RECOVERY).
  EXPECT_EQ(regime(15, 1.0, -0.02).rule, RegimeRule::kNormalCalm);
}

TEST(RiskRegime, MissingVixUsesDrawdownOnly) {
  EXPECT_EQ(regime(kNoVix, 1.0, -0.02).rule, RegimeRule::kNormalCalm);
  EXPECT_EQ(regime(kNoVix, 1.0, -0.04).rule, RegimeRule::kNormalDefault);  // no RECOVERY
  EXPECT_EQ(regime(kNoVix, 0.0, -0.06).rule, RegimeRule::kElevatedDrawdown);
  EXPECT_EQ(regime(kNoVix, 0.0, -0.11).rule, RegimeRule::kCrisisDrawdown);
}

TEST(RiskRegime, ReasonQuotesTheNumbers) {
  const auto r = regime(41.5, 0.0, 0.0);
  EXPECT_NE(r.reason.find("41.5"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("40.0"), std::string::npos) << r.reason;
}

// ---- Reduction rule (original §3.3.8) ------------------------------------------------------------

Reduction reduce(std::optional<double> mom, Regime r) {
  return should_reduce(mom, r, ReductionParams{});
}

TEST(RiskReduction, CrisisIsPoint3WhateverTheMomentum) {
  for (auto m : {std::optional<double>(1.0), std::optional<double>(-1.0), kNoSignal}) {
    const auto x = reduce(m, Regime::kCrisis);
    EXPECT_TRUE(x.reduce);
    EXPECT_DOUBLE_EQ(x.factor, 0.3);
    EXPECT_EQ(x.rule, ReductionRule::kCrisis);
  }
}

TEST(RiskReduction, NegativeMomentumScalesWithFloor) {
  // factor = max(1 + m × (1 − 0.5), 0.5): −1 -> 0.5; −0.5 -> 0.75; −2 -> max(0, 0.5) = 0.5.
  EXPECT_DOUBLE_EQ(reduce(-1.0, Regime::kNormal).factor, 0.5);
  EXPECT_DOUBLE_EQ(reduce(-0.5, Regime::kNormal).factor, 0.75);
  EXPECT_DOUBLE_EQ(reduce(-2.0, Regime::kNormal).factor, 0.5);
  EXPECT_EQ(reduce(-0.5, Regime::kRecovery).rule, ReductionRule::kNegativeMomentum);
  // Rule 2 comes before rule 3: ELEVATED with momentum −1 gives 0.5, not 0.75.
  const auto e = reduce(-1.0, Regime::kElevated);
  EXPECT_EQ(e.rule, ReductionRule::kNegativeMomentum);
  EXPECT_DOUBLE_EQ(e.factor, 0.5);
  // Floor configurable: floor 0.6, m = −1 -> max(1 − 0.4, 0.6) = 0.6.
  ReductionParams p;
  p.momentum_floor = 0.6;
  EXPECT_DOUBLE_EQ(should_reduce(-1.0, Regime::kNormal, p).factor, 0.6);
}

TEST(RiskReduction, ElevatedWithWeakMomentumIsPoint75) {
  EXPECT_DOUBLE_EQ(reduce(0.0, Regime::kElevated).factor, 0.75);
  EXPECT_EQ(reduce(0.0, Regime::kElevated).rule, ReductionRule::kElevatedWeakMomentum);
  EXPECT_DOUBLE_EQ(reduce(kNoSignal, Regime::kElevated).factor, 0.75);
  // 0.5 is not < 0.5.
  EXPECT_FALSE(reduce(0.5, Regime::kElevated).reduce);
  EXPECT_FALSE(reduce(1.0, Regime::kElevated).reduce);
}

TEST(RiskReduction, OtherwiseNone) {
  for (auto r : {Regime::kNormal, Regime::kRecovery}) {
    for (auto m : {std::optional<double>(0.0), std::optional<double>(0.5),
                   std::optional<double>(1.0), kNoSignal}) {
      const auto x = reduce(m, r);
      EXPECT_FALSE(x.reduce);
      EXPECT_DOUBLE_EQ(x.factor, 1.0);
      EXPECT_EQ(x.rule, ReductionRule::kNone);
    }
  }
}

}  // namespace
}  // namespace af::risk
