// tools/ibsim/sim_pacing.hpp — the gateway side of IB's pacing rules (tws-protocol.md §7), pure.
//
//   MessageRateMeter   client → gateway messages per rolling second; above `max_per_second`
//                      the gateway answers error 100 ("Max rate of messages per second has been
//                      exceeded:max=50 rec=N") and drops the message.
//   HistoricalPacing   the three historical-data rules; a violation is answered with error 162:
//                      identical request within 15 s; 6th request for the same contract +
//                      exchange + whatToShow within 2 s; 61st request within 10 minutes.
//                      (IB enforces them for bars <= 30 s; ibsim serves daily bars and applies
//                      them to every historical request, so a client that passes ibsim passes IB.)
// Times are steady-clock points handed in by the caller (no clock reads here).
#pragma once

#include <chrono>
#include <deque>
#include <string>

namespace af::ibsim {

using SteadyTime = std::chrono::steady_clock::time_point;

class MessageRateMeter {
 public:
  explicit MessageRateMeter(int max_per_second = 50) : max_(max_per_second) {}
  // Records a message at `now`; returns the number of messages in the last second (incl. this).
  int record(SteadyTime now) {
    times_.push_back(now);
    while (!times_.empty() && now - times_.front() >= std::chrono::seconds(1)) times_.pop_front();
    return static_cast<int>(times_.size());
  }
  bool exceeded(int rate) const { return rate > max_; }
  int max() const { return max_; }

 private:
  int max_;
  std::deque<SteadyTime> times_;
};

class HistoricalPacing {
 public:
  // `request_key` identifies the request completely (contract, end, bar size, duration, what…);
  // `contract_key` = contract + exchange + whatToShow. Returns an empty string when the request
  // may proceed (and records it), else the reason for error 162.
  std::string check(SteadyTime now, const std::string& request_key, const std::string& contract_key) {
    using namespace std::chrono;
    while (!log_.empty() && now - log_.front().t >= minutes(10)) log_.pop_front();
    int same_contract = 0;
    for (const auto& e : log_) {
      if (e.request == request_key && now - e.t < seconds(15)) {
        return "Historical Market Data Service error message:Pacing violation: identical request "
               "within 15 seconds";
      }
      if (e.contract == contract_key && now - e.t < seconds(2)) ++same_contract;
    }
    if (same_contract >= 5) {
      return "Historical Market Data Service error message:Pacing violation: 6 or more requests "
             "for the same contract within 2 seconds";
    }
    if (log_.size() >= 60) {
      return "Historical Market Data Service error message:Pacing violation: more than 60 "
             "requests within 10 minutes";
    }
    log_.push_back({now, request_key, contract_key});
    return {};
  }

 private:
  struct Entry {
    SteadyTime t;
    std::string request;
    std::string contract;
  };
  std::deque<Entry> log_;
};

}  // namespace af::ibsim
