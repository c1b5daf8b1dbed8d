// marketdata/csv_import.hpp — reading daily bars from CSV files (format: docs/DATA.md).
//
// Format: a header row; the first column is `date` (ISO YYYY-MM-DD), strictly increasing.
// Value columns are either open/high/low/close/volume (any subset containing close; names are
// matched case-insensitively) or a single value column taken as the close (or the one chosen with
// CsvOptions::column). Cells:
//   blank                 -> no bar that day when it is the close; "not provided" otherwise
//   NaN, NA, N/A, #N/A, null (any case) -> an explicit bad value (close NaN), kept so that the
//                            quality checks flag it; nothing is substituted
//   anything else         -> a number, or an error naming the file, line and column.
// Holidays may be absent or carry the previous value (the stale check sees those).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "marketdata/bar.hpp"

namespace af::marketdata {

struct CsvOptions {
  // The column to use as close (single-value import). Empty: `close` if present (then
  // open/high/low/volume too), else the only value column.
  std::string column;
};

struct CsvImportResult {
  Bars bars;
  std::string close_column;     // which column became the close
  int rows = 0;                 // data rows read
  int blank_rows = 0;           // rows skipped because the close cell was blank
  int explicit_nan_rows = 0;    // rows whose close was NaN/NA (kept as NaN)
};

// Parses CSV text. `file_name` is used in error messages only ("prices.csv:12: column 'close'...").
Result<CsvImportResult> parse_bars_csv(std::string_view text, const std::string& file_name,
                                       const CsvOptions& options = {});
// Reads and parses a file.
Result<CsvImportResult> read_bars_csv(const std::string& path, const CsvOptions& options = {});

// Reads a whole file (errors name the path).
Result<std::string> read_text_file(const std::string& path);

}  // namespace af::marketdata
