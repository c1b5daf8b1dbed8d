// risk/tail_risk.hpp — value at risk and expected shortfall of daily returns (original §3.3.5).
//
// SIGN CONVENTION: VaR and ES are LOSSES AS POSITIVE FRACTIONS of NAV. VaR95 = 0.021 means
// "on 5 % of days the fund loses at least 2.1 % of NAV". A negative value means even the tail is
// a gain. (The original used |percentile| in the risk engine and negative numbers in the backtest,
// original §7 item 37; here there is one convention and no absolute value.)
//
//   auto h = historical_var_es(returns, TailRiskParams{.confidence = 0.99});
//   if (h) report(h->var, h->expected_shortfall);
//
// Inputs: simple daily returns, oldest first; the last `window_days` are used (fewer if fewer
// are available); non-finite returns are dropped first.
//  * historical: q = the (1 − c) quantile of the window with linear interpolation between order
//    statistics (numpy's default: position h = (n − 1)(1 − c)); VaR = −q;
//    ES = −mean of the returns <= q (never empty: the smallest return is <= q).
//  * parametric (normal): μ, σ = mean and sample sd (n − 1) of the window, z = Φ⁻¹(c);
//    VaR = z·σ − μ; ES = σ·φ(z)/(1 − c) − μ.
// Pure functions; thread-safe.
#pragma once

#include <span>

#include "core/result.hpp"
#include "risk/params.hpp"

namespace af::risk {

enum class TailMethod { kHistorical, kParametricNormal };

struct TailRisk {
  TailMethod method = TailMethod::kHistorical;
  double confidence = 0.95;
  double var = 0.0;                 // positive = loss, fraction of NAV
  double expected_shortfall = 0.0;  // positive = loss, fraction of NAV; >= var
  int observations = 0;
};

// Errors: kInvalidArgument (confidence outside (0, 1), window < 1), kDataQuality (fewer than
// min_observations finite returns in the window, or a zero sd for the parametric method).
Result<TailRisk> historical_var_es(std::span<const double> daily_returns,
                                   const TailRiskParams& params);
Result<TailRisk> parametric_var_es(std::span<const double> daily_returns,
                                   const TailRiskParams& params);

const char* to_string(TailMethod m) noexcept;

}  // namespace af::risk
