#include "broker/tws/order_ids.hpp"

#include <algorithm>
#include <string>

namespace af::tws {

Status OrderIdAllocator::on_next_valid_id(OrderId broker_next_valid_id) {
  auto stored = store_.load_high_water();
  if (!stored) return stored.error().with_context("order ids: cannot read the high-water mark");
  OrderId next = broker_next_valid_id;
  if (stored->has_value()) next = std::max(next, **stored + 1);
  if (next_.has_value()) next = std::max(next, *next_);  // within a session, never go back
  next_ = next;
  return ok_status();
}

Result<OrderId> OrderIdAllocator::allocate() {
  if (!next_) {
    return Error{ErrorCode::kUnavailable,
                 "order ids: no nextValidId received yet in this session; wait for API readiness"};
  }
  const OrderId id = *next_;
  auto stored = store_.store_high_water(id);
  if (!stored) {
    return stored.error().with_context("order ids: cannot persist high-water mark " +
                                       std::to_string(id) + "; order not sent");
  }
  next_ = id + 1;
  return id;
}

}  // namespace af::tws
