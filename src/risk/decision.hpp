// risk/decision.hpp — the daily risk decision: one scaling factor and why (original §3.3.9).
//
//   RiskInputs in;
//   in.daily_returns = fund_returns;        // oldest first
//   in.nav_history_usd = nav_history;       // oldest first; empty -> equity from the returns
//   in.vix = VixReading{22.5, /*is_proxy=*/false};
//   in.us_eu_ratio = ratio;                 // empty or short -> momentum "no signal"
//   RiskDecision d = evaluate_risk(in, RiskParams{});
//   for (auto& f : d.factors) report(f.name, f.factor, f.reason);
//   double sleeve_notional = nav * weight * d.scaling;     // use d.scaling AS IS
//
// THE SCALING IS FINAL. The regime/momentum reduction is already inside `scaling` (applied
// exactly once, original §7 item 14). Callers must not multiply by `reduction.factor` again;
// it is reported for explanation only.
//
// Steps: (1) volatility estimate; (2) vol-target scaling min(target / realized, gross max);
// (3) drawdown from the NAV history (or from the returns); (4) momentum; (5) regime;
// (6) emergency de-risk when drawdown <= −max_drawdown: scaling = min(scaling, 0.25) and no
// further reduction; otherwise (7) the reduction rule, applied once.
// Deviation from the original, documented: the emergency caps the scaling at 0.25 rather than
// setting it to 0.25, so an emergency never raises exposure when vol targeting alone is lower.
// The original's step 9 (current gross / NAV above the limit) is a warning here: leverage limits
// are enforced on the final target book (risk/leverage.hpp).
// Pure function; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "risk/params.hpp"
#include "risk/regime.hpp"
#include "risk/volatility.hpp"

namespace af::risk {

struct VixReading {
  double level = 0.0;
  bool is_proxy = false;  // a realized-vol proxy rather than the index (flagged in warnings)
};

struct RiskInputs {
  std::span<const double> daily_returns;    // fund returns, oldest first
  std::span<const double> nav_history_usd;  // oldest first; empty -> curve from the returns
  std::optional<VixReading> vix;            // nullopt: unavailable (never a silent 20)
  std::span<const double> us_eu_ratio;      // oldest first; empty -> no momentum signal
  // Current book, for the leverage warning only (nullopt: not reported).
  std::optional<double> current_gross_exposure_usd;
  double nav_usd = 0.0;
};

// One factor that changed the scaling, in the order applied.
struct ScalingFactor {
  std::string name;     // "vol_target", "gross_leverage_cap", "emergency_derisk", "reduction:<rule>"
  double factor = 1.0;  // multiplier applied at this step
  double scaling_after = 1.0;
  std::string reason;
};

struct RiskDecision {
  double scaling = 1.0;  // final; see the header comment
  VolEstimate vol;
  double vol_scaling = 1.0;  // min(target / realized, gross max) before any reduction
  Drawdown drawdown;
  Momentum momentum;
  RegimeAssessment regime;
  Reduction reduction;   // the rule's answer (informational)
  bool reduction_applied = false;
  bool emergency_derisk = false;
  bool increase_hedges = false;  // regime ELEVATED/CRISIS or VIX > 25 (for the tail-hedge step)
  std::optional<VixReading> vix;
  std::vector<ScalingFactor> factors;
  std::vector<std::string> warnings;
};

// Precondition: validate(params) is ok.
RiskDecision evaluate_risk(const RiskInputs& inputs, const RiskParams& params);

}  // namespace af::risk
