// marketdata/bar_store.hpp — the persistent local bar store (one SQLite file).
//
// Holds daily bars per data series (SeriesInfo: id, real|synthetic, quote unit, source) and their
// provenance. Instruments map to series through config (Instrument::data_series), so one series
// can back several instruments. Prices are stored in the series' quote unit, unconverted.
//
// Schema (version kSchemaVersion, recorded in PRAGMA user_version; docs/DATA.md):
//   series(id PK, kind 'real'|'synthetic', unit, source, notes, imported_at)
//   bars(series_id, date 'YYYY-MM-DD', open, high, low, close, volume; PK(series_id, date))
//   series_packed(series_id PK, format_version, n, first_day, last_day, blob)
// NULL in a price column = not provided, except close NULL = an explicit NaN in the source.
// `bars` is the source of truth; series_packed holds each series column-wise in one blob
// (marketdata/packed_bars.hpp), written with the rows in the same transaction and dropped by
// triggers when anything else writes the rows. Whole-series and range reads decode it (a few ns a
// bar instead of ~240 ns through the rows) and fall back to the rows when it is absent or not
// current; open() packs the series of a writable store that lack it (docs/DATA.md §2).
//
//   AF_ASSIGN_OR_RETURN(auto store, BarStore::open("var/abstractfinance.db"));
//   AF_RETURN_IF_ERROR(store.upsert_series(info, clock.now()));
//   AF_RETURN_IF_ERROR(store.upsert_bars("sp500", bars));
//   AF_ASSIGN_OR_RETURN(Bars last_year, store.read("sp500", Date(2011, 1, 1), Date(2011, 12, 31)));
//
// Thread-safety: one BarStore per thread (the SQLite connection is not shared).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "marketdata/bar.hpp"

struct sqlite3;

namespace af::marketdata {

inline constexpr int kBarStoreSchemaVersion = 1;

// A series' metadata and all its bars (ascending), as read_series returns them.
struct StoredSeries {
  SeriesInfo info;
  Bars bars;
};

class BarStore {
 public:
  // Opens (creating if needed, with parent directories) the store at `path`, and creates or
  // checks the schema. ":memory:" gives a private in-memory store (tests). A store written by a
  // newer schema version is refused (kIo) rather than misread. A writable store whose series lack
  // a current packed copy gets them here, once (~0.3 s for the bundled data).
  static Result<BarStore> open(const std::string& path);

  BarStore(BarStore&&) noexcept;
  BarStore& operator=(BarStore&&) noexcept;
  ~BarStore();

  const std::string& path() const noexcept { return path_; }
  int schema_version() const;

  // Inserts or replaces the metadata of a series; `imported_at` is recorded as its import time.
  Status upsert_series(const SeriesInfo& info, Timestamp imported_at);
  // Inserts or replaces bars (same series and date -> replaced), in one transaction. The series
  // must exist (upsert_series first). Bars must have strictly increasing dates. Also rewrites the
  // series' packed copy from its rows (O(bars of the series) per call).
  Status upsert_bars(const std::string& series_id, std::span<const Bar> bars);
  // Removes a series and all its bars (re-import from scratch). Missing series is not an error.
  Status delete_series(const std::string& series_id);

  // Bars with from <= date <= to, ascending. Unknown series -> kNotFound.
  Result<Bars> read(const std::string& series_id, Date from, Date to) const;
  // Every bar of a series, ascending.
  Result<Bars> read_all(const std::string& series_id) const;
  // The last bar on or before `as_of` (nullopt when there is none). Unknown series -> kNotFound.
  Result<std::optional<Bar>> last_bar(const std::string& series_id, Date as_of) const;
  // Metadata and every bar of a series in one read (no date range or count is computed), or
  // nullopt when the series is not in the store.
  Result<std::optional<StoredSeries>> read_series(const std::string& series_id) const;
  // Metadata of one series with its date range and bar count, or nullopt when it is not in the
  // store. Range and count come from the packed copy (no scan of the rows) when it is current.
  Result<std::optional<SeriesSummary>> summary(const std::string& series_id) const;
  // Every series with its date range and bar count, ordered by id (as summary()).
  Result<std::vector<SeriesSummary>> list() const;

  // Runs `body` inside one transaction (commit on success, rollback on error).
  Status in_transaction(const std::function<Status()>& body);

 private:
  struct Db;
  BarStore(std::string path, std::unique_ptr<Db> db);
  Status exec(const char* sql);
  // Whether the series is registered (one primary-key lookup; summary() scans its bars).
  Result<bool> has_series(const std::string& series_id) const;
  // Bars of a registered series from the bars rows: with from <= date <= to, or all (nullopt).
  Result<Bars> read_bars(const std::string& series_id, std::optional<std::pair<Date, Date>> range) const;
  // read()/read_all(): the packed copy when it is current, else read_bars; kNotFound if unknown.
  Result<Bars> read_stored(const std::string& series_id, std::optional<std::pair<Date, Date>> range) const;
  // Creates series_packed and its triggers if missing and packs every series without a current
  // packed row, in one transaction (writable stores only; see bar_store.cpp).
  void prepare_packed();
  // Rewrites the packed row of one series from its bars rows (inside the caller's transaction).
  Status pack_series(const std::string& series_id);
  // summary() (one id) or list() (nullptr): range and count from the packed rows when current,
  // else aggregated over the bars rows (summary_of_rows).
  Result<std::vector<SeriesSummary>> summaries(const std::string* series_id) const;
  Result<SeriesSummary> summary_of_rows(const std::string& series_id) const;
  std::string path_;
  std::unique_ptr<Db> db_;
  int transaction_depth_ = 0;
};

}  // namespace af::marketdata
