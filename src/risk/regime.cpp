#include "risk/regime.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace af::risk {
namespace {

// Threshold comparisons with kThresholdTolerance ("at" the threshold includes rounding noise).
bool at_or_above(double x, double t) { return x >= t - kThresholdTolerance; }
bool below(double x, double t) { return x < t - kThresholdTolerance; }
bool at_or_below(double x, double t) { return x <= t + kThresholdTolerance; }
bool above(double x, double t) { return x > t + kThresholdTolerance; }

double mean(std::span<const double> x) {
  double s = 0.0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

std::string pct(double fraction) { return fmt::format(FMT_COMPILE("{:.2f}%"), 100.0 * fraction); }

}  // namespace

Drawdown compute_drawdown(std::span<const double> equity_curve) {
  // The drawdown at each point is (e - peak) / peak. Between two new peaks the peak is fixed and
  // that expression is non-decreasing in e (IEEE - and / by a positive number are monotone), so
  // the deepest point of the stretch is its lowest value: one division per stretch instead of
  // one per point, with the same result as taking the minimum over every point.
  Drawdown d;
  double peak = 0.0;
  double stretch_low = 0.0;  // lowest value since `peak` was set
  double last = 0.0;
  for (double e : equity_curve) {
    if (!std::isfinite(e) || e <= 0.0) {
      ++d.skipped_points;
      continue;
    }
    ++d.points;
    if (e > peak) {
      if (peak > 0.0) d.max = std::min(d.max, (stretch_low - peak) / peak);
      peak = e;
      stretch_low = e;
    } else {
      stretch_low = std::min(stretch_low, e);
    }
    last = e;
  }
  if (d.points > 0) {
    d.max = std::min(d.max, (stretch_low - peak) / peak);
    d.current = (last - peak) / peak;
  }
  return d;
}

std::vector<double> equity_curve_from_returns(std::span<const double> daily_returns,
                                              double start) {
  std::vector<double> curve;
  curve.reserve(daily_returns.size() + 1);
  curve.push_back(start);
  for (double r : daily_returns) {
    if (std::isfinite(r)) curve.push_back(curve.back() * (1.0 + r));
  }
  return curve;
}

std::optional<double> Momentum::value() const noexcept {
  switch (signal) {
    case MomentumSignal::kNoSignal: return std::nullopt;
    case MomentumSignal::kStrongUp: return 1.0;
    case MomentumSignal::kUp: return 0.5;
    case MomentumSignal::kFlat: return 0.0;
    case MomentumSignal::kDown: return -0.5;
    case MomentumSignal::kStrongDown: return -1.0;
  }
  return std::nullopt;
}

Momentum compute_momentum(std::span<const double> ratio, const MomentumParams& p) {
  Momentum m;
  const std::size_t n = ratio.size();
  const auto long_w = static_cast<std::size_t>(p.long_window_days);
  const auto short_w = static_cast<std::size_t>(p.short_window_days);
  const auto lookback = static_cast<std::size_t>(p.slope_lookback_days);
  if (n < long_w) {
    m.reason = fmt::format(FMT_COMPILE("no signal: {} ratio points, {} needed"), n, long_w);
    return m;
  }
  const auto used = ratio.last(long_w);
  for (std::size_t i = 0; i < used.size(); ++i) {
    if (!std::isfinite(used[i]) || used[i] <= 0.0) {
      m.reason = fmt::format(FMT_COMPILE("no signal: ratio point {} of the last {} is missing or not positive"),
                             i + 1, long_w);
      return m;
    }
  }
  // validate() guarantees short_w + lookback <= long_w, so every point used lies in `used`.
  m.ma_short = mean(used.last(short_w));
  m.ma_long = mean(used);
  const double ma_short_before = mean(used.subspan(used.size() - lookback - short_w, short_w));
  m.slope = (m.ma_short - ma_short_before) / ma_short_before;

  if (std::abs(m.ma_short - m.ma_long) <= 1e-12 * std::abs(m.ma_long)) {
    m.signal = MomentumSignal::kFlat;
  } else if (m.ma_short > m.ma_long) {
    m.signal = m.slope > 0.0 ? MomentumSignal::kStrongUp : MomentumSignal::kUp;
  } else {
    m.signal = m.slope < 0.0 ? MomentumSignal::kStrongDown : MomentumSignal::kDown;
  }
  m.reason = fmt::format(FMT_COMPILE("{}: MA{} {:.6g} vs MA{} {:.6g}, slope {:+.4f}"), to_string(m.signal),
                         short_w, m.ma_short, long_w, m.ma_long, m.slope);
  return m;
}

RegimeAssessment detect_regime(std::optional<double> vix, std::optional<double> momentum,
                               double dd, const RegimeParams& p) {
  const std::string vix_text = vix ? fmt::format(FMT_COMPILE("VIX {:.1f}"), *vix) : std::string("VIX n/a");
  const std::string dd_text = "drawdown " + pct(dd);
  // 1. CRISIS
  if (vix && at_or_above(*vix, p.crisis_vix)) {
    return {Regime::kCrisis, RegimeRule::kCrisisVix,
            fmt::format(FMT_COMPILE("{} >= {:.1f}"), vix_text, p.crisis_vix)};
  }
  if (at_or_below(dd, -p.crisis_drawdown_pct)) {
    return {Regime::kCrisis, RegimeRule::kCrisisDrawdown,
            fmt::format(FMT_COMPILE("{} <= {}"), dd_text, pct(-p.crisis_drawdown_pct))};
  }
  // 2. ELEVATED
  if (vix && at_or_above(*vix, p.elevated_vix)) {
    return {Regime::kElevated, RegimeRule::kElevatedVix,
            fmt::format(FMT_COMPILE("{} >= {:.1f}"), vix_text, p.elevated_vix)};
  }
  if (at_or_below(dd, -p.elevated_drawdown_pct)) {
    return {Regime::kElevated, RegimeRule::kElevatedDrawdown,
            fmt::format(FMT_COMPILE("{} <= {}"), dd_text, pct(-p.elevated_drawdown_pct))};
  }
  // 3. NORMAL (calm). Past rung 2 a known VIX is below the elevated level; an unknown VIX does
  // not block this rung (the drawdown alone decides).
  const bool vix_below_elevated = !vix || below(*vix, p.elevated_vix);
  if (above(dd, -p.normal_drawdown_pct) && vix_below_elevated) {
    return {Regime::kNormal, RegimeRule::kNormalCalm,
            fmt::format(FMT_COMPILE("{} > {} and {} < {:.1f}"), dd_text, pct(-p.normal_drawdown_pct), vix_text,
                        p.elevated_vix)};
  }
  // 4. RECOVERY needs a known calm VIX and a positive momentum signal.
  const bool momentum_positive = momentum && *momentum > 0.0;
  if (at_or_above(dd, -p.elevated_drawdown_pct) && vix && below(*vix, p.recovery_vix_max) &&
      momentum_positive) {
    return {Regime::kRecovery, RegimeRule::kRecovery,
            fmt::format(FMT_COMPILE("{} >= {}, {} < {:.1f}, momentum {:+.1f} > 0"), dd_text,
                        pct(-p.elevated_drawdown_pct), vix_text, p.recovery_vix_max, *momentum)};
  }
  // 5. NORMAL by default.
  return {Regime::kNormal, RegimeRule::kNormalDefault,
          fmt::format(FMT_COMPILE("no rule matched ({}, {}, momentum {})"), dd_text, vix_text,
                      momentum ? fmt::format(FMT_COMPILE("{:+.1f}"), *momentum) : std::string("no signal"))};
}

Reduction should_reduce(std::optional<double> momentum, Regime regime, const ReductionParams& p) {
  if (regime == Regime::kCrisis) {
    return {true, p.crisis_factor, ReductionRule::kCrisis,
            fmt::format(FMT_COMPILE("regime CRISIS -> x{:.2f}"), p.crisis_factor)};
  }
  if (momentum && *momentum < 0.0) {
    const double factor = std::max(1.0 + *momentum * (1.0 - p.momentum_floor), p.momentum_floor);
    return {true, factor, ReductionRule::kNegativeMomentum,
            fmt::format(FMT_COMPILE("momentum {:+.2f} < 0 -> x{:.4g} (floor {:.2f})"), *momentum, factor,
                        p.momentum_floor)};
  }
  const double m = momentum.value_or(0.0);
  if (regime == Regime::kElevated && m < p.elevated_momentum_threshold) {
    return {true, p.elevated_factor, ReductionRule::kElevatedWeakMomentum,
            fmt::format(FMT_COMPILE("regime ELEVATED and momentum {} < {:.2f} -> x{:.2f}"),
                        momentum ? fmt::format(FMT_COMPILE("{:+.2f}"), *momentum) : std::string("none"),
                        p.elevated_momentum_threshold, p.elevated_factor)};
  }
  return {false, 1.0, ReductionRule::kNone, "no reduction"};
}

const char* to_string(MomentumSignal s) noexcept {
  switch (s) {
    case MomentumSignal::kNoSignal: return "no_signal";
    case MomentumSignal::kStrongUp: return "strong_up";
    case MomentumSignal::kUp: return "up";
    case MomentumSignal::kFlat: return "flat";
    case MomentumSignal::kDown: return "down";
    case MomentumSignal::kStrongDown: return "strong_down";
  }
  return "unknown";
}

const char* to_string(Regime r) noexcept {
  switch (r) {
    case Regime::kNormal: return "NORMAL";
    case Regime::kElevated: return "ELEVATED";
    case Regime::kCrisis: return "CRISIS";
    case Regime::kRecovery: return "RECOVERY";
  }
  return "unknown";
}

const char* to_string(RegimeRule r) noexcept {
  switch (r) {
    case RegimeRule::kCrisisVix: return "crisis_vix";
    case RegimeRule::kCrisisDrawdown: return "crisis_drawdown";
    case RegimeRule::kElevatedVix: return "elevated_vix";
    case RegimeRule::kElevatedDrawdown: return "elevated_drawdown";
    case RegimeRule::kNormalCalm: return "normal_calm";
    case RegimeRule::kRecovery: return "recovery";
    case RegimeRule::kNormalDefault: return "normal_default";
  }
  return "unknown";
}

const char* to_string(ReductionRule r) noexcept {
  switch (r) {
    case ReductionRule::kCrisis: return "crisis";
    case ReductionRule::kNegativeMomentum: return "negative_momentum";
    case ReductionRule::kElevatedWeakMomentum: return "elevated_weak_momentum";
    case ReductionRule::kNone: return "none";
  }
  return "unknown";
}

}  // namespace af::risk
