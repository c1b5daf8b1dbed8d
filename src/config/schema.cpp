#include "config/schema.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace af::config::detail {

void Problems::add(const std::string& file, int line, const std::string& path,
                   const std::string& what) {
  if (line > 0) {
    messages_.push_back(fmt::format("{}:{}: key {}: {}", file, line, path, what));
  } else {
    messages_.push_back(fmt::format("{}: key {}: {}", file, path, what));
  }
}

int line_of(const YAML::Node& node) {
  const auto mark = node.Mark();
  return mark.is_null() ? 0 : mark.line + 1;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null: return "null (no value)";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Undefined: return "nothing";
    case YAML::NodeType::Scalar: {
      std::string s = node.Scalar();
      if (s.size() > 60) s = s.substr(0, 57) + "...";
      return s.empty() ? "an empty string" : "'" + s + "'";
    }
  }
  return "?";
}

namespace {
std::string fmt_bound(double v) {
  if (v >= 1e300) return "+inf";
  if (v <= -1e300) return "-inf";
  return fmt::format("{}", v);
}
// yaml-cpp accepts "1e3", "0x10", ".inf"; we accept plain decimal numbers only (and reject
// nan/inf) so that a typo never becomes a number.
bool looks_numeric(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
      return false;
    }
  }
  return true;
}
}  // namespace

std::string NumberRange::text() const {
  return fmt::format("{}{}, {}{}", min_open ? "(" : "[", fmt_bound(min), fmt_bound(max),
                     max_open ? ")" : "]");
}

bool NumberRange::contains(double v) const noexcept {
  if (min_open ? !(v > min) : !(v >= min)) return false;
  if (max_open ? !(v < max) : !(v <= max)) return false;
  return true;
}

std::string NumberRange::expectation(bool integer) const {
  const char* noun = integer ? "integer" : "number";
  const bool no_max = max >= 1e300;
  if (no_max && min == 0 && min_open) return fmt::format("a positive {}", noun);
  if (no_max && min == 0 && !min_open) return fmt::format("a non-negative {}", noun);
  if (no_max && min <= -1e300) return fmt::format("a{} {}", integer ? "n" : "", noun);
  return fmt::format("a{} {} in {}", integer ? "n" : "", noun, text());
}

std::optional<double> parse_number(const YAML::Node& n, const NumberRange& r, std::string& what) {
  if (!n.IsScalar() || !looks_numeric(n.Scalar())) {
    what = fmt::format("expected {}, got {}", r.expectation(false), describe(n));
    return std::nullopt;
  }
  double v = 0;
  try {
    v = n.as<double>();
  } catch (const YAML::Exception&) {
    what = fmt::format("expected {}, got {}", r.expectation(false), describe(n));
    return std::nullopt;
  }
  if (!std::isfinite(v) || !r.contains(v)) {
    what = fmt::format("expected {}, got {}", r.expectation(false), n.Scalar());
    return std::nullopt;
  }
  return v;
}

std::optional<long long> parse_integer(const YAML::Node& n, const NumberRange& r,
                                       std::string& what) {
  long long v = 0;
  bool ok = n.IsScalar() && looks_numeric(n.Scalar());
  if (ok) {
    try {
      v = n.as<long long>();
    } catch (const YAML::Exception&) {
      ok = false;
    }
  }
  if (!ok) {
    what = fmt::format("expected {}, got {}", r.expectation(true), describe(n));
    return std::nullopt;
  }
  if (!r.contains(static_cast<double>(v))) {
    what = fmt::format("expected {}, got {}", r.expectation(true), v);
    return std::nullopt;
  }
  return v;
}

std::optional<bool> parse_bool(const YAML::Node& n, std::string& what) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  what = "expected true or false, got " + describe(n);
  return std::nullopt;
}

std::optional<std::string> parse_string(const YAML::Node& n, std::string& what, bool allow_empty) {
  if (!n.IsScalar()) {
    what = "expected a string, got " + describe(n);
    return std::nullopt;
  }
  if (!allow_empty && n.Scalar().empty()) {
    what = "expected a non-empty string, got an empty string";
    return std::nullopt;
  }
  return n.Scalar();
}

std::string join_choices(const std::vector<std::string>& choices, const char* sep) {
  std::string out;
  for (const auto& c : choices) {
    if (!out.empty()) out += sep;
    out += c;
  }
  return out;
}

std::optional<std::string> parse_choice(const YAML::Node& n, const std::vector<std::string>& choices,
                                        std::string& what) {
  if (n.IsScalar()) {
    for (const auto& c : choices) {
      if (n.Scalar() == c) return c;
    }
  }
  what = fmt::format("expected one of {}, got {}", join_choices(choices, ", "), describe(n));
  return std::nullopt;
}

}  // namespace af::config::detail
