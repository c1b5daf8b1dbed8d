// marketdata/readiness.hpp — which instruments are usable for a run, per sleeve (`data check`).
//
// Joins the configuration (instruments, their data series and price units, sleeve weights and
// strategy settings) with the bar store and the quality checks:
//   * every instrument's series is checked (quality.hpp) at the as-of date; an instrument with a
//     blocking flag is unusable for the run;
//   * an enabled sleeve (weight > 0) needs instruments as below ("needed by an enabled sleeve");
//     when a requirement is not met the sleeve cannot run and `data check` exits 1:
//       core_index_rv  us_long, eu_short, and fx_hedge when fx_hedge_enabled: each one usable
//       sector_rv      us_long basket and eu_short basket: at least one usable member each
//                      (all members when redistribute_unusable is false)
//       single_name    the instruments with role single_name: at least one usable
//       credit_carry   us_long basket (when us_long_share > 0) and eu_short basket (when
//                      eu_short_share > 0): at least one usable member each
//       crisis_alpha   for each hedge bucket with a non-zero allocation: at least one usable line
//                      (equity_puts, vix_calls, credit_puts, bank_puts); sovereign_spread: both
//                      sovereign_short and sovereign_long usable
//       cash_buffer    nothing
//     An option line is checked through its own data_series (its underlying's series).
//   * the FX rate of every currency used by a needed instrument, with its source and age.
// Default as-of (when none is given): the latest date on which every series used by the
// core_index_rv requirements has a bar (the last day the core trade could run on the bundled
// data); when that sleeve is disabled, the latest date common to all needed series.
// Thread-safety: pure functions over the inputs (the BarStore is read by the calling thread).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "marketdata/bar_store.hpp"
#include "marketdata/fx.hpp"
#include "marketdata/quality.hpp"

namespace af::marketdata {

QualityThresholds thresholds_from(const config::DataQualitySettings& s);
FxOptions fx_options_from(const config::FxSettings& s);

struct InstrumentReadiness {
  std::string instrument;
  std::string series;
  std::optional<SeriesKind> kind;        // nullopt: the series is not in the store
  QuoteUnit price_unit = QuoteUnit::major(Currency::USD);
  std::optional<Bar> last_bar;           // on or before as-of
  std::vector<std::string> needed_by;    // enabled sleeves that need it ("core_index_rv", ...)
  std::vector<QualityFlag> flags;
  bool usable = false;                   // no blocking flag
};

// One requirement of a sleeve: "all" members usable, or "any" (at least one).
struct SleeveRequirement {
  std::string name;                      // "us_long", "equity_puts", ...
  bool all = true;
  std::vector<std::string> members;      // instrument ids
  bool met = false;
};

struct SleeveReadiness {
  std::string sleeve;
  double weight = 0.0;
  bool enabled = false;
  std::vector<SleeveRequirement> requirements;
  bool usable = true;
};

struct FxReadiness {
  Currency currency = Currency::USD;
  std::optional<FxRate> rate;
  std::string error;                     // when no rate at all
};

struct DataCheckReport {
  Date as_of;
  std::string as_of_basis;               // how as-of was chosen
  std::vector<InstrumentReadiness> instruments;  // config order
  std::vector<SleeveReadiness> sleeves;
  std::vector<FxReadiness> fx;
  bool ok = true;                        // every enabled sleeve can run and every needed FX rate exists
};

// The instrument ids each enabled sleeve needs, by requirement (as-of independent).
std::vector<SleeveReadiness> sleeve_requirements(const config::Config& config);

// Runs the whole check. `as_of` nullopt = the default described above.
Result<DataCheckReport> check_data(const config::Config& config, const BarStore& store, std::optional<Date> as_of);

}  // namespace af::marketdata
