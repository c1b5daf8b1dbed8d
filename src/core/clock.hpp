// core/clock.hpp — the injected clock. Code never reads the wall clock directly.
//
// Production wires SystemClock; tests wire ManualClock and move time by hand, so schedulers,
// timeouts and backoff are tested in microseconds without sleeping (cf. seastar manual_clock).
// Thread-safety: SystemClock is thread-safe; ManualClock is owned by one test thread.
#pragma once

#include "core/date.hpp"

namespace af {

class Clock {
 public:
  virtual ~Clock() = default;
  // Current UTC time.
  virtual Timestamp now() const = 0;
  // Monotonic time for durations and timeouts (never goes backwards).
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
  std::chrono::steady_clock::time_point steady_now() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = Timestamp{}) : now_(start) {}
  Timestamp now() const override { return now_; }
  std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::time_point{} + elapsed_;
  }
  void set(Timestamp t) { now_ = t; }
  // Moves both the UTC and the monotonic time forward by `d` (d >= 0).
  void advance(std::chrono::microseconds d) {
    now_ += d;
    elapsed_ += d;
  }

 private:
  Timestamp now_;
  std::chrono::microseconds elapsed_{0};
};

}  // namespace af
