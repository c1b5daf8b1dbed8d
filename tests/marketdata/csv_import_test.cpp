// CSV import: format rules of docs/DATA.md, errors naming file, line and column.
#include <gtest/gtest.h>

#include <cmath>

#include "marketdata/csv_import.hpp"

namespace af::marketdata {
namespace {

TEST(CsvImport, ReadsOhlcvColumnsByName) {
  auto r = parse_bars_csv("date,Open,High,Low,Close,Volume\n2024-01-02,10,11,9,10.5,1000\n2024-01-03,10.5,12,10,11.5,\n",
                          "ohlcv.csv");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->bars.size(), 2u);
  EXPECT_EQ(r->bars[0].date, Date(2024, 1, 2));
  EXPECT_DOUBLE_EQ(r->bars[0].open, 10);
  EXPECT_DOUBLE_EQ(r->bars[0].high, 11);
  EXPECT_DOUBLE_EQ(r->bars[0].low, 9);
  EXPECT_DOUBLE_EQ(r->bars[0].close, 10.5);
  EXPECT_DOUBLE_EQ(r->bars[0].volume, 1000);
  EXPECT_TRUE(std::isnan(r->bars[1].volume));  // blank volume = not provided
  EXPECT_EQ(r->close_column, "Close");
}

TEST(CsvImport, SingleValueColumnIsTheClose) {
  auto r = parse_bars_csv("date,djia\n1980-01-01,838.74\n1980-01-02,824.57\n", "djia.csv");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->bars.size(), 2u);
  EXPECT_DOUBLE_EQ(r->bars[1].close, 824.57);
  EXPECT_TRUE(std::isnan(r->bars[1].open));
}

TEST(CsvImport, BlankCloseMeansNoBarNeverZero) {
  // FRED rows are blank on US holidays: no bar that day.
  auto r = parse_bars_csv("date,eurusd,gbpusd\n2024-01-01,,\n2024-01-02,1.0956,1.2630\n2024-01-03,,1.2610\n",
                          "fx.csv", CsvOptions{"eurusd"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->bars.size(), 1u);
  EXPECT_EQ(r->bars[0].date, Date(2024, 1, 2));
  EXPECT_DOUBLE_EQ(r->bars[0].close, 1.0956);
  EXPECT_EQ(r->rows, 3);
  EXPECT_EQ(r->blank_rows, 2);
}

TEST(CsvImport, NaNTokensAreKeptAsNaNForTheQualityChecks) {
  auto r = parse_bars_csv("date,close\n2024-01-02,NaN\n2024-01-03,NA\n2024-01-04,#N/A\n2024-01-05,7\n", "nan.csv");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->bars.size(), 4u);
  EXPECT_TRUE(std::isnan(r->bars[0].close));
  EXPECT_TRUE(std::isnan(r->bars[1].close));
  EXPECT_TRUE(std::isnan(r->bars[2].close));
  EXPECT_EQ(r->explicit_nan_rows, 3);
}

TEST(CsvImport, BadDateNamesFileLineAndColumn) {
  auto r = parse_bars_csv("date,close\n2024-01-02,1\n2024-13-01,2\n", "prices.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("prices.csv:3:"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("column 'date'"), std::string::npos);
  EXPECT_NE(r.error().message.find("2024-13-01"), std::string::npos);
}

TEST(CsvImport, BadNumberNamesLineAndColumn) {
  auto r = parse_bars_csv("date,open,close\n2024-01-02,1,1\n2024-01-03,2,abc\n", "prices.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("prices.csv:3: column 'close' (3): cannot read 'abc'"), std::string::npos)
      << r.error().message;
}

TEST(CsvImport, DatesMustStrictlyIncrease) {
  auto r = parse_bars_csv("date,close\n2024-01-03,1\n2024-01-02,2\n", "order.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("order.csv:3:"), std::string::npos);
  auto dup = parse_bars_csv("date,close\n2024-01-03,1\n2024-01-03,2\n", "dup.csv");
  ASSERT_FALSE(dup.ok());
}

TEST(CsvImport, HeaderProblemsAreExplained) {
  auto no_date = parse_bars_csv("day,close\n2024-01-02,1\n", "h.csv");
  ASSERT_FALSE(no_date.ok());
  EXPECT_NE(no_date.error().message.find("h.csv:1: first column must be `date`"), std::string::npos);
  auto ambiguous = parse_bars_csv("date,DAX,SMI\n2024-01-02,1,2\n", "eu.csv");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_NE(ambiguous.error().message.find("--column"), std::string::npos);
  auto unknown = parse_bars_csv("date,DAX,SMI\n2024-01-02,1,2\n", "eu.csv", CsvOptions{"CAC"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("no column 'CAC'"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("DAX, SMI"), std::string::npos);
  auto ragged = parse_bars_csv("date,close\n2024-01-02,1,2\n", "r.csv");
  ASSERT_FALSE(ragged.ok());
  EXPECT_NE(ragged.error().message.find("r.csv:2:"), std::string::npos);
}

TEST(CsvImport, ToleratesCrlfAndBom) {
  auto r = parse_bars_csv("\xEF\xBB\xBF" "date,close\r\n2024-01-02,5\r\n", "win.csv");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->bars.size(), 1u);
  EXPECT_DOUBLE_EQ(r->bars[0].close, 5);
}

TEST(CsvImport, MissingFileIsNotFound) {
  auto r = read_bars_csv("/nonexistent/prices.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("/nonexistent/prices.csv"), std::string::npos);
}

}  // namespace
}  // namespace af::marketdata
