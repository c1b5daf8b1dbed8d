// risk/volatility.hpp — realized volatility of the fund's daily returns, and vol-target scaling.
//
//   auto est = estimate_volatility(fund_daily_returns, params.vol);
//   double s = vol_target_scaling(est.annual_vol, 0.12, 2.0);
//   report(est.describe());   // "ewma(lambda=0.94), 250 returns: 11.80% (…)"
//
// Inputs are simple daily returns (0.01 = +1 %), oldest first. Non-finite returns are dropped
// and counted. Outputs are annualised fractions (σ_daily × √252).
// Pure functions; thread-safe.
#pragma once

#include <limits>
#include <span>
#include <string>

#include "risk/params.hpp"

namespace af::risk {

// Which branch of the estimator produced the estimate (for the plan report).
enum class VolBranch {
  kPriorInsufficientHistory,  // fewer than min_observations finite returns: the prior alone
  kPriorDegenerate,           // the chosen estimate was NaN or ~0 (daily sd <= 1e-12, e.g. constant returns)
  kShortWindow,               // original rule: the 20-day window
  kLongWindow,                // original rule: 20-day >= 1.5 × 60-day, so the 60-day window
  kEwma,                      // EWMA recursion
};

struct VolEstimate {
  double annual_vol = 0.0;  // the estimate to use: after prior blend, floor and cap
  double estimator_annual_vol = 0.0;  // the estimator alone (the prior when the branch is a prior)
  VolMethod method = VolMethod::kEwma;
  VolBranch branch = VolBranch::kPriorInsufficientHistory;
  int observations = 0;      // finite returns used
  int dropped_non_finite = 0;
  double prior_weight = 1.0;  // weight of the prior in the variance blend, in [0, 1]
  bool floored = false;
  bool capped = false;
  // Original rule only (NaN otherwise): the two window estimates, each already replaced by the
  // prior when its window had too little data or a degenerate standard deviation (as the original).
  double short_window_annual_vol = std::numeric_limits<double>::quiet_NaN();
  double long_window_annual_vol = std::numeric_limits<double>::quiet_NaN();

  // One line for the plan report: method, branch, observations, prior weight, floor/cap.
  std::string describe() const;
};

// Estimates the annualised volatility of `daily_returns` (see VolEstimatorParams for the stages).
// Precondition: validate(params) is ok.
VolEstimate estimate_volatility(std::span<const double> daily_returns,
                                const VolEstimatorParams& params);

// Original §3.3.2: min(target / realized, gross_max); 1.0 when realized is NaN or <= 0 or the
// ratio is not finite. No floor.
double vol_target_scaling(double realized_annual_vol, double target_annual_vol,
                          double gross_leverage_max);

const char* to_string(VolMethod m) noexcept;
const char* to_string(VolBranch b) noexcept;

}  // namespace af::risk
