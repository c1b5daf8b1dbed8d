// Bar store: schema, upsert, range reads, last bar, listing and provenance; the packed copy of
// each series (series_packed) against the bars rows.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>

#include <sqlite3.h>

#include "marketdata/bar_store.hpp"
#include "marketdata/bundled.hpp"
#include "marketdata/catalog.hpp"
#include "marketdata/packed_bars.hpp"

namespace af::marketdata {
namespace {

Timestamp at(int y, unsigned m, unsigned d) { return Timestamp{Date(y, m, d).sys_days().time_since_epoch()}; }

SeriesInfo info(const std::string& id, SeriesKind kind = SeriesKind::kReal, QuoteUnit unit = QuoteUnit::major(Currency::USD)) {
  return SeriesInfo{id, kind, unit, "test.csv column close", "a note"};
}

TEST(BarStore, CreatesSchemaAndRoundTripsBars) {
  auto store = BarStore::open(":memory:");
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(store->schema_version(), kBarStoreSchemaVersion);
  ASSERT_TRUE(store->upsert_series(info("ftse_line", SeriesKind::kSynthetic, QuoteUnit::gbx()), at(2024, 1, 9)).ok());
  Bar full{Date(2024, 1, 2), 2140, 2160, 2130, 2150, 1e6};
  Bar close_only = Bar::close_only(Date(2024, 1, 3), 2155);
  Bar nan_close = Bar::close_only(Date(2024, 1, 4), kNoValue);
  Bars in = {full, close_only, nan_close};
  ASSERT_TRUE(store->upsert_bars("ftse_line", in).ok());

  auto all = store->read_all("ftse_line");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_DOUBLE_EQ((*all)[0].open, 2140);
  EXPECT_DOUBLE_EQ((*all)[0].volume, 1e6);
  EXPECT_TRUE(std::isnan((*all)[1].open));  // not provided stays NaN
  EXPECT_TRUE(std::isnan((*all)[2].close)); // explicit NaN survives the round trip (as NULL)

  auto range = store->read("ftse_line", Date(2024, 1, 3), Date(2024, 1, 3));
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range->size(), 1u);
  EXPECT_DOUBLE_EQ((*range)[0].close, 2155);

  auto summary = store->summary("ftse_line");
  ASSERT_TRUE(summary.ok());
  ASSERT_TRUE(summary->has_value());
  EXPECT_EQ((*summary)->info.kind, SeriesKind::kSynthetic);
  EXPECT_EQ((*summary)->info.unit, QuoteUnit::gbx());
  EXPECT_EQ((*summary)->info.source, "test.csv column close");
  EXPECT_EQ((*summary)->bar_count, 3);
  EXPECT_EQ(*(*summary)->first, Date(2024, 1, 2));
  EXPECT_EQ(*(*summary)->last, Date(2024, 1, 4));
  EXPECT_EQ((*summary)->imported_at.substr(0, 10), "2024-01-09");
}

TEST(BarStore, ReadSeriesReturnsMetadataAndEveryBarOrNothing) {
  auto store = BarStore::open(":memory:");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->upsert_series(info("ftse_line", SeriesKind::kSynthetic, QuoteUnit::gbx()), at(2024, 1, 9)).ok());
  Bars in = {Bar::close_only(Date(2024, 1, 2), 2150), Bar::close_only(Date(2024, 1, 3), kNoValue)};
  ASSERT_TRUE(store->upsert_bars("ftse_line", in).ok());
  auto s = store->read_series("ftse_line");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ((*s)->info.id, "ftse_line");
  EXPECT_EQ((*s)->info.kind, SeriesKind::kSynthetic);
  EXPECT_EQ((*s)->info.unit, QuoteUnit::gbx());
  EXPECT_EQ((*s)->info.source, "test.csv column close");
  EXPECT_EQ((*s)->info.notes, "a note");
  ASSERT_EQ((*s)->bars.size(), 2u);
  EXPECT_EQ((*s)->bars[0].date, Date(2024, 1, 2));
  EXPECT_DOUBLE_EQ((*s)->bars[0].close, 2150);
  EXPECT_TRUE(std::isnan((*s)->bars[1].close));
  // Absent: nullopt, not an error (MarketHistory reports such series as missing).
  auto none = store->read_series("nope");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // Reads of an unknown series are still kNotFound.
  EXPECT_EQ(store->read_all("nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->last_bar("nope", Date(2024, 1, 9)).error().code, ErrorCode::kNotFound);
}

TEST(BarStore, UpsertReplacesSameDate) {
  auto store = BarStore::open(":memory:");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->upsert_series(info("s"), at(2024, 1, 1)).ok());
  Bars first = {Bar::close_only(Date(2024, 1, 2), 1.0)};
  Bars second = {Bar::close_only(Date(2024, 1, 2), 2.0), Bar::close_only(Date(2024, 1, 3), 3.0)};
  ASSERT_TRUE(store->upsert_bars("s", first).ok());
  ASSERT_TRUE(store->upsert_bars("s", second).ok());
  auto all = store->read_all("s");
  ASSERT_EQ(all->size(), 2u);
  EXPECT_DOUBLE_EQ((*all)[0].close, 2.0);
}

TEST(BarStore, LastBarAtOrBefore) {
  auto store = BarStore::open(":memory:");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->upsert_series(info("s"), at(2024, 1, 1)).ok());
  Bars bars = {Bar::close_only(Date(2024, 1, 2), 1.0), Bar::close_only(Date(2024, 1, 5), 5.0)};
  ASSERT_TRUE(store->upsert_bars("s", bars).ok());
  auto on_holiday = store->last_bar("s", Date(2024, 1, 4));
  ASSERT_TRUE(on_holiday.ok());
  ASSERT_TRUE(on_holiday->has_value());
  EXPECT_EQ((*on_holiday)->date, Date(2024, 1, 2));
  auto before = store->last_bar("s", Date(2024, 1, 1));
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->has_value());
}

TEST(BarStore, UnknownSeriesAndBadInputAreErrors) {
  auto store = BarStore::open(":memory:");
  ASSERT_TRUE(store.ok());
  auto r = store->read_all("nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("data import"), std::string::npos);
  Bars b = {Bar::close_only(Date(2024, 1, 2), 1.0)};
  EXPECT_FALSE(store->upsert_bars("nope", b).ok());  // series not registered
  ASSERT_TRUE(store->upsert_series(info("s"), at(2024, 1, 1)).ok());
  Bars unordered = {Bar::close_only(Date(2024, 1, 3), 1.0), Bar::close_only(Date(2024, 1, 2), 1.0)};
  EXPECT_FALSE(store->upsert_bars("s", unordered).ok());
}

TEST(BarStore, ListsSeriesOrderedWithCounts) {
  auto store = BarStore::open(":memory:");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->upsert_series(info("zeta"), at(2024, 1, 1)).ok());
  ASSERT_TRUE(store->upsert_series(info("alpha", SeriesKind::kSynthetic), at(2024, 1, 1)).ok());
  Bars b = {Bar::close_only(Date(2024, 1, 2), 1.0), Bar::close_only(Date(2024, 1, 3), 1.1)};
  ASSERT_TRUE(store->upsert_bars("alpha", b).ok());
  auto list = store->list();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].info.id, "alpha");
  EXPECT_EQ((*list)[0].bar_count, 2);
  EXPECT_EQ((*list)[1].info.id, "zeta");
  EXPECT_EQ((*list)[1].bar_count, 0);
  EXPECT_FALSE((*list)[1].first.has_value());
  ASSERT_TRUE(store->delete_series("alpha").ok());
  EXPECT_EQ(store->list()->size(), 1u);
}

TEST(BarStore, PersistsInAFileAndRefusesNewerSchema) {
  // Its own directory: it removes the whole tree, and ctest runs the other store tests (which
  // share fresh_store_path's directory) in parallel processes.
  const auto dir = std::filesystem::temp_directory_path() / "af_marketdata_bar_store_persists_test";
  std::filesystem::remove_all(dir);
  const std::string path = (dir / "sub" / "bars.sqlite").string();  // parent directories created
  {
    auto store = BarStore::open(path);
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_TRUE(store->upsert_series(info("s"), at(2024, 1, 1)).ok());
    Bars b = {Bar::close_only(Date(2024, 1, 2), 1.0)};
    ASSERT_TRUE(store->upsert_bars("s", b).ok());
  }
  {
    auto store = BarStore::open(path);
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(store->read_all("s")->size(), 1u);
  }
  {
    // A newer program wrote the file: refuse rather than misread it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    auto store = BarStore::open(path);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code, ErrorCode::kIo);
    EXPECT_NE(store.error().message.find("newer"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------------------------------------
// The packed copy (series_packed). Expected values come from outside the store's read code: the
// bars given to the store, and the bars rows read here with plain SQL.

// Same date and the same bits in every field (NaN == NaN; -0.0 != +0.0).
::testing::AssertionResult same_bars(const Bars& a, const Bars& b) {
  if (a.size() != b.size()) return ::testing::AssertionFailure() << "sizes " << a.size() << " vs " << b.size();
  auto same = [](double x, double y) {
    return (std::isnan(x) && std::isnan(y)) || std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y);
  };
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Bar& x = a[i];
    const Bar& y = b[i];
    if (x.date != y.date || !same(x.open, y.open) || !same(x.high, y.high) || !same(x.low, y.low) ||
        !same(x.close, y.close) || !same(x.volume, y.volume)) {
      return ::testing::AssertionFailure() << "bar " << i << " differs: " << x.date << " close " << x.close << " vs "
                                           << y.date << " close " << y.close;
    }
  }
  return ::testing::AssertionSuccess();
}

// A raw connection to a store file, for reading rows and for playing an older writer.
class RawDb {
 public:
  explicit RawDb(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  int exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }
  long long count(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
    const long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
  }
  // The bars rows of a series as the schema defines them (NULL = NaN, TEXT dates).
  Bars rows(const std::string& series_id) {
    Bars out;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "SELECT date, open, high, low, close, volume FROM bars WHERE series_id = ? ORDER BY date",
                       -1, &st, nullptr);
    sqlite3_bind_text(st, 1, series_id.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
      Bar b;
      b.date = *Date::parse(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
      double* fields[] = {&b.open, &b.high, &b.low, &b.close, &b.volume};
      for (int c = 0; c < 5; ++c) {
        *fields[c] = sqlite3_column_type(st, c + 1) == SQLITE_NULL ? kNoValue : sqlite3_column_double(st, c + 1);
      }
      out.push_back(b);
    }
    sqlite3_finalize(st);
    return out;
  }
  // Replaces the packed row of a series (a tampered or foreign copy).
  void put_packed(const std::string& series_id, long long version, long long n, const std::string& blob) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO series_packed(series_id, format_version, n, blob) VALUES (?,?,?,?)",
                       -1, &st, nullptr);
    sqlite3_bind_text(st, 1, series_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, version);
    sqlite3_bind_int64(st, 3, n);
    sqlite3_bind_blob(st, 4, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(st), SQLITE_DONE) << sqlite3_errmsg(db_);
    sqlite3_finalize(st);
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string fresh_store_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "af_marketdata_bar_store_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / (name + ".sqlite");
  std::filesystem::remove(path);
  return path.string();
}

Bars sample_bars() {
  return {Bar{Date(2024, 1, 2), 2140, 2160, 2130, 2150, 1e6}, Bar::close_only(Date(2024, 1, 3), 2155),
          Bar::close_only(Date(2024, 1, 4), kNoValue), Bar{Date(2024, 1, 8), kNoValue, 2170, kNoValue, 2165, 0.0},
          Bar::close_only(Date(2024, 1, 9), -0.0)};
}

TEST(PackedBars, RoundTripsEveryBitAndSlicesByDate) {
  const Bars in = sample_bars();
  const std::string blob = encode_packed_bars(in);
  // Header + days + open, high, low, close, volume (each present in some bar).
  EXPECT_EQ(blob.size(), 4u + 5 * 4 + 5 * 5 * 8);
  auto back = decode_packed_bars(blob.data(), blob.size(), 5);
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(same_bars(*back, in));
  auto slice = decode_packed_bars(blob.data(), blob.size(), 5, Date(2024, 1, 3), Date(2024, 1, 8));
  ASSERT_TRUE(slice.has_value());
  EXPECT_TRUE(same_bars(*slice, Bars(in.begin() + 1, in.begin() + 4)));
  auto none = decode_packed_bars(blob.data(), blob.size(), 5, Date(2024, 1, 5), Date(2024, 1, 7));
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  EXPECT_TRUE(decode_packed_bars(blob.data(), blob.size(), 5, Date(2024, 1, 9), Date(2024, 1, 2))->empty());
  // A close-only series stores only its days and closes.
  const Bars closes = {Bar::close_only(Date(2024, 1, 2), 1.5), Bar::close_only(Date(2024, 1, 3), 1.25)};
  const std::string small = encode_packed_bars(closes);
  EXPECT_EQ(small.size(), 4u + 2 * 4 + 2 * 8);
  EXPECT_TRUE(same_bars(*decode_packed_bars(small.data(), small.size(), 2), closes));
  const std::string empty = encode_packed_bars({});
  EXPECT_TRUE(decode_packed_bars(empty.data(), empty.size(), 0)->empty());
}

TEST(PackedBars, RejectsABlobThatDoesNotMatchItsCount) {
  const Bars in = sample_bars();
  std::string blob = encode_packed_bars(in);
  EXPECT_FALSE(decode_packed_bars(blob.data(), blob.size(), 4).has_value());
  EXPECT_FALSE(decode_packed_bars(blob.data(), blob.size(), 6).has_value());
  EXPECT_FALSE(decode_packed_bars(blob.data(), blob.size(), -1).has_value());
  EXPECT_FALSE(decode_packed_bars(blob.data(), blob.size() - 1, 5).has_value());
  EXPECT_FALSE(decode_packed_bars(blob.data(), 2, 0).has_value());
  std::string bad_mask = blob;
  bad_mask[0] = static_cast<char>(0x40);  // a column bit this format does not have
  EXPECT_FALSE(decode_packed_bars(bad_mask.data(), bad_mask.size(), 5).has_value());
  std::string unordered = blob;
  std::swap(unordered[4], unordered[8]);  // first two days swapped (low bytes differ)
  EXPECT_FALSE(decode_packed_bars(unordered.data(), unordered.size(), 5).has_value());
}

const std::vector<BuiltSeries>& bundled_series() {
  static const auto* built = [] {
    const std::string data_dir = std::string(AF_SOURCE_DIR) + "/data";
    auto cat = load_catalog(data_dir + "/catalog.yaml");
    if (!cat.ok()) std::abort();
    static Catalog catalog = std::move(*cat);
    auto b = build_catalog_series(catalog, data_dir);
    if (!b.ok()) std::abort();
    return new std::vector<BuiltSeries>(std::move(*b));
  }();
  return *built;
}

// The built bars as the bars table keeps them: NaN -> NULL -> NaN; -0.0 is stored as integer 0.
Bars as_stored(const Bars& bars) {
  Bars out = bars;
  for (Bar& b : out) {
    for (double* v : {&b.open, &b.high, &b.low, &b.close, &b.volume}) {
      if (std::isnan(*v)) *v = kNoValue;
      else if (*v == 0.0) *v = 0.0;
    }
  }
  return out;
}

// Every bundled series read from the store (packed) equals its rows and the bars imported; list()
// gives the range and count of the rows.
void expect_store_matches(const BarStore& store, RawDb& raw, const std::map<std::string, Bars>& expected) {
  auto list = store.list();
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->size(), expected.size());
  for (const SeriesSummary& s : *list) {
    const std::string id = s.info.id;
    EXPECT_EQ(s.bar_count, raw.count("SELECT count(*) FROM bars WHERE series_id = '" + id + "'")) << id;
    const Bars& bars = expected.at(id);
    ASSERT_EQ(s.first.has_value(), !bars.empty()) << id;
    if (!bars.empty()) {
      EXPECT_EQ(*s.first, bars.front().date) << id;
      EXPECT_EQ(*s.last, bars.back().date) << id;
    }
    auto one = store.summary(id);
    ASSERT_TRUE(one.ok() && one->has_value());
    EXPECT_EQ((*one)->bar_count, s.bar_count);
    EXPECT_EQ((*one)->last, s.last);
  }
  for (const auto& [id, bars] : expected) {
    auto s = store.read_series(id);
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_TRUE(s->has_value()) << id;
    EXPECT_TRUE(same_bars((*s)->bars, bars)) << id;
    EXPECT_TRUE(same_bars((*s)->bars, raw.rows(id))) << id;
    auto all = store.read_all(id);
    ASSERT_TRUE(all.ok());
    EXPECT_TRUE(same_bars(*all, bars)) << id;
    if (bars.size() > 10) {
      const Date from = bars[3].date.add_days(1), to = bars[bars.size() - 4].date;  // a range ending on a bar
      Bars inside;
      for (const Bar& b : bars) {
        if (from <= b.date && b.date <= to) inside.push_back(b);
      }
      EXPECT_TRUE(same_bars(*store.read(id, from, to), inside)) << id;
    }
  }
}

TEST(BarStorePacked, EveryBundledSeriesReadsLikeItsRowsAfterImportUpdateAndDelete) {
  const std::string path = fresh_store_path("bundled");
  auto store = BarStore::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE(import_built_series(*store, bundled_series(), Timestamp{}).ok());
  RawDb raw(path);
  std::map<std::string, Bars> expected;
  for (const BuiltSeries& b : bundled_series()) expected[b.entry->id] = as_stored(b.bars);
  // Every series has a current packed row, written by the import.
  EXPECT_EQ(raw.count("SELECT count(*) FROM series_packed WHERE format_version = " + std::to_string(kPackedBarsFormat)),
            static_cast<long long>(expected.size()));
  expect_store_matches(*store, raw, expected);

  // Partial update: one bar replaced, one NaN close, one new bar after the end.
  Bars& sp = expected.at("sp500");
  Bars update = {sp[10], sp[20], sp.back()};
  update[0].close = 1234.5;
  update[1].close = kNoValue;
  update[2].date = sp.back().date.add_days(3);
  update[2].volume = kNoValue;
  ASSERT_TRUE(store->upsert_bars("sp500", update).ok());
  sp[10] = update[0];
  sp[20] = update[1];
  sp.push_back(update[2]);
  sp = as_stored(sp);
  expect_store_matches(*store, raw, expected);

  // Delete: no bars, no packed row; then a re-import restores everything.
  ASSERT_TRUE(store->delete_series("djia").ok());
  EXPECT_FALSE(store->read_series("djia")->has_value());
  EXPECT_EQ(raw.count("SELECT count(*) FROM series_packed WHERE series_id = 'djia'"), 0);
  expected.erase("djia");
  expect_store_matches(*store, raw, expected);
  std::vector<BuiltSeries> changed;  // re-imported as `data import --bundled` does, for the two ids
  for (const BuiltSeries& b : bundled_series()) {
    if (b.entry->id == "sp500" || b.entry->id == "djia") changed.push_back(b);
  }
  ASSERT_EQ(changed.size(), 2u);
  ASSERT_TRUE(import_built_series(*store, changed, Timestamp{}).ok());
  for (const BuiltSeries& b : changed) expected[b.entry->id] = as_stored(b.bars);
  expect_store_matches(*store, raw, expected);
  // A reopened store reads the same.
  auto reopened = BarStore::open(path);
  ASSERT_TRUE(reopened.ok());
  expect_store_matches(*reopened, raw, expected);
}

TEST(BarStorePacked, AStoreWithoutPackedCopiesReadsItsRowsAndIsPackedOnOpen) {
  const std::string path = fresh_store_path("old");
  std::vector<BuiltSeries> some(bundled_series().begin(), bundled_series().begin() + 4);
  std::map<std::string, Bars> expected;
  for (const BuiltSeries& b : some) expected[b.entry->id] = as_stored(b.bars);
  {
    auto store = BarStore::open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(import_built_series(*store, some, Timestamp{}).ok());
  }
  RawDb raw(path);
  // The layout of a store written before series_packed existed.
  ASSERT_EQ(raw.exec("DROP TRIGGER bars_insert_drops_packed; DROP TRIGGER bars_update_drops_packed; "
                     "DROP TRIGGER bars_delete_drops_packed; DROP TABLE series_packed"),
            SQLITE_OK);
  auto store = BarStore::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(raw.count("SELECT count(*) FROM series_packed"), static_cast<long long>(some.size()));
  expect_store_matches(*store, raw, expected);

  // Packed rows removed while the store is open: the rows are read.
  ASSERT_EQ(raw.exec("DELETE FROM series_packed"), SQLITE_OK);
  expect_store_matches(*store, raw, expected);
}

TEST(BarStorePacked, APackedTableOfAnotherLayoutIsRebuiltOnOpen) {
  const std::string path = fresh_store_path("layout");
  {
    auto store = BarStore::open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(store->upsert_series(info("s"), at(2024, 1, 9)).ok());
    ASSERT_TRUE(store->upsert_bars("s", sample_bars()).ok());
  }
  RawDb raw(path);
  ASSERT_EQ(raw.exec("DROP TABLE series_packed; CREATE TABLE series_packed(series_id TEXT PRIMARY KEY, x BLOB)"),
            SQLITE_OK);
  auto store = BarStore::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(raw.count("SELECT count(*) FROM series_packed WHERE first_day IS NOT NULL"), 1);
  EXPECT_TRUE(same_bars(*store->read_all("s"), raw.rows("s")));
  auto list = store->list();
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().bar_count, 5);
  EXPECT_EQ(*list->front().last, Date(2024, 1, 9));
}

TEST(BarStorePacked, APackedRowIsUsedOnlyWhenItsVersionAndCountMatch) {
  const std::string path = fresh_store_path("tamper");
  auto store = BarStore::open(path);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->upsert_series(info("s"), at(2024, 1, 9)).ok());
  const Bars bars = sample_bars();
  ASSERT_TRUE(store->upsert_bars("s", bars).ok());
  RawDb raw(path);
  const Bars stored = raw.rows("s");
  EXPECT_TRUE(same_bars(*store->read_all("s"), stored));

  // A packed copy that differs from the rows (never written by the store): used while its
  // version and count are right, which shows reads come from it ...
  Bars other = stored;
  for (Bar& b : other) b.close = 7.0;
  raw.put_packed("s", kPackedBarsFormat, static_cast<long long>(other.size()), encode_packed_bars(other));
  EXPECT_TRUE(same_bars(*store->read_all("s"), other));
  EXPECT_TRUE(same_bars((*store->read_series("s"))->bars, other));
  // ... and ignored (the rows are read) when either is wrong.
  raw.put_packed("s", kPackedBarsFormat + 1, static_cast<long long>(other.size()), encode_packed_bars(other));
  EXPECT_TRUE(same_bars(*store->read_all("s"), stored));
  EXPECT_TRUE(same_bars((*store->read_series("s"))->bars, stored));
  raw.put_packed("s", kPackedBarsFormat, static_cast<long long>(other.size()) + 1, encode_packed_bars(other));
  EXPECT_TRUE(same_bars(*store->read_all("s"), stored));
  EXPECT_TRUE(same_bars(*store->read("s", Date(2024, 1, 1), Date(2024, 1, 31)), stored));
  raw.put_packed("s", kPackedBarsFormat, static_cast<long long>(other.size()), "junk");
  EXPECT_TRUE(same_bars((*store->read_series("s"))->bars, stored));
}

TEST(BarStorePacked, AnotherWriterOfTheRowsDropsThePackedCopy) {
  const std::string path = fresh_store_path("other_writer");
  auto store = BarStore::open(path);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->upsert_series(info("s"), at(2024, 1, 9)).ok());
  ASSERT_TRUE(store->upsert_bars("s", sample_bars()).ok());
  RawDb raw(path);
  ASSERT_EQ(raw.count("SELECT count(*) FROM series_packed"), 1);
  // An older abstractfinance (or the sqlite3 shell) adds, changes and removes rows.
  ASSERT_EQ(raw.exec("INSERT INTO bars(series_id, date, close) VALUES ('s', '2024-01-10', 99.5)"), SQLITE_OK);
  EXPECT_EQ(raw.count("SELECT count(*) FROM series_packed"), 0);
  EXPECT_TRUE(same_bars(*store->read_all("s"), raw.rows("s")));
  EXPECT_EQ(store->read_all("s")->back().close, 99.5);
  ASSERT_TRUE(store->upsert_bars("s", Bars{Bar::close_only(Date(2024, 1, 11), 100.0)}).ok());  // packed again
  EXPECT_EQ(raw.count("SELECT count(*) FROM series_packed"), 1);
  ASSERT_EQ(raw.exec("UPDATE bars SET close = 1.0 WHERE date = '2024-01-02'"), SQLITE_OK);
  EXPECT_EQ(raw.count("SELECT count(*) FROM series_packed"), 0);
  EXPECT_EQ(store->read_all("s")->front().close, 1.0);
  ASSERT_TRUE(store->upsert_bars("s", Bars{}).ok());
  EXPECT_EQ(raw.count("SELECT count(*) FROM series_packed"), 1);
  ASSERT_EQ(raw.exec("DELETE FROM bars WHERE date = '2024-01-11'"), SQLITE_OK);
  EXPECT_EQ(raw.count("SELECT count(*) FROM series_packed"), 0);
  EXPECT_TRUE(same_bars(*store->read_all("s"), raw.rows("s")));
  EXPECT_EQ(store->read_all("s")->back().date, Date(2024, 1, 10));
}

}  // namespace
}  // namespace af::marketdata
