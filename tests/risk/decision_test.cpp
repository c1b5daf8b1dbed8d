#include "risk/decision.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "series.hpp"

namespace af::risk {
namespace {

using testing::alternating;
using testing::linear;

// Daily returns whose default (EWMA) estimate is exactly `annual_vol`: ±a with a = vol / √252
// has every square equal to a², so the zero-mean EWMA variance is a²; 100 returns > the 60-return
// burn-in, so the prior has no weight.
std::vector<double> returns_with_vol(double annual_vol) {
  return alternating(annual_vol / std::sqrt(252.0), 100);
}

bool has_warning(const RiskDecision& d, const std::string& text) {
  return std::any_of(d.warnings.begin(), d.warnings.end(),
                     [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

int count_reduction_factors(const RiskDecision& d) {
  return static_cast<int>(std::count_if(d.factors.begin(), d.factors.end(), [](const auto& f) {
    return f.name.rfind("reduction:", 0) == 0;
  }));
}

const std::vector<double> kFlatNav = {1'000'000, 1'010'000};
const std::vector<double> kNav12PctDown = {1'000'000, 880'000};

// ---- Effective-scaling examples of original §3.4.11, as they must now be -----------------------

TEST(RiskEffectiveScaling, NewPortfolioWithoutHistoryIsOne) {
  // No returns: the prior (= the 12 % target) -> 0.12 / 0.12 = 1.0; no reduction.
  RiskInputs in;
  in.vix = VixReading{20.0};
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_DOUBLE_EQ(d.scaling, 1.0);
  EXPECT_EQ(d.vol.branch, VolBranch::kPriorInsufficientHistory);
  EXPECT_EQ(d.regime.regime, Regime::kNormal);
  EXPECT_FALSE(d.reduction_applied);
}

TEST(RiskEffectiveScaling, Vol10PctMomentumMinus1IsPoint6NotPoint3) {
  // Vol scaling 0.12 / 0.10 = 1.2; momentum −1 -> factor 0.5, applied once -> 0.6 (the original
  // applied it again in the strategy: 0.3).
  const auto r = returns_with_vol(0.10);
  const auto ratio = linear(1.5, -0.001, 250);  // falling: −1
  RiskInputs in;
  in.daily_returns = r;
  in.nav_history_usd = kFlatNav;
  in.vix = VixReading{18.0};
  in.us_eu_ratio = ratio;
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_NEAR(d.vol.annual_vol, 0.10, 1e-12);
  EXPECT_NEAR(d.vol_scaling, 1.2, 1e-12);
  EXPECT_EQ(d.momentum.signal, MomentumSignal::kStrongDown);
  EXPECT_EQ(d.regime.regime, Regime::kNormal);
  EXPECT_NEAR(d.scaling, 0.6, 1e-12);
  ASSERT_EQ(d.factors.size(), 2u);
  EXPECT_EQ(d.factors[0].name, "vol_target");
  EXPECT_NEAR(d.factors[0].factor, 1.2, 1e-12);
  EXPECT_EQ(d.factors[1].name, "reduction:negative_momentum");
  EXPECT_DOUBLE_EQ(d.factors[1].factor, 0.5);
  EXPECT_NEAR(d.factors[1].scaling_after, 0.6, 1e-12);
}

TEST(RiskEffectiveScaling, Drawdown12PctIsEmergencyPoint25NotPoint075) {
  // DD (880k − 1M)/1M = −12 % <= −10 %: CRISIS and emergency; scaling min(1.2, 0.25) = 0.25;
  // the CRISIS reduction 0.3 is reported but not applied (the original gave 0.25 × 0.3 = 0.075).
  const auto r = returns_with_vol(0.10);
  RiskInputs in;
  in.daily_returns = r;
  in.nav_history_usd = kNav12PctDown;
  in.vix = VixReading{35.0};
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_NEAR(d.drawdown.current, -0.12, 1e-12);
  EXPECT_EQ(d.regime.regime, Regime::kCrisis);
  EXPECT_TRUE(d.emergency_derisk);
  EXPECT_DOUBLE_EQ(d.scaling, 0.25);
  EXPECT_EQ(d.reduction.rule, ReductionRule::kCrisis);
  EXPECT_FALSE(d.reduction_applied);
  EXPECT_EQ(count_reduction_factors(d), 0);
  EXPECT_EQ(d.factors.back().name, "emergency_derisk");
  EXPECT_TRUE(has_warning(d, "EMERGENCY"));
}

TEST(RiskEffectiveScaling, RatioDataFailureLeavesVolScalingUnchanged) {
  // The original read a failed ratio (flat 1.0 series) as −0.5 and cut twice: 0.5625 × 1.2.
  // Now: missing ratio -> no signal; flat ratio -> 0; both leave 1.2.
  const auto r = returns_with_vol(0.10);
  RiskInputs in;
  in.daily_returns = r;
  in.nav_history_usd = kFlatNav;
  in.vix = VixReading{18.0};
  const auto missing = evaluate_risk(in, RiskParams{});
  EXPECT_FALSE(missing.momentum.has_signal());
  EXPECT_NEAR(missing.scaling, 1.2, 1e-12);
  const std::vector<double> flat(250, 1.0);
  in.us_eu_ratio = flat;
  const auto flat_d = evaluate_risk(in, RiskParams{});
  EXPECT_EQ(flat_d.momentum.signal, MomentumSignal::kFlat);
  EXPECT_NEAR(flat_d.scaling, 1.2, 1e-12);
}

// ---- evaluate_risk ------------------------------------------------------------------------------

TEST(RiskDecision, OriginalTestCalmHistoryIsNormal) {
  // Original §6.2: NAV 1.00M -> 1.01M -> 1.005M, VIX 18 -> scaling > 0, no emergency, NORMAL.
  const std::vector<double> nav = {1'000'000, 1'010'000, 1'005'000};
  const std::vector<double> r = {0.01, 1'005'000.0 / 1'010'000.0 - 1.0};
  RiskInputs in;
  in.daily_returns = r;
  in.nav_history_usd = nav;
  in.vix = VixReading{18.0};
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_GT(d.scaling, 0.0);
  EXPECT_FALSE(d.emergency_derisk);
  EXPECT_EQ(d.regime.regime, Regime::kNormal);
  EXPECT_FALSE(d.increase_hedges);
}

TEST(RiskDecision, OriginalTestLeverageAndVixWarnings) {
  // Original §6.2: gross 2.5M on NAV 0.95M (2.63x > 2x), VIX 32 -> warnings.
  RiskInputs in;
  in.vix = VixReading{32.0};
  in.current_gross_exposure_usd = 2'500'000;
  in.nav_usd = 950'000;
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_TRUE(has_warning(d, "gross leverage 2.63x"));
  EXPECT_TRUE(has_warning(d, "Elevated VIX 32.0"));
  EXPECT_TRUE(d.increase_hedges);  // VIX 32 >= 25 -> ELEVATED
  EXPECT_EQ(d.regime.regime, Regime::kElevated);
}

TEST(RiskDecision, ElevatedRegimeReducesOnceByPoint75) {
  // VIX 28 -> ELEVATED; no momentum data -> rule 3 (0.75). 1.2 × 0.75 = 0.9.
  const auto r = returns_with_vol(0.10);
  RiskInputs in;
  in.daily_returns = r;
  in.nav_history_usd = kFlatNav;
  in.vix = VixReading{28.0};
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_EQ(d.regime.rule, RegimeRule::kElevatedVix);
  EXPECT_NEAR(d.scaling, 0.9, 1e-12);
  EXPECT_TRUE(d.reduction_applied);
  EXPECT_EQ(count_reduction_factors(d), 1);
}

TEST(RiskDecision, GrossLeverageCapIsListedAsAFactor) {
  // Realized 4 % (vol floor lowered so it stays 4 %): 0.12 / 0.04 = 3.0, capped at 2.0
  // -> factors vol_target 3.0, gross_leverage_cap 2/3.
  const auto r = returns_with_vol(0.04);
  RiskInputs in;
  in.daily_returns = r;
  in.nav_history_usd = kFlatNav;
  in.vix = VixReading{15.0};
  RiskParams params;
  params.vol.floor_vol_annual = 0.01;
  const auto d = evaluate_risk(in, params);
  EXPECT_NEAR(d.scaling, 2.0, 1e-12);
  ASSERT_EQ(d.factors.size(), 2u);
  EXPECT_NEAR(d.factors[0].factor, 3.0, 1e-9);
  EXPECT_EQ(d.factors[1].name, "gross_leverage_cap");
  EXPECT_NEAR(d.factors[1].factor, 2.0 / 3.0, 1e-9);
}

TEST(RiskDecision, EmergencyNeverRaisesExposure) {
  // Realized 50 % (under the 60 % cap): vol scaling 0.12 / 0.5 = 0.24 < 0.25; the emergency
  // leaves it at 0.24 (it caps; it does not set 0.25).
  const auto r = returns_with_vol(0.50);
  RiskInputs in;
  in.daily_returns = r;
  in.nav_history_usd = kNav12PctDown;
  in.vix = VixReading{45.0};
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_TRUE(d.emergency_derisk);
  EXPECT_NEAR(d.scaling, 0.24, 1e-12);
}

TEST(RiskDecision, EmergencyAtExactlyMinus10Pct) {
  const std::vector<double> nav = {1'000'000, 900'000};  // −10 % exactly
  RiskInputs in;
  in.nav_history_usd = nav;
  in.vix = VixReading{20.0};
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_TRUE(d.emergency_derisk);
  EXPECT_DOUBLE_EQ(d.scaling, 0.25);
  const std::vector<double> nav_above = {1'000'000, 901'000};  // −9.9 %
  in.nav_history_usd = nav_above;
  const auto e = evaluate_risk(in, RiskParams{});
  EXPECT_FALSE(e.emergency_derisk);
  EXPECT_EQ(e.regime.regime, Regime::kElevated);
  EXPECT_DOUBLE_EQ(e.scaling, 0.75);  // prior -> 1.0, × 0.75 (ELEVATED, no momentum)
}

TEST(RiskDecision, DrawdownFromReturnsWhenNoNavHistory) {
  // Returns −6 %, +1 %: curve 1, 0.94, 0.9494 -> DD (0.9494 − 1)/1 = −5.06 % -> ELEVATED.
  const std::vector<double> r = {-0.06, 0.01};
  RiskInputs in;
  in.daily_returns = r;
  in.vix = VixReading{15.0};
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_NEAR(d.drawdown.current, -0.0506, 1e-12);
  EXPECT_EQ(d.regime.rule, RegimeRule::kElevatedDrawdown);
}

TEST(RiskDecision, VixProxyIsFlagged) {
  RiskInputs in;
  in.vix = VixReading{22.0, /*is_proxy=*/true};
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_TRUE(has_warning(d, "proxy"));
  ASSERT_TRUE(d.vix.has_value());
  EXPECT_TRUE(d.vix->is_proxy);
}

}  // namespace
}  // namespace af::risk
