// broker/tws/fields.cpp — field text formatting and tolerant parsing (tws-protocol.md §2).
#include "broker/tws/fields.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace af::tws {

namespace {

constexpr std::int64_t kUnsetInt = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kUnsetLong = std::numeric_limits<std::int64_t>::max();
constexpr double kUnsetDouble = std::numeric_limits<double>::max();

bool equals_ignore_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Strips thousands separators ("1,000.5") into `buf`; returns false if it does not fit.
bool strip_commas(std::string_view text, char* buf, std::size_t cap, std::string_view& out) {
  std::size_t n = 0;
  for (char c : text) {
    if (c == ',') continue;
    if (n == cap) return false;
    buf[n++] = c;
  }
  out = std::string_view(buf, n);
  return true;
}

}  // namespace

// Hand-written instead of std::from_chars: this is the decoder's hottest function and a digit
// loop is about twice as fast for the 1–10 digit fields of TWS traffic (tws_codec_bench).
bool parse_int64(std::string_view text, std::int64_t& out) noexcept {
  std::size_t i = 0;
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    i = 1;
  }
  if (i == text.size() || text.size() - i > 19) return false;
  std::uint64_t value = 0;
  for (; i < text.size(); ++i) {
    unsigned digit = static_cast<unsigned char>(text[i]) - static_cast<unsigned>('0');
    if (digit > 9) return false;
    value = value * 10 + digit;  // ≤ 19 digits: cannot wrap a uint64
  }
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (value > kMax + (negative ? 1 : 0)) return false;
  out = negative ? static_cast<std::int64_t>(0 - value) : static_cast<std::int64_t>(value);
  return true;
}

namespace {
// Exact fast path (Clinger): "[-]digits[.digits]" with at most 15 significant digits is
// m / 10^k with m and 10^k exactly representable, so one division is correctly rounded — the
// same double std::from_chars returns. Returns false when the text needs the general parser.
bool parse_simple_decimal(std::string_view text, double& out) noexcept {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  std::size_t i = 0;
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    i = 1;
  }
  std::uint64_t mantissa = 0;
  int digits = 0;
  int fraction_digits = 0;
  bool seen_point = false;
  bool any_digit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (seen_point) return false;
      seen_point = true;
      continue;
    }
    unsigned digit = static_cast<unsigned char>(c) - static_cast<unsigned>('0');
    if (digit > 9) return false;  // exponent, inf, garbage: general path decides
    any_digit = true;
    if (mantissa == 0 && digit == 0) {
      if (seen_point) ++fraction_digits;
      continue;  // leading zeros are not significant
    }
    if (++digits > 15) return false;
    mantissa = mantissa * 10 + digit;
    if (seen_point) ++fraction_digits;
  }
  if (!any_digit || fraction_digits > 15) return false;
  double value = static_cast<double>(mantissa) / kPow10[fraction_digits];
  out = negative ? -value : value;
  return true;
}
}  // namespace

bool parse_double(std::string_view text, double& out) noexcept {
  if (text.empty()) return false;
  if (parse_simple_decimal(text, out)) return true;
  // The unset sentinel is common in openOrder/commissionReport; skip the general parser for it.
  if (text == kUnsetDoubleText || text == "1.7976931348623157e+308") {
    out = kUnsetDouble;
    return true;
  }
  // from_chars accepts "inf"/"infinity" (any case) but not IB-adjacent spellings like "Infinite"
  // (ib_async) and not a leading '+'.
  std::string_view body = text;
  bool negative = false;
  if (body.front() == '-' || body.front() == '+') {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if ((body.front() == 'i' || body.front() == 'I') &&
      (equals_ignore_case(body, "infinite") || equals_ignore_case(body, "infinity") ||
       equals_ignore_case(body, "inf"))) {
    out = negative ? -std::numeric_limits<double>::infinity()
                   : std::numeric_limits<double>::infinity();
    return true;
  }
  if (body.empty() || body.front() == '-' || body.front() == '+') return false;
  const char* end = body.data() + body.size();
  double value = 0.0;
  auto [ptr, ec] = std::from_chars(body.data(), end, value);
  if (ptr != end) return false;
  if (ec == std::errc::result_out_of_range) {
    // Overflow (e.g. "1e999") means "huge": treat as max (IB's unset); underflow as 0.
    value = (body.find_first_of("eE") != std::string_view::npos &&
             body.find("e-") == std::string_view::npos && body.find("E-") == std::string_view::npos)
                ? kUnsetDouble
                : 0.0;
  } else if (ec != std::errc{}) {
    return false;
  }
  if (std::isnan(value)) return false;
  out = negative ? -value : value;
  return true;
}

std::size_t format_double(char* buf, double value) {
  if (std::isinf(value)) {
    const char* text = value > 0 ? "Infinity" : "-Infinity";
    std::size_t n = std::strlen(text);
    std::memcpy(buf, text, n);
    return n;
  }
  if (value == 0.0 || std::isnan(value)) {  // NaN never reaches here from the codec; be safe
    buf[0] = '0';
    return 1;
  }
  double magnitude = std::fabs(value);
  if (magnitude >= 1e-6 && magnitude < 1e21) {
    auto [ptr, ec] = std::to_chars(buf, buf + 32, value, std::chars_format::fixed);
    return static_cast<std::size_t>(ptr - buf);
  }
  auto [ptr, ec] = std::to_chars(buf, buf + 32, value, std::chars_format::scientific);
  // C++ writes "1e-07"/"1e+21"; JavaScript writes "1e-7"/"1e+21": drop exponent leading zeros.
  char* e = static_cast<char*>(std::memchr(buf, 'e', static_cast<std::size_t>(ptr - buf)));
  if (e == nullptr) return static_cast<std::size_t>(ptr - buf);
  char* digits = e + 2;  // after the sign
  char* first = digits;
  while (first + 1 < ptr && *first == '0') ++first;
  std::size_t tail = static_cast<std::size_t>(ptr - first);
  std::memmove(digits, first, tail);
  return static_cast<std::size_t>(digits - buf) + tail;
}

std::size_t format_decimal(char* buf, double value) {
  if (value == 0.0 || !std::isfinite(value)) {
    buf[0] = '0';
    return 1;
  }
  auto [ptr, ec] = std::to_chars(buf, buf + 400, value, std::chars_format::fixed);
  return static_cast<std::size_t>(ptr - buf);
}

// ---------------------------------------------------------------------------------------------
// FieldWriter
// ---------------------------------------------------------------------------------------------

void FieldWriter::integer(std::int64_t value) {
  char buf[24];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, static_cast<std::size_t>(ptr - buf));
  out_.push_back('\0');
}

void FieldWriter::f64(double value) {
  char buf[32];
  out_.append(buf, format_double(buf, value));
  out_.push_back('\0');
}

void FieldWriter::decimal(const std::optional<double>& value) {
  if (!value) {
    str({});
    return;
  }
  char buf[400];
  out_.append(buf, format_decimal(buf, *value));
  out_.push_back('\0');
}

// ---------------------------------------------------------------------------------------------
// FieldReader
// ---------------------------------------------------------------------------------------------

void FieldReader::fail_missing() {
  fail(pos_ >= data_.size() ? "message ends early (missing field)"
                            : "last field is not NUL-terminated (truncated payload)");
}

void FieldReader::i32(int& out) {
  auto f = next();
  if (!f) return;
  if (f->empty()) {
    out = 0;
    return;
  }
  std::int64_t v = 0;
  if (!parse_int64(*f, v) || v < std::numeric_limits<std::int32_t>::min() ||
      v > std::numeric_limits<std::int32_t>::max()) {
    fail_parse("a 32-bit integer", *f);
    return;
  }
  out = static_cast<int>(v);
}

void FieldReader::i64(std::int64_t& out) {
  auto f = next();
  if (!f) return;
  if (f->empty()) {
    out = 0;
    return;
  }
  if (!parse_int64(*f, out)) fail_parse("an integer", *f);
}

void FieldReader::opt_i32(std::optional<int>& out, Unset) {
  auto f = next();
  if (!f) return;
  if (f->empty()) {
    out.reset();
    return;
  }
  std::int64_t v = 0;
  if (!parse_int64(*f, v)) {
    fail_parse("an integer", *f);
    return;
  }
  if (v == kUnsetInt || v == kUnsetLong) {
    out.reset();
    return;
  }
  if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max()) {
    fail_parse("a 32-bit integer", *f);
    return;
  }
  out = static_cast<int>(v);
}

void FieldReader::opt_i64(std::optional<std::int64_t>& out, Unset) {
  auto f = next();
  if (!f) return;
  std::int64_t v = 0;
  if (f->empty()) {
    out.reset();
  } else if (!parse_int64(*f, v)) {
    fail_parse("an integer", *f);
  } else if (v == kUnsetLong) {
    out.reset();
  } else {
    out = v;
  }
}

void FieldReader::f64(double& out) {
  auto f = next();
  if (!f) return;
  if (f->empty()) {
    out = 0.0;
    return;
  }
  if (!parse_double(*f, out)) fail_parse("a number", *f);
}

void FieldReader::opt_f64(std::optional<double>& out, Unset) {
  auto f = next();
  if (!f) return;
  double v = 0.0;
  if (f->empty()) {
    out.reset();
  } else if (!parse_double(*f, v)) {
    fail_parse("a number", *f);
  } else if (v >= kUnsetDouble) {  // DBL_MAX in any spelling (not +Infinity)
    out = std::isinf(v) ? std::optional<double>(v) : std::nullopt;
  } else {
    out = v;
  }
}

void FieldReader::decimal(std::optional<double>& out) {
  auto f = next();
  if (!f) return;
  std::string_view text = *f;
  char buf[64];
  if (text.find(',') != std::string_view::npos && !strip_commas(text, buf, sizeof buf, text)) {
    fail_parse("a decimal quantity", *f);
    return;
  }
  double v = 0.0;
  if (text.empty()) {
    out.reset();
  } else if (!parse_double(text, v) || std::isinf(v)) {
    fail_parse("a decimal quantity", *f);
  } else if (v >= kUnsetDouble || v == static_cast<double>(kUnsetInt) ||
             v == static_cast<double>(kUnsetLong)) {
    out.reset();
  } else {
    out = v;
  }
}

void FieldReader::boolean(bool& out) {
  auto f = next();
  if (!f) return;
  std::int64_t v = 0;
  if (f->empty() || *f == "0" || equals_ignore_case(*f, "false")) {
    out = false;
  } else if (*f == "1" || equals_ignore_case(*f, "true")) {
    out = true;
  } else if (parse_int64(*f, v)) {
    out = v != 0;  // Java reads booleans as int != 0
  } else {
    fail_parse("a boolean (0/1)", *f);
  }
}

void FieldReader::opt_bool(std::optional<bool>& out) {
  auto f = next();
  if (!f) return;
  std::int64_t v = 0;
  if (f->empty()) {
    out.reset();
  } else if (*f == "0" || equals_ignore_case(*f, "false")) {
    out = false;
  } else if (*f == "1" || equals_ignore_case(*f, "true")) {
    out = true;
  } else if (parse_int64(*f, v)) {
    out = v != 0;
  } else {
    fail_parse("a boolean (0/1)", *f);
  }
}

void FieldReader::fail(std::string_view what) {
  if (failed_) return;
  failed_ = true;
  error_.assign(message_);
  error_.append(" field ");
  error_.append(std::to_string(index_));
  error_.append(": ");
  error_.append(what);
}

void FieldReader::fail_parse(std::string_view kind, std::string_view text) {
  if (failed_) return;
  --index_;  // report the field that was just consumed
  std::string what = "expected ";
  what.append(kind);
  what.append(", got \"");
  constexpr std::size_t kShown = 40;
  for (char c : text.substr(0, kShown)) {
    what.push_back((c >= 0x20 && c < 0x7f) ? c : '?');
  }
  if (text.size() > kShown) what.append("...");
  what.push_back('"');
  fail(what);
  ++index_;
}

void FieldReader::expect_end() {
  if (failed_ || pos_ >= data_.size()) return;
  std::size_t extra = 0;
  for (std::size_t i = pos_; i < data_.size(); ++i) extra += data_[i] == '\0';
  fail(std::to_string(extra) + " unexpected trailing field(s) (layout mismatch or wrong server version)");
}

Error FieldReader::error() const {
  return Error{ErrorCode::kProtocol,
               "TWS decode error: " + error_ +
                   " — the peer's message layout does not match server version 178"};
}

}  // namespace af::tws
