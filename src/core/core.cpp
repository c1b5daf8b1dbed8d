#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include <date/date.h>
#include <fmt/format.h>

#include "core/check.hpp"
#include "core/clock.hpp"
#include "core/currency.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace af {

// The pool of interned instrument ids (types.hpp). Written by hand: no library in the stack
// interns strings. Entries are heap nodes that never move or die, so the keys (views of their
// text) and the pointers handed out stay valid for the life of the process.
const InstrumentId::Rep* InstrumentId::lookup(std::string_view text, bool add) {
  struct Pool {
    std::shared_mutex mu;
    std::unordered_map<std::string_view, std::unique_ptr<Rep>> reps;
  };
  static Pool* pool = new Pool();  // never destroyed: ids may be used by other static destructors
  {
    std::shared_lock lock(pool->mu);
    if (auto it = pool->reps.find(text); it != pool->reps.end()) return it->second.get();
  }
  if (!add) return nullptr;
  std::unique_lock lock(pool->mu);
  if (auto it = pool->reps.find(text); it != pool->reps.end()) return it->second.get();
  auto rep = std::make_unique<Rep>();
  rep->text = std::string(text);
  for (std::size_t i = 0; i < 8; ++i) {
    const unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
    rep->prefix = (rep->prefix << 8) | c;
  }
  rep->hash = std::hash<std::string>{}(rep->text);
  const Rep* out = rep.get();
  pool->reps.emplace(std::string_view(out->text), std::move(rep));
  return out;
}

std::optional<InstrumentId> InstrumentId::existing(std::string_view text) {
  if (const Rep* rep = lookup(text, false)) return InstrumentId(rep);
  return std::nullopt;
}

const InstrumentId::Rep* InstrumentId::empty_rep() noexcept {
  static const Rep* const empty = intern("");
  return empty;
}

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kConfig: return "config";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kDataQuality: return "data_quality";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kProtocol: return "protocol";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kRefused: return "refused";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

int exit_code_for(const Error& error) noexcept {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kConfig: return 2;
    case ErrorCode::kRefused: return 3;
    default: return 1;
  }
}

namespace detail {
void check_failed(const char* condition, std::string_view message, const char* file,
                  int line) noexcept {
  std::fprintf(stderr, "FATAL invariant broken at %s:%d: %s (%.*s)\n", file, line, condition,
               static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
  std::abort();
}
}  // namespace detail

std::string_view to_string(Currency c) noexcept {
  switch (c) {
    case Currency::USD: return "USD";
    case Currency::EUR: return "EUR";
    case Currency::GBP: return "GBP";
    case Currency::CHF: return "CHF";
    case Currency::JPY: return "JPY";
  }
  return "???";
}

Result<Currency> parse_currency(std::string_view code) {
  for (Currency c : kAllCurrencies) {
    if (to_string(c) == code) return c;
  }
  if (code == "GBX") {
    return Error{ErrorCode::kInvalidArgument,
                 "GBX is a quote unit (pence), not a currency; use currency GBP with price unit GBX"};
  }
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("unknown currency '{}' (expected USD, EUR, GBP, CHF or JPY)", code)};
}

std::string_view QuoteUnit::code() const noexcept {
  return minor_ ? std::string_view{"GBX"} : to_string(currency_);
}

Result<QuoteUnit> parse_quote_unit(std::string_view code) {
  if (code == "GBX") return QuoteUnit::gbx();
  auto c = parse_currency(code);
  if (!c) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("unknown price unit '{}' (expected USD, EUR, GBP, GBX, CHF or JPY)", code)};
  }
  return QuoteUnit::major(*c);
}

Result<Date> Date::parse(std::string_view iso) {
  auto bad = [&] {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("invalid date '{}' (expected YYYY-MM-DD)", iso)};
  };
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return bad();
  int y = 0;
  unsigned m = 0, d = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    if (i == 4 || i == 7) continue;
    if (iso[i] < '0' || iso[i] > '9') return bad();
  }
  y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
  m = static_cast<unsigned>((iso[5] - '0') * 10 + (iso[6] - '0'));
  d = static_cast<unsigned>((iso[8] - '0') * 10 + (iso[9] - '0'));
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return bad();
  return Date(std::chrono::sys_days{ymd});
}

std::string Date::iso() const {
  auto v = ymd();
  const int y = static_cast<int>(v.year());
  const unsigned m = static_cast<unsigned>(v.month()), d = static_cast<unsigned>(v.day());
  if (y < 0 || y > 9999) return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
  // Years 0..9999: the same ten characters as the format above, written directly (hot: reasons,
  // quality flags and CSV rows format dates every simulated day).
  std::string s(10, '-');
  auto two = [&](std::size_t at, unsigned x) {
    s[at] = static_cast<char>('0' + x / 10);
    s[at + 1] = static_cast<char>('0' + x % 10);
  };
  two(0, static_cast<unsigned>(y) / 100);
  two(2, static_cast<unsigned>(y) % 100);
  two(5, m);
  two(8, d);
  return s;
}

std::string to_iso(Timestamp t) { return date::format("%FT%TZ", t); }

Timestamp SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}
std::chrono::steady_clock::time_point SystemClock::steady_now() const {
  return std::chrono::steady_clock::now();
}

}  // namespace af
