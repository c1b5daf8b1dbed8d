// Synthetic series: determinism, calibration against statistics computed independently from the
// raw CSV files, and the bundled import (every flag it raises is listed here).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include <fmt/format.h>

#include "marketdata/bar_store.hpp"
#include "marketdata/bundled.hpp"
#include "marketdata/catalog.hpp"
#include "marketdata/quality.hpp"
#include "marketdata/synthetic.hpp"

namespace af::marketdata {
namespace {

const std::string kDataDir = std::string(AF_SOURCE_DIR) + "/data";

// Built once for the whole suite (about a second).
const std::vector<BuiltSeries>& bundle() {
  static const auto* built = [] {
    auto cat = load_catalog(kDataDir + "/catalog.yaml");
    if (!cat.ok()) {
      ADD_FAILURE() << cat.error().message;
      std::abort();
    }
    static Catalog catalog = std::move(*cat);
    auto b = build_catalog_series(catalog, kDataDir);
    if (!b.ok()) {
      ADD_FAILURE() << b.error().message;
      std::abort();
    }
    return new std::vector<BuiltSeries>(std::move(*b));
  }();
  return *built;
}

const BuiltSeries& series(const std::string& id) {
  for (const auto& b : bundle()) {
    if (b.entry->id == id) return b;
  }
  ADD_FAILURE() << "no series " << id;
  std::abort();
}

// Independent of the generator: log returns of `a` and `b` on a Mon-Fri grid using the last
// close on or before each day, over [from, to].
struct Stats {
  double vol_a, vol_b, corr;
};
Stats grid_stats(const Bars& a, const Bars& b, Date from, Date to) {
  auto at = [](const Bars& s, Date d) {
    double v = NAN;
    for (const Bar& x : s) {
      if (d < x.date) break;
      v = x.close;
    }
    return v;
  };
  std::vector<double> ra, rb;
  double pa = at(a, from), pb = at(b, from);
  for (Date d = from.add_days(1); !(to < d); d = d.add_days(1)) {
    if (d.is_weekend()) continue;
    double qa = at(a, d), qb = at(b, d);
    ra.push_back(std::log(qa / pa));
    rb.push_back(std::log(qb / pb));
    pa = qa;
    pb = qb;
  }
  const double n = static_cast<double>(ra.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < ra.size(); ++i) ma += ra[i], mb += rb[i];
  ma /= n, mb /= n;
  double saa = 0, sbb = 0, sab = 0;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    saa += (ra[i] - ma) * (ra[i] - ma);
    sbb += (rb[i] - mb) * (rb[i] - mb);
    sab += (ra[i] - ma) * (rb[i] - mb);
  }
  return {std::sqrt(saa / (n - 1) * 252), std::sqrt(sbb / (n - 1) * 252), sab / std::sqrt(saa * sbb)};
}

TEST(Synthetic, SameBytesEveryTime) {
  const auto& cat_entry = *series("syn_eu_index_future").entry;
  std::map<std::string, const Bars*> known;
  for (const auto& b : bundle()) known[b.entry->id] = &b.bars;
  SeriesLookup lookup = [&](const std::string& id) -> const Bars* {
    auto it = known.find(id);
    return it == known.end() ? nullptr : it->second;
  };
  auto a = generate_synthetic(cat_entry, lookup);
  auto b = generate_synthetic(cat_entry, lookup);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->bars.size(), b->bars.size());
  ASSERT_EQ(std::memcmp(a->bars.data(), b->bars.data(), a->bars.size() * sizeof(Bar)), 0);
  // ... and equal to the bundle built independently.
  const Bars& c = series("syn_eu_index_future").bars;
  ASSERT_EQ(std::memcmp(a->bars.data(), c.data(), c.size() * sizeof(Bar)), 0);
}

TEST(Synthetic, SeedComesFromTheId) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);   // FNV-1a offset basis
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);  // published FNV-1a test vector
  // Two series with the same recipe but different ids differ.
  EXPECT_NE(series("syn_eu_index_etf").bars[100].close / series("syn_eu_index_etf").bars[0].close,
            series("syn_broad_fez").bars[100].close / series("syn_broad_fez").bars[0].close);
}

TEST(Synthetic, CoversTheBacktestWindowOnWeekdays) {
  for (const auto& b : bundle()) {
    if (b.entry->kind != SeriesKind::kSynthetic) continue;
    SCOPED_TRACE(b.entry->id);
    ASSERT_FALSE(b.bars.empty());
    EXPECT_LE(b.bars.front().date, Date(2000, 2, 1));  // proxies start after their 20-day window
    EXPECT_EQ(b.bars.back().date, Date(2020, 4, 17));
    for (const Bar& x : b.bars) {
      ASSERT_FALSE(x.date.is_weekend());
      ASSERT_TRUE(std::isfinite(x.close) && x.close > 0);
    }
  }
}

TEST(Synthetic, EuIndexLineMatchesDaxVersusSmiCalibration) {
  // Computed with an independent script from eu_stock_markets_1991_1998.csv (1991-07-01..1998-08-14,
  // same-day log returns): vol(DAX)/vol(SMI) = 1.1136, corr(DAX, SMI) = 0.7031;
  // vol(DAX)/vol(DJIA) = 1.3381, corr(DAX, DJIA) = 0.3425.
  const auto& s = series("syn_eu_index_future");
  ASSERT_EQ(s.calibration.size(), 2u);
  EXPECT_NEAR(s.calibration[0].rho, 0.7031, 1e-3);
  EXPECT_NEAR(s.calibration[1].rho, 0.3425, 1e-3);
  EXPECT_NEAR(s.calibration[0].vol_annual / s.calibration[0].driver_vol_annual, 1.1136, 1e-3);
  EXPECT_NEAR(s.calibration[1].vol_annual / s.calibration[1].driver_vol_annual, 1.3381, 1e-3);

  // Realized on the generated series: 2000-2012 against MSCI Switzerland.
  Stats m = grid_stats(s.bars, series("msci_switzerland").bars, Date(2000, 1, 3), Date(2012, 12, 31));
  EXPECT_NEAR(m.vol_a / m.vol_b, 1.1136, 0.05);
  EXPECT_NEAR(m.corr, 0.7031, 0.03);
  // 2013-2020 against the S&P 500.
  Stats u = grid_stats(s.bars, series("sp500").bars, Date(2013, 1, 2), Date(2020, 4, 17));
  EXPECT_NEAR(u.vol_a / u.vol_b, 1.3381, 0.07);
  EXPECT_NEAR(u.corr, 0.3425, 0.04);
}

TEST(Synthetic, UsTechLineMatchesBasketCalibration) {
  // Independent script, dowjones30_stocks_1991_2001.csv vs djia_1980_2012.csv, 1991-01-02..2000-12-29,
  // equal-weight mean of MSFT, INTC, IBM, HWP log returns: vol ratio 1.9271, corr 0.5966.
  const auto& s = series("syn_tech_xlk");
  Stats u = grid_stats(s.bars, series("sp500").bars, Date(2000, 1, 3), Date(2020, 4, 17));
  EXPECT_NEAR(u.vol_a / u.vol_b, 1.9271, 0.08);
  EXPECT_NEAR(u.corr, 0.5966, 0.03);
}

TEST(Synthetic, CreditIsLowVolWithPositiveEquityBeta) {
  const auto& s = series("syn_hy_hyg");
  Stats u = grid_stats(s.bars, series("sp500").bars, Date(2000, 1, 3), Date(2020, 4, 17));
  EXPECT_LT(u.vol_a, 0.12);
  EXPECT_GT(u.vol_a, 0.05);
  EXPECT_NEAR(u.corr, 0.55, 0.04);
}

TEST(Synthetic, VixProxyTracksRealizedVolAndIsScaledToTheRealSample) {
  const auto& vix = series("syn_vix_index");
  EXPECT_GT(vix.proxy_scale, 0.8);
  EXPECT_LT(vix.proxy_scale, 2.0);
  // By construction the proxy's mean over the 44 real VIX dates equals the real mean.
  const auto& sample = series("vix_sample").bars;
  double real = 0, proxy = 0;
  for (const Bar& b : sample) {
    real += b.close;
    auto i = index_at_or_before(vix.bars, b.date);
    ASSERT_TRUE(i.has_value());
    proxy += vix.bars[*i].close;
  }
  EXPECT_NEAR(proxy / real, 1.0, 1e-9);
  // The real VIX closed at 79.13 on 2008-10-24 and near 11-13 through 2017: the proxy must
  // show the same regimes (CRISIS >= 40, calm < 20).
  auto level = [&](Date d) { return vix.bars[*index_at_or_before(vix.bars, d)].close; };
  EXPECT_GT(level(Date(2008, 10, 24)), 40.0);
  EXPECT_LT(level(Date(2017, 6, 30)), 20.0);
}

TEST(Synthetic, GbxLinesArePricedInPence) {
  const auto& s = series("syn_value_ewu");
  EXPECT_EQ(s.entry->unit, QuoteUnit::gbx());
  EXPECT_EQ(s.entry->currency, Currency::GBP);
  EXPECT_DOUBLE_EQ(s.bars.front().close, 900.0);  // start_price in pence
}

// The bundled import: every catalog series lands in the store, and the quality checks over each
// series' whole history raise only the flags listed here (all explained by the source data).
TEST(BundledData, ImportsCleanlyWithOnlyTheExpectedFlags) {
  auto store = BarStore::open(":memory:");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(import_built_series(*store, bundle(), Timestamp{}).ok());
  auto list = store->list();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), bundle().size());

  std::map<std::string, long long> counts;
  for (const auto& s : *list) counts[s.info.id] = s.bar_count;
  // Row counts of the source files (data/SOURCES.md) minus blank cells.
  EXPECT_EQ(counts["sp500"], 5105);
  EXPECT_EQ(counts["djia"], 8610);
  EXPECT_EQ(counts["dax"], 1860);
  EXPECT_EQ(counts["eurusd"], 6499);
  EXPECT_EQ(counts["vix_sample"], 44);
  EXPECT_EQ(counts["msci_switzerland"], 4697);
  EXPECT_EQ(counts["dj30_msft"], 2529);

  // "series check severity" -> number of flags over the whole history.
  std::map<std::string, int> flags;
  QualityThresholds t;
  t.lookback_sessions = 100000;  // the whole history, not just the last year
  for (const auto& s : *list) {
    auto bars = store->read_all(s.info.id);
    ASSERT_TRUE(bars.ok());
    SeriesUnderCheck in{s.info.id, s.info.id, &*bars, s.info.unit, std::nullopt};
    for (const auto& f : check_series(in, *s.last, t)) {
      ++flags[fmt::format("{} {} {}", s.info.id, to_string(f.check), to_string(f.severity))];
    }
  }
  const std::map<std::string, int> expected = {
#include "bundled_expected_flags.inc"
  };
  EXPECT_EQ(flags, expected) << [&] {
    std::string all;
    for (const auto& [k, n] : flags) all += fmt::format("    {{\"{}\", {}}},\n", k, n);
    return all;
  }();
}

// The precomputed quality index on the real bundle: the same flags as check_series on a sample of
// dates of every series (bar dates and the weekend after them), with the default thresholds.
TEST(BundledData, QualityIndexEqualsCheckSeries) {
  auto store = BarStore::open(":memory:");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(import_built_series(*store, bundle(), Timestamp{}).ok());
  auto list = store->list();
  ASSERT_TRUE(list.ok());
  const QualityThresholds t;
  auto same = [](const std::vector<QualityFlag>& a, const std::vector<QualityFlag>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].check != b[i].check || a[i].severity != b[i].severity || a[i].instrument != b[i].instrument ||
          a[i].series != b[i].series || a[i].date != b[i].date || a[i].reason != b[i].reason) {
        return false;
      }
    }
    return true;
  };
  for (const auto& s : *list) {
    auto bars = store->read_all(s.info.id);
    ASSERT_TRUE(bars.ok());
    SeriesUnderCheck in{s.info.id, s.info.id, &*bars, s.info.unit, std::nullopt};
    SeriesQualityIndex index(in, t);
    for (std::size_t i = 0; i < bars->size(); i += 17) {
      for (Date as_of : {(*bars)[i].date, (*bars)[i].date.add_days(2)}) {
        ASSERT_TRUE(same(index.check(as_of), check_series(in, as_of, t))) << s.info.id << " " << as_of.iso();
      }
    }
  }
}

}  // namespace
}  // namespace af::marketdata
