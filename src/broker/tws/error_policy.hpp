// broker/tws/error_policy.hpp — what the client does with each IB error/status code.
//
// The table is tws-protocol.md §6 (plus peers.md §10/§11 lessons) as data, in one place
// (error_policy.cpp). Texts are localised by TWS, so policy keys on the code only, never on the
// message text. Lookup is by code; codes not in the table fall back by range:
//   2100-2199  warning (request not failed), 10000+ and 100-999 error for the referenced request.
// Thread-safety: immutable table; safe from any thread.
#pragma once

#include <string_view>

namespace af::tws {

// How loud the operator log should be (informational codes must NOT be logged as errors).
enum class ErrorSeverity { kInfo, kWarning, kError };

// Effect on the session as a whole.
enum class ConnectionEffect {
  kNone,
  kConnectivityLost,        // 1100, 2110: TWS<->IB link down; stop trading, assume nothing
  kRestoredDataLost,        // 1101: resume after re-subscribing market data and re-syncing
  kRestoredDataKept,        // 1102: resume (consistency check only)
  kClientIdInUse,           // 326: the gateway will close the socket; reconnect with a new id
  kSocketReset,             // 1300: the gateway drops this connection; reconnect
  kCompetingSession,        // 10197: market data blocked by another live session; alert
  kRateViolation,           // 100: we exceeded 50 msg/s; the gateway may disconnect
};

// Effect on the order whose id the error carries (id >= 0 and known as an order).
enum class OrderEffect {
  kNone,            // not order-related, or says nothing about the order's state
  kStillLive,       // a warning; the order keeps working (399, 404 locate, 2109, 105/321 on modify)
  kRejected,        // the order is dead (201, 103, 104 ...)
  kCancelled,       // 202: the cancel confirmation (terminal, not a failure)
  kCancelRejected,  // 10147/10148/161: the cancel failed; the order's state decides (query it)
};

// Effect on the request whose reqId the error carries.
enum class RequestEffect {
  kNone,    // informational; the request continues
  kFailed,  // the request failed; complete it with an error
};

struct ErrorPolicy {
  int code = 0;
  ErrorSeverity severity = ErrorSeverity::kError;
  ConnectionEffect connection = ConnectionEffect::kNone;
  OrderEffect order = OrderEffect::kNone;
  RequestEffect request = RequestEffect::kFailed;
  std::string_view meaning;  // short operator-facing explanation and what to do
};

// Policy for `code` (exact table entry or range fallback). Never fails.
ErrorPolicy error_policy(int code) noexcept;

// True for pure informational notices (farm OK/inactive/connecting: 2104, 2106, 2107, 2108, 2119,
// 2158) that must not be logged as errors.
bool is_informational(int code) noexcept;

std::string_view to_string(ErrorSeverity s) noexcept;
std::string_view to_string(ConnectionEffect e) noexcept;
std::string_view to_string(OrderEffect e) noexcept;

}  // namespace af::tws
