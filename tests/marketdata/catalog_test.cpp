// data/catalog.yaml parsing and its error messages.
#include <gtest/gtest.h>

#include "marketdata/catalog.hpp"

namespace af::marketdata {
namespace {

TEST(Catalog, BundledCatalogHasEveryRequiredRealSeries) {
  auto cat = load_catalog(std::string(AF_SOURCE_DIR) + "/data/catalog.yaml");
  ASSERT_TRUE(cat.ok()) << cat.error().message;
  for (const char* id : {"sp500", "djia", "nyse_composite", "dax", "smi", "cac40", "ftse100", "msci_switzerland",
                         "spi", "sbi", "swx_real_estate", "eurusd", "gbpusd", "usdchf", "usdjpy", "vix_sample"}) {
    const auto* s = cat->find(id);
    ASSERT_NE(s, nullptr) << id;
    EXPECT_EQ(s->kind, SeriesKind::kReal) << id;
  }
  int dj30 = 0, synthetic = 0;
  for (const auto& s : cat->series) {
    if (s.id.rfind("dj30_", 0) == 0) ++dj30;
    if (s.id.rfind("syn_", 0) == 0) {
      ++synthetic;
      EXPECT_EQ(s.kind, SeriesKind::kSynthetic) << s.id;
    } else {
      EXPECT_EQ(s.kind, SeriesKind::kReal) << s.id;
    }
  }
  EXPECT_EQ(dj30, 30);
  EXPECT_GT(synthetic, 0);
  EXPECT_EQ(cat->find("usdchf")->currency, Currency::CHF);
  EXPECT_EQ(cat->find("syn_value_ewu")->unit, QuoteUnit::gbx());
}

TEST(Catalog, ErrorsNameFileLineAndKey) {
  auto bad_kind = parse_catalog("version: 1\nseries:\n  x:\n    kind: fake\n    currency: USD\n", "cat.yaml");
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_NE(bad_kind.error().message.find("cat.yaml:4: key series.x.kind"), std::string::npos)
      << bad_kind.error().message;

  auto unknown = parse_catalog("version: 1\nseries:\n  x:\n    kind: real\n    currency: USD\n    file: a.csv\n"
                               "    column: c\n    colour: red\n",
                               "cat.yaml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("cat.yaml:8: key series.x.colour: unknown key"), std::string::npos)
      << unknown.error().message;

  auto gbx_usd = parse_catalog("version: 1\nseries:\n  x:\n    kind: real\n    currency: USD\n    unit: GBX\n"
                               "    file: a.csv\n    column: c\n",
                               "cat.yaml");
  ASSERT_FALSE(gbx_usd.ok());
  EXPECT_NE(gbx_usd.error().message.find("series.x.unit"), std::string::npos);

  auto forward = parse_catalog(
      "version: 1\nseries:\n  syn_x:\n    kind: synthetic\n    currency: USD\n    recipe:\n      segments:\n"
      "        - {driver: later, rho: 0.5, vol_annual: 0.1}\n  later:\n    kind: real\n    currency: USD\n"
      "    file: a.csv\n    column: c\n",
      "cat.yaml");
  ASSERT_FALSE(forward.ok());
  EXPECT_NE(forward.error().message.find("not defined earlier"), std::string::npos) << forward.error().message;

  auto half = parse_catalog(
      "version: 1\nseries:\n  syn_x:\n    kind: synthetic\n    currency: USD\n    recipe:\n      segments:\n"
      "        - {driver: a, rho: 0.5}\n",
      "cat.yaml");
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.error().message.find("segments[0]"), std::string::npos) << half.error().message;
}

}  // namespace
}  // namespace af::marketdata
