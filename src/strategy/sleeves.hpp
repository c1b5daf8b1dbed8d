// strategy/sleeves.hpp — the six sleeves -> target positions in real instrument ids
// (SYSTEM.md §4 Strategy; original §3.4 with defects 5, 6, 11, 13 and 14 fixed).
//
//   notional(sleeve) = NAV_usd x weight x scaling   (scaling from risk::evaluate_risk, already
//                                                    final: never reduced again)
// Each line is capped at its instrument type's position limit (risk.position_limits, % of NAV),
// converted to the instrument's currency with the day's FX, divided by the price in currency
// units (GBX -> GBP through core QuoteUnit) times the multiplier, truncated toward zero to whole
// lots. Sleeves: core index RV (long US line, short EU line, optional EUR futures hedge sized from
// the EUR notional of the short leg), sector RV (equal-weight baskets; an unusable leg is reported
// and its weight redistributed within its basket), single name (screen.hpp), credit carry (US long
// legs and the EU short leg, placed), crisis alpha (an envelope for the tail-hedge book; no
// positions here), cash buffer (kept as cash).
// Pure; thread-safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"
#include "core/types.hpp"
#include "strategy/market_view.hpp"
#include "strategy/screen.hpp"

namespace af::strategy {

using config::Sleeve;

struct TargetLine {
  InstrumentId instrument;
  Sleeve sleeve = Sleeve::kCoreIndexRv;
  Quantity quantity = 0.0;       // signed, whole lots
  double price = 0.0;            // price unit of the instrument
  double notional_usd = 0.0;     // signed: quantity x price (currency units) x multiplier x FX
  double intended_usd = 0.0;     // signed notional asked for before rounding
  std::string reason;
};

struct SkippedLeg {
  InstrumentId instrument;
  Sleeve sleeve = Sleeve::kCoreIndexRv;
  std::string reason_code;  // "unusable_data", "rounds_to_zero", "unknown_instrument", ...
  std::string reason;
};

struct SleeveTarget {
  Sleeve sleeve = Sleeve::kCoreIndexRv;
  double weight = 0.0;
  double target_notional_usd = 0.0;  // NAV x weight x scaling (crisis alpha: the envelope)
  std::vector<TargetLine> lines;
  std::vector<std::string> notes;
};

struct StrategyInputs {
  double nav_usd = 0.0;
  double scaling = 1.0;       // final scaling from the risk decision
  bool stressed_regime = false;  // ELEVATED or CRISIS (crisis-alpha envelope)
  const MarketView* market = nullptr;
  const Fundamentals* fundamentals = nullptr;  // optional (screen.hpp)
  // Optional: run_screen(config, *market, fundamentals), computed ahead by the caller (the
  // screen reads market data only, so the backtest runs it on its snapshot thread). Its as_of
  // must be the market's (checked). Null: computed here.
  std::shared_ptr<const ScreenResult> screen;
};

struct StrategyOutput {
  std::vector<SleeveTarget> sleeves;  // six, in build order
  std::vector<SkippedLeg> skipped;
  std::shared_ptr<const ScreenResult> screen;  // never null after compute_targets
  // All target lines, keyed (instrument, sleeve).
  std::vector<TargetLine> all_lines() const;
};

StrategyOutput compute_targets(const config::Config& config, const StrategyInputs& in);

// Whole-lot quantity for a signed USD notional on one instrument on `market.as_of`:
// trunc(notional in instrument currency / (price in currency units x multiplier) / lot) x lot.
// Errors when the FX rate is unavailable.
Result<Quantity> quantity_for_notional(const config::Instrument& instrument, double notional_usd,
                                       double price, const MarketView& market);
// USD value of `quantity` at `price` (exposure; multiplier applied once).
Result<double> notional_usd(const config::Instrument& instrument, Quantity quantity, double price,
                            const MarketView& market);

}  // namespace af::strategy
