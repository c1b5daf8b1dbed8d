// `data check` logic over the real configuration and the bundled data: which instruments are
// usable, which sleeves can run, the default as-of date, FX sources.
#include <gtest/gtest.h>

#include <algorithm>

#include "config/config.hpp"
#include "marketdata/bundled.hpp"
#include "marketdata/readiness.hpp"

namespace af::marketdata {
namespace {

const std::string kRoot = AF_SOURCE_DIR;

struct Fixture {
  config::Config config;
  Catalog catalog;
  std::vector<BuiltSeries> built;
};

const Fixture& fixture() {
  static const Fixture* f = [] {
    auto cfg = config::load_config(kRoot + "/config", {});
    if (!cfg.ok()) {
      ADD_FAILURE() << cfg.error().message;
      std::abort();
    }
    auto* out = new Fixture{std::move(*cfg), {}, {}};
    auto cat = load_catalog(kRoot + "/data/catalog.yaml");
    if (!cat.ok()) std::abort();
    out->catalog = std::move(*cat);
    auto built = build_catalog_series(out->catalog, kRoot + "/data");
    if (!built.ok()) std::abort();
    out->built = std::move(*built);
    return out;
  }();
  return *f;
}

// One imported store for the suite (an import takes about two seconds); tests that change it
// restore what they changed before returning.
BarStore& bundled_store() {
  static BarStore* store = [] {
    auto s = BarStore::open(":memory:");
    if (!s.ok() || !import_built_series(*s, fixture().built, Timestamp{}).ok()) std::abort();
    return new BarStore(std::move(*s));
  }();
  return *store;
}

void restore_series(BarStore& store, const std::string& id) {
  std::vector<BuiltSeries> one;
  for (const auto& b : fixture().built) {
    if (b.entry->id == id) one.push_back(b);
  }
  ASSERT_EQ(one.size(), 1u);
  ASSERT_TRUE(import_built_series(store, one, Timestamp{}).ok());
}

const InstrumentReadiness& instrument(const DataCheckReport& r, const std::string& id) {
  auto it = std::find_if(r.instruments.begin(), r.instruments.end(), [&](const auto& i) { return i.instrument == id; });
  EXPECT_NE(it, r.instruments.end()) << id;
  return *it;
}

const SleeveReadiness& sleeve(const DataCheckReport& r, const std::string& name) {
  auto it = std::find_if(r.sleeves.begin(), r.sleeves.end(), [&](const auto& s) { return s.sleeve == name; });
  EXPECT_NE(it, r.sleeves.end()) << name;
  return *it;
}

TEST(Readiness, EveryInstrumentSeriesIsInTheCatalogInItsPriceUnit) {
  for (const auto& ins : fixture().config.instruments) {
    const auto* s = fixture().catalog.find(ins.data_series);
    ASSERT_NE(s, nullptr) << ins.id << " -> " << ins.data_series;
    EXPECT_EQ(s->unit, ins.contract.price_unit) << ins.id << " -> " << ins.data_series;
    if (ins.data_series.rfind("syn_", 0) == 0) {
      EXPECT_EQ(s->kind, SeriesKind::kSynthetic) << ins.data_series;
    }
  }
}

TEST(Readiness, BundledDataPassesAtTheDefaultAsOf) {
  BarStore& store = bundled_store();
  auto r = check_data(fixture().config, store, std::nullopt);
  ASSERT_TRUE(r.ok()) << r.error().message;
  // sp500 ends 2020-04-17, the synthetic EU line too, eurusd runs to 2024: the core trade's last day.
  EXPECT_EQ(r->as_of, Date(2020, 4, 17));
  EXPECT_TRUE(r->ok);
  for (const auto& s : r->sleeves) EXPECT_TRUE(s.usable) << s.sleeve;
  EXPECT_TRUE(instrument(*r, "us_index_etf").usable);
  EXPECT_EQ(*instrument(*r, "eu_index_etf").kind, SeriesKind::kSynthetic);
  // Dow-30 single names end in 2001: unusable, reported, and the screen runs on the others.
  const auto& msft = instrument(*r, "msft_us");
  EXPECT_FALSE(msft.usable);
  ASSERT_FALSE(msft.flags.empty());
  EXPECT_EQ(msft.flags[0].check, QualityCheck::kMissing);
  // FX from the store, same day: EURUSD 1.0883 and GBPUSD 1.2503 on 2020-04-17 (FRED H.10).
  ASSERT_EQ(r->fx.size(), 2u);
  for (const auto& f : r->fx) {
    ASSERT_TRUE(f.rate.has_value());
    EXPECT_EQ(f.rate->source, FxSource::kBarStore);
    EXPECT_EQ(*f.rate->age_days, 0);
    EXPECT_DOUBLE_EQ(f.rate->value, f.currency == Currency::EUR ? 1.0883 : 1.2503);
  }
}

TEST(Readiness, MissingFxHedgeSeriesStopsTheCoreSleeve) {
  BarStore& store = bundled_store();
  ASSERT_TRUE(store.delete_series("eurusd").ok());
  auto r = check_data(fixture().config, store, Date(2010, 6, 30));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->ok);
  EXPECT_FALSE(sleeve(*r, "core_index_rv").usable);
  EXPECT_FALSE(instrument(*r, "eurusd_micro").usable);
  // EUR now comes from the static table, flagged by its source and age.
  auto eur = std::find_if(r->fx.begin(), r->fx.end(), [](const auto& f) { return f.currency == Currency::EUR; });
  ASSERT_NE(eur, r->fx.end());
  EXPECT_EQ(eur->rate->source, FxSource::kStaticTable);
  restore_series(store, "eurusd");
}

TEST(Readiness, PenceJumpMakesOnlyThatLineUnusable) {
  BarStore& store = bundled_store();
  // 2010-06-30 close of the GBX line re-stated in pounds (/100): the x100 unit mix-up.
  auto last = store.last_bar("syn_value_ewu", Date(2010, 6, 30));
  ASSERT_TRUE(last.ok() && last->has_value());
  Bar bad = **last;
  bad.close /= 100.0;
  Bars one = {bad};
  ASSERT_TRUE(store.upsert_bars("syn_value_ewu", one).ok());
  auto r = check_data(fixture().config, store, Date(2010, 6, 30));
  ASSERT_TRUE(r.ok());
  const auto& ewu = instrument(*r, "value_ewu");
  EXPECT_FALSE(ewu.usable);
  ASSERT_FALSE(ewu.flags.empty());
  EXPECT_EQ(ewu.flags.back().check, QualityCheck::kUnitJump);
  // The EU basket of sector_rv still has usable members: the sleeve runs, re-weighted.
  EXPECT_TRUE(sleeve(*r, "sector_rv").usable);
  EXPECT_TRUE(r->ok);
  restore_series(store, "syn_value_ewu");
}

TEST(Readiness, EmptyStoreIsAnErrorWithTheFix) {
  auto store = BarStore::open(":memory:");
  ASSERT_TRUE(store.ok());
  auto r = check_data(fixture().config, *store, std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("data import --bundled"), std::string::npos);
  // With an explicit date every needed instrument is reported missing and the check fails.
  auto at = check_data(fixture().config, *store, Date(2010, 6, 30));
  ASSERT_TRUE(at.ok());
  EXPECT_FALSE(at->ok);
}

}  // namespace
}  // namespace af::marketdata
