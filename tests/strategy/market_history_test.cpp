// MarketHistory: the day's view from data up to that day only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "config/config.hpp"
#include "marketdata/readiness.hpp"
#include "strategy/market_history.hpp"

namespace af::strategy {
namespace {

using marketdata::Bar;
using marketdata::Bars;

// Weekday bars from 2020-01-01: close = start x (1 + step)^i, with a little zig-zag so that no
// run of unchanged closes looks stale.
Bars make_series(double start, double step, int n) {
  Bars bars;
  Date d(2020, 1, 1);
  for (int i = 0; bars.size() < static_cast<std::size_t>(n); ++i, d = d.add_days(1)) {
    if (d.is_weekend()) continue;
    const double wiggle = (bars.size() % 2 == 0) ? 1.0 : 1.001;
    bars.push_back(Bar::close_only(d, start * std::pow(1 + step, static_cast<double>(bars.size())) * wiggle));
  }
  return bars;
}

SeriesData series(const char* id, Currency c, Bars bars) {
  marketdata::SeriesInfo info;
  info.id = id;
  info.unit = QuoteUnit::major(c);
  return SeriesData{info, std::move(bars)};
}

// The view's close spans as owned vectors (for comparisons).
std::map<InstrumentId, std::vector<double>> owned(const decltype(MarketView::closes)& closes) {
  std::map<InstrumentId, std::vector<double>> out;
  for (const auto& [id, c] : closes) out[id].assign(c.begin(), c.end());
  return out;
}

class MarketHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cfg = config::load_config(std::string(AF_SOURCE_DIR) + "/config", {});
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    cfg_ = std::make_unique<config::Config>(std::move(*cfg));
    us_series_ = cfg_->instruments.at(InstrumentId("us_index_etf")).data_series;
    eu_series_ = cfg_->instruments.at(InstrumentId("eu_index_etf")).data_series;
  }
  std::map<std::string, SeriesData> base(int n = 300) {
    std::map<std::string, SeriesData> m;
    m.emplace(us_series_, series(us_series_.c_str(), Currency::USD, make_series(100, 0.001, n)));
    m.emplace(eu_series_, series(eu_series_.c_str(), Currency::EUR, make_series(50, 0.0005, n)));
    m.emplace("eurusd", series("eurusd", Currency::USD, make_series(1.10, 0.0, n)));
    return m;
  }
  std::unique_ptr<config::Config> cfg_;
  std::string us_series_, eu_series_;
};

TEST_F(MarketHistoryTest, PricesAreTheLastCloseOnOrBeforeTheDay) {
  MarketHistory h(*cfg_, base());
  auto dates = h.trading_dates(Date(2020, 1, 1), Date(2030, 1, 1));
  ASSERT_EQ(dates.size(), 300u);
  const Date day = dates[250];
  auto s = h.snapshot(day);
  const double expected = 100 * std::pow(1.001, 250) * 1.0;  // bar 250 (even: no wiggle)
  ASSERT_TRUE(s.view.price(InstrumentId("us_index_etf")).has_value()) << s.view.why_unusable(InstrumentId("us_index_etf"));
  EXPECT_NEAR(*s.view.price(InstrumentId("us_index_etf")), expected, 1e-9);
  // Closes end at the day.
  EXPECT_NEAR(s.view.closes.at(InstrumentId("us_index_etf")).back(), expected, 1e-9);
  // Ratio in USD: us / (eu x eurusd) on the day.
  const double eu = 50 * std::pow(1.0005, 250);
  const double fx = 1.10;
  ASSERT_FALSE(s.us_eu_ratio.empty());
  EXPECT_NEAR(s.us_eu_ratio.back(), expected / (eu * fx), 1e-9);
  EXPECT_EQ(s.us_eu_ratio.size(), 251u);  // bars 0..250
}

TEST_F(MarketHistoryTest, NoLookAheadPoisoningTheFutureChangesNothing) {
  MarketHistory clean(*cfg_, base());
  auto poisoned_series = base();
  const Date day = clean.trading_dates(Date(2020, 1, 1), Date(2030, 1, 1))[200];
  for (auto& [id, sd] : poisoned_series) {
    for (auto& b : sd.bars) {
      if (b.date > day) b.close = std::numeric_limits<double>::quiet_NaN();
    }
  }
  MarketHistory poisoned(*cfg_, std::move(poisoned_series));
  auto a = clean.snapshot(day), b = poisoned.snapshot(day);
  EXPECT_EQ(a.view.prices, b.view.prices);
  EXPECT_EQ(owned(a.view.closes), owned(b.view.closes));
  EXPECT_EQ(std::vector<double>(a.us_eu_ratio.begin(), a.us_eu_ratio.end()),
            std::vector<double>(b.us_eu_ratio.begin(), b.us_eu_ratio.end()));
  EXPECT_EQ(a.view.unusable, b.view.unusable);
}

TEST_F(MarketHistoryTest, MissingAndStaleSeriesMakeInstrumentsUnusableWithAReason) {
  auto m = base();
  // A flat EU series: stale.
  for (auto& b : m.at(eu_series_).bars) b.close = 50.0;
  MarketHistory h(*cfg_, std::move(m));
  auto s = h.snapshot(h.trading_dates(Date(2020, 1, 1), Date(2030, 1, 1))[250]);
  EXPECT_FALSE(s.view.price(InstrumentId("eu_index_etf")).has_value());
  EXPECT_NE(s.view.why_unusable(InstrumentId("eu_index_etf")).find("stale"), std::string::npos);
  // A series the store does not have.
  EXPECT_FALSE(s.view.price(InstrumentId("tech_xlk")).has_value());
  EXPECT_NE(s.view.why_unusable(InstrumentId("tech_xlk")).find("not in the bar store"), std::string::npos);
  EXPECT_FALSE(h.quality_flags(s.view.as_of).empty());
}

TEST_F(MarketHistoryTest, OutlierJumpBlocksATradedLineButNotTheVixReferenceIndex) {
  auto m = base();
  const std::string vix_series = cfg_->instruments.at(InstrumentId("vix")).data_series;
  m.emplace(vix_series, series(vix_series.c_str(), Currency::USD, make_series(20, 0.0005, 300)));
  const Date day = m.at(us_series_).bars[250].date;
  // +40 % on the day in both the VIX series and the traded US index line.
  m.at(vix_series).bars[250].close *= 1.4;
  m.at(us_series_).bars[250].close *= 1.4;
  MarketHistory h(*cfg_, std::move(m));
  auto s = h.snapshot(day);
  EXPECT_FALSE(s.view.price(InstrumentId("us_index_etf")).has_value());
  EXPECT_NE(s.view.why_unusable(InstrumentId("us_index_etf")).find("outlier"), std::string::npos);
  ASSERT_TRUE(s.view.vix.has_value());  // VIX (tradeable: false) may jump 40 % in a day
  EXPECT_NEAR(*s.view.vix, 20 * std::pow(1.0005, 250) * 1.4, 1e-9);
}

TEST_F(MarketHistoryTest, ClosesAreTheFiniteClosesOfTheLastBarsAndOutliveAMove) {
  auto m = base();
  // Before the quality window of the day (bar 299, window 40..299), inside the longest histories:
  // skipped, not a value.
  m.at(us_series_).bars[20].close = std::numeric_limits<double>::quiet_NaN();
  const Bars us = m.at(us_series_).bars;
  auto built = std::make_unique<MarketHistory>(*cfg_, std::move(m));
  MarketHistory h(std::move(*built));  // the spans point into arrays that moved with the history
  built.reset();
  const Date day = us[299].date;
  for (int history_bars : {1, 60, 260, 290, 1000}) {
    auto s = h.snapshot(day, history_bars);
    std::vector<double> expected;
    for (int i = std::max(0, 299 + 1 - history_bars); i <= 299; ++i) {
      if (std::isfinite(us[i].close)) expected.push_back(us[i].close);
    }
    ASSERT_TRUE(s.view.closes.count(InstrumentId("us_index_etf"))) << s.view.why_unusable(InstrumentId("us_index_etf"));
    const auto& c = s.view.closes.at(InstrumentId("us_index_etf"));
    EXPECT_EQ(std::vector<double>(c.begin(), c.end()), expected) << history_bars;
    EXPECT_EQ(expected.size(), history_bars >= 290 ? static_cast<std::size_t>(std::min(history_bars, 300) - 1)
                                                   : static_cast<std::size_t>(history_bars));
  }
}

// The day's flags are the quality checks of each instrument's series up to that day (warnings of
// earlier bars in the window included), named after the instrument.
TEST_F(MarketHistoryTest, FlagsAreTheChecksOfEachSeriesUpToTheDay) {
  auto m = base();
  m.at(eu_series_).bars[120].close *= 1.5;  // an outlier jump (and back) inside the window
  for (int i = 140; i < 146; ++i) m.at(us_series_).bars[i].close = m.at(us_series_).bars[139].close;  // stale run
  const Bars us = m.at(us_series_).bars, eu = m.at(eu_series_).bars;
  MarketHistory h(*cfg_, std::move(m));
  const auto thresholds = marketdata::thresholds_from(cfg_->settings.data_quality);
  for (int day_index : {119, 120, 121, 143, 145, 146, 299}) {
    const Date day = us[day_index].date;
    const auto flags = h.quality_flags(day);
    for (const auto& [id, bars] : {std::pair{InstrumentId("us_index_etf"), &us}, std::pair{InstrumentId("eu_index_etf"), &eu}}) {
      const config::Instrument& inst = cfg_->instruments.at(id);
      marketdata::SeriesUnderCheck in{id.str(), inst.data_series, bars, QuoteUnit::major(inst.contract.currency),
                                      inst.contract.price_unit};
      std::vector<std::string> expected, got;
      for (const auto& f : marketdata::check_series(in, day, thresholds)) expected.push_back(f.reason);
      for (const auto& f : flags) {
        if (f.instrument == id.str()) got.push_back(f.reason);
      }
      EXPECT_EQ(got, expected) << id.str() << " " << day.iso();
    }
  }
}

TEST_F(MarketHistoryTest, TheDaysFxRatesAreComputedOnceAndEqualTheFxChain) {
  MarketHistory h(*cfg_, base());
  const Date day = h.trading_dates(Date(2020, 1, 1), Date(2030, 1, 1))[100];
  auto s = h.snapshot(day);
  ASSERT_TRUE(s.view.fx_usd_per_unit.count(Currency::EUR));
  EXPECT_EQ(s.view.fx_usd_per_unit.at(Currency::EUR), h.fx().rate(Currency::EUR, day)->value);
  EXPECT_EQ(*s.view.usd_per_unit(Currency::USD), 1.0);
  // A view without precomputed rates asks the FX chain.
  MarketView bare = s.view;
  bare.fx_usd_per_unit.clear();
  EXPECT_EQ(*bare.usd_per_unit(Currency::EUR), *s.view.usd_per_unit(Currency::EUR));
  EXPECT_EQ(bare.usd_per_unit(Currency::JPY).ok(), h.fx().rate(Currency::JPY, day).ok());
}

// snapshot() skips the full quality checks of the instruments its screen proves clean. Whatever
// the defects, on every calendar day (weekends and days after gaps included) the usable
// instruments, their prices and the reasons of the unusable ones are those of
// marketdata::check_series (the per-day checks) with the outlier exception for reference indices.
TEST_F(MarketHistoryTest, PricesAndReasonsEqualThePerDayQualityChecksOnEveryDay) {
  auto m = base(400);
  const std::string vix_series = cfg_->instruments.at(InstrumentId("vix")).data_series;
  m.emplace(vix_series, series(vix_series.c_str(), Currency::USD, make_series(20, 0.0005, 400)));
  Bars& us = m.at(us_series_).bars;
  us[80].close = std::numeric_limits<double>::quiet_NaN();
  us[150].close = 0.0;
  us[200].close *= 100.0;                                             // pence/pound mix-up
  us[230].close *= 1.4;                                               // outlier up, then back
  for (int i = 260; i < 263; ++i) us[i].close = us[259].close;        // stale run of 3
  for (int i = 300; i < 304; ++i) us[i].close = us[299].close;        // stale run of 4
  us.erase(us.begin() + 330, us.begin() + 340);                       // a two-week gap
  us[360].close = std::numeric_limits<double>::infinity();
  Bars& eu = m.at(eu_series_).bars;
  eu.erase(eu.begin(), eu.begin() + 120);                             // starts late: short history
  eu[150].close *= 0.5;
  Bars& vix = m.at(vix_series).bars;
  for (int i : {50, 180, 181, 270}) vix[i].close *= 1.6;              // reference index jumps
  vix.erase(vix.begin() + 290, vix.begin() + 296);
  // value_ewu is priced in GBX: a series quoted in GBP fails the unit check; value_ewg is clean.
  const std::string ewu_series = cfg_->instruments.at(InstrumentId("value_ewu")).data_series;
  const std::string ewg_series = cfg_->instruments.at(InstrumentId("value_ewg")).data_series;
  m.emplace(ewu_series, series(ewu_series.c_str(), Currency::GBP, make_series(30, 0.0002, 400)));
  m.emplace(ewg_series, series(ewg_series.c_str(), Currency::EUR, make_series(30, 0.0002, 400)));
  const std::map<std::string, SeriesData> copy = m;
  MarketHistory h(*cfg_, std::move(m));
  const auto thresholds = marketdata::thresholds_from(cfg_->settings.data_quality);
  int priced = 0, blocked = 0;
  for (Date day(2019, 12, 20); day <= Date(2021, 8, 31); day = day.add_days(1)) {
    const MarketSnapshot s = h.snapshot(day);
    for (const char* name : {"us_index_etf", "eu_index_etf", "vix", "value_ewu", "value_ewg"}) {
      const InstrumentId id(name);
      const config::Instrument& inst = cfg_->instruments.at(id);
      const SeriesData& sd = copy.at(inst.data_series);
      const marketdata::SeriesUnderCheck in{id.str(), inst.data_series, &sd.bars, sd.info.unit, inst.contract.price_unit};
      const auto flags = marketdata::check_series(in, day, thresholds);
      auto blocking = std::find_if(flags.begin(), flags.end(), [&](const marketdata::QualityFlag& f) {
        return f.severity == marketdata::Severity::kBlocking &&
               (inst.tradeable || f.check != marketdata::QualityCheck::kOutlierJump);
      });
      if (blocking != flags.end()) {
        ++blocked;
        ASSERT_TRUE(s.view.unusable.count(id)) << name << " " << day.iso();
        EXPECT_EQ(s.view.unusable.at(id), std::string(marketdata::to_string(blocking->check)) + ": " + blocking->reason)
            << name << " " << day.iso();
        EXPECT_FALSE(s.view.prices.count(id)) << name << " " << day.iso();
        continue;
      }
      ++priced;
      const auto idx = marketdata::index_at_or_before(sd.bars, day);
      ASSERT_TRUE(idx.has_value()) << name << " " << day.iso();
      EXPECT_FALSE(s.view.unusable.count(id)) << name << " " << day.iso() << ": " << s.view.unusable.at(id);
      ASSERT_TRUE(s.view.prices.count(id)) << name << " " << day.iso();
      EXPECT_EQ(s.view.prices.at(id), sd.bars[*idx].close) << name << " " << day.iso();
    }
  }
  EXPECT_GT(priced, 500);   // both outcomes are exercised
  EXPECT_GT(blocked, 300);
}

// Series kinds are constant per instrument: "real" / "synthetic" from the store, "" otherwise.
TEST_F(MarketHistoryTest, SeriesKindIsTheKindOfTheInstrumentsSeries) {
  auto m = base();
  m.at(eu_series_).info.kind = marketdata::SeriesKind::kSynthetic;
  MarketHistory h(*cfg_, std::move(m));
  EXPECT_EQ(h.series_kind(InstrumentId("us_index_etf")), "real");
  EXPECT_EQ(h.series_kind(InstrumentId("eu_index_etf")), "synthetic");
  EXPECT_EQ(h.series_kind(InstrumentId("tech_xlk")), "");        // not in the store
  EXPECT_EQ(h.series_kind(InstrumentId("no_such_thing")), "");   // not configured
}

}  // namespace
}  // namespace af::strategy
