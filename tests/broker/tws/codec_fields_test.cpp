// Field encoding rules of tws-protocol.md §2: numbers, unset sentinels, booleans, decimals.
#include <gtest/gtest.h>

#include <charconv>
#include <limits>
#include <string>

#include "broker/tws/fields.hpp"
#include "codec_test_util.hpp"

namespace af::tws {
namespace {

using testing::payload_of;

std::string fmt_double(double v) {
  char buf[32];
  return std::string(buf, format_double(buf, v));
}
std::string fmt_decimal(double v) {
  char buf[400];
  return std::string(buf, format_decimal(buf, v));
}

TEST(TwsCodecFields, DoublesPrintLikeJavaScriptNumberToString) {
  // Expected texts are what `String(x)` prints in JavaScript (what @stoqey/ib sends).
  EXPECT_EQ(fmt_double(150), "150");
  EXPECT_EQ(fmt_double(150.25), "150.25");
  EXPECT_EQ(fmt_double(0.0), "0");
  EXPECT_EQ(fmt_double(-0.0), "0");
  EXPECT_EQ(fmt_double(-1), "-1");
  EXPECT_EQ(fmt_double(0.0001), "0.0001");
  EXPECT_EQ(fmt_double(0.000001), "0.000001");
  EXPECT_EQ(fmt_double(1.5e-7), "1.5e-7");
  EXPECT_EQ(fmt_double(1e21), "1e+21");
  EXPECT_EQ(fmt_double(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(fmt_double(std::numeric_limits<double>::infinity()), "Infinity");
}

TEST(TwsCodecFields, DecimalsArePlainWithoutExponentOrTrailingZeros) {
  EXPECT_EQ(fmt_decimal(100), "100");
  EXPECT_EQ(fmt_decimal(0.5), "0.5");
  EXPECT_EQ(fmt_decimal(0.001), "0.001");
  EXPECT_EQ(fmt_decimal(1e-7), "0.0000001");
  EXPECT_EQ(fmt_decimal(12345678), "12345678");
}

TEST(TwsCodecFields, WriterPrintsUnsetPerStyle) {
  std::string out;
  FieldWriter w(out);
  w.opt_i32(std::nullopt);
  w.opt_i32(std::nullopt, Unset::kMax);
  w.opt_f64(std::nullopt);
  w.opt_f64(std::nullopt, Unset::kMax);
  w.opt_bool(std::nullopt);
  w.boolean(true);
  w.boolean(false);
  w.decimal(std::nullopt);
  w.decimal(100.0);
  w.i64(9007199254740993LL);
  EXPECT_EQ(out, payload_of({"", "2147483647", "", "1.7976931348623157E308", "", "1", "0", "",
                             "100", "9007199254740993"}));
}

TEST(TwsCodecFields, ReaderMapsEverySentinelSpellingToUnset) {
  // §2 "Simulator rule": empty, INT_MAX, LONG_MAX, DBL_MAX in Java and Python spelling.
  std::string p = payload_of({"", "2147483647", "9223372036854775807", "7", "", "1.7976931348623157E308",
                              "1.7976931348623157e+308", "2.5", "", "2147483647",
                              "9223372036854775807", "1.7976931348623157E308", "1,000.5"});
  FieldReader r(p, "test");
  std::optional<int> i;
  r.opt_i32(i);
  EXPECT_EQ(i, std::nullopt);
  r.opt_i32(i);
  EXPECT_EQ(i, std::nullopt);
  r.opt_i32(i);
  EXPECT_EQ(i, std::nullopt);
  r.opt_i32(i);
  EXPECT_EQ(i, 7);
  std::optional<double> d;
  r.opt_f64(d);
  EXPECT_EQ(d, std::nullopt);
  r.opt_f64(d);
  EXPECT_EQ(d, std::nullopt);
  r.opt_f64(d);
  EXPECT_EQ(d, std::nullopt);
  r.opt_f64(d);
  EXPECT_EQ(d, 2.5);
  std::optional<double> q;
  r.decimal(q);
  EXPECT_EQ(q, std::nullopt);
  r.decimal(q);
  EXPECT_EQ(q, std::nullopt);
  r.decimal(q);
  EXPECT_EQ(q, std::nullopt);
  r.decimal(q);
  EXPECT_EQ(q, std::nullopt);
  r.decimal(q);
  EXPECT_EQ(q, 1000.5);  // thousands separators are stripped (Java and stoqey do the same)
  r.expect_end();
  EXPECT_TRUE(r.ok());
}

TEST(TwsCodecFields, ReaderAcceptsInfinitySpellingsAndExponents) {
  std::string p = payload_of({"Infinity", "Infinite", "1.0E-4", "1e-05", "0.0", "-1"});
  FieldReader r(p, "test");
  std::optional<double> d;
  r.opt_f64(d);
  EXPECT_EQ(d, std::numeric_limits<double>::infinity());
  r.opt_f64(d);
  EXPECT_EQ(d, std::numeric_limits<double>::infinity());
  double v = 0;
  r.f64(v);
  EXPECT_DOUBLE_EQ(v, 1e-4);
  r.f64(v);
  EXPECT_DOUBLE_EQ(v, 1e-5);
  r.f64(v);
  EXPECT_EQ(v, 0.0);
  r.f64(v);
  EXPECT_EQ(v, -1.0);
  EXPECT_TRUE(r.ok());
}

TEST(TwsCodecFields, FastDecimalPathAgreesWithFromChars) {
  // parse_double has a hand-written fast path for short decimals; std::from_chars is the
  // correctly-rounded reference it must agree with bit for bit.
  for (const char* text : {"185.52", "0.1", "0.30000000000000004", "196.52", "-0.005", "123456789012345",
                           "1234567890.12345", "0.000000000000001", "99999999999999.9", "7", "0.0",
                           "1376327563", "100.00000000000000001", "3.14159265358979"}) {
    double ours = 0, reference = 0;
    ASSERT_TRUE(parse_double(text, ours)) << text;
    std::string_view sv(text);
    std::from_chars(sv.data(), sv.data() + sv.size(), reference);
    EXPECT_EQ(ours, reference) << text;
  }
  std::int64_t v = 0;
  EXPECT_TRUE(parse_int64("-9223372036854775808", v));
  EXPECT_EQ(v, std::numeric_limits<std::int64_t>::min());
  EXPECT_FALSE(parse_int64("9223372036854775808", v));
  EXPECT_FALSE(parse_int64("-", v));
}

TEST(TwsCodecFields, EmptyBooleanIsFalseAndEmptyOptionalBooleanIsUnset) {
  std::string p = payload_of({"", "1", "0", "", "1"});
  FieldReader r(p, "test");
  bool b = true;
  r.boolean(b);
  EXPECT_FALSE(b);
  r.boolean(b);
  EXPECT_TRUE(b);
  r.boolean(b);
  EXPECT_FALSE(b);
  std::optional<bool> ob = true;
  r.opt_bool(ob);
  EXPECT_EQ(ob, std::nullopt);
  r.opt_bool(ob);
  EXPECT_EQ(ob, true);
  EXPECT_TRUE(r.ok());
}

TEST(TwsCodecFields, NonNumericTextInNumericFieldIsAnErrorNamingTheField) {
  std::string p = payload_of({"3", "abc"});
  FieldReader r(p, "orderStatus");
  int id = 0, x = 0;
  r.i32(id);
  r.i32(x);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("orderStatus field 1"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("\"abc\""), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().code, ErrorCode::kProtocol);
}

TEST(TwsCodecFields, RejectsOverflowNanAndTrailingGarbage) {
  for (const char* text : {"2147483648", "12x", "1.5", " 1", "+1"}) {
    std::string p = payload_of({text});
    FieldReader r(p, "test");
    int v = 0;
    r.i32(v);
    EXPECT_FALSE(r.ok()) << text;
  }
  for (const char* text : {"nan", "NaN", "1.2.3", "--1", "e5"}) {
    std::string p = payload_of({text});
    FieldReader r(p, "test");
    double v = 0;
    r.f64(v);
    EXPECT_FALSE(r.ok()) << text;
  }
}

TEST(TwsCodecFields, ReadingPastTheEndOrAnUnterminatedFieldFails) {
  std::string p = payload_of({"1"});
  FieldReader r(p, "test");
  int a = 0, b = 0;
  r.i32(a);
  r.i32(b);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("ends early"), std::string::npos);

  std::string unterminated("12\0" "34", 5);
  FieldReader u(unterminated, "test");
  u.i32(a);
  u.i32(b);
  EXPECT_FALSE(u.ok());
  EXPECT_NE(u.error().message.find("not NUL-terminated"), std::string::npos);
}

TEST(TwsCodecFields, RepeatedGroupCountIsBoundedByRemainingBytes) {
  std::string p = payload_of({"1000000000", "a", "b"});
  FieldReader r(p, "test");
  std::vector<std::string> items;
  r.list(items, 1, [&](std::string& s) { r.str(s); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(items.empty());
  std::string neg = payload_of({"-1"});
  FieldReader rn(neg, "test");
  rn.list(items, 1, [&](std::string& s) { rn.str(s); });
  EXPECT_FALSE(rn.ok());
}

}  // namespace
}  // namespace af::tws
