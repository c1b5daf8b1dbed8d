// One regression test per defect of original-system.md §7 that belongs to the risk layer:
// 14 (reduction applied twice), 15 (failed ratio read as negative momentum), 16 (vol estimator
// under-reacts / few returns hit the leverage cap), 17 (VIX silently 20), 18 (position and
// net-leverage limits not enforced), 37 (VaR sign differs between modules).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "risk/risk.hpp"
#include "series.hpp"

namespace af::risk {
namespace {

using testing::alternating;
using testing::concat;
using testing::linear;

std::vector<double> returns_with_vol(double annual_vol) {
  return alternating(annual_vol / std::sqrt(252.0), 100);
}

const std::vector<double> kFlatNav = {1'000'000, 1'010'000};

TEST(OriginalDefect14, RegimeReductionAppliedOnce) {
  // ELEVATED (VIX 28) and momentum −1: vol scaling 1.2 × 0.5 (rule 2) = 0.6, exactly once.
  // The original gave 0.6 in the risk engine and 0.3 after the strategy's second multiplication.
  const auto r = returns_with_vol(0.10);
  const auto ratio = linear(1.5, -0.001, 250);
  RiskInputs in;
  in.daily_returns = r;
  in.nav_history_usd = kFlatNav;
  in.vix = VixReading{28.0};
  in.us_eu_ratio = ratio;
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_NEAR(d.scaling, 0.6, 1e-12);
  EXPECT_TRUE(d.reduction_applied);
  const auto reductions = std::count_if(d.factors.begin(), d.factors.end(), [](const auto& f) {
    return f.name.rfind("reduction:", 0) == 0;
  });
  EXPECT_EQ(reductions, 1);
  // The product of the listed factors is the final scaling: nothing hidden, nothing left to apply.
  double product = 1.0;
  for (const auto& f : d.factors) product *= f.factor;
  EXPECT_NEAR(product, d.scaling, 1e-12);
}

TEST(OriginalDefect14, EmergencyGivesPoint25NotPoint075) {
  const auto r = returns_with_vol(0.10);
  const std::vector<double> nav = {1'000'000, 880'000};
  RiskInputs in;
  in.daily_returns = r;
  in.nav_history_usd = nav;
  in.vix = VixReading{35.0};
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_DOUBLE_EQ(d.scaling, 0.25);
  EXPECT_FALSE(d.reduction_applied);
}

TEST(OriginalDefect15, MissingRatioDataIsNoSignalNotNegative) {
  // The original replaced a failed download with a flat 1.0 series and read it as −0.5.
  const auto r = returns_with_vol(0.10);
  auto with_nan = linear(1.0, 0.001, 250);
  with_nan[249] = std::numeric_limits<double>::quiet_NaN();
  const auto short_series = linear(1.0, 0.001, 150);
  for (const std::vector<double>& ratio : {std::vector<double>{}, with_nan, short_series}) {
    RiskInputs in;
    in.daily_returns = r;
    in.nav_history_usd = kFlatNav;
    in.vix = VixReading{18.0};
    in.us_eu_ratio = ratio;
    const auto d = evaluate_risk(in, RiskParams{});
    EXPECT_FALSE(d.momentum.has_signal());
    EXPECT_FALSE(d.reduction_applied);
    EXPECT_NEAR(d.scaling, 1.2, 1e-12);  // 0.12 / 0.10, untouched
  }
  EXPECT_FALSE(should_reduce(std::nullopt, Regime::kNormal, ReductionParams{}).reduce);
}

TEST(OriginalDefect15, FlatRatioIsNeutralNotNegative) {
  const std::vector<double> flat(250, 1.0);
  const auto m = compute_momentum(flat, MomentumParams{});
  EXPECT_EQ(m.signal, MomentumSignal::kFlat);
  EXPECT_EQ(m.value(), 0.0);  // the original: −0.5
  EXPECT_FALSE(should_reduce(m.value(), Regime::kNormal, ReductionParams{}).reduce);
}

TEST(OriginalDefect16, DefaultEstimatorReactsToShortTermVolSpike) {
  // 40 calm returns (±0.1 %) then 20 stressed ones (±3 %). The original rule sees
  // 20-day 48.9 % >= 1.5 × 60-day 27.8 % and uses the calmer 27.76 %.
  // The default EWMA (λ 0.94): after 20 stressed days the weight on them is 1 − 0.94^20
  // = 1 − 0.2901 = 0.7099, var ≈ 0.7099 × 9e-4 + 0.2901 × 1e-6 = 6.392e-4,
  // annual ≈ √(6.392e-4 × 252) = 0.4013.
  const auto r = concat(alternating(0.001, 40), alternating(0.03, 20));
  const auto original = estimate_volatility(r, VolEstimatorParams::original());
  EXPECT_EQ(original.branch, VolBranch::kLongWindow);
  EXPECT_NEAR(original.annual_vol, 0.2776, 1e-4);
  const auto ewma = estimate_volatility(r, VolEstimatorParams{});
  EXPECT_EQ(ewma.branch, VolBranch::kEwma);
  EXPECT_NEAR(ewma.annual_vol, 0.4013, 1e-3);
  EXPECT_GT(ewma.annual_vol, original.annual_vol);
}

TEST(OriginalDefect16, FewReturnsDoNotHitTheLeverageCap) {
  // Five quiet returns ±0.05 %: 0.0005 × √252 = 0.79 % annual.
  // Original: scaling min(0.12 / 0.0079, 2) = 2.0 on day 5.
  // Default: prior weight 1 − 5/60 = 11/12; var = (1/12)(0.0005² × 252) + (11/12)(0.12²)
  //   = 5.25e-6 + 0.0132 = 0.01320525 -> vol 0.114914 -> scaling 0.12 / 0.114914 = 1.04426.
  const auto r = alternating(0.0005, 5);
  const auto original = estimate_volatility(r, VolEstimatorParams::original());
  EXPECT_DOUBLE_EQ(vol_target_scaling(original.annual_vol, 0.12, 2.0), 2.0);
  const auto with_prior = estimate_volatility(r, VolEstimatorParams{});
  EXPECT_NEAR(with_prior.annual_vol, 0.114914, 1e-6);
  EXPECT_NEAR(vol_target_scaling(with_prior.annual_vol, 0.12, 2.0), 1.04426, 1e-5);
}

TEST(OriginalDefect17, MissingVixIsNotDefaultedTo20) {
  // Without a VIX the decision says so; the regime comes from drawdown rules only and RECOVERY
  // (which needs VIX < 20) is not chosen on an invented VIX.
  const std::vector<double> nav = {1'000'000, 960'000};  // −4 %
  const auto rising = linear(1.0, 0.001, 250);           // momentum +1
  RiskInputs in;
  in.nav_history_usd = nav;
  in.us_eu_ratio = rising;
  const auto d = evaluate_risk(in, RiskParams{});
  EXPECT_FALSE(d.vix.has_value());
  EXPECT_TRUE(std::any_of(d.warnings.begin(), d.warnings.end(), [](const std::string& w) {
    return w.find("VIX unavailable") != std::string::npos;
  }));
  EXPECT_EQ(d.regime.rule, RegimeRule::kNormalDefault);
  // With a real calm VIX the same book is in RECOVERY.
  in.vix = VixReading{15.0};
  EXPECT_EQ(evaluate_risk(in, RiskParams{}).regime.regime, Regime::kRecovery);
}

TEST(OriginalDefect18, NetLeverageLimitIsEnforced) {
  // The original stored net_leverage_max and never used it. NAV 1M, long 1.5M, short 0.2M:
  // net 1.3M > 1.0M -> longs × (1.0M + 0.2M)/1.5M = 0.8.
  const std::map<InstrumentId, double> book = {{InstrumentId("us_index_etf"), 1'500'000.0},
                                               {InstrumentId("eu_index_etf"), -200'000.0}};
  const auto r = enforce_leverage_limits(book, 1'000'000.0, LeverageLimits{});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->net_after_usd, 1'000'000.0, 1e-6);
  EXPECT_NEAR(r->exposures_usd.at(InstrumentId("us_index_etf")), 1'200'000.0, 1e-6);
}

TEST(OriginalDefect18, PositionLimitsAreEnforced) {
  // The original computed ETF 15 % / FUT 25 % / OPT 5 % / STK 5 % and never enforced them.
  ProposedOrder o;
  o.instrument = InstrumentId("tech_xlk");
  o.type = InstrumentType::kEtf;
  o.side = OrderSide::kBuy;
  o.quantity = 100;
  o.limit_price = 250.0;
  o.last_good_price = 250.0;
  o.notional_usd = 25'000.0;
  o.current_position_usd = 140'000.0;  // -> 165,000 > 15 % of 1M
  const auto r = check_order(o, 1'000'000.0, 0.0, PreTradeLimits{});
  EXPECT_TRUE(r.rejected_for(PreTradeCode::kMaxPosition));
}

TEST(OriginalDefect37, VarIsAPositiveLossAndNeverAnAbsoluteValue) {
  // One convention: VaR = −quantile. A window of gains has a negative VaR (no loss at that
  // level); the original's |percentile| reported it as a loss of the same size.
  // Sorted 0.1 %..1.0 %: h = 9 × 0.05 = 0.45 -> q = 0.001 + 0.45 × 0.001 = 0.00145 -> VaR −0.00145.
  const std::vector<double> gains = {0.001, 0.002, 0.003, 0.004, 0.005,
                                     0.006, 0.007, 0.008, 0.009, 0.010};
  const auto t = historical_var_es(gains, TailRiskParams{});
  ASSERT_TRUE(t.ok());
  EXPECT_NEAR(t->var, -0.00145, 1e-12);
  const std::vector<double> losses = {-0.001, -0.002, -0.003, -0.004, -0.005,
                                      -0.006, -0.007, -0.008, -0.009, -0.010};
  // Sorted −1.0 %..−0.1 %: q = −0.010 + 0.45 × 0.001 = −0.00955 -> VaR +0.00955 (a loss).
  EXPECT_NEAR(historical_var_es(losses, TailRiskParams{})->var, 0.00955, 1e-12);
}

}  // namespace
}  // namespace af::risk
