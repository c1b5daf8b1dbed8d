// broker/tws/pacing.hpp — the one central pacing gate for everything we send to IB.
//
// Two independent limits (tws-protocol.md §7, peers.md §10):
//   MessageRateLimiter   at most N messages (default 45) in ANY rolling 1-second window. IB's hard
//                        limit is 50/s (error 100, then a disconnect). A plain token bucket with a
//                        burst of 45 refilled at 45/s would let 90 messages through one second, so
//                        this is a sliding window over the last N send times (what ib_async does).
//   HistoricalPacer      historical-data rules: no identical request within 15 s; at most 5
//                        requests for the same contract+exchange+whatToShow within 2 s ("not 6 or
//                        more"); at most 60 requests in any 10 minutes (BID_ASK counts twice); at
//                        most 50 open at once. IB says the rules bind for bars of 30 s or less; we
//                        apply them to every historical request (daily bars too) — cheap and safe.
// Time is the steady time of the injected af::Clock, passed in by the caller: no clock reads here.
// Thread-safety: none; owned by the client's owner thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <string>

namespace af::tws {

using SteadyTime = std::chrono::steady_clock::time_point;
using SteadyDuration = std::chrono::steady_clock::duration;

class MessageRateLimiter {
 public:
  struct Options {
    int max_messages = 45;                                // per window
    SteadyDuration window = std::chrono::seconds{1};
  };
  MessageRateLimiter() : MessageRateLimiter(Options{}) {}
  explicit MessageRateLimiter(Options options);

  // Records one send at `now` and returns true if the window has room; false (nothing recorded)
  // otherwise. `now` must not go backwards between calls.
  bool try_acquire(SteadyTime now);
  // Earliest time >= now at which try_acquire would succeed.
  SteadyTime next_available(SteadyTime now) const;
  // Messages recorded inside the window ending at `now`.
  int in_window(SteadyTime now) const;
  const Options& options() const noexcept { return options_; }

 private:
  void drop_expired(SteadyTime now);
  Options options_;
  std::deque<SteadyTime> sent_;  // send times, oldest first, at most max_messages entries
};

// What identifies a historical request for the pacing rules.
struct HistoricalRequestKey {
  std::string contract;      // a stable contract key: conId, or symbol/secType/expiry/strike/right
  std::string exchange;
  std::string what_to_show;  // TRADES, MIDPOINT, BID_ASK ...
  std::string end_date_time;
  std::string duration;
  std::string bar_size;
  bool use_rth = true;

  // The "identical request" key: every field.
  std::string identity() const;
  // The "same contract" key: contract + exchange + whatToShow.
  std::string contract_identity() const;
};

class HistoricalPacer {
 public:
  struct Options {
    SteadyDuration identical_gap = std::chrono::seconds{15};
    int same_contract_max = 5;  // at most 5 within same_contract_window ("not 6 or more")
    SteadyDuration same_contract_window = std::chrono::seconds{2};
    int window_max = 60;        // request units (BID_ASK = 2) per long window
    SteadyDuration window = std::chrono::minutes{10};
    int max_open = 50;
  };
  HistoricalPacer() : HistoricalPacer(Options{}) {}
  explicit HistoricalPacer(Options options);

  // Earliest time >= now at which `key` may start (ignores the open-request cap, which frees up
  // only on finish()). Returns `now` when it may start at once.
  SteadyTime earliest_start(const HistoricalRequestKey& key, SteadyTime now) const;
  // True when no open-request slot is free.
  bool at_open_limit() const noexcept { return open_ >= options_.max_open; }
  // Records the start of `key` at `now` if every rule allows it; returns false otherwise.
  bool try_start(const HistoricalRequestKey& key, SteadyTime now);
  // One started request got its answer, an error, or timed out.
  void finished() noexcept;
  int open_requests() const noexcept { return open_; }

 private:
  static int units(const HistoricalRequestKey& key);
  Options options_;
  struct Sent {
    SteadyTime at;
    std::string identity;
    std::string contract_identity;
    int units;
  };
  std::deque<Sent> history_;  // starts within the long window, oldest first
  int open_ = 0;
};

}  // namespace af::tws
