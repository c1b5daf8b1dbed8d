// risk/params.hpp — plain parameter structs of the risk module, with the original's defaults.
//
// The risk module does not read configuration: the app maps the validated config onto these
// structs. Every default is a named constant below; "original" means original-system.md §2.1 /
// §3.3 (a settings key or a constant hard-coded in the original), "new" means introduced here.
//
// Units: all fractions are plain fractions (0.10 = 10 %). Drawdown thresholds are positive
// magnitudes (0.10 means "drawdown at or below −10 %"); drawdowns themselves are <= 0.
// Volatilities are annualised fractions unless a name says `_daily`.
// Thread-safety: plain values.
#pragma once

#include <limits>

#include "core/result.hpp"

namespace af::risk {

// ---- Vol targeting and drawdown control -------------------------------------------------------
inline constexpr int kTradingDaysPerYear = 252;                 // original: annualisation √252
inline constexpr double kDefaultVolTargetAnnual = 0.12;          // original `vol_target_annual`
inline constexpr double kDefaultGrossLeverageMax = 2.0;          // original `gross_leverage_max`
inline constexpr double kDefaultNetLeverageMax = 1.0;            // original `net_leverage_max` (unused there)
inline constexpr double kDefaultMaxDrawdownPct = 0.10;           // original `max_drawdown_pct`
inline constexpr double kDefaultEmergencyScaling = 0.25;         // original hard-coded 0.25
inline constexpr double kDefaultHighVixWarning = 30.0;           // original: "Elevated VIX" warning above
inline constexpr double kDefaultIncreaseHedgesVix = 25.0;        // original: increase_hedges above

// ---- Volatility estimator ---------------------------------------------------------------------
inline constexpr int kDefaultShortWindowDays = 20;               // original realized_vol(…, 20)
inline constexpr int kDefaultLongWindowDays = 60;                // original realized_vol(…, 60)
inline constexpr double kDefaultVolSwitchRatio = 1.5;            // original hard-coded 1.5
inline constexpr int kDefaultMinObservations = 5;                // original: < 5 returns -> target vol
inline constexpr double kDefaultEwmaLambda = 0.94;               // new (RiskMetrics daily decay)
inline constexpr int kDefaultBurnInObservations = 60;            // new (the original's later 60-day prior)
inline constexpr double kDefaultPriorVolAnnual = kDefaultVolTargetAnnual;  // original: target vol
inline constexpr double kDefaultVolFloorAnnual = 0.06;           // new (the original's later 6 % floor)
inline constexpr double kDefaultVolCapAnnual = 0.60;             // new (the original's later 60 % cap)

// ---- Regimes (original §3.3.7) ----------------------------------------------------------------
inline constexpr double kDefaultCrisisVix = 40.0;                // original `crisis.vix_threshold`
inline constexpr double kDefaultElevatedVix = 25.0;              // original hard-coded 25
inline constexpr double kDefaultRecoveryVixMax = 20.0;           // original hard-coded 20
inline constexpr double kDefaultElevatedDrawdownPct = 0.05;      // original hard-coded −5 %
inline constexpr double kDefaultNormalDrawdownPct = 0.03;        // original hard-coded −3 %
// Thresholds are compared with this absolute tolerance, so that a drawdown computed as −10 % up
// to floating-point rounding (e.g. 0.9 / 1.0 − 1) counts as "at" the −10 % threshold.
inline constexpr double kThresholdTolerance = 1e-9;

// ---- Momentum (original §3.3.6) and reduction (§3.3.8) ----------------------------------------
inline constexpr int kDefaultMomentumShortWindowDays = 50;       // original `momentum.short_window_days`
inline constexpr int kDefaultMomentumLongWindowDays = 200;       // original `momentum.long_window_days`
inline constexpr int kDefaultMomentumSlopeLookbackDays = 19;     // original: MA_s[last] vs MA_s[last−19]
inline constexpr double kDefaultMomentumReduceFloor = 0.5;       // original `momentum.regime_reduce_factor`
inline constexpr double kDefaultCrisisReduceFactor = 0.3;        // original hard-coded 0.3
inline constexpr double kDefaultElevatedReduceFactor = 0.75;     // original hard-coded 0.75
inline constexpr double kDefaultElevatedMomentumThreshold = 0.5; // original: ELEVATED and momentum < 0.5

// ---- Tail risk (original §3.3.5) --------------------------------------------------------------
inline constexpr int kDefaultTailWindowDays = 252;               // original window 252
inline constexpr int kDefaultTailMinObservations = 10;           // new: fewer -> "insufficient data"

// ---- Pre-trade limits -------------------------------------------------------------------------
inline constexpr double kDefaultMaxOrderNotionalPct = 0.10;      // new (the original's later v2.0 guard)
inline constexpr double kDefaultMaxDailyTurnoverPct = 0.50;      // new (the original's later v2.0 guard)
inline constexpr double kDefaultPriceCollarPct = 0.05;           // new
inline constexpr double kDefaultMaxPositionEtfPct = 0.15;        // original compute_position_limits
inline constexpr double kDefaultMaxPositionFuturePct = 0.25;     // original
inline constexpr double kDefaultMaxPositionOptionPct = 0.05;     // original
inline constexpr double kDefaultMaxPositionStockPct = 0.05;      // original

enum class VolMethod {
  kOriginalShortLong,  // original §3.3.1/§3.3.9: 20-day unless it exceeds 1.5 × 60-day, then 60-day
  kEwma,               // exponentially weighted, zero-mean (RiskMetrics)
};

// Volatility estimator. The estimate passes through three stages, in this order:
//  1. the estimator (`method`) over the finite returns, needing >= min_observations of them;
//  2. the prior: with n finite returns and n < burn_in_observations, the variance is blended
//       var = (1 − w)·estimate² + w·prior²,  w = 1 − n / burn_in_observations,
//     and with n < min_observations (or a degenerate estimate, e.g. all returns equal) the
//     prior alone is used (w = 1) — the original returned the vol target there;
//  3. floor and cap (set 0 / +inf to disable).
struct VolEstimatorParams {
  VolMethod method = VolMethod::kEwma;
  int short_window_days = kDefaultShortWindowDays;
  int long_window_days = kDefaultLongWindowDays;
  double vol_switch_ratio = kDefaultVolSwitchRatio;
  int min_observations = kDefaultMinObservations;  // also the EWMA seed length
  double ewma_lambda = kDefaultEwmaLambda;
  int burn_in_observations = kDefaultBurnInObservations;  // 0 disables the blend
  // Set it to the vol target to keep the original's "too little history -> target" behaviour.
  double prior_vol_annual = kDefaultPriorVolAnnual;
  double floor_vol_annual = kDefaultVolFloorAnnual;
  double cap_vol_annual = kDefaultVolCapAnnual;

  // The raw original estimator: no prior blend (beyond its own "< 5 returns -> prior"), no floor,
  // no cap.
  static VolEstimatorParams original() {
    VolEstimatorParams p;
    p.method = VolMethod::kOriginalShortLong;
    p.burn_in_observations = 0;
    p.floor_vol_annual = 0.0;
    p.cap_vol_annual = std::numeric_limits<double>::infinity();
    return p;
  }
};

// Regime ladder thresholds (original §3.3.7). The crisis drawdown is the original
// `max_drawdown_pct`, which also triggers the emergency de-risk (RiskParams).
struct RegimeParams {
  double crisis_vix = kDefaultCrisisVix;
  double elevated_vix = kDefaultElevatedVix;
  double recovery_vix_max = kDefaultRecoveryVixMax;
  double crisis_drawdown_pct = kDefaultMaxDrawdownPct;
  double elevated_drawdown_pct = kDefaultElevatedDrawdownPct;
  double normal_drawdown_pct = kDefaultNormalDrawdownPct;
};

struct MomentumParams {
  int short_window_days = kDefaultMomentumShortWindowDays;
  int long_window_days = kDefaultMomentumLongWindowDays;  // also the minimum series length
  int slope_lookback_days = kDefaultMomentumSlopeLookbackDays;
};

// Exposure reduction rule should_reduce (original §3.3.8).
struct ReductionParams {
  double crisis_factor = kDefaultCrisisReduceFactor;
  double momentum_floor = kDefaultMomentumReduceFloor;
  double elevated_factor = kDefaultElevatedReduceFactor;
  double elevated_momentum_threshold = kDefaultElevatedMomentumThreshold;
};

struct RiskParams {
  double vol_target_annual = kDefaultVolTargetAnnual;
  double gross_leverage_max = kDefaultGrossLeverageMax;
  double net_leverage_max = kDefaultNetLeverageMax;
  double emergency_drawdown_pct = kDefaultMaxDrawdownPct;  // original `max_drawdown_pct`
  double emergency_scaling = kDefaultEmergencyScaling;
  double high_vix_warning = kDefaultHighVixWarning;
  double increase_hedges_vix = kDefaultIncreaseHedgesVix;
  VolEstimatorParams vol;
  RegimeParams regime;
  MomentumParams momentum;
  ReductionParams reduction;
};

struct TailRiskParams {
  double confidence = 0.95;  // in (0, 1)
  int window_days = kDefaultTailWindowDays;  // shrinks to the available length
  int min_observations = kDefaultTailMinObservations;
};

// Range checks for the app (and tests): an Error naming the field and the accepted range.
Status validate(const VolEstimatorParams& p);
Status validate(const RiskParams& p);

}  // namespace af::risk
