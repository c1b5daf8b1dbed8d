// marketdata/bundled.hpp — building and importing the bundled data set (data/catalog.yaml).
//
// build_catalog_series() reads every real series from its CSV file and generates every synthetic
// series from its recipe (in catalog order), all in memory; import_catalog() writes them into a
// bar store, replacing earlier imports of the same ids, in one transaction. Also the single-file
// import behind `abstractfinance data import FILE --series ID`.
// Thread-safety: functions are reentrant; the BarStore passed in is used by the calling thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/currency.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "marketdata/bar.hpp"
#include "marketdata/bar_store.hpp"
#include "marketdata/catalog.hpp"
#include "marketdata/csv_import.hpp"
#include "marketdata/synthetic.hpp"

namespace af::marketdata {

struct BuiltSeries {
  const CatalogSeries* entry = nullptr;
  Bars bars;
  std::vector<SegmentCalibration> calibration;  // synthetic only
  double proxy_scale = 0.0;                     // realized-vol proxy only
  int blank_rows = 0;                           // real: source rows without a value (holidays)
  int explicit_nan_rows = 0;                    // real: NaN/NA cells kept as NaN
};

// Every catalog series, in catalog order. `data_dir` holds the CSV files.
Result<std::vector<BuiltSeries>> build_catalog_series(const Catalog& catalog, const std::string& data_dir);

// The SeriesInfo recorded in the store for a catalog entry (kind, unit, source, notes).
SeriesInfo series_info(const CatalogSeries& entry);

// Writes built series into the store (each id replaced as a whole) in one transaction.
Status import_built_series(BarStore& store, const std::vector<BuiltSeries>& built, Timestamp imported_at);

// Imports one CSV file as a real series `series_id` quoted in `unit`.
struct FileImport {
  std::string path;
  std::string series_id;
  CsvOptions csv;
  QuoteUnit unit = QuoteUnit::major(Currency::USD);
  std::string notes;
};
Result<CsvImportResult> import_csv_file(BarStore& store, const FileImport& request, Timestamp imported_at);

}  // namespace af::marketdata
