#include "broker/tws/pacing.hpp"

#include <algorithm>
#include <vector>

#include "core/check.hpp"

namespace af::tws {

MessageRateLimiter::MessageRateLimiter(Options options) : options_(options) {
  AF_CHECK(options_.max_messages > 0, "MessageRateLimiter: max_messages must be positive");
  AF_CHECK(options_.window > SteadyDuration::zero(), "MessageRateLimiter: window must be positive");
}

void MessageRateLimiter::drop_expired(SteadyTime now) {
  // A send at time t occupies the window (t, t + window]; at t + window it has left.
  while (!sent_.empty() && sent_.front() + options_.window <= now) sent_.pop_front();
}

bool MessageRateLimiter::try_acquire(SteadyTime now) {
  drop_expired(now);
  if (static_cast<int>(sent_.size()) >= options_.max_messages) return false;
  sent_.push_back(now);
  return true;
}

SteadyTime MessageRateLimiter::next_available(SteadyTime now) const {
  int live = in_window(now);
  if (live < options_.max_messages) return now;
  // The oldest of the live entries must leave first.
  auto oldest_live = sent_[sent_.size() - static_cast<std::size_t>(live)];
  return oldest_live + options_.window;
}

int MessageRateLimiter::in_window(SteadyTime now) const {
  int n = 0;
  for (auto it = sent_.rbegin(); it != sent_.rend() && *it + options_.window > now; ++it) ++n;
  return n;
}

std::string HistoricalRequestKey::identity() const {
  std::string s = contract_identity();
  s += '|';
  s += end_date_time;
  s += '|';
  s += duration;
  s += '|';
  s += bar_size;
  s += use_rth ? "|1" : "|0";
  return s;
}

std::string HistoricalRequestKey::contract_identity() const {
  return contract + '|' + exchange + '|' + what_to_show;
}

HistoricalPacer::HistoricalPacer(Options options) : options_(options) {
  AF_CHECK(options_.same_contract_max > 0 && options_.window_max > 0 && options_.max_open > 0,
           "HistoricalPacer: limits must be positive");
}

int HistoricalPacer::units(const HistoricalRequestKey& key) {
  return key.what_to_show == "BID_ASK" ? 2 : 1;  // IB counts BID_ASK twice (§7)
}

SteadyTime HistoricalPacer::earliest_start(const HistoricalRequestKey& key, SteadyTime now) const {
  SteadyTime earliest = now;
  const std::string identity = key.identity();
  const std::string contract_identity = key.contract_identity();

  // Rule 1: no identical request within identical_gap.
  for (const auto& s : history_) {
    if (s.identity == identity) earliest = std::max(earliest, s.at + options_.identical_gap);
  }
  // Rule 2: at most same_contract_max starts of the same contract in any same_contract_window.
  // Adding one at time T is fine when fewer than `max` earlier starts lie in (T - window, T].
  {
    std::vector<SteadyTime> same;
    for (const auto& s : history_) {
      if (s.contract_identity == contract_identity) same.push_back(s.at);
    }
    // `same` is sorted (history_ is in start order). With k entries we need the (k - max + 1)th
    // newest... simply: the start time must be >= same[k - max] + window.
    const auto k = static_cast<int>(same.size());
    if (k >= options_.same_contract_max) {
      earliest = std::max(earliest, same[static_cast<std::size_t>(k - options_.same_contract_max)] +
                                        options_.same_contract_window);
    }
  }
  // Rule 3: at most window_max units in any long window.
  {
    int need = units(key);
    int total = 0;
    for (const auto& s : history_) {
      if (s.at + options_.window > earliest) total += s.units;
    }
    // Walk from the oldest entry forward until enough units have left the window.
    auto it = history_.begin();
    while (total + need > options_.window_max && it != history_.end()) {
      if (it->at + options_.window > earliest) {
        earliest = it->at + options_.window;
        total -= it->units;
      }
      ++it;
    }
  }
  return earliest;
}

bool HistoricalPacer::try_start(const HistoricalRequestKey& key, SteadyTime now) {
  while (!history_.empty() && history_.front().at + options_.window <= now) history_.pop_front();
  if (at_open_limit()) return false;
  if (earliest_start(key, now) > now) return false;
  history_.push_back(Sent{now, key.identity(), key.contract_identity(), units(key)});
  ++open_;
  return true;
}

void HistoricalPacer::finished() noexcept {
  if (open_ > 0) --open_;
}

}  // namespace af::tws
