// strategy/screen.hpp — the single-name screen (original §3.5, with defect 35 fixed).
//
// Universe: instruments with sleeve role single_name. Long candidates are the USD listings,
// short candidates the European ones. Scores are in [0, 1]:
//   price factors (always, from closes up to as_of):
//     momentum  m = P[t-skip] / P[t-lookback] - 1 (12-minus-1 month), score clip((m+0.30)/0.80)
//               (-30 % -> 0, +50 % -> 1, as the original); fewer closes than lookback+1 -> the
//               name is NOT scored (reported), never a neutral 0.5;
//     low_vol   1 - clip((annualised vol of daily returns over the lookback - 0.10) / 0.50)
//     drawdown  1 + (price / max over lookback - 1) / 0.5, clipped (0 at -50 %, 1 at the high)
//   long  composite without fundamentals = 0.5 momentum + 0.25 low_vol + 0.25 drawdown
//   short composite without fundamentals = 0.5 (1 - momentum) + 0.25 (1 - low_vol)
//                                          + 0.25 (1 - drawdown)
//   with a fundamentals row (optional user CSV, docs/STRATEGY.md):
//     long  = 0.5 quality + 0.3 momentum + 0.2 size   (quality: ROE, debt/equity as a RATIO,
//             earnings growth, FCF > 0; the original read Yahoo's percent as a ratio)
//     short = 0.5 zombie + 0.3 (1 - momentum) + 0.2 sector
//     and longs must pass min market cap and min dollar volume.
// Selection: top n by composite, ties broken by instrument id (deterministic).
// Cost: O(lookback) compares per name for momentum and drawdown; the low-vol factor (lookback
// divisions in a dependent sum) only for the names that can still make the top n once low_vol is
// bounded to [0, 1] and the n best exact composites found so far (exact: the same selection and
// factors as computing it for every name).
// Pure; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"
#include "strategy/market_view.hpp"

namespace af::strategy {

struct FundamentalsRow {
  std::optional<double> market_cap_usd, avg_dollar_volume_usd, roe, debt_to_equity,
      earnings_growth, revenue_growth, free_cash_flow_usd, operating_margin;
  std::string sector;
};
using Fundamentals = std::map<InstrumentId, FundamentalsRow>;

// Parses the fundamentals CSV (header: instrument,market_cap_usd,avg_dollar_volume_usd,roe,
// debt_to_equity,earnings_growth,revenue_growth,free_cash_flow_usd,operating_margin,sector;
// fractions as decimals, debt_to_equity as a ratio; blank = unknown). Errors name the line and
// column; unknown instruments are errors.
Result<Fundamentals> parse_fundamentals_csv(std::string_view text, std::string_view label,
                                            const config::InstrumentUniverse& universe);

struct ScreenFactors {
  double momentum = 0.0, low_vol = 0.0, drawdown = 0.0;  // the price factors, in [0, 1]
  // With a fundamentals row: quality and size (longs), zombie and sector (shorts).
  std::optional<double> quality, size, zombie, sector;
};

struct ScreenScore {
  InstrumentId instrument;
  double composite = 0.0;
  ScreenFactors factors;
};

struct ScreenResult {
  Date as_of;                       // the market view's date the screen ran on
  std::vector<ScreenScore> longs;   // selected, best first
  std::vector<ScreenScore> shorts;  // selected, best first
  std::vector<std::pair<InstrumentId, std::string>> not_scored;  // with reason
};

ScreenResult run_screen(const config::Config& config, const MarketView& market,
                        const Fundamentals* fundamentals);

}  // namespace af::strategy
