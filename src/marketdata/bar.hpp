// marketdata/bar.hpp — daily bars and series metadata, the unit of the bar store.
//
// A Bar is one trading day of one data series. Prices are in the series' quote unit (QuoteUnit:
// USD, EUR, GBX pence ...), never converted here. Missing fields are NaN:
//   - open/high/low/volume NaN = not provided by the source (close-only series);
//   - close NaN = the source row exists but its value is explicitly "NaN"/"NA" (a bad value the
//     quality checks flag). A day without any data has no Bar at all.
// Value types only; no I/O. Thread-safety: plain values.
#pragma once

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.hpp"
#include "core/date.hpp"
#include "core/result.hpp"

namespace af::marketdata {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

struct Bar {
  Date date;
  double open = kNoValue;
  double high = kNoValue;
  double low = kNoValue;
  double close = kNoValue;
  double volume = kNoValue;

  static Bar close_only(Date d, double close) {
    Bar b;
    b.date = d;
    b.close = close;
    return b;
  }
};

// Bars sorted by strictly increasing date.
using Bars = std::vector<Bar>;

// Where a series comes from. Synthetic series are generated from real proxies (docs/DATA.md) and
// must be labelled as such wherever they are shown.
enum class SeriesKind { kReal, kSynthetic };
std::string_view to_string(SeriesKind kind) noexcept;
Result<SeriesKind> parse_series_kind(std::string_view text);

// What the bar store records about a series (its provenance).
struct SeriesInfo {
  std::string id;                                     // "sp500", "syn_eu_index_future"
  SeriesKind kind = SeriesKind::kReal;
  QuoteUnit unit = QuoteUnit::major(Currency::USD);   // quote unit of every price in the series
  std::string source;                                 // file (and column) or synthetic recipe
  std::string notes;
};

// A series' metadata plus what the store holds for it.
struct SeriesSummary {
  SeriesInfo info;
  std::optional<Date> first;
  std::optional<Date> last;
  long long bar_count = 0;
  std::string imported_at;  // ISO timestamp of the last import (UTC), as recorded
};

// Index of the last bar with date <= d, or nullopt.
std::optional<std::size_t> index_at_or_before(const Bars& bars, Date d);

}  // namespace af::marketdata
