// risk/leverage.hpp — gross and net leverage limits on the final target book.
//
//   std::map<InstrumentId, double> book = {{InstrumentId("us_index_etf"), 1.2e6}, ...};
//   auto r = enforce_leverage_limits(book, nav_usd, LeverageLimits{});
//   if (!r) return r.error();
//   use(r->exposures_usd);                    // within both limits
//   for (auto& a : r->actions) report(a);
//
// Exposures are signed USD notionals (long > 0, short < 0; futures at multiplier × price,
// options at their delta-adjusted or premium notional as the caller decides).
// Method, in this order:
//  1. net: if |net| > net_max × NAV, only the side with the net's sign (longs when net long) is
//     scaled down, by the factor that brings |net| to the limit. The other side is a hedge:
//     cutting it would add risk.
//  2. gross: if gross > gross_max × NAV, every exposure is scaled by the same factor; this keeps
//     the net within its limit (it shrinks by the same factor).
// Limits are met up to a relative 1e-12 of floating-point rounding.
// Pure function; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/types.hpp"
#include "risk/params.hpp"

namespace af::risk {

struct LeverageLimits {
  double gross_max = kDefaultGrossLeverageMax;  // gross / NAV
  double net_max = kDefaultNetLeverageMax;      // |net| / NAV
};

struct LeverageAdjustment {
  std::map<InstrumentId, double> exposures_usd;  // the adjusted book
  double gross_before_usd = 0.0;
  double net_before_usd = 0.0;
  double gross_after_usd = 0.0;
  double net_after_usd = 0.0;
  double long_scale = 1.0;   // overall factor applied to long exposures
  double short_scale = 1.0;  // overall factor applied to short exposures
  std::vector<std::string> actions;  // what was done and why; empty when nothing changed

  bool changed() const noexcept { return long_scale != 1.0 || short_scale != 1.0; }
};

// Errors (kInvalidArgument): NAV not positive/finite, a non-finite exposure, negative limits.
Result<LeverageAdjustment> enforce_leverage_limits(
    const std::map<InstrumentId, double>& target_exposures_usd, double nav_usd,
    const LeverageLimits& limits);

}  // namespace af::risk
