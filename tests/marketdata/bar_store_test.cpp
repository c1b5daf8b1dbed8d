// Bar store: schema, upsert, range reads, last bar, listing and provenance.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include <sqlite3.h>

#include "marketdata/bar_store.hpp"

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
  const auto dir = std::filesystem::temp_directory_path() / "af_marketdata_bar_store_test";
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

}  // namespace
}  // namespace af::marketdata
