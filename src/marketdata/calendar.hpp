// marketdata/calendar.hpp — exchange trading calendars, session hours and time zones.
//
// What it answers: is exchange X trading on date D, what are the neighbouring trading days, when
// does its regular session open and close (as UTC instants), and is it open at instant t.
// Holidays come from QuantLib 1.29's calendars (a few documented corrections below); time zones
// come from HowardHinnant date's tz library reading the OS tz database (Debian's tzdata), so
// daylight-saving transitions are the real ones. Everything is a pure function of its arguments:
// no clock reads, no I/O besides the tz database lookup (loaded once by the date library).
//
// Units: dates are exchange-local trading dates (af::Date); instants are UTC af::Timestamp.
// A session is the half-open interval [open, close).
// Thread-safety: every function is safe to call from any thread (immutable shared calendars).
//
// Regular sessions modelled (continuous trading; auctions and extended hours excluded):
//   Exchange        IB codes parsed                 Zone              Session (local)
//   NYSE            NYSE, ARCA, AMEX, BATS, IEX      America/New_York  09:30-16:00
//   NASDAQ          NASDAQ, ISLAND                   America/New_York  09:30-16:00
//   LSE             LSE, LSEETF                      Europe/London     08:00-16:30
//   Xetra           IBIS, IBIS2, XETRA               Europe/Berlin     09:00-17:30
//   Euronext Paris  SBF, EURONEXT                    Europe/Paris      09:00-17:30
//   Euronext Paris
//     derivatives   MONEP, MATIF                     Europe/Paris      08:00-22:00 (CAC 40 futures)
//   Eurex           EUREX, DTB                       Europe/Berlin     08:00-22:00 (FESX, FGBL, FVS
//                                                    day session; the 01:10-08:00 early session is
//                                                    excluded as thin. Eurex index *options* such as
//                                                    OESX trade 09:00-17:30 only: per-product hours
//                                                    belong to the instrument, not the exchange)
//   CME             CME, GLOBEX                      America/Chicago   08:30-15:15 (regular trading
//                                                    hours of equity index futures; Globex trades
//                                                    Sun-Fri 17:00-16:00 CT nearly round the clock,
//                                                    but orders go out in the liquid day session)
//   CBOE            CBOE                             America/Chicago   08:30-15:15 (SPX/VIX options)
//   CFE             CFE                              America/Chicago   08:30-15:15 (VIX futures RTH)
//   IDEALPRO        IDEALPRO                         America/New_York  17:15 on the previous
//                                                    calendar day to 17:00 on the trade date
//                                                    (IB's FX venue; trade dates Mon-Fri)
// "SMART" is a routing instruction, not a listing exchange: parse_exchange rejects it and the
// caller must use the instrument's primary exchange.
//
// Holiday calendars (QuantLib 1.29) and the choices behind them:
//   NYSE, NASDAQ       UnitedStates::NYSE (includes Juneteenth since 2022 and Good Friday).
//                      Added: 2025-01-09 (National Day of Mourning, President Carter), which
//                      post-dates QuantLib 1.29.
//   CME, CBOE, CFE     UnitedStates::NYSE as well: the day sessions of CME equity/FX futures and
//                      Cboe/CFE products are closed or have no regular session on the NYSE
//                      holidays. UnitedStates::Settlement would wrongly close them on Columbus and
//                      Veterans Day (bank holidays on which CME and Cboe trade).
//   LSE                UnitedKingdom::Exchange (bank holidays, Good Friday, Easter Monday, the
//                      2022-2023 royal closures).
//   Xetra              Germany::Xetra plus 31 December: Deutsche Börse lists New Year's Eve as a
//                      non-trading day on Xetra, QuantLib 1.29's Xetra calendar does not.
//   Eurex              Germany::Eurex (closed 24 and 31 December as well).
//   Euronext Paris     TARGET: Euronext's published closures are exactly 1 Jan, Good Friday,
//   (cash and MONEP)   Easter Monday, 1 May, 25 and 26 Dec — the TARGET days. QuantLib's
//                      France::Exchange also closes 24 and 31 Dec, on which Euronext trades a
//                      shortened session, so it is not used.
//   IDEALPRO           no QuantLib calendar fits: Monday-Friday except 25 December and 1 January.
//
// Early closes (session ends early; the day is still a trading day):
//   NYSE, NASDAQ       13:00 New York on 3 July, the day after Thanksgiving and 24 December when
//                      these are trading days.
//   CME, CBOE, CFE     12:15 Chicago on the same days.
//   LSE                12:30 London on 24 and 31 December when trading days.
//   Euronext Paris     14:05 Paris on 24 and 31 December (cash and MONEP).
// Unscheduled closures (market-wide halts, weather) are not known in advance and not modelled.
//
// Range: QuantLib's calendars cover 1901-01-01 to 2199-12-31; a date outside is a caller bug
// (AF_CHECK).
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "core/result.hpp"

namespace af::marketdata {

enum class Exchange {
  kNyse,
  kNasdaq,
  kLse,
  kXetra,
  kEuronextParis,
  kEuronextParisDerivatives,  // MONEP
  kEurex,
  kCme,
  kCboe,
  kCfe,
  kIdealPro,
};

inline constexpr std::array<Exchange, 11> kAllExchanges = {
    Exchange::kNyse,  Exchange::kNasdaq, Exchange::kLse, Exchange::kXetra,
    Exchange::kEuronextParis, Exchange::kEuronextParisDerivatives, Exchange::kEurex,
    Exchange::kCme,   Exchange::kCboe,   Exchange::kCfe, Exchange::kIdealPro};

// Parses an IB exchange code as written in instruments.yaml ("NYSE", "LSEETF", "IBIS", "SBF",
// "MONEP", ...; case-insensitive, see the table above). "SMART" and unknown codes are errors
// (kInvalidArgument) whose message names the code and lists the accepted ones.
Result<Exchange> parse_exchange(std::string_view code);
// The same lookup without the error: nullopt for "SMART" and unknown codes. No allocation (for
// callers that try several codes in a hot path, e.g. the tail-hedge expiry calendar).
std::optional<Exchange> find_exchange(std::string_view code) noexcept;

// Canonical short name: "NYSE", "NASDAQ", "LSE", "XETRA", "EURONEXT_PARIS", "MONEP", "EUREX",
// "CME", "CBOE", "CFE", "IDEALPRO".
std::string_view to_string(Exchange exchange) noexcept;

// IANA time zone of the exchange ("America/New_York", ...).
std::string_view time_zone_name(Exchange exchange) noexcept;

// True when `date` is a trading date of the exchange (not a weekend, not a holiday).
bool is_trading_day(Exchange exchange, Date date);

// The first trading day strictly after / strictly before `date`.
Date next_trading_day(Exchange exchange, Date date);
Date previous_trading_day(Exchange exchange, Date date);

// Number of trading days d with from < d <= to (sessions elapsed between the two dates);
// negative (-count of to < d <= from) when to < from; 0 when equal.
// Example (NYSE): Thu 2024-11-27 -> Mon 2024-12-02 is 2 (Fri 29 Nov and Mon 2 Dec; Thursday
// 28 Nov is Thanksgiving).
int business_days_between(Exchange exchange, Date from, Date to);

// Regular session of one trading date, as UTC instants: [open, close).
struct Session {
  Timestamp open;
  Timestamp close;
  bool early_close = false;  // true on the scheduled half days listed above
};

// The session of `date`, or nullopt when `date` is not a trading day.
std::optional<Session> session(Exchange exchange, Date date);

// Session open / close in UTC. Precondition: is_trading_day(exchange, date) (AF_CHECK): ask
// session() when the date may be a holiday.
Timestamp open_utc(Exchange exchange, Date date);
Timestamp close_utc(Exchange exchange, Date date);

// True when `t` falls inside the regular session of some trading date of the exchange.
bool is_open(Exchange exchange, Timestamp t);

// An instant as seen on the exchange's wall clock.
struct ExchangeLocalTime {
  Date date;                              // local calendar date
  std::chrono::microseconds time_of_day;  // since local midnight, [0, 24h)
  std::chrono::seconds utc_offset;        // local = UTC + utc_offset (e.g. -4h for EDT)
  std::string abbreviation;               // "EDT", "GMT", "CET", ...
};
ExchangeLocalTime to_exchange_local(Exchange exchange, Timestamp t);

// The UTC instant of a wall-clock time on a local date of the exchange (times that fall into a
// daylight-saving gap resolve to the earliest valid instant, ambiguous ones to the earlier).
Timestamp exchange_local_to_utc(Exchange exchange, Date local_date,
                                std::chrono::minutes time_of_day);

}  // namespace af::marketdata
