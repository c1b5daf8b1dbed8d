// broker/tws/client_timers.hpp — timers on the injected clock's steady time.
//
// The client's event loop calls fire_due(clock.steady_now()) after each I/O step; a test with a
// ManualClock advances the clock and steps the loop, so timeouts, heartbeats and reconnect delays
// run without sleeping. Callbacks may schedule or cancel timers.
// Thread-safety: none; owned by the client's owner thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>

namespace af::tws {

class TimerQueue {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using TimerId = std::uint64_t;

  TimerId schedule_at(TimePoint deadline, std::function<void()> callback) {
    const TimerId id = ++last_id_;
    timers_.emplace(std::make_pair(deadline, id), std::move(callback));
    return id;
  }
  // Cancels a pending timer; no effect if it already fired or was cancelled.
  void cancel(TimerId id) {
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->first.second == id) {
        timers_.erase(it);
        return;
      }
    }
  }
  // Runs every timer whose deadline <= now, earliest first (ties in scheduling order).
  // Returns how many fired.
  std::size_t fire_due(TimePoint now) {
    std::size_t fired = 0;
    while (!timers_.empty() && timers_.begin()->first.first <= now) {
      auto callback = std::move(timers_.begin()->second);
      timers_.erase(timers_.begin());
      callback();
      ++fired;
    }
    return fired;
  }
  std::optional<TimePoint> next_deadline() const {
    if (timers_.empty()) return std::nullopt;
    return timers_.begin()->first.first;
  }
  std::size_t size() const noexcept { return timers_.size(); }

 private:
  std::map<std::pair<TimePoint, TimerId>, std::function<void()>> timers_;
  TimerId last_id_ = 0;
};

}  // namespace af::tws
