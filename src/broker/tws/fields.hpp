// broker/tws/fields.hpp — NUL-terminated field writer and reader (tws-protocol.md §2).
//
// Internal to the codec, public so tests and tools can use it. FieldWriter appends fields to a
// std::string; FieldReader walks a frame payload with std::string_view, never copies unless a
// std::string field is assigned, and never reads past the payload.
//
// Both classes have the same method names, so one template function per message describes its
// layout for both directions (see codec.cpp): `io.i32(m.order_id)` writes or reads that field.
// The reader has a sticky error: after the first failure every read returns a default and the
// caller checks ok() once at the end. Counts of repeated groups are bounded by the bytes left,
// so malformed counts cannot make a decoder loop or allocate without bound.
//
// Unset handling: the writer prints std::nullopt per `Unset` (empty field or IB's max text); the
// reader maps empty, 2147483647, 9223372036854775807 and 1.7976931348623157E308 (any spelling)
// to std::nullopt where the field is optional.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace af::tws {

// How a writer prints std::nullopt.
enum class Unset {
  kEmpty,  // "" — what @stoqey/ib and ib_async send, and most gateway doubles
  kMax,    // "2147483647" for ints, "1.7976931348623157E308" for doubles (gateway style)
};

inline constexpr std::string_view kUnsetIntText = "2147483647";
inline constexpr std::string_view kUnsetLongText = "9223372036854775807";
inline constexpr std::string_view kUnsetDoubleText = "1.7976931348623157E308";

// Formats a double as JavaScript's Number#toString does (shortest round-trip; fixed notation for
// 1e-6 <= |v| < 1e21, else "1.5e-7"/"1e+21"; "Infinity"; -0 → "0"). Returns chars written;
// `buf` needs 32 bytes. This matches @stoqey/ib byte for byte; IB parses any of these forms.
std::size_t format_double(char* buf, double value);
// Formats an IB Decimal: plain decimal without exponent or trailing zeros ("100", "0.5").
// `buf` needs 400 bytes (DBL_MAX in fixed notation).
std::size_t format_decimal(char* buf, double value);

class FieldWriter {
 public:
  static constexpr bool kReading = false;

  explicit FieldWriter(std::string& out) : out_(out) {}

  void str(std::string_view value) {
    out_.append(value);
    out_.push_back('\0');
  }
  void i32(int value) { integer(value); }
  void i64(std::int64_t value) { integer(value); }
  void opt_i32(const std::optional<int>& value, Unset unset = Unset::kEmpty) {
    if (value) integer(*value);
    else str(unset == Unset::kMax ? kUnsetIntText : std::string_view{});
  }
  void opt_i64(const std::optional<std::int64_t>& value, Unset unset = Unset::kEmpty) {
    if (value) integer(*value);
    else str(unset == Unset::kMax ? kUnsetLongText : std::string_view{});
  }
  void f64(double value);
  void opt_f64(const std::optional<double>& value, Unset unset = Unset::kEmpty) {
    if (value) f64(*value);
    else str(unset == Unset::kMax ? kUnsetDoubleText : std::string_view{});
  }
  void decimal(const std::optional<double>& value);
  void boolean(bool value) { str(value ? "1" : "0"); }
  void opt_bool(const std::optional<bool>& value) {
    if (value) boolean(*value);
    else str({});
  }
  // A legacy version field: written as given, skipped by the reader.
  void version(int value) { integer(value); }
  // A field this codec does not model (deprecated): written as given, skipped by the reader.
  void constant(std::string_view value) { str(value); }
  // A repeated group: count, then `each(item)` per item.
  template <typename Vec, typename Each>
  void list(Vec& items, std::size_t /*min_fields_per_item*/, Each&& each) {
    integer(static_cast<std::int64_t>(items.size()));
    for (auto& item : items) each(item);  // `each` only reads (shared layout code, see codec.cpp)
  }

 private:
  void integer(std::int64_t value);
  std::string& out_;
};

class FieldReader {
 public:
  static constexpr bool kReading = true;

  // `message` names the message in error texts; must outlive the reader (a literal).
  FieldReader(std::string_view payload, const char* message) : data_(payload), message_(message) {}

  // Names the message in later error texts (once its id is known); `message` is a literal.
  void set_message(const char* message) noexcept { message_ = message; }
  bool ok() const noexcept { return !failed_; }
  bool at_end() const noexcept { return pos_ >= data_.size(); }
  std::size_t bytes_left() const noexcept { return data_.size() - pos_; }
  // Index (0-based, msgId = 0) of the next field.
  int field_index() const noexcept { return index_; }

  // The next raw field, or nullopt (and a sticky error) if none is left. Inline: a byte loop
  // beats a memchr call for the short fields that dominate TWS traffic.
  std::optional<std::string_view> next() {
    if (failed_) return std::nullopt;
    const char* begin = data_.data() + pos_;
    const char* end = data_.data() + data_.size();
    for (const char* p = begin; p < end; ++p) {
      if (*p == '\0') {
        std::size_t len = static_cast<std::size_t>(p - begin);
        pos_ += len + 1;
        ++index_;
        return std::string_view(begin, len);
      }
    }
    fail_missing();
    return std::nullopt;
  }

  void str(std::string& out) {
    if (auto f = next()) out.assign(f->data(), f->size());
  }
  std::string_view view() { return next().value_or(std::string_view{}); }
  void i32(int& out);
  void i64(std::int64_t& out);
  void opt_i32(std::optional<int>& out, Unset = Unset::kEmpty);
  void opt_i64(std::optional<std::int64_t>& out, Unset = Unset::kEmpty);
  void f64(double& out);
  void opt_f64(std::optional<double>& out, Unset = Unset::kEmpty);
  void decimal(std::optional<double>& out);
  void boolean(bool& out);
  void opt_bool(std::optional<bool>& out);
  void version(int /*written*/) { next(); }
  void constant(std::string_view /*written*/) { next(); }
  template <typename Vec, typename Each>
  void list(Vec& items, std::size_t min_fields_per_item, Each&& each) {
    int count = 0;
    i32(count);
    if (failed_) return;
    // Every field takes at least one byte (its NUL), so a count the remaining bytes cannot hold
    // is malformed; this also caps the allocation below.
    if (count < 0 || static_cast<std::size_t>(count) * min_fields_per_item > bytes_left()) {
      fail("repeated-group count out of range");
      return;
    }
    items.clear();
    items.resize(static_cast<std::size_t>(count));
    for (auto& item : items) {
      if (failed_) return;
      each(item);
    }
  }

  // Marks the message malformed (first failure wins) — also for semantic checks in decoders.
  void fail(std::string_view what);
  // Fails unless every field was consumed.
  void expect_end();
  // The first failure as an af::Error (kProtocol). Precondition: !ok().
  Error error() const;

 private:
  void fail_parse(std::string_view kind, std::string_view text);
  void fail_missing();

  std::string_view data_;
  std::size_t pos_ = 0;
  int index_ = 0;
  bool failed_ = false;
  const char* message_;
  std::string error_;
};

// Parsing helpers shared by reader and handshake (exposed for tests).
// Integers: optional '-', digits; the whole text must parse. Empty is not handled here.
bool parse_int64(std::string_view text, std::int64_t& out) noexcept;
// Doubles: decimal or exponent form, "inf"/"Infinity"/"Infinite"; NaN is rejected.
bool parse_double(std::string_view text, double& out) noexcept;

}  // namespace af::tws
