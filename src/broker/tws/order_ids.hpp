// broker/tws/order_ids.hpp — broker order ids that are never reused.
//
// IB order ids are per clientId and must increase; after a gateway restart nextValidId can ROLL
// BACK (orders that never reached IB are forgotten: Lean-IB #242), and reusing an id makes
// callbacks of two orders collide (nautilus_trader #4247). So we keep our own high-water mark,
// persisted before an id is handed out, and on every nextValidId take
//     next = max(nextValidId, persisted high-water + 1).
// Persistence goes through OrderIdStore (the state store implements it later; tests and the CLI
// use InMemoryOrderIdStore).
// Thread-safety: none; owned by the client's owner thread.
#pragma once

#include <cstdint>
#include <optional>

#include "core/result.hpp"

namespace af::tws {

using OrderId = std::int64_t;

class OrderIdStore {
 public:
  virtual ~OrderIdStore() = default;
  // Highest broker order id ever handed out for this (account, clientId), if any.
  virtual Result<std::optional<OrderId>> load_high_water() = 0;
  // Durably records `id` as the new high-water mark (called before the id is used).
  virtual Status store_high_water(OrderId id) = 0;
};

class InMemoryOrderIdStore final : public OrderIdStore {
 public:
  InMemoryOrderIdStore() = default;
  explicit InMemoryOrderIdStore(OrderId high_water) : high_water_(high_water) {}
  Result<std::optional<OrderId>> load_high_water() override { return high_water_; }
  Status store_high_water(OrderId id) override {
    high_water_ = id;
    return ok_status();
  }
  std::optional<OrderId> high_water() const { return high_water_; }

 private:
  std::optional<OrderId> high_water_;
};

class OrderIdAllocator {
 public:
  explicit OrderIdAllocator(OrderIdStore& store) : store_(store) {}

  // Called for every nextValidId (connect and reqIds replies). Never moves `next` backwards.
  // Fails if the store cannot be read (then no id is handed out).
  Status on_next_valid_id(OrderId broker_next_valid_id);
  // True once a nextValidId was seen in this session and the high-water mark was loaded.
  bool ready() const noexcept { return next_.has_value(); }
  // Returns a fresh id, persisting it as the high-water mark first. Fails before the first
  // nextValidId (kUnavailable) or if persisting fails (kIo: the id is NOT used).
  Result<OrderId> allocate();
  // The id allocate() would return next (if ready).
  std::optional<OrderId> peek() const noexcept { return next_; }
  // A session ended: require a fresh nextValidId before handing out more ids.
  void on_disconnect() noexcept { next_.reset(); }

 private:
  OrderIdStore& store_;
  std::optional<OrderId> next_;
};

}  // namespace af::tws
