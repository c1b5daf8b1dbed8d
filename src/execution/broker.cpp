#include "execution/broker.hpp"

namespace af::execution {

bool is_terminal(BrokerOrderStatus status) noexcept {
  return status == BrokerOrderStatus::kCancelled || status == BrokerOrderStatus::kApiCancelled ||
         status == BrokerOrderStatus::kFilled;
}

std::string_view to_string(BrokerOrderStatus status) noexcept {
  switch (status) {
    case BrokerOrderStatus::kApiPending: return "ApiPending";
    case BrokerOrderStatus::kPendingSubmit: return "PendingSubmit";
    case BrokerOrderStatus::kPreSubmitted: return "PreSubmitted";
    case BrokerOrderStatus::kSubmitted: return "Submitted";
    case BrokerOrderStatus::kPendingCancel: return "PendingCancel";
    case BrokerOrderStatus::kApiCancelled: return "ApiCancelled";
    case BrokerOrderStatus::kCancelled: return "Cancelled";
    case BrokerOrderStatus::kFilled: return "Filled";
    case BrokerOrderStatus::kInactive: return "Inactive";
    case BrokerOrderStatus::kUnknown: return "Unknown";
  }
  return "Unknown";
}

BrokerOrderStatus parse_broker_order_status(std::string_view s) noexcept {
  static constexpr BrokerOrderStatus kAll[] = {
      BrokerOrderStatus::kApiPending,   BrokerOrderStatus::kPendingSubmit,
      BrokerOrderStatus::kPreSubmitted, BrokerOrderStatus::kSubmitted,
      BrokerOrderStatus::kPendingCancel, BrokerOrderStatus::kApiCancelled,
      BrokerOrderStatus::kCancelled,    BrokerOrderStatus::kFilled,
      BrokerOrderStatus::kInactive};
  for (auto status : kAll) {
    if (to_string(status) == s) return status;
  }
  return BrokerOrderStatus::kUnknown;
}

std::string_view to_string(OrderSide side) noexcept {
  return side == OrderSide::kBuy ? "BUY" : "SELL";
}

}  // namespace af::execution
