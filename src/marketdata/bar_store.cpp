#include "marketdata/bar_store.hpp"

#include <sqlite3.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "marketdata/packed_bars.hpp"

namespace af::marketdata {

namespace {

constexpr const char* kCreateSchema = R"sql(
CREATE TABLE IF NOT EXISTS series (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('real', 'synthetic')),
  unit        TEXT NOT NULL,
  source      TEXT NOT NULL,
  notes       TEXT NOT NULL DEFAULT '',
  imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bars (
  series_id TEXT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  date      TEXT NOT NULL,
  open      REAL,
  high      REAL,
  low       REAL,
  close     REAL,
  volume    REAL,
  PRIMARY KEY (series_id, date)
) WITHOUT ROWID;
)sql";

// The packed copy of each series (marketdata/packed_bars.hpp; docs/DATA.md §2). A cache of the
// bars rows, never the source of truth:
//   * every BarStore writer rewrites or removes a series' packed row in the transaction that
//     changes its bars (upsert_bars, delete_series);
//   * the triggers drop it whenever any other writer touches the bars (an older abstractfinance,
//     the sqlite3 shell), so a packed row that exists is never stale; reads then use the rows;
//   * open() of a writable store packs every series without a current packed row.
// A rowid table (not WITHOUT ROWID): its rows are large blobs on overflow pages.
constexpr const char* kCreatePacked = R"sql(
CREATE TABLE IF NOT EXISTS series_packed (
  series_id      TEXT PRIMARY KEY REFERENCES series(id) ON DELETE CASCADE,
  format_version INTEGER NOT NULL,
  n              INTEGER NOT NULL,
  first_day      INTEGER,  -- Date::serial() of the first and last bar (NULL when n = 0), for
  last_day       INTEGER,  -- summary() and list() without scanning the rows
  blob           BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS bars_insert_drops_packed AFTER INSERT ON bars
BEGIN DELETE FROM series_packed WHERE series_id = NEW.series_id; END;
CREATE TRIGGER IF NOT EXISTS bars_update_drops_packed AFTER UPDATE ON bars
BEGIN DELETE FROM series_packed WHERE series_id IN (OLD.series_id, NEW.series_id); END;
CREATE TRIGGER IF NOT EXISTS bars_delete_drops_packed AFTER DELETE ON bars
BEGIN DELETE FROM series_packed WHERE series_id = OLD.series_id; END;
)sql";
constexpr const char* kPackedObjects[] = {"series_packed", "bars_insert_drops_packed", "bars_update_drops_packed",
                                          "bars_delete_drops_packed"};

Error db_error(sqlite3* db, const std::string& what) {
  return Error{ErrorCode::kIo, fmt::format("bar store: {}: {}", what, db ? sqlite3_errmsg(db) : "no connection")};
}

// A prepared statement: finalized on scope exit, or (the cached form) prepared once into `slot`,
// kept for the connection's life and reset on scope exit. Reset matters: a statement left
// mid-result holds a read lock on the file.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : owned_(true) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  Statement(sqlite3* db, sqlite3_stmt*& slot, const char* sql) : owned_(false) {
    if (slot == nullptr && sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot, nullptr) != SQLITE_OK) {
      slot = nullptr;
    }
    stmt_ = slot;
  }
  ~Statement() {
    if (owned_) {
      sqlite3_finalize(stmt_);
    } else if (stmt_ != nullptr) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  sqlite3_stmt* get() const { return stmt_; }
  void bind_text(int i, const std::string& s) { sqlite3_bind_text(stmt_, i, s.c_str(), -1, SQLITE_TRANSIENT); }
  // NaN is bound as NULL (SQLite would do the same; explicit here because it carries meaning).
  void bind_value(int i, double v) {
    if (std::isnan(v)) sqlite3_bind_null(stmt_, i);
    else sqlite3_bind_double(stmt_, i, v);
  }
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string column_text(int i) const {
    auto* p = sqlite3_column_text(stmt_, i);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  // The text of column i, valid until the next step (no copy).
  std::string_view column_view(int i) const {
    auto* p = sqlite3_column_text(stmt_, i);
    return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string_view();
  }
  double column_value(int i) const {
    // NULL reads as 0.0: only then is the type needed to tell NULL from a stored 0.
    const double v = sqlite3_column_double(stmt_, i);
    if (v == 0.0 && sqlite3_column_type(stmt_, i) == SQLITE_NULL) return kNoValue;
    return v;
  }
  long long column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  bool column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  void bind_int(int i, long long v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind_blob(int i, const std::string& bytes) {
    sqlite3_bind_blob64(stmt_, i, bytes.data(), bytes.size(), SQLITE_STATIC);
  }
  // The bytes of a BLOB column, valid until the next step or reset (no copy).
  std::pair<const void*, std::size_t> column_blob(int i) const {
    const void* p = sqlite3_column_blob(stmt_, i);
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))};
  }

 private:
  bool owned_;
  sqlite3_stmt* stmt_ = nullptr;
};

// The packed bars in columns [first, first+3) = (format_version, n, blob) of the current row, or
// nullopt when there is no packed row (NULLs of a LEFT JOIN), it has another format version, or
// its blob does not match n: the caller then reads the bars rows.
std::optional<Bars> packed_from_row(const Statement& st, int first, std::optional<std::pair<Date, Date>> range) {
  if (st.column_is_null(first) || st.column_int(first) != kPackedBarsFormat) return std::nullopt;
  const long long n = st.column_int(first + 1);
  const auto [blob, size] = st.column_blob(first + 2);
  if (blob == nullptr && size == 0) return std::nullopt;
  return range ? decode_packed_bars(blob, size, n, range->first, range->second) : decode_packed_bars(blob, size, n);
}

Result<Bar> bar_from_row(const Statement& st, int first_col) {
  AF_ASSIGN_OR_RETURN(Date d, Date::parse(st.column_view(first_col)));
  Bar b;
  b.date = d;
  b.open = st.column_value(first_col + 1);
  b.high = st.column_value(first_col + 2);
  b.low = st.column_value(first_col + 3);
  b.close = st.column_value(first_col + 4);
  b.volume = st.column_value(first_col + 5);
  return b;
}

}  // namespace

// Statements run once per series by the read path, prepared once per connection.
enum class Cached { kSeriesInfo, kSeriesInfoPacked, kSeriesPacked, kHasSeries, kRowsAll, kRowsRange, kCount };

struct BarStore::Db {
  sqlite3* handle = nullptr;
  bool packed_table = false;  // series_packed exists: whole-series and range reads try it first
  std::array<sqlite3_stmt*, static_cast<std::size_t>(Cached::kCount)> cached{};
  sqlite3_stmt*& slot(Cached c) { return cached[static_cast<std::size_t>(c)]; }
  ~Db() {
    for (sqlite3_stmt* st : cached) sqlite3_finalize(st);
    sqlite3_close(handle);
  }
};

BarStore::BarStore(std::string path, std::unique_ptr<Db> db) : path_(std::move(path)), db_(std::move(db)) {}
BarStore::BarStore(BarStore&&) noexcept = default;
BarStore& BarStore::operator=(BarStore&&) noexcept = default;
BarStore::~BarStore() = default;

Result<BarStore> BarStore::open(const std::string& path) {
  if (path != ":memory:") {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Error{ErrorCode::kIo, fmt::format("bar store {}: cannot create directory {}: {}", path,
                                               parent.string(), ec.message())};
    }
  }
  auto db = std::make_unique<Db>();
  // NOMUTEX: a BarStore is used by one thread at a time (header), so SQLite need not lock its
  // connection mutex on every call (a large share of a bulk read otherwise).
  if (sqlite3_open_v2(path.c_str(), &db->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return db_error(db->handle, fmt::format("cannot open {} (check the path and its permissions)", path));
  }
  sqlite3_busy_timeout(db->handle, 5000);
  BarStore store(path, std::move(db));
  AF_RETURN_IF_ERROR(store.exec("PRAGMA foreign_keys = ON"));
  int version = store.schema_version();
  if (version > kBarStoreSchemaVersion) {
    return Error{ErrorCode::kIo,
                 fmt::format("bar store {} has schema version {}, newer than this program's {}; use a newer "
                             "abstractfinance or another --store file",
                             path, version, kBarStoreSchemaVersion)};
  }
  if (version < kBarStoreSchemaVersion) {
    // Version 0 = empty file. (Future migrations go here, one step per version.)
    AF_RETURN_IF_ERROR(store.in_transaction([&]() -> Status {
      AF_RETURN_IF_ERROR(store.exec(kCreateSchema));
      return store.exec(fmt::format("PRAGMA user_version = {}", kBarStoreSchemaVersion).c_str());
    }));
  }
  store.prepare_packed();
  return store;
}

// Not an error when it cannot write (read-only file, another writer holding the lock past the
// busy timeout): the store then reads the rows of the series without a current packed copy.
void BarStore::prepare_packed() {
  auto exists = [&]() {
    Statement st(db_->handle, "SELECT count(*) FROM sqlite_master WHERE name IN (?,?,?,?)");
    for (int i = 0; i < 4; ++i) sqlite3_bind_text(st.get(), i + 1, kPackedObjects[i], -1, SQLITE_STATIC);
    return st.ok() && st.step() == SQLITE_ROW && st.column_int(0) == 4;
  };
  // Series without a packed row of the current format (one query over ~150 series rows).
  auto unpacked = [&]() {
    std::vector<std::string> ids;
    Statement st(db_->handle,
                 "SELECT id FROM series WHERE id NOT IN (SELECT series_id FROM series_packed WHERE format_version = ?) "
                 "ORDER BY id");
    if (!st.ok()) return ids;
    st.bind_int(1, kPackedBarsFormat);
    while (st.step() == SQLITE_ROW) ids.push_back(st.column_text(0));
    return ids;
  };
  // A series_packed of another layout (a development build's) is a cache: dropped and rebuilt.
  auto layout_ok = [&]() {
    Statement st(db_->handle, "SELECT series_id, format_version, n, first_day, last_day, blob FROM series_packed LIMIT 0");
    return st.ok();
  };
  db_->packed_table = exists() && layout_ok();
  if (db_->packed_table && unpacked().empty()) return;
  if (sqlite3_db_readonly(db_->handle, "main") == 1) return;
  const Status packed = in_transaction([&]() -> Status {
    if (!layout_ok()) AF_RETURN_IF_ERROR(exec("DROP TABLE IF EXISTS series_packed"));
    AF_RETURN_IF_ERROR(exec(kCreatePacked));
    db_->packed_table = true;
    for (const std::string& id : unpacked()) AF_RETURN_IF_ERROR(pack_series(id));
    return ok_status();
  });
  if (!packed.ok()) db_->packed_table = exists() && layout_ok();
}

Status BarStore::pack_series(const std::string& series_id) {
  AF_ASSIGN_OR_RETURN(Bars bars, read_bars(series_id, std::nullopt));
  const std::string blob = encode_packed_bars(bars);
  Statement st(db_->handle,
               "INSERT OR REPLACE INTO series_packed(series_id, format_version, n, first_day, last_day, blob) "
               "VALUES (?,?,?,?,?,?)");
  if (!st.ok()) return db_error(db_->handle, "prepare pack");
  st.bind_text(1, series_id);
  st.bind_int(2, kPackedBarsFormat);
  st.bind_int(3, static_cast<long long>(bars.size()));
  if (!bars.empty()) {
    st.bind_int(4, bars.front().date.serial());
    st.bind_int(5, bars.back().date.serial());
  }
  st.bind_blob(6, blob);
  if (st.step() != SQLITE_DONE) return db_error(db_->handle, fmt::format("write packed bars of {}", series_id));
  return ok_status();
}

Status BarStore::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_->handle, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Error{ErrorCode::kIo, fmt::format("bar store {}: {}", path_, msg)};
  }
  return ok_status();
}

int BarStore::schema_version() const {
  Statement st(db_->handle, "PRAGMA user_version");
  if (!st.ok() || st.step() != SQLITE_ROW) return -1;
  return static_cast<int>(st.column_int(0));
}

Status BarStore::in_transaction(const std::function<Status()>& body) {
  if (transaction_depth_ > 0) return body();  // nested: the outer transaction decides
  AF_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  ++transaction_depth_;
  Status s = body();
  --transaction_depth_;
  if (!s.ok()) {
    (void)exec("ROLLBACK");
    return s;
  }
  return exec("COMMIT");
}

Status BarStore::upsert_series(const SeriesInfo& info, Timestamp imported_at) {
  Statement st(db_->handle,
               "INSERT INTO series(id, kind, unit, source, notes, imported_at) VALUES (?,?,?,?,?,?) "
               "ON CONFLICT(id) DO UPDATE SET kind=excluded.kind, unit=excluded.unit, source=excluded.source, "
               "notes=excluded.notes, imported_at=excluded.imported_at");
  if (!st.ok()) return db_error(db_->handle, "prepare upsert_series");
  st.bind_text(1, info.id);
  st.bind_text(2, std::string(to_string(info.kind)));
  st.bind_text(3, std::string(info.unit.code()));
  st.bind_text(4, info.source);
  st.bind_text(5, info.notes);
  st.bind_text(6, to_iso(imported_at));
  if (st.step() != SQLITE_DONE) return db_error(db_->handle, fmt::format("write series {}", info.id));
  return ok_status();
}

Status BarStore::upsert_bars(const std::string& series_id, std::span<const Bar> bars) {
  for (std::size_t i = 1; i < bars.size(); ++i) {
    if (!(bars[i - 1].date < bars[i].date)) {
      return Error{ErrorCode::kInvalidArgument,
                   fmt::format("bar store: bars for {} are not in strictly increasing date order at {}", series_id,
                               bars[i].date.iso())};
    }
  }
  AF_ASSIGN_OR_RETURN(bool existing, has_series(series_id));
  if (!existing) {
    return Error{ErrorCode::kNotFound,
                 fmt::format("bar store: series {} is not registered (upsert_series first)", series_id)};
  }
  return in_transaction([&]() -> Status {
    Statement st(db_->handle,
                 "INSERT OR REPLACE INTO bars(series_id, date, open, high, low, close, volume) VALUES (?,?,?,?,?,?,?)");
    if (!st.ok()) return db_error(db_->handle, "prepare upsert_bars");
    for (const Bar& b : bars) {
      st.bind_text(1, series_id);
      st.bind_text(2, b.date.iso());
      st.bind_value(3, b.open);
      st.bind_value(4, b.high);
      st.bind_value(5, b.low);
      st.bind_value(6, b.close);
      st.bind_value(7, b.volume);
      if (st.step() != SQLITE_DONE) {
        return db_error(db_->handle, fmt::format("write bar {} {}", series_id, b.date.iso()));
      }
      st.reset();
    }
    // The packed copy is rebuilt from the rows as stored (what the row path would read: a
    // REAL -0.0 that SQLite keeps as integer 0 reads back +0.0, for instance).
    return db_->packed_table ? pack_series(series_id) : ok_status();
  });
}

Status BarStore::delete_series(const std::string& series_id) {
  return in_transaction([&]() -> Status {
    for (const char* sql : {"DELETE FROM series_packed WHERE series_id = ?", "DELETE FROM bars WHERE series_id = ?",
                            "DELETE FROM series WHERE id = ?"}) {
      if (!db_->packed_table && std::string_view(sql).find("series_packed") != std::string_view::npos) continue;
      Statement st(db_->handle, sql);
      if (!st.ok()) return db_error(db_->handle, "prepare delete_series");
      st.bind_text(1, series_id);
      if (st.step() != SQLITE_DONE) return db_error(db_->handle, fmt::format("delete series {}", series_id));
    }
    return ok_status();
  });
}

Result<bool> BarStore::has_series(const std::string& series_id) const {
  Statement st(db_->handle, db_->slot(Cached::kHasSeries), "SELECT 1 FROM series WHERE id = ?");
  if (!st.ok()) return db_error(db_->handle, "prepare series lookup");
  st.bind_text(1, series_id);
  const int rc = st.step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(db_->handle, fmt::format("read series {}", series_id));
  return rc == SQLITE_ROW;
}

Result<Bars> BarStore::read_bars(const std::string& series_id, std::optional<std::pair<Date, Date>> range) const {
  // Without a range the query has no date comparison per row (whole-series reads).
  Statement st(db_->handle, db_->slot(range ? Cached::kRowsRange : Cached::kRowsAll),
               range ? "SELECT date, open, high, low, close, volume FROM bars WHERE series_id = ? AND "
                       "date >= ? AND date <= ? ORDER BY date"
                     : "SELECT date, open, high, low, close, volume FROM bars WHERE series_id = ? "
                       "ORDER BY date");
  if (!st.ok()) return db_error(db_->handle, "prepare read");
  st.bind_text(1, series_id);
  if (range) {
    st.bind_text(2, range->first.iso());
    st.bind_text(3, range->second.iso());
  }
  Bars out;
  int rc;
  while ((rc = st.step()) == SQLITE_ROW) {
    AF_ASSIGN_OR_RETURN(Bar b, bar_from_row(st, 0));
    out.push_back(b);
  }
  if (rc != SQLITE_DONE) return db_error(db_->handle, fmt::format("read {}", series_id));
  return out;
}

Result<Bars> BarStore::read_stored(const std::string& series_id, std::optional<std::pair<Date, Date>> range) const {
  if (db_->packed_table) {
    // One lookup gives both "is the series registered" and its packed copy.
    Statement st(db_->handle, db_->slot(Cached::kSeriesPacked),
                 "SELECT p.format_version, p.n, p.blob FROM series s LEFT JOIN series_packed p ON p.series_id = s.id "
                 "WHERE s.id = ?");
    if (!st.ok()) return db_error(db_->handle, "prepare read");
    st.bind_text(1, series_id);
    const int rc = st.step();
    if (rc == SQLITE_ROW) {
      if (auto packed = packed_from_row(st, 0, range)) return std::move(*packed);
      return read_bars(series_id, range);
    }
    if (rc != SQLITE_DONE) return db_error(db_->handle, fmt::format("read {}", series_id));
  } else {
    AF_ASSIGN_OR_RETURN(bool existing, has_series(series_id));
    if (existing) return read_bars(series_id, range);
  }
  return Error{ErrorCode::kNotFound,
               fmt::format("series '{}' is not in the bar store {} (run `abstractfinance data import`)", series_id,
                           path_)};
}

Result<Bars> BarStore::read(const std::string& series_id, Date from, Date to) const {
  return read_stored(series_id, std::pair{from, to});
}

Result<Bars> BarStore::read_all(const std::string& series_id) const { return read_stored(series_id, std::nullopt); }

Result<std::optional<Bar>> BarStore::last_bar(const std::string& series_id, Date as_of) const {
  AF_ASSIGN_OR_RETURN(bool existing, has_series(series_id));
  if (!existing) {
    return Error{ErrorCode::kNotFound, fmt::format("series '{}' is not in the bar store {}", series_id, path_)};
  }
  Statement st(db_->handle,
               "SELECT date, open, high, low, close, volume FROM bars WHERE series_id = ? AND date <= ? "
               "ORDER BY date DESC LIMIT 1");
  if (!st.ok()) return db_error(db_->handle, "prepare last_bar");
  st.bind_text(1, series_id);
  st.bind_text(2, as_of.iso());
  int rc = st.step();
  if (rc == SQLITE_DONE) return std::optional<Bar>{};
  if (rc != SQLITE_ROW) return db_error(db_->handle, fmt::format("read last bar of {}", series_id));
  AF_ASSIGN_OR_RETURN(Bar b, bar_from_row(st, 0));
  return std::optional<Bar>{b};
}

namespace {
// Columns 0..4 of a series query: id, kind, unit, source, notes.
Status read_series_info(const Statement& st, SeriesInfo& info) {
  info.id = st.column_text(0);
  AF_ASSIGN_OR_RETURN(info.kind, parse_series_kind(st.column_text(1)));
  AF_ASSIGN_OR_RETURN(info.unit, parse_quote_unit(st.column_text(2)));
  info.source = st.column_text(3);
  info.notes = st.column_text(4);
  return ok_status();
}

constexpr const char* kSummarySql =
    "SELECT s.id, s.kind, s.unit, s.source, s.notes, s.imported_at, MIN(b.date), MAX(b.date), COUNT(b.date) "
    "FROM series s LEFT JOIN bars b ON b.series_id = s.id ";

Result<SeriesSummary> summary_from_row(const Statement& st) {
  SeriesSummary s;
  AF_RETURN_IF_ERROR(read_series_info(st, s.info));
  s.imported_at = st.column_text(5);
  if (!st.column_is_null(6)) {
    AF_ASSIGN_OR_RETURN(Date first, Date::parse(st.column_text(6)));
    AF_ASSIGN_OR_RETURN(Date last, Date::parse(st.column_text(7)));
    s.first = first;
    s.last = last;
  }
  s.bar_count = st.column_int(8);
  return s;
}
}  // namespace

Result<std::optional<StoredSeries>> BarStore::read_series(const std::string& series_id) const {
  Statement st(db_->handle, db_->slot(db_->packed_table ? Cached::kSeriesInfoPacked : Cached::kSeriesInfo),
               db_->packed_table ? "SELECT s.id, s.kind, s.unit, s.source, s.notes, p.format_version, p.n, p.blob "
                                   "FROM series s LEFT JOIN series_packed p ON p.series_id = s.id WHERE s.id = ?"
                                 : "SELECT id, kind, unit, source, notes FROM series WHERE id = ?");
  if (!st.ok()) return db_error(db_->handle, "prepare read_series");
  st.bind_text(1, series_id);
  const int rc = st.step();
  if (rc == SQLITE_DONE) return std::optional<StoredSeries>{};
  if (rc != SQLITE_ROW) return db_error(db_->handle, fmt::format("read series {}", series_id));
  StoredSeries out;
  AF_RETURN_IF_ERROR(read_series_info(st, out.info));
  if (auto packed = db_->packed_table ? packed_from_row(st, 5, std::nullopt) : std::nullopt) {
    out.bars = std::move(*packed);
  } else {
    AF_ASSIGN_OR_RETURN(out.bars, read_bars(series_id, std::nullopt));
  }
  return std::optional<StoredSeries>{std::move(out)};
}

namespace {
// With packed copies: the metadata, and range and count from the packed row (columns 6..8, NULL
// when the series has no current packed row: then the rows are aggregated, summary_of_rows).
constexpr const char* kPackedSummarySql =
    "SELECT s.id, s.kind, s.unit, s.source, s.notes, s.imported_at, p.first_day, p.last_day, p.n "
    "FROM series s LEFT JOIN series_packed p ON p.series_id = s.id AND p.format_version = ? ";

Result<SeriesSummary> summary_from_packed_row(const Statement& st) {
  SeriesSummary s;
  AF_RETURN_IF_ERROR(read_series_info(st, s.info));
  s.imported_at = st.column_text(5);
  if (!st.column_is_null(6)) {
    s.first = Date::from_serial(static_cast<int>(st.column_int(6)));
    s.last = Date::from_serial(static_cast<int>(st.column_int(7)));
  }
  s.bar_count = st.column_int(8);
  return s;
}
}  // namespace

Result<SeriesSummary> BarStore::summary_of_rows(const std::string& series_id) const {
  Statement st(db_->handle, (std::string(kSummarySql) + "WHERE s.id = ? GROUP BY s.id").c_str());
  if (!st.ok()) return db_error(db_->handle, "prepare summary");
  st.bind_text(1, series_id);
  if (st.step() != SQLITE_ROW) return db_error(db_->handle, fmt::format("read series {}", series_id));
  return summary_from_row(st);
}

Result<std::vector<SeriesSummary>> BarStore::summaries(const std::string* series_id) const {
  std::vector<SeriesSummary> out;
  if (db_->packed_table) {
    Statement st(db_->handle, (std::string(kPackedSummarySql) + (series_id ? "WHERE s.id = ?" : "ORDER BY s.id")).c_str());
    if (!st.ok()) return db_error(db_->handle, "prepare list");
    st.bind_int(1, kPackedBarsFormat);
    if (series_id) st.bind_text(2, *series_id);
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
      if (st.column_is_null(8)) {
        AF_ASSIGN_OR_RETURN(SeriesSummary s, summary_of_rows(st.column_text(0)));
        out.push_back(std::move(s));
      } else {
        AF_ASSIGN_OR_RETURN(SeriesSummary s, summary_from_packed_row(st));
        out.push_back(std::move(s));
      }
    }
    if (rc != SQLITE_DONE) return db_error(db_->handle, "list series");
    return out;
  }
  Statement st(db_->handle,
               (std::string(kSummarySql) + (series_id ? "WHERE s.id = ? GROUP BY s.id" : "GROUP BY s.id ORDER BY s.id")).c_str());
  if (!st.ok()) return db_error(db_->handle, "prepare list");
  if (series_id) st.bind_text(1, *series_id);
  int rc;
  while ((rc = st.step()) == SQLITE_ROW) {
    AF_ASSIGN_OR_RETURN(SeriesSummary s, summary_from_row(st));
    out.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return db_error(db_->handle, "list series");
  return out;
}

Result<std::optional<SeriesSummary>> BarStore::summary(const std::string& series_id) const {
  AF_ASSIGN_OR_RETURN(std::vector<SeriesSummary> found, summaries(&series_id));
  if (found.empty()) return std::optional<SeriesSummary>{};
  return std::optional<SeriesSummary>{std::move(found.front())};
}

Result<std::vector<SeriesSummary>> BarStore::list() const { return summaries(nullptr); }

}  // namespace af::marketdata
