// marketdata/catalog.hpp — data/catalog.yaml: every bundled data series and how to build it.
//
// Each entry names a series id (what instruments.yaml `data_series` refers to), its kind
// (real | synthetic), currency and quote unit, and either the CSV file and column(s) it comes
// from (real) or the recipe that generates it from real proxies (synthetic, see synthetic.hpp and
// docs/DATA.md). The catalog is data, not code: adding a series needs no rebuild.
// Thread-safety: immutable after load.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "marketdata/bar.hpp"

namespace af::marketdata {

// Volatility ratio and correlation measured on real data: target (one series or an equal-weight
// basket of several) against reference, on same-day log returns over [from, to].
struct Calibration {
  std::vector<std::string> target;
  std::string reference;
  Date from;
  Date to;
};

// An absolute annual volatility taken from a real series: times x vol(series over [from, to]).
struct VolFrom {
  std::string series;
  Date from;
  Date to;
  double times = 1.0;
};

// One date range of a factor-model recipe: returns load on `driver` until `until` (inclusive).
// Either `calibrate` (vol ratio and correlation from real data, vol = ratio x driver vol) or an
// explicit `rho` with `vol_annual` or `vol_from`.
struct SyntheticSegment {
  std::string driver;
  std::optional<Date> until;
  std::optional<Calibration> calibrate;
  std::optional<double> rho;
  std::optional<double> vol_annual;
  std::optional<VolFrom> vol_from;
};

enum class SyntheticModel { kFactor, kRealizedVolProxy };

struct SyntheticRecipe {
  SyntheticModel model = SyntheticModel::kFactor;
  Date start{2000, 1, 3};
  Date end{2020, 4, 17};
  // kFactor
  double start_price = 100.0;      // in the series' quote unit (pence for GBX lines)
  double drift_annual = 0.0;       // added to the log return, per year (252 sessions)
  double vol_multiplier = 1.0;     // scales the calibrated total volatility
  double corr_multiplier = 1.0;    // scales the calibrated correlation with the driver
  std::vector<SyntheticSegment> segments;
  // kRealizedVolProxy: level = scale x 100 x sqrt(252) x EWMA vol of `source` log returns
  // (lambda = 1 - 2/(window_days+1)), scale = mean(level_reference close) / mean(raw proxy) on the
  // reference's dates.
  std::string source;
  int window_days = 20;
  std::string level_reference;
};

struct CatalogSeries {
  std::string id;
  SeriesKind kind = SeriesKind::kReal;
  Currency currency = Currency::USD;
  QuoteUnit unit = QuoteUnit::major(Currency::USD);
  std::string file;      // real: CSV file name relative to the data directory
  std::string column;    // real: value column used as close ("" with ohlcv)
  bool ohlcv = false;    // real: open/high/low/close/volume columns
  std::string notes;
  std::optional<SyntheticRecipe> recipe;  // synthetic only
  int line = 0;          // line in catalog.yaml (messages)

  // "sp500_daily_2000_2020.csv" / "eu_stock_markets_1991_1998.csv column DAX" / "synthetic: ...".
  std::string source_text() const;
};

struct Catalog {
  std::string path;
  std::vector<CatalogSeries> series;  // in file order (synthetic recipes may use earlier series)
  const CatalogSeries* find(std::string_view id) const noexcept;
};

// Parses catalog YAML text; errors name `label`, the line and the key.
Result<Catalog> parse_catalog(std::string_view yaml_text, const std::string& label);
Result<Catalog> load_catalog(const std::string& path);

}  // namespace af::marketdata
