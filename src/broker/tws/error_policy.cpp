#include "broker/tws/error_policy.hpp"

#include <algorithm>
#include <array>

namespace af::tws {
namespace {

using S = ErrorSeverity;
using C = ConnectionEffect;
using O = OrderEffect;
using R = RequestEffect;

// Sorted by code. Source: tws-protocol.md §6 (meanings paraphrased there), §8.1, §9.3-9.4.
constexpr std::array kTable = {
    ErrorPolicy{100, S::kError, C::kRateViolation, O::kNone, R::kFailed,
                "message rate above 50/s; the gateway may disconnect: check the pacing limiter"},
    ErrorPolicy{101, S::kError, C::kNone, O::kNone, R::kFailed,
                "max number of market-data tickers reached: cancel subscriptions"},
    ErrorPolicy{102, S::kError, C::kNone, O::kNone, R::kFailed, "duplicate ticker id"},
    ErrorPolicy{103, S::kError, C::kNone, O::kRejected, R::kFailed,
                "duplicate order id: the broker id sequence rolled back; re-sync ids"},
    ErrorPolicy{104, S::kError, C::kNone, O::kRejected, R::kFailed, "cannot modify a filled order"},
    ErrorPolicy{105, S::kWarning, C::kNone, O::kStillLive, R::kNone,
                "modify does not match the original order; the original stays live"},
    ErrorPolicy{110, S::kWarning, C::kNone, O::kStillLive, R::kNone,
                "price does not match the minimum tick; round to the tick size"},
    ErrorPolicy{135, S::kError, C::kNone, O::kCancelRejected, R::kFailed, "order id not found"},
    ErrorPolicy{161, S::kError, C::kNone, O::kCancelRejected, R::kFailed,
                "cancel attempted when the order is not cancellable (already done?)"},
    ErrorPolicy{162, S::kError, C::kNone, O::kNone, R::kFailed,
                "historical data service error (pacing violation or no data): back off"},
    ErrorPolicy{165, S::kWarning, C::kNone, O::kNone, R::kNone, "historical data query message"},
    ErrorPolicy{166, S::kError, C::kNone, O::kNone, R::kFailed, "historical data for an expired contract"},
    ErrorPolicy{200, S::kError, C::kNone, O::kRejected, R::kFailed,
                "no security definition found: fix the contract (primary exchange, expiry, currency)"},
    ErrorPolicy{201, S::kError, C::kNone, O::kRejected, R::kFailed, "order rejected by IB"},
    ErrorPolicy{202, S::kInfo, C::kNone, O::kCancelled, R::kNone, "order cancelled (confirmation)"},
    ErrorPolicy{203, S::kError, C::kNone, O::kRejected, R::kFailed,
                "security not available or not allowed for this account"},
    ErrorPolicy{309, S::kError, C::kNone, O::kNone, R::kFailed, "max market depth requests"},
    ErrorPolicy{317, S::kWarning, C::kNone, O::kNone, R::kNone, "market depth reset"},
    ErrorPolicy{321, S::kError, C::kNone, O::kNone, R::kFailed,
                "request validation failed (e.g. read-only API); after a modify the order stays live"},
    ErrorPolicy{322, S::kError, C::kNone, O::kNone, R::kFailed, "error processing request"},
    ErrorPolicy{326, S::kError, C::kClientIdInUse, O::kNone, R::kFailed,
                "client id already in use: reconnecting with another client id"},
    ErrorPolicy{327, S::kError, C::kNone, O::kNone, R::kFailed, "only client id 0 may auto-bind orders"},
    ErrorPolicy{329, S::kWarning, C::kNone, O::kStillLive, R::kNone,
                "order modify failed: cannot change the order type; the original stays live"},
    ErrorPolicy{354, S::kError, C::kNone, O::kNone, R::kFailed,
                "market data not subscribed: use delayed data or subscribe"},
    ErrorPolicy{399, S::kWarning, C::kNone, O::kStillLive, R::kNone, "order message; the order stays live"},
    ErrorPolicy{404, S::kWarning, C::kNone, O::kStillLive, R::kNone,
                "shares not available for short sale; order held while locating"},
    ErrorPolicy{434, S::kWarning, C::kNone, O::kNone, R::kNone, "order size cannot be zero"},
    ErrorPolicy{492, S::kWarning, C::kNone, O::kNone, R::kNone, "warning"},
    ErrorPolicy{1100, S::kError, C::kConnectivityLost, O::kNone, R::kNone,
                "connectivity between IB and the gateway lost: trading stopped until restored"},
    ErrorPolicy{1101, S::kWarning, C::kRestoredDataLost, O::kNone, R::kNone,
                "connectivity restored, data lost: re-subscribing and re-syncing orders"},
    ErrorPolicy{1102, S::kInfo, C::kRestoredDataKept, O::kNone, R::kNone,
                "connectivity restored, data maintained"},
    ErrorPolicy{1300, S::kWarning, C::kSocketReset, O::kNone, R::kNone,
                "gateway socket port reset; reconnecting"},
    ErrorPolicy{2100, S::kWarning, C::kNone, O::kNone, R::kNone, "unsubscribed from account data"},
    ErrorPolicy{2101, S::kWarning, C::kNone, O::kNone, R::kNone,
                "account subscription refused: another client subscribed to another account"},
    ErrorPolicy{2102, S::kWarning, C::kNone, O::kStillLive, R::kNone,
                "order still being processed; retry the modify later"},
    ErrorPolicy{2103, S::kWarning, C::kNone, O::kNone, R::kNone, "market data farm connection broken"},
    ErrorPolicy{2104, S::kInfo, C::kNone, O::kNone, R::kNone, "market data farm connection OK"},
    ErrorPolicy{2105, S::kWarning, C::kNone, O::kNone, R::kNone, "HMDS data farm connection broken"},
    ErrorPolicy{2106, S::kInfo, C::kNone, O::kNone, R::kNone, "HMDS data farm connection OK"},
    ErrorPolicy{2107, S::kInfo, C::kNone, O::kNone, R::kNone, "HMDS data farm inactive, available on demand"},
    ErrorPolicy{2108, S::kInfo, C::kNone, O::kNone, R::kNone, "market data farm inactive, available on demand"},
    ErrorPolicy{2109, S::kWarning, C::kNone, O::kStillLive, R::kNone, "outsideRth ignored for this order"},
    ErrorPolicy{2110, S::kError, C::kConnectivityLost, O::kNone, R::kNone,
                "connectivity between the gateway and IB broken: trading stopped until restored"},
    ErrorPolicy{2119, S::kInfo, C::kNone, O::kNone, R::kNone, "market data farm connecting"},
    ErrorPolicy{2137, S::kWarning, C::kNone, O::kStillLive, R::kNone, "cross side warning"},
    ErrorPolicy{2157, S::kWarning, C::kNone, O::kNone, R::kNone, "sec-def data farm connection broken"},
    ErrorPolicy{2158, S::kInfo, C::kNone, O::kNone, R::kNone, "sec-def data farm connection OK"},
    ErrorPolicy{10089, S::kError, C::kNone, O::kNone, R::kFailed, "market data needs an additional subscription"},
    ErrorPolicy{10090, S::kWarning, C::kNone, O::kNone, R::kNone, "part of the requested market data is not subscribed"},
    ErrorPolicy{10091, S::kError, C::kNone, O::kNone, R::kFailed, "market data needs an additional subscription"},
    ErrorPolicy{10147, S::kError, C::kNone, O::kCancelRejected, R::kFailed,
                "order to cancel not found (already done or another client's): query it, do not retry"},
    ErrorPolicy{10148, S::kError, C::kNone, O::kCancelRejected, R::kFailed,
                "order cannot be cancelled in its state: rely on its orderStatus"},
    ErrorPolicy{10167, S::kWarning, C::kNone, O::kNone, R::kNone, "displaying delayed market data"},
    ErrorPolicy{10168, S::kError, C::kNone, O::kNone, R::kFailed, "not subscribed and delayed data not enabled"},
    ErrorPolicy{10197, S::kError, C::kCompetingSession, O::kNone, R::kFailed,
                "no market data during a competing live session (same user logged in elsewhere)"},
    ErrorPolicy{10225, S::kWarning, C::kNone, O::kNone, R::kNone, "bust event: resubscribe real-time bars"},
};

constexpr bool table_sorted() {
  for (std::size_t i = 1; i < kTable.size(); ++i) {
    if (kTable[i - 1].code >= kTable[i].code) return false;
  }
  return true;
}
static_assert(table_sorted(), "error policy table must be sorted by code, no duplicates");

}  // namespace

ErrorPolicy error_policy(int code) noexcept {
  auto it = std::lower_bound(kTable.begin(), kTable.end(), code,
                             [](const ErrorPolicy& p, int c) { return p.code < c; });
  if (it != kTable.end() && it->code == code) return *it;
  if (code >= 2100 && code <= 2199) {
    return ErrorPolicy{code, S::kWarning, C::kNone, O::kNone, R::kNone, "warning (2100-2199)"};
  }
  return ErrorPolicy{code, S::kError, C::kNone, O::kRejected, R::kFailed,
                     "error for the referenced request or order"};
}

bool is_informational(int code) noexcept { return error_policy(code).severity == S::kInfo; }

std::string_view to_string(ErrorSeverity s) noexcept {
  switch (s) {
    case S::kInfo: return "info";
    case S::kWarning: return "warning";
    case S::kError: return "error";
  }
  return "?";
}

std::string_view to_string(ConnectionEffect e) noexcept {
  switch (e) {
    case C::kNone: return "none";
    case C::kConnectivityLost: return "connectivity_lost";
    case C::kRestoredDataLost: return "restored_data_lost";
    case C::kRestoredDataKept: return "restored_data_kept";
    case C::kClientIdInUse: return "client_id_in_use";
    case C::kSocketReset: return "socket_reset";
    case C::kCompetingSession: return "competing_session";
    case C::kRateViolation: return "rate_violation";
  }
  return "?";
}

std::string_view to_string(OrderEffect e) noexcept {
  switch (e) {
    case O::kNone: return "none";
    case O::kStillLive: return "still_live";
    case O::kRejected: return "rejected";
    case O::kCancelled: return "cancelled";
    case O::kCancelRejected: return "cancel_rejected";
  }
  return "?";
}

}  // namespace af::tws
