// broker/tws/reconnect.hpp — reconnect delays: exponential backoff with jitter.
//
// The n-th consecutive failed attempt (n = 0, 1, ...) waits
//     nominal(n) = min(max_delay, initial_delay * multiplier^n)
//     delay(n)   = nominal(n) * (1 - jitter * u),   u uniform in [0, 1)
// so every delay lies in [(1 - jitter) * nominal, nominal] and never exceeds max_delay. Jitter
// spreads reconnects of several clients after a gateway restart. The random source is a seeded
// std::mt19937_64 (injected seed): the same seed gives the same delays (tests, replays).
// A successful connection calls reset(). The attempt cap (max_attempts, 0 = unlimited) lets the
// owner raise an alert and keep going with the longest delay (ib_insync #93: a restart loop
// without a cap hammers the gateway).
// Thread-safety: none; owned by the client's owner thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace af::tws {

class Backoff {
 public:
  struct Options {
    std::chrono::milliseconds initial_delay{1000};
    std::chrono::milliseconds max_delay{60000};
    double multiplier = 2.0;   // >= 1
    double jitter = 0.25;      // in [0, 1]
    int alert_after_attempts = 5;  // escalate once this many consecutive attempts failed
  };
  Backoff(Options options, std::uint64_t seed);

  // Delay before the next attempt; counts the attempt.
  std::chrono::milliseconds next_delay();
  // Nominal (jitter-free) delay of attempt n.
  std::chrono::milliseconds nominal_delay(int attempt) const;
  void reset() noexcept { attempts_ = 0; }
  int attempts() const noexcept { return attempts_; }
  // True once the consecutive failures reached alert_after_attempts (an operator should know).
  bool should_alert() const noexcept {
    return options_.alert_after_attempts > 0 && attempts_ >= options_.alert_after_attempts;
  }
  const Options& options() const noexcept { return options_; }

 private:
  Options options_;
  std::mt19937_64 rng_;
  int attempts_ = 0;
};

}  // namespace af::tws
