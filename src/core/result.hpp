// core/result.hpp — Result<T>: a value or an Error an operator can act on.
//
// Expected failures (bad input, missing data, a broker refusal) are returned as values;
// broken invariants stop the process loudly (see AF_CHECK in core/check.hpp).
//
//   Result<double> parse_price(std::string_view s);
//   auto r = parse_price("12.5");
//   if (!r) { log(r.error().message); return r.error(); }
//   double p = *r;
//
// g++ 12 has no std::expected in C++20, hence this small type (modelled on absl::StatusOr).
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace af {

// Broad classes of failure; they map to CLI exit codes (SYSTEM.md §5).
enum class ErrorCode {
  kInvalidArgument,   // bad user input or configuration (exit 2)
  kConfig,            // configuration file error (exit 2)
  kNotFound,          // a file, instrument or record does not exist
  kDataQuality,       // market data unusable for this run
  kIo,                // file system / database failure
  kProtocol,          // malformed bytes on the wire
  kTimeout,           // a request went unanswered in time
  kUnavailable,       // a peer (gateway, database) cannot be reached
  kRefused,           // refused for safety: halted, locked, live checks (exit 3)
  kInternal,          // a bug; should not happen
};

const char* to_string(ErrorCode code) noexcept;

// What failed and, where possible, what to do about it. `message` is complete on its own:
// "config/instruments.yaml:42: key `instruments.us_index_etf.multiplier`: expected a positive
// number, got -50".
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  // Returns a copy whose message is prefixed with `context: ` (for propagation with context).
  [[nodiscard]] Error with_context(const std::string& context) const {
    return Error{code, context + ": " + message};
  }
};

// Process exit code for an error (SYSTEM.md §5: 1 runtime, 2 usage/config, 3 refused).
int exit_code_for(const Error& error) noexcept;

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}           // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}       // NOLINT: implicit by design

  [[nodiscard]] bool ok() const noexcept { return std::holds_alternative<T>(state_); }
  explicit operator bool() const noexcept { return ok(); }

  // Precondition: ok(). Violations abort: reading a value that is not there is a bug.
  T& value() & { check_ok(); return std::get<T>(state_); }
  const T& value() const& { check_ok(); return std::get<T>(state_); }
  T&& value() && { check_ok(); return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Precondition: !ok().
  const Error& error() const& {
    if (ok()) std::abort();
    return std::get<Error>(state_);
  }

  T value_or(T fallback) const& { return ok() ? std::get<T>(state_) : std::move(fallback); }

 private:
  void check_ok() const {
    if (!ok()) std::abort();
  }
  std::variant<T, Error> state_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  [[nodiscard]] bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& {
    if (ok_) std::abort();
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() { return Status{}; }

}  // namespace af

// Propagate an error from an expression returning Result<...>/Status.
#define AF_CONCAT_INNER(a, b) a##b
#define AF_CONCAT(a, b) AF_CONCAT_INNER(a, b)
#define AF_RETURN_IF_ERROR(expr)                          \
  do {                                                    \
    auto af_status_ = (expr);                             \
    if (!af_status_.ok()) return af_status_.error();      \
  } while (0)
// AF_ASSIGN_OR_RETURN(auto x, make_x()); — binds the value or returns the error.
#define AF_ASSIGN_OR_RETURN(lhs, expr) AF_ASSIGN_OR_RETURN_IMPL(AF_CONCAT(af_result_, __LINE__), lhs, expr)
#define AF_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.error();             \
  lhs = std::move(tmp).value()
