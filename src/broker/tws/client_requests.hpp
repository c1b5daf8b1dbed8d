// broker/tws/client_requests.hpp — requests matched to their responses, with timeouts.
//
// Every request that expects an answer is opened here under a key: its reqId, or for requests
// IB answers without an id (positions, open orders, current time) a fixed per-kind key. The
// client routes each incoming message to its key; the end marker (contractDetailsEnd,
// execDetailsEnd, positionEnd, ...) or an error completes it. expire(now) completes overdue
// requests with kTimeout; fail_all() completes everything on a disconnect. Each completion runs
// exactly once.
// Thread-safety: none; owned by the client's owner thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace af::tws {

// Requests answered without a reqId; at most one of each kind is open at a time.
enum class UnkeyedRequest : int {
  kPositions = -1000,
  kOpenOrders = -1001,
  kCurrentTime = -1002,
  kNextValidId = -1003,
  kCompletedOrders = -1004,
};

struct RequestKey {
  int id = 0;  // reqId (>= 0) or an UnkeyedRequest value
  RequestKey() = default;
  explicit RequestKey(int req_id) : id(req_id) {}
  RequestKey(UnkeyedRequest kind) : id(static_cast<int>(kind)) {}  // NOLINT: implicit by design
  friend auto operator<=>(const RequestKey&, const RequestKey&) = default;
};

class RequestTracker {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Completion = std::function<void(Status)>;

  // Opens a request; `what` names it in errors ("reqContractDetails 7 (ES 202603)").
  // Fails (kInvalidArgument) if the key is already open — a duplicate id is a bug upstream.
  Status open(RequestKey key, std::string what, TimePoint deadline, Completion on_done);
  bool is_open(RequestKey key) const { return open_.count(key) > 0; }
  // Moves the deadline of an open request (e.g. to start counting when it was actually sent).
  void rearm(RequestKey key, TimePoint deadline) {
    if (auto it = open_.find(key); it != open_.end()) it->second.deadline = deadline;
  }
  // Completes `key` with `status`; returns false if it was not open (late or unknown answer).
  bool complete(RequestKey key, Status status);
  // Completes every request whose deadline <= now with a kTimeout error; returns how many.
  std::size_t expire(TimePoint now);
  // Completes every open request with `error` (connection lost, intentional disconnect).
  void fail_all(const Error& error);
  std::optional<TimePoint> next_deadline() const;
  std::size_t size() const noexcept { return open_.size(); }

 private:
  struct Entry {
    std::string what;
    TimePoint deadline;
    Completion on_done;
  };
  std::map<RequestKey, Entry> open_;
};

inline Status RequestTracker::open(RequestKey key, std::string what, TimePoint deadline,
                                   Completion on_done) {
  if (open_.count(key) > 0) {
    return Error{ErrorCode::kInvalidArgument,
                 "request " + what + ": id " + std::to_string(key.id) + " is already in flight"};
  }
  open_.emplace(key, Entry{std::move(what), deadline, std::move(on_done)});
  return ok_status();
}

inline bool RequestTracker::complete(RequestKey key, Status status) {
  auto it = open_.find(key);
  if (it == open_.end()) return false;
  auto done = std::move(it->second.on_done);
  open_.erase(it);
  if (done) done(std::move(status));
  return true;
}

inline std::size_t RequestTracker::expire(TimePoint now) {
  std::vector<std::pair<RequestKey, Entry>> due;
  for (auto it = open_.begin(); it != open_.end();) {
    if (it->second.deadline <= now) {
      due.emplace_back(it->first, std::move(it->second));
      it = open_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [key, entry] : due) {
    if (entry.on_done) {
      entry.on_done(Error{ErrorCode::kTimeout,
                          entry.what + ": no answer from the gateway before the timeout; "
                                       "check the gateway connection and pacing"});
    }
  }
  return due.size();
}

inline void RequestTracker::fail_all(const Error& error) {
  auto all = std::move(open_);
  open_.clear();
  for (auto& [key, entry] : all) {
    if (entry.on_done) entry.on_done(error.with_context(entry.what));
  }
}

inline std::optional<RequestTracker::TimePoint> RequestTracker::next_deadline() const {
  std::optional<TimePoint> next;
  for (const auto& [key, entry] : open_) {
    if (!next || entry.deadline < *next) next = entry.deadline;
  }
  return next;
}

}  // namespace af::tws
