// Trading calendars and exchange time zones (marketdata/calendar.hpp).
//
// Expected values come from the exchanges' published holiday calendars and from hand conversion
// of local session times with the public daylight-saving rules, not from the code under test:
//   US:  DST 2024 starts Sun 10 Mar 02:00 local (EST UTC-5 -> EDT UTC-4) and ends Sun 3 Nov.
//   EU:  DST 2024 starts Sun 31 Mar 01:00 UTC (CET UTC+1 -> CEST UTC+2, GMT -> BST) and ends
//        Sun 27 Oct 01:00 UTC.
// Holidays 2023-2024: NYSE (nyse.com holidays & trading hours), LSE (UK bank holidays, gov.uk),
// Deutsche Börse Xetra/Eurex trading calendars, Euronext trading calendar.
#include "marketdata/calendar.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace af::marketdata {
namespace {

using namespace std::chrono_literals;

Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  return Timestamp{Date(y, mo, d).sys_days().time_since_epoch() + std::chrono::hours{h} +
                   std::chrono::minutes{mi} + std::chrono::seconds{s}};
}

// ---------------------------------------------------------------------------------------------
// Parsing the exchange codes used in instruments.yaml

TEST(CalendarParse, AcceptsEveryExchangeOfTheInstrumentUniverse) {
  EXPECT_EQ(*parse_exchange("NYSE"), Exchange::kNyse);
  EXPECT_EQ(*parse_exchange("ARCA"), Exchange::kNyse);
  EXPECT_EQ(*parse_exchange("NASDAQ"), Exchange::kNasdaq);
  EXPECT_EQ(*parse_exchange("LSE"), Exchange::kLse);
  EXPECT_EQ(*parse_exchange("LSEETF"), Exchange::kLse);
  EXPECT_EQ(*parse_exchange("IBIS"), Exchange::kXetra);
  EXPECT_EQ(*parse_exchange("XETRA"), Exchange::kXetra);
  EXPECT_EQ(*parse_exchange("SBF"), Exchange::kEuronextParis);
  EXPECT_EQ(*parse_exchange("MONEP"), Exchange::kEuronextParisDerivatives);
  EXPECT_EQ(*parse_exchange("EUREX"), Exchange::kEurex);
  EXPECT_EQ(*parse_exchange("CME"), Exchange::kCme);
  EXPECT_EQ(*parse_exchange("CBOE"), Exchange::kCboe);
  EXPECT_EQ(*parse_exchange("CFE"), Exchange::kCfe);
  EXPECT_EQ(*parse_exchange("IDEALPRO"), Exchange::kIdealPro);
  EXPECT_EQ(*parse_exchange("ibis"), Exchange::kXetra);  // case-insensitive
}

TEST(CalendarParse, RejectsSmartAndUnknownCodesWithActionableMessage) {
  auto smart = parse_exchange("SMART");
  ASSERT_FALSE(smart.ok());
  EXPECT_EQ(smart.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(smart.error().message.find("primary exchange"), std::string::npos);

  auto unknown = parse_exchange("FOOBAR");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("FOOBAR"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("LSEETF"), std::string::npos);  // lists accepted codes
}

TEST(CalendarParse, FindExchangeIsParseWithoutTheError) {
  EXPECT_EQ(find_exchange("LSEETF"), Exchange::kLse);
  EXPECT_EQ(find_exchange("lseEtf"), Exchange::kLse);  // case-insensitive
  EXPECT_EQ(find_exchange("MONEP"), Exchange::kEuronextParisDerivatives);
  EXPECT_EQ(find_exchange("SMART"), std::nullopt);
  EXPECT_EQ(find_exchange("NYS"), std::nullopt);   // no prefix match
  EXPECT_EQ(find_exchange("NYSEX"), std::nullopt);
  EXPECT_EQ(find_exchange(""), std::nullopt);
}

TEST(CalendarParse, TimeZonesAreTheExchangeCities) {
  EXPECT_EQ(time_zone_name(Exchange::kNyse), "America/New_York");
  EXPECT_EQ(time_zone_name(Exchange::kLse), "Europe/London");
  EXPECT_EQ(time_zone_name(Exchange::kXetra), "Europe/Berlin");
  EXPECT_EQ(time_zone_name(Exchange::kEurex), "Europe/Berlin");
  EXPECT_EQ(time_zone_name(Exchange::kEuronextParis), "Europe/Paris");
  EXPECT_EQ(time_zone_name(Exchange::kCme), "America/Chicago");
}

// ---------------------------------------------------------------------------------------------
// Holidays

TEST(CalendarHolidays, ChristmasDayClosedEverywhere) {
  for (Exchange e : kAllExchanges) {
    EXPECT_FALSE(is_trading_day(e, Date(2024, 12, 25))) << to_string(e);  // Wednesday
    EXPECT_FALSE(is_trading_day(e, Date(2023, 12, 25))) << to_string(e);  // Monday
  }
}

TEST(CalendarHolidays, WeekendsClosedEverywhere) {
  for (Exchange e : kAllExchanges) {
    EXPECT_FALSE(is_trading_day(e, Date(2024, 3, 9))) << to_string(e);   // Saturday
    EXPECT_FALSE(is_trading_day(e, Date(2024, 3, 10))) << to_string(e);  // Sunday
    EXPECT_TRUE(is_trading_day(e, Date(2024, 3, 11))) << to_string(e);   // ordinary Monday
  }
}

TEST(CalendarHolidays, GoodFridayClosedOnNyseLseXetraAndEurope) {
  for (Date good_friday : {Date(2024, 3, 29), Date(2023, 4, 7)}) {
    for (Exchange e : {Exchange::kNyse, Exchange::kNasdaq, Exchange::kLse, Exchange::kXetra,
                       Exchange::kEurex, Exchange::kEuronextParis, Exchange::kCme}) {
      EXPECT_FALSE(is_trading_day(e, good_friday)) << to_string(e) << " " << good_friday;
    }
  }
}

TEST(CalendarHolidays, EasterMondayClosesEuropeNotNewYork) {
  const Date easter_monday(2024, 4, 1);
  EXPECT_FALSE(is_trading_day(Exchange::kLse, easter_monday));
  EXPECT_FALSE(is_trading_day(Exchange::kXetra, easter_monday));
  EXPECT_FALSE(is_trading_day(Exchange::kEuronextParis, easter_monday));
  EXPECT_TRUE(is_trading_day(Exchange::kNyse, easter_monday));
}

TEST(CalendarHolidays, UkBankHolidaysCloseLse) {
  // gov.uk 2024: Early May bank holiday 6 May, Spring bank holiday 27 May, Summer bank holiday
  // 26 August.
  for (Date d : {Date(2024, 5, 6), Date(2024, 5, 27), Date(2024, 8, 26)}) {
    EXPECT_FALSE(is_trading_day(Exchange::kLse, d)) << d;
    EXPECT_TRUE(is_trading_day(Exchange::kXetra, d)) << d;  // not German holidays
  }
  EXPECT_TRUE(is_trading_day(Exchange::kNyse, Date(2024, 5, 6)));
  EXPECT_TRUE(is_trading_day(Exchange::kNyse, Date(2024, 8, 26)));
  // 27 May 2024 is also US Memorial Day (last Monday of May): NYSE closed too.
  EXPECT_FALSE(is_trading_day(Exchange::kNyse, Date(2024, 5, 27)));
  // Coronation of King Charles III, extra bank holiday Monday 8 May 2023.
  EXPECT_FALSE(is_trading_day(Exchange::kLse, Date(2023, 5, 8)));
  EXPECT_TRUE(is_trading_day(Exchange::kNyse, Date(2023, 5, 8)));
}

TEST(CalendarHolidays, UsThanksgivingClosesNyseNotLondon) {
  const Date thanksgiving(2024, 11, 28);  // fourth Thursday of November 2024
  EXPECT_FALSE(is_trading_day(Exchange::kNyse, thanksgiving));
  EXPECT_FALSE(is_trading_day(Exchange::kNasdaq, thanksgiving));
  EXPECT_FALSE(is_trading_day(Exchange::kCme, thanksgiving));
  EXPECT_TRUE(is_trading_day(Exchange::kLse, thanksgiving));
  EXPECT_TRUE(is_trading_day(Exchange::kXetra, thanksgiving));
}

TEST(CalendarHolidays, JuneteenthClosesNyse) {
  // NYSE has observed Juneteenth since 2022; QuantLib 1.29's NYSE calendar includes it.
  EXPECT_FALSE(is_trading_day(Exchange::kNyse, Date(2023, 6, 19)));  // Monday
  EXPECT_FALSE(is_trading_day(Exchange::kNyse, Date(2024, 6, 19)));  // Wednesday
  EXPECT_TRUE(is_trading_day(Exchange::kLse, Date(2023, 6, 19)));
}

TEST(CalendarHolidays, UsBankHolidaysThatAreNotExchangeHolidays) {
  // Columbus Day (14 Oct 2024) and Veterans Day (11 Nov 2024): banks close, NYSE and CME trade.
  for (Date d : {Date(2024, 10, 14), Date(2024, 11, 11)}) {
    EXPECT_TRUE(is_trading_day(Exchange::kNyse, d)) << d;
    EXPECT_TRUE(is_trading_day(Exchange::kCme, d)) << d;
  }
}

TEST(CalendarHolidays, GermanYearEndClosures) {
  // Deutsche Börse: Xetra and Eurex do not trade on 24 and 31 December.
  for (Date d : {Date(2024, 12, 24), Date(2024, 12, 31)}) {
    EXPECT_FALSE(is_trading_day(Exchange::kXetra, d)) << d;
    EXPECT_FALSE(is_trading_day(Exchange::kEurex, d)) << d;
    // LSE and Euronext trade a shortened session on those days.
    EXPECT_TRUE(is_trading_day(Exchange::kLse, d)) << d;
    EXPECT_TRUE(is_trading_day(Exchange::kEuronextParis, d)) << d;
  }
  EXPECT_FALSE(is_trading_day(Exchange::kXetra, Date(2024, 12, 26)));
  EXPECT_FALSE(is_trading_day(Exchange::kEuronextParis, Date(2024, 12, 26)));
  EXPECT_FALSE(is_trading_day(Exchange::kXetra, Date(2024, 5, 1)));  // Labour Day
}

TEST(CalendarHolidays, SpecialClosureAfterQuantLibRelease) {
  // NYSE closed Thu 9 Jan 2025 for President Carter's national day of mourning.
  EXPECT_FALSE(is_trading_day(Exchange::kNyse, Date(2025, 1, 9)));
  EXPECT_TRUE(is_trading_day(Exchange::kLse, Date(2025, 1, 9)));
}

TEST(CalendarHolidays, IdealProTradesUsAndUkHolidays) {
  EXPECT_TRUE(is_trading_day(Exchange::kIdealPro, Date(2024, 11, 28)));  // Thanksgiving
  EXPECT_TRUE(is_trading_day(Exchange::kIdealPro, Date(2024, 5, 6)));    // UK bank holiday
  EXPECT_FALSE(is_trading_day(Exchange::kIdealPro, Date(2024, 1, 1)));
}

// ---------------------------------------------------------------------------------------------
// Stepping over trading days

TEST(CalendarStepping, NextAndPreviousSkipWeekendsAndHolidays) {
  // Thu 28 Mar 2024 -> Good Friday 29, weekend, Easter Monday 1 Apr (closed in Europe only).
  EXPECT_EQ(next_trading_day(Exchange::kNyse, Date(2024, 3, 28)), Date(2024, 4, 1));
  EXPECT_EQ(next_trading_day(Exchange::kXetra, Date(2024, 3, 28)), Date(2024, 4, 2));
  EXPECT_EQ(previous_trading_day(Exchange::kLse, Date(2024, 4, 2)), Date(2024, 3, 28));
  // Tue 7 May 2024: Monday 6 May is a UK bank holiday, so the previous LSE day is Fri 3 May.
  EXPECT_EQ(previous_trading_day(Exchange::kLse, Date(2024, 5, 7)), Date(2024, 5, 3));
  EXPECT_EQ(previous_trading_day(Exchange::kNyse, Date(2024, 5, 7)), Date(2024, 5, 6));
  // From a holiday itself.
  EXPECT_EQ(next_trading_day(Exchange::kNyse, Date(2024, 11, 28)), Date(2024, 11, 29));
}

TEST(CalendarStepping, BusinessDaysBetweenCountsSessionsElapsed) {
  // Wed 27 Nov -> Mon 2 Dec 2024 on NYSE: Thu 28 (Thanksgiving) closed, Fri 29 open,
  // weekend, Mon 2 Dec open => 2.
  EXPECT_EQ(business_days_between(Exchange::kNyse, Date(2024, 11, 27), Date(2024, 12, 2)), 2);
  EXPECT_EQ(business_days_between(Exchange::kNyse, Date(2024, 12, 2), Date(2024, 11, 27)), -2);
  EXPECT_EQ(business_days_between(Exchange::kNyse, Date(2024, 12, 2), Date(2024, 12, 2)), 0);
  // Xetra Mon 23 Dec 2024 -> Thu 2 Jan 2025: 24, 25, 26 closed; Fri 27 open; Mon 30 open;
  // 31 Dec and 1 Jan closed; Thu 2 Jan open => 3.
  EXPECT_EQ(business_days_between(Exchange::kXetra, Date(2024, 12, 23), Date(2025, 1, 2)), 3);
  // The same span on LSE: 24 open, 25-26 closed, 27, 30, 31 open, 1 Jan closed, 2 Jan => 5.
  EXPECT_EQ(business_days_between(Exchange::kLse, Date(2024, 12, 23), Date(2025, 1, 2)), 5);
}

// ---------------------------------------------------------------------------------------------
// Sessions across daylight-saving transitions (hand conversion in each comment)

TEST(CalendarSessions, NewYorkSpringForward2024) {
  // Fri 8 Mar 2024 is still EST (UTC-5): 09:30 EST = 14:30 UTC, 16:00 EST = 21:00 UTC.
  EXPECT_EQ(open_utc(Exchange::kNyse, Date(2024, 3, 8)), utc(2024, 3, 8, 14, 30));
  EXPECT_EQ(close_utc(Exchange::kNyse, Date(2024, 3, 8)), utc(2024, 3, 8, 21, 0));
  // Mon 11 Mar 2024 is EDT (UTC-4): 09:30 EDT = 13:30 UTC, 16:00 EDT = 20:00 UTC.
  EXPECT_EQ(open_utc(Exchange::kNyse, Date(2024, 3, 11)), utc(2024, 3, 11, 13, 30));
  EXPECT_EQ(close_utc(Exchange::kNyse, Date(2024, 3, 11)), utc(2024, 3, 11, 20, 0));
  // CME follows Chicago, which switches the same night: 08:30 CST = 14:30 UTC on 8 Mar,
  // 08:30 CDT = 13:30 UTC on 11 Mar.
  EXPECT_EQ(open_utc(Exchange::kCme, Date(2024, 3, 8)), utc(2024, 3, 8, 14, 30));
  EXPECT_EQ(open_utc(Exchange::kCme, Date(2024, 3, 11)), utc(2024, 3, 11, 13, 30));
}

TEST(CalendarSessions, NewYorkFallBack2024) {
  // Fri 1 Nov 2024 EDT (UTC-4): open 13:30 UTC. Mon 4 Nov 2024 EST (UTC-5): open 14:30 UTC.
  EXPECT_EQ(open_utc(Exchange::kNyse, Date(2024, 11, 1)), utc(2024, 11, 1, 13, 30));
  EXPECT_EQ(open_utc(Exchange::kNyse, Date(2024, 11, 4)), utc(2024, 11, 4, 14, 30));
  EXPECT_EQ(close_utc(Exchange::kNyse, Date(2024, 11, 4)), utc(2024, 11, 4, 21, 0));
}

TEST(CalendarSessions, FrankfurtSpringForwardAndFallBack2024) {
  // Thu 28 Mar 2024 CET (UTC+1): Xetra 09:00-17:30 = 08:00-16:30 UTC.
  EXPECT_EQ(open_utc(Exchange::kXetra, Date(2024, 3, 28)), utc(2024, 3, 28, 8, 0));
  EXPECT_EQ(close_utc(Exchange::kXetra, Date(2024, 3, 28)), utc(2024, 3, 28, 16, 30));
  // Tue 2 Apr 2024 CEST (UTC+2): 07:00-15:30 UTC.
  EXPECT_EQ(open_utc(Exchange::kXetra, Date(2024, 4, 2)), utc(2024, 4, 2, 7, 0));
  EXPECT_EQ(close_utc(Exchange::kXetra, Date(2024, 4, 2)), utc(2024, 4, 2, 15, 30));
  // Fri 25 Oct 2024 CEST: 07:00 UTC. Mon 28 Oct 2024 CET: 08:00 UTC.
  EXPECT_EQ(open_utc(Exchange::kXetra, Date(2024, 10, 25)), utc(2024, 10, 25, 7, 0));
  EXPECT_EQ(open_utc(Exchange::kXetra, Date(2024, 10, 28)), utc(2024, 10, 28, 8, 0));
  // Eurex 08:00-22:00 Berlin on Thu 28 Mar 2024 (CET): 07:00-21:00 UTC.
  EXPECT_EQ(open_utc(Exchange::kEurex, Date(2024, 3, 28)), utc(2024, 3, 28, 7, 0));
  EXPECT_EQ(close_utc(Exchange::kEurex, Date(2024, 3, 28)), utc(2024, 3, 28, 21, 0));
}

TEST(CalendarSessions, WeeksBetweenUsAndEuropeanTransitions) {
  // Fri 15 Mar 2024: New York already on EDT (UTC-4), Frankfurt and London still on winter
  // time. NYSE opens 13:30 UTC; Xetra opens 08:00 UTC (09:00 CET) and closes 16:30 UTC, so the
  // NYSE/Xetra overlap is 3 hours instead of the usual 2. LSE opens 08:00 UTC (GMT).
  EXPECT_EQ(open_utc(Exchange::kNyse, Date(2024, 3, 15)), utc(2024, 3, 15, 13, 30));
  EXPECT_EQ(close_utc(Exchange::kXetra, Date(2024, 3, 15)), utc(2024, 3, 15, 16, 30));
  EXPECT_EQ(open_utc(Exchange::kLse, Date(2024, 3, 15)), utc(2024, 3, 15, 8, 0));
  // Wed 30 Oct 2024: Europe back on CET/GMT, New York still EDT.
  EXPECT_EQ(open_utc(Exchange::kNyse, Date(2024, 10, 30)), utc(2024, 10, 30, 13, 30));
  EXPECT_EQ(open_utc(Exchange::kXetra, Date(2024, 10, 30)), utc(2024, 10, 30, 8, 0));
  // Tue 2 Apr 2024 London BST (UTC+1): LSE 08:00-16:30 BST = 07:00-15:30 UTC.
  EXPECT_EQ(open_utc(Exchange::kLse, Date(2024, 4, 2)), utc(2024, 4, 2, 7, 0));
  EXPECT_EQ(close_utc(Exchange::kLse, Date(2024, 4, 2)), utc(2024, 4, 2, 15, 30));
  // Euronext Paris 09:00-17:30 CEST on 2 Apr 2024 = 07:00-15:30 UTC.
  EXPECT_EQ(open_utc(Exchange::kEuronextParis, Date(2024, 4, 2)), utc(2024, 4, 2, 7, 0));
}

TEST(CalendarSessions, EarlyCloses) {
  // NYSE closes 13:00 ET the day after Thanksgiving: Fri 29 Nov 2024 EST => 18:00 UTC.
  auto black_friday = session(Exchange::kNyse, Date(2024, 11, 29));
  ASSERT_TRUE(black_friday.has_value());
  EXPECT_TRUE(black_friday->early_close);
  EXPECT_EQ(black_friday->close, utc(2024, 11, 29, 18, 0));
  // Wed 3 Jul 2024 (EDT): 13:00 EDT = 17:00 UTC.
  EXPECT_EQ(close_utc(Exchange::kNyse, Date(2024, 7, 3)), utc(2024, 7, 3, 17, 0));
  EXPECT_FALSE(is_trading_day(Exchange::kNyse, Date(2024, 7, 4)));
  // LSE 24 and 31 Dec 2024 close 12:30 GMT = 12:30 UTC.
  EXPECT_EQ(close_utc(Exchange::kLse, Date(2024, 12, 31)), utc(2024, 12, 31, 12, 30));
  // Euronext Paris 24 Dec 2024 closes 14:05 CET = 13:05 UTC.
  EXPECT_EQ(close_utc(Exchange::kEuronextParis, Date(2024, 12, 24)), utc(2024, 12, 24, 13, 5));
  // An ordinary day is not an early close.
  auto ordinary = session(Exchange::kNyse, Date(2024, 11, 27));
  ASSERT_TRUE(ordinary.has_value());
  EXPECT_FALSE(ordinary->early_close);
  EXPECT_EQ(ordinary->close, utc(2024, 11, 27, 21, 0));
}

TEST(CalendarSessions, NoSessionOnHolidays) {
  EXPECT_FALSE(session(Exchange::kNyse, Date(2024, 11, 28)).has_value());
  EXPECT_FALSE(session(Exchange::kLse, Date(2024, 5, 6)).has_value());
}

TEST(CalendarSessions, IsOpenAtSessionBoundaries) {
  // NYSE on Mon 11 Mar 2024 (EDT): [13:30, 20:00) UTC.
  EXPECT_FALSE(is_open(Exchange::kNyse, utc(2024, 3, 11, 13, 29, 59)));
  EXPECT_TRUE(is_open(Exchange::kNyse, utc(2024, 3, 11, 13, 30)));
  EXPECT_TRUE(is_open(Exchange::kNyse, utc(2024, 3, 11, 19, 59, 59)));
  EXPECT_FALSE(is_open(Exchange::kNyse, utc(2024, 3, 11, 20, 0)));
  // Fri 8 Mar 2024 (EST): 13:30 UTC is 08:30 local, before the open; 14:30 UTC is the open.
  EXPECT_FALSE(is_open(Exchange::kNyse, utc(2024, 3, 8, 13, 30)));
  EXPECT_TRUE(is_open(Exchange::kNyse, utc(2024, 3, 8, 14, 30)));
  EXPECT_TRUE(is_open(Exchange::kNyse, utc(2024, 3, 8, 20, 30)));  // 15:30 EST
  // Holidays and weekends: closed at what would be mid-session.
  EXPECT_FALSE(is_open(Exchange::kNyse, utc(2024, 11, 28, 17, 0)));  // Thanksgiving
  EXPECT_FALSE(is_open(Exchange::kLse, utc(2024, 5, 6, 10, 0)));     // bank holiday
  EXPECT_FALSE(is_open(Exchange::kXetra, utc(2024, 3, 9, 10, 0)));   // Saturday
  // Xetra on Tue 2 Apr 2024 (CEST): [07:00, 15:30) UTC.
  EXPECT_FALSE(is_open(Exchange::kXetra, utc(2024, 4, 2, 6, 59)));
  EXPECT_TRUE(is_open(Exchange::kXetra, utc(2024, 4, 2, 7, 0)));
  EXPECT_FALSE(is_open(Exchange::kXetra, utc(2024, 4, 2, 15, 30)));
  // After the NYSE early close on Black Friday (18:00 UTC).
  EXPECT_FALSE(is_open(Exchange::kNyse, utc(2024, 11, 29, 18, 30)));
  EXPECT_TRUE(is_open(Exchange::kNyse, utc(2024, 11, 29, 17, 30)));
}

TEST(CalendarSessions, IdealProSessionStartsTheEveningBefore) {
  // Trade date Mon 11 Mar 2024 opens Sun 10 Mar 17:15 EDT = 21:15 UTC and closes Mon 17:00 EDT
  // = 21:00 UTC.
  EXPECT_EQ(open_utc(Exchange::kIdealPro, Date(2024, 3, 11)), utc(2024, 3, 10, 21, 15));
  EXPECT_EQ(close_utc(Exchange::kIdealPro, Date(2024, 3, 11)), utc(2024, 3, 11, 21, 0));
  EXPECT_FALSE(is_open(Exchange::kIdealPro, utc(2024, 3, 9, 12, 0)));   // Saturday
  EXPECT_FALSE(is_open(Exchange::kIdealPro, utc(2024, 3, 10, 21, 0)));  // Sunday 17:00 EDT
  EXPECT_TRUE(is_open(Exchange::kIdealPro, utc(2024, 3, 10, 22, 0)));   // Sunday 18:00 EDT
  // Fri 8 Mar 2024 (EST): closes 17:00 EST = 22:00 UTC.
  EXPECT_TRUE(is_open(Exchange::kIdealPro, utc(2024, 3, 8, 21, 59)));
  EXPECT_FALSE(is_open(Exchange::kIdealPro, utc(2024, 3, 8, 22, 0)));
  // Daily 15-minute break: Tue 12 Mar 17:05 EDT (21:05 UTC) closed, 17:15 EDT open again.
  EXPECT_FALSE(is_open(Exchange::kIdealPro, utc(2024, 3, 12, 21, 5)));
  EXPECT_TRUE(is_open(Exchange::kIdealPro, utc(2024, 3, 12, 21, 15)));
}

// ---------------------------------------------------------------------------------------------
// Wall-clock conversion

TEST(CalendarLocalTime, NewYorkClockJumpsAtSpringForward) {
  // 10 Mar 2024 06:59:59 UTC = 01:59:59 EST; one second later 07:00 UTC = 03:00:00 EDT.
  auto before = to_exchange_local(Exchange::kNyse, utc(2024, 3, 10, 6, 59, 59));
  EXPECT_EQ(before.date, Date(2024, 3, 10));
  EXPECT_EQ(before.time_of_day, 1h + 59min + 59s);
  EXPECT_EQ(before.utc_offset, -5h);
  EXPECT_EQ(before.abbreviation, "EST");
  auto after = to_exchange_local(Exchange::kNyse, utc(2024, 3, 10, 7, 0));
  EXPECT_EQ(after.time_of_day, 3h);
  EXPECT_EQ(after.utc_offset, -4h);
  EXPECT_EQ(after.abbreviation, "EDT");
}

TEST(CalendarLocalTime, FrankfurtClockAtBothTransitions) {
  // 31 Mar 2024 00:59:59 UTC = 01:59:59 CET; 01:00 UTC = 03:00 CEST.
  auto spring_before = to_exchange_local(Exchange::kXetra, utc(2024, 3, 31, 0, 59, 59));
  EXPECT_EQ(spring_before.time_of_day, 1h + 59min + 59s);
  EXPECT_EQ(spring_before.utc_offset, 1h);
  auto spring_after = to_exchange_local(Exchange::kXetra, utc(2024, 3, 31, 1, 0));
  EXPECT_EQ(spring_after.time_of_day, 3h);
  EXPECT_EQ(spring_after.utc_offset, 2h);
  // 27 Oct 2024 00:59:59 UTC = 02:59:59 CEST; 01:00 UTC = 02:00 CET (the hour repeats).
  auto fall_before = to_exchange_local(Exchange::kXetra, utc(2024, 10, 27, 0, 59, 59));
  EXPECT_EQ(fall_before.time_of_day, 2h + 59min + 59s);
  EXPECT_EQ(fall_before.abbreviation, "CEST");
  auto fall_after = to_exchange_local(Exchange::kXetra, utc(2024, 10, 27, 1, 0));
  EXPECT_EQ(fall_after.time_of_day, 2h);
  EXPECT_EQ(fall_after.abbreviation, "CET");
}

TEST(CalendarLocalTime, LocalDateDiffersFromUtcDate) {
  // 2024-03-12 02:00 UTC is 22:00 EDT on 11 Mar in New York.
  auto ny = to_exchange_local(Exchange::kNyse, utc(2024, 3, 12, 2, 0));
  EXPECT_EQ(ny.date, Date(2024, 3, 11));
  EXPECT_EQ(ny.time_of_day, 22h);
  // And back: 22:00 local on 11 Mar in New York is 02:00 UTC on 12 Mar.
  EXPECT_EQ(exchange_local_to_utc(Exchange::kNyse, Date(2024, 3, 11), 22h),
            utc(2024, 3, 12, 2, 0));
}

}  // namespace
}  // namespace af::marketdata
