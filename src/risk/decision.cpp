#include "risk/decision.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace af::risk {

RiskDecision evaluate_risk(const RiskInputs& in, const RiskParams& p) {
  RiskDecision d;
  d.vix = in.vix;

  // (1)–(2) Volatility and vol-target scaling.
  d.vol = estimate_volatility(in.daily_returns, p.vol);
  const double uncapped = p.vol_target_annual / d.vol.annual_vol;
  d.vol_scaling = vol_target_scaling(d.vol.annual_vol, p.vol_target_annual, p.gross_leverage_max);
  double scaling = d.vol_scaling;
  if (std::isfinite(uncapped) && uncapped > d.vol_scaling) {
    d.factors.push_back({"vol_target", uncapped, uncapped,
                         fmt::format(FMT_COMPILE("target {:.2f}% / realized {:.2f}% ({})"),
                                     100 * p.vol_target_annual, 100 * d.vol.annual_vol,
                                     d.vol.describe())});
    d.factors.push_back({"gross_leverage_cap", d.vol_scaling / uncapped, d.vol_scaling,
                         fmt::format(FMT_COMPILE("vol scaling {:.4g} capped at gross leverage max {:.4g}"),
                                     uncapped, p.gross_leverage_max)});
  } else {
    d.factors.push_back({"vol_target", d.vol_scaling, d.vol_scaling,
                         fmt::format(FMT_COMPILE("target {:.2f}% / realized {:.2f}% ({})"),
                                     100 * p.vol_target_annual, 100 * d.vol.annual_vol,
                                     d.vol.describe())});
  }

  // (3) Drawdown.
  if (!in.nav_history_usd.empty()) {
    d.drawdown = compute_drawdown(in.nav_history_usd);
  } else {
    const auto curve = equity_curve_from_returns(in.daily_returns);
    d.drawdown = compute_drawdown(curve);
  }
  if (d.drawdown.skipped_points > 0) {
    d.warnings.push_back(fmt::format(FMT_COMPILE("drawdown: {} non-finite or non-positive NAV points ignored"),
                                     d.drawdown.skipped_points));
  }

  // (4)–(5) Momentum and regime.
  d.momentum = compute_momentum(in.us_eu_ratio, p.momentum);
  const std::optional<double> vix_level =
      in.vix ? std::optional<double>(in.vix->level) : std::nullopt;
  d.regime = detect_regime(vix_level, d.momentum.value(), d.drawdown.current, p.regime);
  if (!in.vix) {
    d.warnings.push_back("VIX unavailable: regime decided by drawdown only (no default level)");
  } else if (in.vix->is_proxy) {
    d.warnings.push_back(
        fmt::format(FMT_COMPILE("VIX is a realized-volatility proxy ({:.1f}), not the index"), in.vix->level));
  }

  // (6) Emergency de-risk.
  d.emergency_derisk = d.drawdown.current <= -p.emergency_drawdown_pct + kThresholdTolerance;
  d.reduction = should_reduce(d.momentum.value(), d.regime.regime, p.reduction);
  if (d.emergency_derisk) {
    const double before = scaling;
    scaling = std::min(scaling, p.emergency_scaling);
    d.warnings.push_back(fmt::format(FMT_COMPILE("EMERGENCY de-risk: drawdown {:.2f}% <= {:.2f}%, scaling {:.4g}"),
                                     100 * d.drawdown.current, -100 * p.emergency_drawdown_pct,
                                     scaling));
    if (scaling != before) {
      d.factors.push_back({"emergency_derisk", scaling / before, scaling,
                           fmt::format(FMT_COMPILE("drawdown {:.2f}% <= {:.2f}%: scaling capped at {:.4g}"),
                                       100 * d.drawdown.current, -100 * p.emergency_drawdown_pct,
                                       p.emergency_scaling)});
    }
    if (d.reduction.reduce) {
      d.warnings.push_back(fmt::format("reduction '{}' (x{:.4g}) not applied: the emergency "
                                       "scaling replaces it",
                                       to_string(d.reduction.rule), d.reduction.factor));
    }
  } else if (d.reduction.reduce) {
    // (7) The one and only application of the regime/momentum reduction.
    scaling *= d.reduction.factor;
    d.reduction_applied = true;
    d.factors.push_back({std::string("reduction:") + to_string(d.reduction.rule),
                         d.reduction.factor, scaling, d.reduction.reason});
  }

  // Warnings and flags (original steps 9–11).
  if (in.current_gross_exposure_usd) {
    if (in.nav_usd > 0.0) {
      const double gross = *in.current_gross_exposure_usd / in.nav_usd;
      if (gross > p.gross_leverage_max) {
        d.warnings.push_back(fmt::format(
            "current gross leverage {:.2f}x exceeds {:.2f}x; the target book is capped by the "
            "leverage limits",
            gross, p.gross_leverage_max));
      }
    } else {
      d.warnings.push_back(fmt::format(FMT_COMPILE("NAV {:.2f} USD is not positive: leverage not computed"),
                                       in.nav_usd));
    }
  }
  if (in.vix && in.vix->level > p.high_vix_warning) {
    d.warnings.push_back(fmt::format(FMT_COMPILE("Elevated VIX {:.1f} > {:.1f}"), in.vix->level,
                                     p.high_vix_warning));
  }
  d.increase_hedges = d.regime.regime == Regime::kElevated ||
                      d.regime.regime == Regime::kCrisis ||
                      (in.vix && in.vix->level > p.increase_hedges_vix);
  d.scaling = scaling;
  return d;
}

}  // namespace af::risk
