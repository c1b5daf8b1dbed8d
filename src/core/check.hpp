// core/check.hpp — loud stops for broken invariants.
//
// AF_CHECK(cond, message) aborts the process with file, line and message when `cond` is false.
// Use it only for bugs (an invariant the code itself guarantees); expected failures return a
// Result. The process is restarted from persisted state (crash-only design).
#pragma once

#include <string_view>

namespace af::detail {
[[noreturn]] void check_failed(const char* condition, std::string_view message, const char* file,
                               int line) noexcept;
}  // namespace af::detail

#define AF_CHECK(cond, message)                                           \
  do {                                                                    \
    if (!(cond)) ::af::detail::check_failed(#cond, (message), __FILE__, __LINE__); \
  } while (0)
