#include "risk/leverage.hpp"

#include <cmath>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace af::risk {
namespace {

struct Sides {
  double longs = 0.0;   // >= 0
  double shorts = 0.0;  // >= 0 (magnitude)
  double gross() const { return longs + shorts; }
  double net() const { return longs - shorts; }
};

Sides sides_of(const std::map<InstrumentId, double>& book) {
  Sides s;
  for (const auto& [id, x] : book) {
    if (x > 0.0) {
      s.longs += x;
    } else {
      s.shorts -= x;
    }
  }
  return s;
}

}  // namespace

Result<LeverageAdjustment> enforce_leverage_limits(
    const std::map<InstrumentId, double>& book, double nav_usd, const LeverageLimits& limits) {
  if (!std::isfinite(nav_usd) || nav_usd <= 0.0) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("leverage limits: NAV {} USD is not positive; cannot size a target "
                             "book against it (check the portfolio valuation)",
                             nav_usd)};
  }
  if (!(limits.gross_max >= 0.0) || !(limits.net_max >= 0.0)) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format(FMT_COMPILE("leverage limits: gross_max {} and net_max {} must be >= 0"),
                             limits.gross_max, limits.net_max)};
  }
  for (const auto& [id, x] : book) {
    if (!std::isfinite(x)) {
      return Error{ErrorCode::kInvalidArgument,
                   fmt::format(FMT_COMPILE("leverage limits: target exposure of `{}` is not finite ({})"),
                               id.str(), x)};
    }
  }

  LeverageAdjustment a;
  a.exposures_usd = book;
  Sides s = sides_of(book);
  a.gross_before_usd = s.gross();
  a.net_before_usd = s.net();

  // 1. Net: scale only the dominant side.
  const double net_limit = limits.net_max * nav_usd;
  if (std::abs(s.net()) > net_limit) {
    const bool net_long = s.net() > 0.0;
    // longs·k − shorts = net_limit  (or  shorts·k − longs = net_limit when net short)
    const double k = net_long ? (net_limit + s.shorts) / s.longs : (net_limit + s.longs) / s.shorts;
    for (auto& [id, x] : a.exposures_usd) {
      if ((net_long && x > 0.0) || (!net_long && x < 0.0)) x *= k;
    }
    (net_long ? a.long_scale : a.short_scale) *= k;
    a.actions.push_back(fmt::format(
        "net {} {:.0f} USD ({:.2f}x NAV) above {:.2f}x: {} scaled by {:.6f}",
        net_long ? "long" : "short", s.net(), s.net() / nav_usd, limits.net_max,
        net_long ? "long exposures" : "short exposures", k));
    s = sides_of(a.exposures_usd);
  }

  // 2. Gross: scale everything.
  const double gross_limit = limits.gross_max * nav_usd;
  if (s.gross() > gross_limit) {
    const double k = gross_limit / s.gross();
    for (auto& [id, x] : a.exposures_usd) x *= k;
    a.long_scale *= k;
    a.short_scale *= k;
    a.actions.push_back(fmt::format("gross {:.0f} USD ({:.2f}x NAV) above {:.2f}x: all exposures "
                                    "scaled by {:.6f}",
                                    s.gross(), s.gross() / nav_usd, limits.gross_max, k));
    s = sides_of(a.exposures_usd);
  }
  a.gross_after_usd = s.gross();
  a.net_after_usd = s.net();
  return a;
}

}  // namespace af::risk
