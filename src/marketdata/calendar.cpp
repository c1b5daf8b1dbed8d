// marketdata/calendar.cpp — see calendar.hpp for the sessions, calendars and their sources.
#include "marketdata/calendar.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>
#include <ql/time/calendars/germany.hpp>
#include <ql/time/calendars/target.hpp>
#include <ql/time/calendars/unitedkingdom.hpp>
#include <ql/time/calendars/unitedstates.hpp>

#include "core/check.hpp"

namespace af::marketdata {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

struct CodeEntry {
  std::string_view code;
  Exchange exchange;
};

// IB exchange codes (as in instruments.yaml) -> calendar/session family.
constexpr CodeEntry kCodes[] = {
    {"NYSE", Exchange::kNyse},        {"ARCA", Exchange::kNyse},
    {"AMEX", Exchange::kNyse},        {"BATS", Exchange::kNyse},
    {"IEX", Exchange::kNyse},         {"NASDAQ", Exchange::kNasdaq},
    {"ISLAND", Exchange::kNasdaq},    {"LSE", Exchange::kLse},
    {"LSEETF", Exchange::kLse},       {"IBIS", Exchange::kXetra},
    {"IBIS2", Exchange::kXetra},      {"XETRA", Exchange::kXetra},
    {"SBF", Exchange::kEuronextParis}, {"EURONEXT", Exchange::kEuronextParis},
    {"MONEP", Exchange::kEuronextParisDerivatives},
    {"MATIF", Exchange::kEuronextParisDerivatives},
    {"EUREX", Exchange::kEurex},      {"DTB", Exchange::kEurex},
    {"CME", Exchange::kCme},          {"GLOBEX", Exchange::kCme},
    {"CBOE", Exchange::kCboe},        {"CFE", Exchange::kCfe},
    {"IDEALPRO", Exchange::kIdealPro},
};

// Regular session in exchange-local wall-clock time.
struct SessionSpec {
  minutes open;
  minutes close;
  bool opens_previous_day;      // open is on the calendar day before the trade date
  std::optional<minutes> early_close;  // on the half days of early_close_day()
};

SessionSpec session_spec(Exchange e) {
  switch (e) {
    case Exchange::kNyse:
    case Exchange::kNasdaq: return {hours{9} + minutes{30}, hours{16}, false, hours{13}};
    case Exchange::kLse: return {hours{8}, hours{16} + minutes{30}, false, hours{12} + minutes{30}};
    case Exchange::kXetra: return {hours{9}, hours{17} + minutes{30}, false, std::nullopt};
    case Exchange::kEuronextParis:
      return {hours{9}, hours{17} + minutes{30}, false, hours{14} + minutes{5}};
    case Exchange::kEuronextParisDerivatives:
      return {hours{8}, hours{22}, false, hours{14} + minutes{5}};
    case Exchange::kEurex: return {hours{8}, hours{22}, false, std::nullopt};
    case Exchange::kCme:
    case Exchange::kCboe:
    case Exchange::kCfe:
      return {hours{8} + minutes{30}, hours{15} + minutes{15}, false, hours{12} + minutes{15}};
    case Exchange::kIdealPro: return {hours{17} + minutes{15}, hours{17}, true, std::nullopt};
  }
  AF_CHECK(false, "unhandled Exchange");
  return {};
}

const date::time_zone* zone(Exchange e) {
  // locate_zone reads the OS tz database once (the date library caches it); the zones of the
  // exchanges below are part of every tzdata release, so a failure is an installation fault.
  static const date::time_zone* const zones[] = {
      date::locate_zone("America/New_York"), date::locate_zone("Europe/London"),
      date::locate_zone("Europe/Berlin"),    date::locate_zone("Europe/Paris"),
      date::locate_zone("America/Chicago")};
  switch (e) {
    case Exchange::kNyse:
    case Exchange::kNasdaq:
    case Exchange::kIdealPro: return zones[0];
    case Exchange::kLse: return zones[1];
    case Exchange::kXetra:
    case Exchange::kEurex: return zones[2];
    case Exchange::kEuronextParis:
    case Exchange::kEuronextParisDerivatives: return zones[3];
    case Exchange::kCme:
    case Exchange::kCboe:
    case Exchange::kCfe: return zones[4];
  }
  AF_CHECK(false, "unhandled Exchange");
  return nullptr;
}

QuantLib::Date to_ql(Date d) {
  AF_CHECK(d >= Date(1901, 1, 1) && d <= Date(2199, 12, 31),
           "calendar date outside QuantLib's range 1901-01-01..2199-12-31: " + d.iso());
  return QuantLib::Date(static_cast<QuantLib::Day>(d.day()),
                        static_cast<QuantLib::Month>(d.month()),
                        static_cast<QuantLib::Year>(d.year()));
}

// The QuantLib calendars (immutable after construction; never call addHoliday on them: QuantLib
// shares holiday sets between instances of one market).
const QuantLib::Calendar& ql_calendar(Exchange e) {
  static const QuantLib::Calendar nyse = QuantLib::UnitedStates(QuantLib::UnitedStates::NYSE);
  static const QuantLib::Calendar lse = QuantLib::UnitedKingdom(QuantLib::UnitedKingdom::Exchange);
  static const QuantLib::Calendar xetra = QuantLib::Germany(QuantLib::Germany::Xetra);
  static const QuantLib::Calendar eurex = QuantLib::Germany(QuantLib::Germany::Eurex);
  static const QuantLib::Calendar target = QuantLib::TARGET();
  switch (e) {
    case Exchange::kNyse:
    case Exchange::kNasdaq:
    case Exchange::kCme:
    case Exchange::kCboe:
    case Exchange::kCfe: return nyse;
    case Exchange::kLse: return lse;
    case Exchange::kXetra: return xetra;
    case Exchange::kEurex: return eurex;
    case Exchange::kEuronextParis:
    case Exchange::kEuronextParisDerivatives: return target;
    case Exchange::kIdealPro: break;
  }
  AF_CHECK(false, "no QuantLib calendar for this exchange");
  return nyse;
}

bool is_us_calendar(Exchange e) {
  return e == Exchange::kNyse || e == Exchange::kNasdaq || e == Exchange::kCme ||
         e == Exchange::kCboe || e == Exchange::kCfe;
}

// Closures QuantLib 1.29 does not know (see calendar.hpp for sources).
bool extra_closure(Exchange e, Date d) {
  if (is_us_calendar(e) && d == Date(2025, 1, 9)) return true;  // Carter day of mourning
  if (e == Exchange::kXetra && d.month() == 12 && d.day() == 31) return true;
  return false;
}

// Scheduled half days (see calendar.hpp). Precondition: d is a trading day.
bool early_close_day(Exchange e, Date d) {
  const unsigned m = d.month();
  const unsigned day = d.day();
  switch (e) {
    case Exchange::kNyse:
    case Exchange::kNasdaq:
    case Exchange::kCme:
    case Exchange::kCboe:
    case Exchange::kCfe: {
      if (m == 7 && day == 3) return true;
      if (m == 12 && day == 24) return true;
      // Day after Thanksgiving: the Friday after the fourth Thursday of November, i.e. the
      // Friday falling on 23..29 November.
      return m == 11 && d.iso_weekday() == 5 && day >= 23 && day <= 29;
    }
    case Exchange::kLse:
    case Exchange::kEuronextParis:
    case Exchange::kEuronextParisDerivatives: return m == 12 && (day == 24 || day == 31);
    case Exchange::kXetra:
    case Exchange::kEurex:
    case Exchange::kIdealPro: return false;
  }
  return false;
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace

std::optional<Exchange> find_exchange(std::string_view code) noexcept {
  auto same = [](std::string_view upper_code, std::string_view text) {
    if (upper_code.size() != text.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (upper_code[i] != static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])))) return false;
    }
    return true;
  };
  for (const auto& entry : kCodes) {
    if (same(entry.code, code)) return entry.exchange;
  }
  return std::nullopt;
}

Result<Exchange> parse_exchange(std::string_view code) {
  if (auto e = find_exchange(code)) return *e;
  const std::string key = upper(code);
  std::string accepted;
  for (const auto& entry : kCodes) {
    if (!accepted.empty()) accepted += ", ";
    accepted += entry.code;
  }
  if (key == "SMART") {
    return Error{ErrorCode::kInvalidArgument,
                 "exchange `SMART` is a routing instruction, not a listing exchange: give the "
                 "instrument's primary exchange (one of " + accepted + ")"};
  }
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("unknown exchange `{}`: expected one of {}", code, accepted)};
}

std::string_view to_string(Exchange exchange) noexcept {
  switch (exchange) {
    case Exchange::kNyse: return "NYSE";
    case Exchange::kNasdaq: return "NASDAQ";
    case Exchange::kLse: return "LSE";
    case Exchange::kXetra: return "XETRA";
    case Exchange::kEuronextParis: return "EURONEXT_PARIS";
    case Exchange::kEuronextParisDerivatives: return "MONEP";
    case Exchange::kEurex: return "EUREX";
    case Exchange::kCme: return "CME";
    case Exchange::kCboe: return "CBOE";
    case Exchange::kCfe: return "CFE";
    case Exchange::kIdealPro: return "IDEALPRO";
  }
  return "?";
}

std::string_view time_zone_name(Exchange exchange) noexcept {
  switch (exchange) {
    case Exchange::kNyse:
    case Exchange::kNasdaq:
    case Exchange::kIdealPro: return "America/New_York";
    case Exchange::kLse: return "Europe/London";
    case Exchange::kXetra:
    case Exchange::kEurex: return "Europe/Berlin";
    case Exchange::kEuronextParis:
    case Exchange::kEuronextParisDerivatives: return "Europe/Paris";
    case Exchange::kCme:
    case Exchange::kCboe:
    case Exchange::kCfe: return "America/Chicago";
  }
  return "?";
}

bool is_trading_day(Exchange exchange, Date date) {
  if (date.is_weekend()) return false;
  if (exchange == Exchange::kIdealPro) {
    // Hand-written: QuantLib has no calendar for IB's FX venue (closed only on weekends,
    // Christmas Day and New Year's Day).
    const bool closed = (date.month() == 12 && date.day() == 25) ||
                        (date.month() == 1 && date.day() == 1);
    return !closed;
  }
  if (extra_closure(exchange, date)) return false;
  return ql_calendar(exchange).isBusinessDay(to_ql(date));
}

Date next_trading_day(Exchange exchange, Date date) {
  Date d = date.add_days(1);
  while (!is_trading_day(exchange, d)) d = d.add_days(1);
  return d;
}

Date previous_trading_day(Exchange exchange, Date date) {
  Date d = date.add_days(-1);
  while (!is_trading_day(exchange, d)) d = d.add_days(-1);
  return d;
}

int business_days_between(Exchange exchange, Date from, Date to) {
  if (to < from) return -business_days_between(exchange, to, from);
  int count = 0;
  for (Date d = from.add_days(1); d <= to; d = d.add_days(1)) {
    if (is_trading_day(exchange, d)) ++count;
  }
  return count;
}

Timestamp exchange_local_to_utc(Exchange exchange, Date local_date, minutes time_of_day) {
  const date::local_time<minutes> local{local_date.sys_days().time_since_epoch() + time_of_day};
  const auto utc = zone(exchange)->to_sys(local, date::choose::earliest);
  return std::chrono::time_point_cast<std::chrono::microseconds>(utc);
}

std::optional<Session> session(Exchange exchange, Date date) {
  if (!is_trading_day(exchange, date)) return std::nullopt;
  const SessionSpec spec = session_spec(exchange);
  const bool early = spec.early_close.has_value() && early_close_day(exchange, date);
  const Date open_day = spec.opens_previous_day ? date.add_days(-1) : date;
  Session s;
  s.open = exchange_local_to_utc(exchange, open_day, spec.open);
  s.close = exchange_local_to_utc(exchange, date, early ? *spec.early_close : spec.close);
  s.early_close = early;
  return s;
}

Timestamp open_utc(Exchange exchange, Date date) {
  const auto s = session(exchange, date);
  AF_CHECK(s.has_value(), fmt::format("open_utc: {} is not a trading day on {}", date.iso(),
                                      to_string(exchange)));
  return s->open;
}

Timestamp close_utc(Exchange exchange, Date date) {
  const auto s = session(exchange, date);
  AF_CHECK(s.has_value(), fmt::format("close_utc: {} is not a trading day on {}", date.iso(),
                                      to_string(exchange)));
  return s->close;
}

bool is_open(Exchange exchange, Timestamp t) {
  // The trade date of a session containing t is t's local date, or the next local date for
  // sessions that open on the previous calendar day (IDEALPRO).
  const Date local_date = to_exchange_local(exchange, t).date;
  const bool overnight = session_spec(exchange).opens_previous_day;
  for (const Date d : {local_date, local_date.add_days(1)}) {
    if (d != local_date && !overnight) break;
    const auto s = session(exchange, d);
    if (s && s->open <= t && t < s->close) return true;
  }
  return false;
}

ExchangeLocalTime to_exchange_local(Exchange exchange, Timestamp t) {
  const date::zoned_time<std::chrono::microseconds> zt{zone(exchange), t};
  const auto local = zt.get_local_time();
  const auto day = date::floor<date::days>(local);
  const auto info = zt.get_info();
  ExchangeLocalTime out;
  out.date = Date(std::chrono::sys_days{day.time_since_epoch()});
  out.time_of_day = local - day;
  out.utc_offset = info.offset;
  out.abbreviation = info.abbrev;
  return out;
}

}  // namespace af::marketdata
