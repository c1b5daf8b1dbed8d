// risk/regime.hpp — drawdown, US/EU spread momentum, the regime ladder and the reduction rule.
//
//   auto dd = compute_drawdown(nav_history_usd);              // current and max, both <= 0
//   auto mom = compute_momentum(us_eu_ratio, MomentumParams{});
//   auto regime = detect_regime(vix, mom.value(), dd.current, RegimeParams{});
//   auto cut = should_reduce(mom.value(), regime.regime, ReductionParams{});
//
// Momentum is `std::optional<double>` in the rule functions: nullopt means "no signal" (missing
// or insufficient data). No signal is never read as a negative signal (original §7 item 15).
// VIX is `std::optional<double>`: nullopt means "not available"; the VIX rules then do not
// fire and RECOVERY (which needs VIX < 20) cannot be chosen — there is no silent default of 20
// (original §7 item 17).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "risk/params.hpp"

namespace af::risk {

// ---- Drawdown (original §3.3.3) ----------------------------------------------------------------
struct Drawdown {
  double current = 0.0;  // (E_last − peak) / peak, <= 0
  double max = 0.0;      // min over t of (E_t − running peak) / running peak, <= 0
  int points = 0;        // points used (finite and > 0)
  int skipped_points = 0;  // non-finite or non-positive points ignored
};

// `equity_curve`: NAV (any unit) or an index, oldest first. Empty -> zeros. O(n) compares, one
// division per stretch between new peaks (the same result as the per-point definition).
Drawdown compute_drawdown(std::span<const double> equity_curve);

// Equity index from daily returns: start, start·(1+r1), start·(1+r1)(1+r2), ... (n + 1 points;
// the starting point makes a first-day loss a drawdown). Non-finite returns are skipped.
std::vector<double> equity_curve_from_returns(std::span<const double> daily_returns,
                                              double start = 1.0);

// ---- Spread momentum (original §3.3.6) ---------------------------------------------------------
enum class MomentumSignal {
  kNoSignal,    // fewer than long-window points, or a NaN / non-positive point in the used window
  kStrongUp,    // MA_s > MA_l and slope > 0  -> +1.0
  kUp,          // MA_s > MA_l, slope <= 0    -> +0.5
  kFlat,        // MA_s == MA_l               ->  0.0 (the original gave −0.5)
  kDown,        // MA_s < MA_l, slope >= 0    -> −0.5
  kStrongDown,  // MA_s < MA_l and slope < 0  -> −1.0
};

struct Momentum {
  MomentumSignal signal = MomentumSignal::kNoSignal;
  double ma_short = 0.0;  // last 50-day SMA of the ratio (0 when no signal)
  double ma_long = 0.0;   // last 200-day SMA
  double slope = 0.0;     // (MA_s[last] − MA_s[last−19]) / MA_s[last−19]
  std::string reason;

  bool has_signal() const noexcept { return signal != MomentumSignal::kNoSignal; }
  // +1, +0.5, 0, −0.5, −1; nullopt for no signal.
  std::optional<double> value() const noexcept;
};

// `us_eu_ratio`: the US/EU normalised price ratio, oldest first, one point per session.
Momentum compute_momentum(std::span<const double> us_eu_ratio, const MomentumParams& params);

// ---- Regime ladder (original §3.3.7; first match wins) -----------------------------------------
enum class Regime { kNormal, kElevated, kCrisis, kRecovery };

// The rule that chose the regime, in ladder order.
enum class RegimeRule {
  kCrisisVix,          // 1. VIX >= 40
  kCrisisDrawdown,     // 1. DD <= −10 %
  kElevatedVix,        // 2. VIX >= 25
  kElevatedDrawdown,   // 2. DD <= −5 %
  kNormalCalm,         // 3. DD > −3 % and VIX < 25
  kRecovery,           // 4. DD >= −5 % and VIX < 20 and momentum > 0
  kNormalDefault,      // 5. otherwise
};

struct RegimeAssessment {
  Regime regime = Regime::kNormal;
  RegimeRule rule = RegimeRule::kNormalDefault;
  std::string reason;  // the rule with the numbers, e.g. "VIX 41.0 >= 40.0"
};

// `current_drawdown` <= 0 (−0.05 = 5 % below peak). Comparisons use kThresholdTolerance.
// When both a VIX and a drawdown clause of the same rung match, the VIX clause is reported.
RegimeAssessment detect_regime(std::optional<double> vix, std::optional<double> momentum,
                               double current_drawdown, const RegimeParams& params);

// ---- Reduction rule should_reduce (original §3.3.8; first match wins) --------------------------
enum class ReductionRule {
  kCrisis,                // 1. regime CRISIS -> 0.3
  kNegativeMomentum,      // 2. momentum < 0 -> max(1 + m·(1 − floor), floor)
  kElevatedWeakMomentum,  // 3. ELEVATED and momentum < 0.5 -> 0.75
  kNone,                  // 4. no reduction
};

struct Reduction {
  bool reduce = false;
  double factor = 1.0;
  ReductionRule rule = ReductionRule::kNone;
  std::string reason;
};

// No signal never fires rule 2. In ELEVATED it counts as neutral (0 < 0.5), so rule 3 still
// applies: that reduction is driven by the regime, not by the momentum data.
Reduction should_reduce(std::optional<double> momentum, Regime regime,
                        const ReductionParams& params);

const char* to_string(MomentumSignal s) noexcept;
const char* to_string(Regime r) noexcept;
const char* to_string(RegimeRule r) noexcept;
const char* to_string(ReductionRule r) noexcept;

}  // namespace af::risk
