// Data-quality checks on crafted series; every expected flag is worked out by hand in the test.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "marketdata/quality.hpp"

namespace af::marketdata {
namespace {

// Closes on consecutive weekdays starting Monday 2024-01-01.
Bars weekday_series(const std::vector<double>& closes, Date start = Date(2024, 1, 1)) {
  Bars out;
  Date d = start;
  for (double c : closes) {
    while (d.is_weekend()) d = d.add_days(1);
    out.push_back(Bar::close_only(d, c));
    d = d.add_days(1);
  }
  return out;
}

QualityThresholds small_thresholds() {
  QualityThresholds t;
  t.min_history_bars = 1;  // crafted series are short
  return t;
}

std::vector<QualityFlag> run(const Bars& bars, Date as_of, const QualityThresholds& t = small_thresholds(),
                             std::optional<QuoteUnit> expected = std::nullopt,
                             QuoteUnit series_unit = QuoteUnit::major(Currency::USD)) {
  SeriesUnderCheck in{"test_instrument", "test_series", &bars, series_unit, expected};
  return check_series(in, as_of, t);
}

TEST(Quality, CleanSeriesHasNoFlags) {
  Bars b = weekday_series({100, 101, 100.5, 102, 101.7});
  EXPECT_TRUE(run(b, b.back().date).empty());
}

TEST(Quality, WeekdaySessionsBetweenSkipsWeekends) {
  // Fri 2024-01-05 -> Mon 2024-01-08 is one session; Mon -> next Mon is five.
  EXPECT_EQ(weekday_sessions_between(Date(2024, 1, 5), Date(2024, 1, 8)), 1);
  EXPECT_EQ(weekday_sessions_between(Date(2024, 1, 1), Date(2024, 1, 8)), 5);
  EXPECT_EQ(weekday_sessions_between(Date(2024, 1, 8), Date(2024, 1, 1)), 0);
  EXPECT_EQ(weekday_sessions_between(Date(2024, 1, 6), Date(2024, 1, 7)), 0);  // Sat -> Sun
}

TEST(Quality, NoBarsIsMissingAndBlocking) {
  Bars empty;
  auto flags = run(empty, Date(2024, 1, 5));
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].check, QualityCheck::kMissing);
  EXPECT_EQ(flags[0].severity, Severity::kBlocking);
  EXPECT_FALSE(flags[0].date.has_value());
  EXPECT_NE(flags[0].reason.find("test_series"), std::string::npos);
}

TEST(Quality, NoBarAtAsOfIsMissing) {
  // Last bar Fri 2024-01-05; as-of Thu 2024-01-11 = 4 sessions later (Mon..Thu) > 3.
  Bars b = weekday_series({100, 101, 102, 103, 104});
  auto flags = run(b, Date(2024, 1, 11));
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].check, QualityCheck::kMissing);
  EXPECT_EQ(flags[0].severity, Severity::kBlocking);
  EXPECT_EQ(*flags[0].date, Date(2024, 1, 5));
  EXPECT_NE(flags[0].reason.find("4 sessions old"), std::string::npos);
  // Wed 2024-01-10 is exactly 3 sessions old: allowed.
  EXPECT_TRUE(run(b, Date(2024, 1, 10)).empty());
}

TEST(Quality, GapInsideWindowIsAWarning) {
  // Bars on 2024-01-01 and then 2024-01-15: the 9 weekdays 01-02..01-12 are missing (> 5).
  Bars b = {Bar::close_only(Date(2024, 1, 1), 100), Bar::close_only(Date(2024, 1, 15), 101)};
  auto flags = run(b, Date(2024, 1, 15));
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].check, QualityCheck::kMissing);
  EXPECT_EQ(flags[0].severity, Severity::kWarning);
  EXPECT_EQ(*flags[0].date, Date(2024, 1, 15));
  EXPECT_NE(flags[0].reason.find("9 missing sessions"), std::string::npos);
}

TEST(Quality, NaNCloseIsBlocking) {
  Bars b = weekday_series({100, std::numeric_limits<double>::quiet_NaN(), 101});
  auto flags = run(b, b.back().date);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].check, QualityCheck::kNaN);
  EXPECT_EQ(flags[0].severity, Severity::kBlocking);
  EXPECT_EQ(*flags[0].date, Date(2024, 1, 2));
}

TEST(Quality, ZeroAndNegativeClosesAreBlocking) {
  Bars b = weekday_series({100, 0.0, 101, -5, 102});
  auto flags = run(b, b.back().date);
  ASSERT_EQ(flags.size(), 2u);
  EXPECT_EQ(flags[0].check, QualityCheck::kNonPositive);
  EXPECT_EQ(*flags[0].date, Date(2024, 1, 2));
  EXPECT_EQ(flags[1].check, QualityCheck::kNonPositive);
  EXPECT_EQ(*flags[1].date, Date(2024, 1, 4));
  EXPECT_TRUE(has_blocking_flag(flags));
}

TEST(Quality, StaleAtAsOfIsBlocking) {
  // 100 then three more bars at 100: closes unchanged for 3 sessions (limit 3) ending at as-of.
  Bars b = weekday_series({99, 100, 100, 100, 100});
  auto flags = run(b, b.back().date);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].check, QualityCheck::kStale);
  EXPECT_EQ(flags[0].severity, Severity::kBlocking);
  EXPECT_EQ(*flags[0].date, Date(2024, 1, 5));
  // Two unchanged sessions are a holiday pattern, not stale.
  EXPECT_TRUE(run(weekday_series({99, 100, 100, 100}), Date(2024, 1, 4)).empty());
}

TEST(Quality, StaleEarlierInWindowIsAWarning) {
  Bars b = weekday_series({99, 100, 100, 100, 100, 101});
  auto flags = run(b, b.back().date);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].check, QualityCheck::kStale);
  EXPECT_EQ(flags[0].severity, Severity::kWarning);
  EXPECT_EQ(*flags[0].date, Date(2024, 1, 5));  // the last unchanged bar
}

TEST(Quality, OutlierJumpBlocksOnlyOnTheAsOfBar) {
  // 100 -> 130 is +30 % (> 25 %): warning in history; 130 -> 90 is -30.8 %: warning;
  // 90 -> 91 fine; 91 -> 120 is +31.9 % on the as-of bar: blocking.
  Bars b = weekday_series({100, 130, 90, 91, 120});
  auto flags = run(b, b.back().date);
  ASSERT_EQ(flags.size(), 3u);
  for (const auto& f : flags) EXPECT_EQ(f.check, QualityCheck::kOutlierJump);
  EXPECT_EQ(flags[0].severity, Severity::kWarning);
  EXPECT_EQ(flags[1].severity, Severity::kWarning);
  EXPECT_EQ(flags[2].severity, Severity::kBlocking);
  EXPECT_EQ(*flags[2].date, Date(2024, 1, 5));
  // A 25 % move exactly is at the limit, not above it.
  EXPECT_TRUE(run(weekday_series({100, 125}), Date(2024, 1, 2)).empty());
}

TEST(Quality, HundredfoldJumpIsAUnitJumpNotAnOutlier) {
  // A GBP line quoted 21.50 then 2150 (pence): ratio 100 -> unit_jump, blocking, and no
  // outlier flag for the same bar. Back to 21.6 the next day: ratio 0.01005 -> unit_jump too.
  Bars b = weekday_series({21.40, 21.50, 2150.0, 21.60, 21.70});
  auto flags = run(b, b.back().date);
  ASSERT_EQ(flags.size(), 2u);
  EXPECT_EQ(flags[0].check, QualityCheck::kUnitJump);
  EXPECT_EQ(*flags[0].date, Date(2024, 1, 3));
  EXPECT_EQ(flags[1].check, QualityCheck::kUnitJump);
  EXPECT_EQ(*flags[1].date, Date(2024, 1, 4));
  EXPECT_EQ(flags[0].severity, Severity::kBlocking);
  EXPECT_NE(flags[0].reason.find("GBX/GBP"), std::string::npos);
}

TEST(Quality, UnitJumpToleranceBounds) {
  // Tolerance 0.2: ratios in [80, 120] or [1/120, 1/80] are unit jumps. 75x is an outlier.
  EXPECT_EQ(run(weekday_series({10, 1190}), Date(2024, 1, 2))[0].check, QualityCheck::kUnitJump);   // x119
  EXPECT_EQ(run(weekday_series({10, 810}), Date(2024, 1, 2))[0].check, QualityCheck::kUnitJump);    // x81
  EXPECT_EQ(run(weekday_series({10, 750}), Date(2024, 1, 2))[0].check, QualityCheck::kOutlierJump); // x75
  EXPECT_EQ(run(weekday_series({1000, 12}), Date(2024, 1, 2))[0].check, QualityCheck::kUnitJump);   // x0.012
}

TEST(Quality, SeriesUnitDifferentFromInstrumentUnitIsBlocking) {
  Bars b = weekday_series({21.4, 21.5});
  auto flags = run(b, b.back().date, small_thresholds(), QuoteUnit::gbx(), QuoteUnit::major(Currency::GBP));
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].check, QualityCheck::kUnit);
  EXPECT_EQ(flags[0].severity, Severity::kBlocking);
  EXPECT_NE(flags[0].reason.find("GBX"), std::string::npos);
  EXPECT_TRUE(run(b, b.back().date, small_thresholds(), QuoteUnit::gbx(), QuoteUnit::gbx()).empty());
}

TEST(Quality, TooFewBarsIsInsufficientHistory) {
  QualityThresholds t;  // default min_history_bars 60
  std::vector<double> closes;
  for (int i = 0; i < 60; ++i) closes.push_back(100.0 + i);
  Bars b = weekday_series(closes);
  // At the 59th bar's date only 59 bars exist: blocking "history".
  auto flags = run(b, b[58].date, t);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].check, QualityCheck::kHistory);
  EXPECT_EQ(flags[0].severity, Severity::kBlocking);
  EXPECT_TRUE(run(b, b[59].date, t).empty());
}

TEST(Quality, BarsAfterAsOfAreIgnoredAndWindowIsBounded) {
  // The jump on Friday happens after as-of Thursday: not seen.
  Bars b = weekday_series({100, 101, 102, 103, 500});
  EXPECT_TRUE(run(b, Date(2024, 1, 4)).empty());
  // With a 2-bar window the NaN on Monday is outside the window at as-of Friday.
  Bars c = weekday_series({std::numeric_limits<double>::quiet_NaN(), 101, 102, 103, 104});
  QualityThresholds t = small_thresholds();
  t.lookback_sessions = 2;
  EXPECT_TRUE(run(c, Date(2024, 1, 5), t).empty());
  t.lookback_sessions = 5;
  EXPECT_EQ(run(c, Date(2024, 1, 5), t).size(), 1u);
}

TEST(Quality, WeekdaySessionsBetweenCountsWeekdaysAfterFromUpToTo) {
  // Against a day-by-day count, over every pair of days in a few weeks around 1970 (the
  // formula's origin) and around 2024.
  for (Date base : {Date(1969, 12, 1), Date(2024, 2, 20)}) {
    for (int a = 0; a < 60; ++a) {
      for (int b = 0; b < 60; ++b) {
        const Date from = base.add_days(a), to = base.add_days(b);
        int expected = 0;
        for (Date d = from.add_days(1); d <= to; d = d.add_days(1)) expected += d.is_weekend() ? 0 : 1;
        ASSERT_EQ(weekday_sessions_between(from, to), expected) << from.iso() << " " << to.iso();
      }
    }
  }
  EXPECT_EQ(weekday_sessions_between(Date(2024, 1, 5), Date(2024, 1, 8)), 1);  // Fri -> Mon
  EXPECT_EQ(weekday_sessions_between(Date(2000, 1, 3), Date(2020, 12, 31)), 5478);  // Python datetime count
}

// SeriesQualityIndex must answer every as-of date exactly as check_series does (same flags, same
// order, same sentences). The series mixes every kind of flag: NaN and non-positive closes, unit
// and outlier jumps, runs of unchanged closes (some cut by the window start), gaps, and dates
// before the first and after the last bar.
std::string describe(const std::vector<QualityFlag>& flags) {
  std::string out;
  for (const auto& f : flags) {
    out += std::string(to_string(f.check)) + "/" + std::string(to_string(f.severity)) + "/" + f.instrument + "/" +
           f.series + "/" + (f.date ? f.date->iso() : "-") + "/" + f.reason + "\n";
  }
  return out;
}

TEST(QualityIndex, EqualsCheckSeriesOnEveryDate) {
  std::mt19937 rng(20240101);  // fixed seed: a deterministic crafted series
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Bars bars;
  Date d(2023, 1, 2);
  double close = 100.0;
  for (int i = 0; i < 400; ++i) {
    d = d.add_days(1);
    while (d.is_weekend()) d = d.add_days(1);
    if (u(rng) < 0.03) d = d.add_days(10);  // a gap of more than 5 sessions
    const double x = u(rng);
    double c;
    if (x < 0.02) c = std::numeric_limits<double>::quiet_NaN();
    else if (x < 0.03) c = 0.0;
    else if (x < 0.05) c = close * 100.0;  // pence/pound mix-up
    else if (x < 0.08) c = close * 1.4;    // outlier jump
    else if (x < 0.30) c = close;          // unchanged close (stale runs)
    else c = close * (1.0 + 0.01 * (u(rng) - 0.5));
    if (std::isfinite(c) && c > 0) close = c > 1e6 ? 100.0 : c;
    bars.push_back(Bar::close_only(d, c));
  }
  for (int lookback : {1, 2, 3, 7, 30, 260}) {
    QualityThresholds t;
    t.lookback_sessions = lookback;
    t.min_history_bars = lookback / 2;
    t.stale_sessions = 2;
    for (auto expected : {std::optional<QuoteUnit>{}, std::optional<QuoteUnit>{QuoteUnit::gbx()}}) {
      SeriesUnderCheck in{"inst", "series", &bars, QuoteUnit::major(Currency::USD), expected};
      SeriesQualityIndex index(in, t);
      for (Date as_of = bars.front().date.add_days(-3); as_of <= bars.back().date.add_days(10);
           as_of = as_of.add_days(1)) {
        ASSERT_EQ(describe(index.check(as_of)), describe(check_series(in, as_of, t)))
            << "lookback " << lookback << " as of " << as_of.iso();
        ASSERT_EQ(index.last_index(as_of), index_at_or_before(bars, as_of)) << as_of.iso();
      }
    }
  }
  // No bars at all.
  Bars none;
  SeriesUnderCheck empty{"inst", "series", &none, QuoteUnit::major(Currency::USD), std::nullopt};
  EXPECT_EQ(describe(SeriesQualityIndex(empty, QualityThresholds{}).check(Date(2024, 1, 1))),
            describe(check_series(empty, Date(2024, 1, 1), QualityThresholds{})));
}

}  // namespace
}  // namespace af::marketdata
