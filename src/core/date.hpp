// core/date.hpp — calendar dates and UTC timestamps.
//
//   Date       a calendar day (no time zone); ISO text "YYYY-MM-DD".
//   Timestamp  a UTC instant with microsecond resolution.
// Exchange-local times and trading calendars live in marketdata/calendar.hpp.
#pragma once

#include <chrono>
#include <compare>
#include <ostream>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace af {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

class Date {
 public:
  constexpr Date() = default;
  constexpr explicit Date(std::chrono::sys_days days) : days_(days) {}
  constexpr Date(int y, unsigned m, unsigned d)
      : days_(std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m},
                                          std::chrono::day{d}}) {}

  // Strict ISO parse: "2024-03-29". Rejects invalid days ("2023-02-29").
  static Result<Date> parse(std::string_view iso);
  static Date from_timestamp(Timestamp t) {
    return Date(std::chrono::floor<std::chrono::days>(t));
  }

  constexpr std::chrono::sys_days sys_days() const noexcept { return days_; }
  constexpr std::chrono::year_month_day ymd() const noexcept { return {days_}; }
  int year() const noexcept { return static_cast<int>(ymd().year()); }
  unsigned month() const noexcept { return static_cast<unsigned>(ymd().month()); }
  unsigned day() const noexcept { return static_cast<unsigned>(ymd().day()); }
  // ISO weekday: 1 = Monday ... 7 = Sunday.
  unsigned iso_weekday() const noexcept {
    return std::chrono::weekday{days_}.iso_encoding();
  }
  bool is_weekend() const noexcept { return iso_weekday() >= 6; }
  // Days since 1970-01-01 (useful as a compact key).
  constexpr int serial() const noexcept { return days_.time_since_epoch().count(); }
  static constexpr Date from_serial(int s) { return Date(std::chrono::sys_days{std::chrono::days{s}}); }

  constexpr Date add_days(int n) const { return Date(days_ + std::chrono::days{n}); }
  constexpr int days_until(Date other) const { return (other.days_ - days_).count(); }
  std::string iso() const;

  friend constexpr auto operator<=>(const Date&, const Date&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Date& d) { return os << d.iso(); }

 private:
  std::chrono::sys_days days_{};
};

// "2024-03-29T14:30:00.000000Z"
std::string to_iso(Timestamp t);

}  // namespace af
