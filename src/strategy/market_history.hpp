// strategy/market_history.hpp — all bars of the instrument universe in memory, and the market
// view of any day built from data up to that day only (no look-ahead).
//
//   auto store = marketdata::BarStore::open(path);
//   auto history = MarketHistory::load(config, *store);          // one read per series
//   MarketSnapshot s = history->snapshot(Date(2008, 10, 13));
//   decide_day(book, {.config = &config, .market = &s.view, .us_eu_ratio = s.us_eu_ratio});
//
// For each instrument (its `data_series`): the last close on or before as_of, after the data
// quality checks of marketdata/quality.hpp with the settings' thresholds; a blocking flag makes
// the instrument unusable for that day (reason in view.unusable; every flag of the day, warnings
// included, from quality_flags(as_of)), except an outlier jump on a non-tradeable reference index
// (VIX, option underlyings), which stays a warning: such indices legitimately move more than the
// outlier limit in a day.
// VIX: the price of the VIX index instrument (symbol VIX, sec_type IND) when usable; its series
// is flagged as a proxy when synthetic (the bundled one is a realized-volatility proxy, see
// docs/DATA.md). Otherwise nullopt: the risk engine then decides without VIX (no default level).
// US/EU ratio (momentum): core us_long close / core eu_short close converted to USD, on the dates
// both have bars, up to as_of.
// FX: the store's FX series through marketdata::FxRates with the settings' static table.
// Cost: construction does every per-bar computation once, in O(bars) (quality results per series
// through marketdata::SeriesQualityIndex, whose provably_clean() screen clears most instruments
// on a day without running the checks, the finite closes of each series in one
// contiguous array, the US/EU ratio series, each instrument's series kind); snapshot() then costs
// O(instruments x log bars) plus the full checks of the instruments the screen does not clear
// (those with a possibly blocking flag: their flags are assembled and the reason formatted), and
// allocates one array per view map plus the reason strings (no per-entry nodes).
// view.closes and us_eu_ratio are spans into arrays owned by the MarketHistory, like view.fx: a
// snapshot must not outlive its MarketHistory (moving the MarketHistory keeps them valid).
// Thread-safety: immutable after construction; snapshot() is const and safe to call from several
// threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"
#include "marketdata/bar.hpp"
#include "marketdata/bar_store.hpp"
#include "marketdata/fx.hpp"
#include "marketdata/quality.hpp"
#include "strategy/market_view.hpp"

namespace af::strategy {

struct SeriesData {
  marketdata::SeriesInfo info;
  marketdata::Bars bars;  // ascending dates
};

struct MarketSnapshot {
  MarketView view;                     // view.fx and view.closes point into the MarketHistory
  std::span<const double> us_eu_ratio;  // oldest first; points into the MarketHistory
};

class MarketHistory {
 public:
  // Reads every series referenced by an instrument's data_series, plus the FX series (one read
  // per series). A missing series is not an error: its instruments are unusable with that reason.
  static Result<MarketHistory> load(const config::Config& config, const marketdata::BarStore& store);
  // From series already in memory (tests, simulated paths): series id -> data. O(bars).
  MarketHistory(const config::Config& config, std::map<std::string, SeriesData> series);

  MarketHistory(const MarketHistory&) = delete;
  MarketHistory& operator=(const MarketHistory&) = delete;
  MarketHistory(MarketHistory&&) noexcept = default;

  // Dates with a bar of the core US long instrument's series, within [from, to].
  std::vector<Date> trading_dates(Date from, Date to) const;
  // The latest date with a bar of the core US long instrument's series (nullopt if none).
  std::optional<Date> last_date() const;

  // history_bars: how many closes per instrument to include in view.closes (screen, vol).
  MarketSnapshot snapshot(Date as_of, int history_bars = 260) const;
  // Every quality flag raised on as_of (warnings included), instrument by instrument in config
  // order, each named after its instrument: SeriesQualityIndex::check of the instrument's series.
  // O(instruments x flags); for reports (plan), not needed by snapshot().
  std::vector<marketdata::QualityFlag> quality_flags(Date as_of) const;
  // "real" | "synthetic": the kind of the instrument's series; "" when the instrument is unknown
  // or its series is not in the store. Constant per instrument (no per-day copy).
  std::string_view series_kind(const InstrumentId& id) const;

  const marketdata::FxRates& fx() const noexcept { return *fx_; }
  const std::map<std::string, SeriesData>& series() const noexcept { return series_; }
  // The series of an instrument, or nullptr.
  const SeriesData* series_of(const InstrumentId& id) const;

 private:
  // The finite closes of one series in bar order, and how many of them precede each bar: the
  // closes of bars [a, b] are finite[finite_before[a] .. finite_before[b + 1]) (finite[a .. b + 1)
  // when finite_before is empty: every close finite, the common case, one memory read less).
  struct SeriesCloses {
    std::vector<double> finite;
    std::vector<std::uint32_t> finite_before;  // size bars + 1; empty when every close is finite
  };
  // One configured instrument (config order), resolved once.
  struct InstrumentData {
    const config::Instrument* inst = nullptr;
    const SeriesData* series = nullptr;  // nullptr: not in the store (unusable, missing_reason)
    std::string missing_reason;
    std::size_t quality = 0;             // index into quality_ (one per series and price unit)
    std::size_t closes = 0;              // index into closes_ (one per series)
    bool synthetic = false;              // series kind (series != nullptr)
  };

  const config::Config* config_;
  std::map<std::string, SeriesData> series_;
  std::unique_ptr<marketdata::FxRates> fx_;  // stable address for MarketView::fx
  marketdata::QualityThresholds thresholds_;
  std::vector<InstrumentData> instruments_;
  std::vector<std::size_t> by_id_;     // indices into instruments_, by instrument id
  std::vector<marketdata::SeriesQualityIndex> quality_;
  std::vector<SeriesCloses> closes_;
  std::optional<std::size_t> vix_;     // index into instruments_ of the VIX index instrument
  std::vector<Date> ratio_dates_;      // US/EU ratio on the common dates (ascending) where defined
  std::vector<double> ratio_;
};

}  // namespace af::strategy
