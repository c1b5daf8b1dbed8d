#include "risk/params.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>

namespace af::risk {
namespace {

Status out_of_range(const char* field, double value, const char* range) {
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("risk parameter `{}` = {} is out of range: expected {}", field, value,
                           range)};
}

bool fraction_open(double x) { return x > 0.0 && x < 1.0; }
bool positive_finite(double x) { return std::isfinite(x) && x > 0.0; }

}  // namespace

Status validate(const VolEstimatorParams& p) {
  if (p.short_window_days < 2) return out_of_range("vol.short_window_days", p.short_window_days, ">= 2");
  if (p.long_window_days < p.short_window_days) {
    return out_of_range("vol.long_window_days", p.long_window_days, ">= vol.short_window_days");
  }
  if (!positive_finite(p.vol_switch_ratio)) return out_of_range("vol.vol_switch_ratio", p.vol_switch_ratio, "> 0");
  if (p.min_observations < 2) return out_of_range("vol.min_observations", p.min_observations, ">= 2");
  if (!fraction_open(p.ewma_lambda)) return out_of_range("vol.ewma_lambda", p.ewma_lambda, "in (0, 1)");
  if (p.burn_in_observations < 0) {
    return out_of_range("vol.burn_in_observations", p.burn_in_observations, ">= 0 (0 disables)");
  }
  if (!positive_finite(p.prior_vol_annual)) return out_of_range("vol.prior_vol_annual", p.prior_vol_annual, "> 0");
  if (!(p.floor_vol_annual >= 0.0) || !std::isfinite(p.floor_vol_annual)) {
    return out_of_range("vol.floor_vol_annual", p.floor_vol_annual, ">= 0");
  }
  if (!(p.cap_vol_annual > p.floor_vol_annual) || !(p.cap_vol_annual > 0.0)) {
    return out_of_range("vol.cap_vol_annual", p.cap_vol_annual, "> vol.floor_vol_annual");
  }
  return ok_status();
}

Status validate(const RiskParams& p) {
  AF_RETURN_IF_ERROR(validate(p.vol));
  if (!positive_finite(p.vol_target_annual)) return out_of_range("vol_target_annual", p.vol_target_annual, "> 0");
  if (!positive_finite(p.gross_leverage_max)) return out_of_range("gross_leverage_max", p.gross_leverage_max, "> 0");
  if (!(p.net_leverage_max >= 0.0) || !std::isfinite(p.net_leverage_max)) {
    return out_of_range("net_leverage_max", p.net_leverage_max, ">= 0");
  }
  if (!fraction_open(p.emergency_drawdown_pct)) {
    return out_of_range("emergency_drawdown_pct", p.emergency_drawdown_pct, "in (0, 1)");
  }
  if (!(p.emergency_scaling >= 0.0) || !std::isfinite(p.emergency_scaling)) {
    return out_of_range("emergency_scaling", p.emergency_scaling, ">= 0");
  }
  const RegimeParams& r = p.regime;
  if (!(r.elevated_vix > 0.0 && r.elevated_vix <= r.crisis_vix)) {
    return out_of_range("regime.elevated_vix", r.elevated_vix, "in (0, regime.crisis_vix]");
  }
  if (!(r.recovery_vix_max > 0.0 && r.recovery_vix_max <= r.elevated_vix)) {
    return out_of_range("regime.recovery_vix_max", r.recovery_vix_max, "in (0, regime.elevated_vix]");
  }
  if (!fraction_open(r.crisis_drawdown_pct)) {
    return out_of_range("regime.crisis_drawdown_pct", r.crisis_drawdown_pct, "in (0, 1)");
  }
  if (!(r.elevated_drawdown_pct > 0.0 && r.elevated_drawdown_pct <= r.crisis_drawdown_pct)) {
    return out_of_range("regime.elevated_drawdown_pct", r.elevated_drawdown_pct,
                        "in (0, regime.crisis_drawdown_pct]");
  }
  if (!(r.normal_drawdown_pct > 0.0 && r.normal_drawdown_pct <= r.elevated_drawdown_pct)) {
    return out_of_range("regime.normal_drawdown_pct", r.normal_drawdown_pct,
                        "in (0, regime.elevated_drawdown_pct]");
  }
  const MomentumParams& m = p.momentum;
  if (m.short_window_days < 1) return out_of_range("momentum.short_window_days", m.short_window_days, ">= 1");
  if (m.slope_lookback_days < 1) {
    return out_of_range("momentum.slope_lookback_days", m.slope_lookback_days, ">= 1");
  }
  if (m.long_window_days < m.short_window_days + m.slope_lookback_days) {
    return out_of_range("momentum.long_window_days", m.long_window_days,
                        ">= momentum.short_window_days + momentum.slope_lookback_days");
  }
  const ReductionParams& d = p.reduction;
  if (!(d.crisis_factor >= 0.0 && d.crisis_factor <= 1.0)) {
    return out_of_range("reduction.crisis_factor", d.crisis_factor, "in [0, 1]");
  }
  if (!(d.momentum_floor >= 0.0 && d.momentum_floor <= 1.0)) {
    return out_of_range("reduction.momentum_floor", d.momentum_floor, "in [0, 1]");
  }
  if (!(d.elevated_factor >= 0.0 && d.elevated_factor <= 1.0)) {
    return out_of_range("reduction.elevated_factor", d.elevated_factor, "in [0, 1]");
  }
  return ok_status();
}

}  // namespace af::risk
