// Unit tests of the client's building blocks: pacing, backoff, error policy, order ids, request
// tracking and timers. Time is a plain steady time_point moved by hand (no sleeps).
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <set>
#include <vector>

#include "broker/tws/client_requests.hpp"
#include "broker/tws/client_timers.hpp"
#include "broker/tws/error_policy.hpp"
#include "broker/tws/order_ids.hpp"
#include "broker/tws/pacing.hpp"
#include "broker/tws/reconnect.hpp"

namespace af::tws {
namespace {

using namespace std::chrono_literals;
using Tp = std::chrono::steady_clock::time_point;
const Tp t0 = Tp{} + std::chrono::hours{1};

// ---- MessageRateLimiter: at most 45 in any rolling second (spec §7; IB hard limit 50) --------

TEST(ClientPacing, Allows45InOneSecondAndRefusesThe46th) {
  MessageRateLimiter limiter;
  for (int i = 0; i < 45; ++i) EXPECT_TRUE(limiter.try_acquire(t0)) << i;
  EXPECT_FALSE(limiter.try_acquire(t0));
  EXPECT_FALSE(limiter.try_acquire(t0 + 999ms));
  EXPECT_EQ(limiter.next_available(t0 + 500ms), t0 + 1s);
  EXPECT_TRUE(limiter.try_acquire(t0 + 1s));
}

TEST(ClientPacing, NoRollingSecondEverHoldsMoreThan45) {
  // Greedy sender at random instants: every accepted send is checked against all sends in the
  // preceding second. A token bucket of 45 would let 90 through a one-second window.
  MessageRateLimiter limiter;
  std::mt19937_64 rng(7);
  std::vector<Tp> accepted;
  Tp now = t0;
  for (int i = 0; i < 5000; ++i) {
    now += std::chrono::microseconds(rng() % 40000);
    if (limiter.try_acquire(now)) accepted.push_back(now);
  }
  ASSERT_GT(accepted.size(), 100u);
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    int in_window = 0;
    for (std::size_t j = 0; j <= i; ++j) {
      if (accepted[j] + 1s > accepted[i]) ++in_window;
    }
    ASSERT_LE(in_window, 45) << "at send " << i;
  }
}

TEST(ClientPacing, SpreadsA100MessageBurstOverThreeSeconds) {
  // 100 messages, each sent as soon as next_available allows: 45 at t0, 45 at t0+1s, 10 at t0+2s.
  MessageRateLimiter limiter;
  Tp now = t0;
  std::vector<Tp> sent;
  while (sent.size() < 100) {
    now = limiter.next_available(now);
    ASSERT_TRUE(limiter.try_acquire(now));
    sent.push_back(now);
  }
  EXPECT_EQ(sent[44], t0);
  EXPECT_EQ(sent[45], t0 + 1s);
  EXPECT_EQ(sent[89], t0 + 1s);
  EXPECT_EQ(sent[90], t0 + 2s);
  EXPECT_EQ(sent[99], t0 + 2s);
}

// ---- HistoricalPacer: 15 s identical, 5 per contract per 2 s, 60 per 10 min, 50 open ----------

HistoricalRequestKey hist(std::string contract, std::string end = "", std::string what = "TRADES") {
  return HistoricalRequestKey{std::move(contract), "SMART", std::move(what), std::move(end), "1 Y",
                              "1 day", true};
}

TEST(ClientPacing, HistoricalIdenticalRequestWaits15Seconds) {
  HistoricalPacer pacer;
  ASSERT_TRUE(pacer.try_start(hist("ES"), t0));
  pacer.finished();
  EXPECT_FALSE(pacer.try_start(hist("ES"), t0 + 14s));
  EXPECT_EQ(pacer.earliest_start(hist("ES"), t0 + 1s), t0 + 15s);
  // A different end date is not identical.
  EXPECT_TRUE(pacer.try_start(hist("ES", "20240101 00:00:00"), t0 + 1s));
  EXPECT_TRUE(pacer.try_start(hist("ES"), t0 + 15s));
}

TEST(ClientPacing, HistoricalSixthRequestForSameContractWithinTwoSecondsWaits) {
  HistoricalPacer pacer;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(pacer.try_start(hist("ES", "end" + std::to_string(i)), t0 + i * 100ms)) << i;
  }
  // "not 6 or more within 2 seconds": the 6th must wait until the 1st leaves the window.
  EXPECT_FALSE(pacer.try_start(hist("ES", "end5"), t0 + 1s));
  EXPECT_EQ(pacer.earliest_start(hist("ES", "end5"), t0 + 1s), t0 + 2s);
  // Another contract is not affected.
  EXPECT_TRUE(pacer.try_start(hist("NQ"), t0 + 1s));
  // Another whatToShow on the same contract counts separately.
  EXPECT_TRUE(pacer.try_start(hist("ES", "end5", "MIDPOINT"), t0 + 1s));
  EXPECT_TRUE(pacer.try_start(hist("ES", "end5"), t0 + 2s));
}

TEST(ClientPacing, HistoricalSixtyPerTenMinutesWithBidAskCountingTwice) {
  HistoricalPacer pacer;
  // 58 TRADES requests on different contracts, one per 3 s (no other rule binds).
  for (int i = 0; i < 58; ++i) {
    ASSERT_TRUE(pacer.try_start(hist("C" + std::to_string(i)), t0 + i * 3s)) << i;
    pacer.finished();
  }
  const Tp now = t0 + 58 * 3s;
  // One BID_ASK counts 2: 58 + 2 = 60 fits; then nothing more until the first leaves at t0+10min.
  ASSERT_TRUE(pacer.try_start(hist("X", "", "BID_ASK"), now));
  pacer.finished();
  EXPECT_FALSE(pacer.try_start(hist("Y"), now + 1s));
  EXPECT_EQ(pacer.earliest_start(hist("Y"), now + 1s), t0 + 10min);
  EXPECT_TRUE(pacer.try_start(hist("Y"), t0 + 10min));
}

TEST(ClientPacing, HistoricalAtMostFiftyOpen) {
  HistoricalPacer pacer;
  Tp now = t0;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(pacer.try_start(hist("C" + std::to_string(i)), now)) << i;
    now += 3s;
  }
  EXPECT_TRUE(pacer.at_open_limit());
  EXPECT_FALSE(pacer.try_start(hist("Z"), now));
  pacer.finished();
  EXPECT_TRUE(pacer.try_start(hist("Z"), now));
}

// ---- Backoff ------------------------------------------------------------------------------------

TEST(ClientBackoff, DelaysGrowExponentiallyWithinJitterBoundsAndCap) {
  Backoff::Options o;
  o.initial_delay = 1000ms;
  o.max_delay = 30000ms;
  o.multiplier = 2.0;
  o.jitter = 0.25;
  Backoff backoff(o, 42);
  // Nominal: 1, 2, 4, 8, 16, 30, 30 ... s (hand computed).
  const long nominal[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (long n : nominal) {
    const auto d = backoff.next_delay().count();
    EXPECT_GE(d, static_cast<long>(0.75 * n)) << n;
    EXPECT_LE(d, n) << n;
  }
  EXPECT_EQ(backoff.attempts(), 8);
  backoff.reset();
  const auto first = backoff.next_delay().count();
  EXPECT_GE(first, 750);
  EXPECT_LE(first, 1000);
}

TEST(ClientBackoff, SameSeedSameDelaysDifferentSeedDifferentDelays) {
  Backoff::Options o;
  Backoff a(o, 1), b(o, 1), c(o, 2);
  std::vector<long> da, db, dc;
  for (int i = 0; i < 6; ++i) {
    da.push_back(a.next_delay().count());
    db.push_back(b.next_delay().count());
    dc.push_back(c.next_delay().count());
  }
  EXPECT_EQ(da, db);
  EXPECT_NE(da, dc);
}

TEST(ClientBackoff, JitterActuallySpreadsDelays) {
  Backoff::Options o;
  o.jitter = 0.5;
  std::set<long> firsts;
  for (std::uint64_t seed = 0; seed < 20; ++seed) firsts.insert(Backoff(o, seed).next_delay().count());
  EXPECT_GT(firsts.size(), 10u);
}

TEST(ClientBackoff, AlertsAfterConfiguredConsecutiveFailures) {
  Backoff::Options o;
  o.alert_after_attempts = 3;
  Backoff backoff(o, 0);
  (void)backoff.next_delay();
  (void)backoff.next_delay();
  EXPECT_FALSE(backoff.should_alert());
  (void)backoff.next_delay();
  EXPECT_TRUE(backoff.should_alert());
  backoff.reset();
  EXPECT_FALSE(backoff.should_alert());
}

// ---- Error policy (tws-protocol.md §6) ----------------------------------------------------------

TEST(ClientErrorPolicy, ConnectivityCodes) {
  EXPECT_EQ(error_policy(1100).connection, ConnectionEffect::kConnectivityLost);
  EXPECT_EQ(error_policy(2110).connection, ConnectionEffect::kConnectivityLost);
  EXPECT_EQ(error_policy(1101).connection, ConnectionEffect::kRestoredDataLost);
  EXPECT_EQ(error_policy(1102).connection, ConnectionEffect::kRestoredDataKept);
  EXPECT_EQ(error_policy(326).connection, ConnectionEffect::kClientIdInUse);
  EXPECT_EQ(error_policy(10197).connection, ConnectionEffect::kCompetingSession);
  EXPECT_EQ(error_policy(1300).connection, ConnectionEffect::kSocketReset);
  EXPECT_EQ(error_policy(100).connection, ConnectionEffect::kRateViolation);
}

TEST(ClientErrorPolicy, FarmStatusCodesAreInformationalNotErrors) {
  for (int code : {2104, 2106, 2107, 2108, 2119, 2158}) {
    EXPECT_TRUE(is_informational(code)) << code;
    EXPECT_EQ(error_policy(code).request, RequestEffect::kNone) << code;
  }
  // Broken farms are warnings, not errors, and fail nothing.
  for (int code : {2103, 2105, 2157}) {
    EXPECT_EQ(error_policy(code).severity, ErrorSeverity::kWarning) << code;
    EXPECT_EQ(error_policy(code).request, RequestEffect::kNone) << code;
  }
  // Unlisted 21xx codes fall back to warnings.
  EXPECT_EQ(error_policy(2199).severity, ErrorSeverity::kWarning);
  EXPECT_FALSE(is_informational(201));
}

TEST(ClientErrorPolicy, OrderCodes) {
  EXPECT_EQ(error_policy(201).order, OrderEffect::kRejected);
  EXPECT_EQ(error_policy(103).order, OrderEffect::kRejected);
  EXPECT_EQ(error_policy(202).order, OrderEffect::kCancelled);
  EXPECT_EQ(error_policy(202).severity, ErrorSeverity::kInfo);
  // ib_insync #328: 404 (locate) leaves the order live; so do 399, 105, 110, 2109.
  for (int code : {399, 404, 105, 110, 329, 2102, 2109}) {
    EXPECT_EQ(error_policy(code).order, OrderEffect::kStillLive) << code;
  }
  EXPECT_EQ(error_policy(10147).order, OrderEffect::kCancelRejected);
  EXPECT_EQ(error_policy(10148).order, OrderEffect::kCancelRejected);
  EXPECT_EQ(error_policy(162).request, RequestEffect::kFailed);
  EXPECT_EQ(error_policy(200).request, RequestEffect::kFailed);
  EXPECT_EQ(error_policy(165).request, RequestEffect::kNone);
}

TEST(ClientErrorPolicy, UnknownCodeFailsTheReferencedRequest) {
  const auto p = error_policy(777);
  EXPECT_EQ(p.severity, ErrorSeverity::kError);
  EXPECT_EQ(p.request, RequestEffect::kFailed);
  EXPECT_EQ(p.connection, ConnectionEffect::kNone);
}

// ---- Order ids: never reused --------------------------------------------------------------------

TEST(ClientOrderIds, NotReadyBeforeNextValidId) {
  InMemoryOrderIdStore store;
  OrderIdAllocator ids(store);
  EXPECT_FALSE(ids.ready());
  auto id = ids.allocate();
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kUnavailable);
}

TEST(ClientOrderIds, UsesNextValidIdAndPersistsEachIdBeforeUse) {
  InMemoryOrderIdStore store;
  OrderIdAllocator ids(store);
  ASSERT_TRUE(ids.on_next_valid_id(117).ok());
  EXPECT_EQ(*ids.allocate(), 117);
  EXPECT_EQ(store.high_water(), 117);
  EXPECT_EQ(*ids.allocate(), 118);
  EXPECT_EQ(store.high_water(), 118);
}

TEST(ClientOrderIds, RollbackOfNextValidIdAfterRestartTakesPersistedPlusOne) {
  // Lean-IB #242: after the gateway restart nextValidId came back lower than ids already used.
  InMemoryOrderIdStore store;
  {
    OrderIdAllocator before_restart(store);
    ASSERT_TRUE(before_restart.on_next_valid_id(1500).ok());
    for (int i = 0; i < 15; ++i) ASSERT_TRUE(before_restart.allocate().ok());  // 1500..1514
  }
  OrderIdAllocator after_restart(store);  // new process, same store
  ASSERT_TRUE(after_restart.on_next_valid_id(1510).ok());  // rolled back
  EXPECT_EQ(*after_restart.allocate(), 1515);
}

TEST(ClientOrderIds, HigherNextValidIdWins) {
  InMemoryOrderIdStore store(100);
  OrderIdAllocator ids(store);
  ASSERT_TRUE(ids.on_next_valid_id(5000).ok());
  EXPECT_EQ(*ids.allocate(), 5000);
}

TEST(ClientOrderIds, ReconnectWithinProcessNeverGoesBack) {
  InMemoryOrderIdStore store;
  OrderIdAllocator ids(store);
  ASSERT_TRUE(ids.on_next_valid_id(10).ok());
  EXPECT_EQ(*ids.allocate(), 10);
  ids.on_disconnect();
  EXPECT_FALSE(ids.ready());
  ASSERT_TRUE(ids.on_next_valid_id(3).ok());
  EXPECT_EQ(*ids.allocate(), 11);
}

class FailingStore final : public OrderIdStore {
 public:
  Result<std::optional<OrderId>> load_high_water() override { return std::optional<OrderId>{}; }
  Status store_high_water(OrderId) override { return Error{ErrorCode::kIo, "disk full"}; }
};

TEST(ClientOrderIds, IdIsNotHandedOutWhenPersistingFails) {
  FailingStore store;
  OrderIdAllocator ids(store);
  ASSERT_TRUE(ids.on_next_valid_id(7).ok());
  auto id = ids.allocate();
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kIo);
  EXPECT_EQ(ids.peek(), 7);  // still unused
}

// ---- Request tracker and timers -------------------------------------------------------------------

TEST(ClientRequests, CompletesOnceAndTimesOut) {
  RequestTracker tracker;
  int done_ok = 0, timed_out = 0;
  ASSERT_TRUE(tracker.open(RequestKey(5), "reqContractDetails 5", t0 + 30s, [&](Status s) {
    if (s.ok()) ++done_ok;
  }).ok());
  ASSERT_TRUE(tracker.open(UnkeyedRequest::kPositions, "reqPositions", t0 + 10s, [&](Status s) {
    if (!s.ok() && s.error().code == ErrorCode::kTimeout) ++timed_out;
  }).ok());
  // Duplicate key refused.
  EXPECT_FALSE(tracker.open(RequestKey(5), "dup", t0 + 1s, {}).ok());
  EXPECT_EQ(tracker.expire(t0 + 9s), 0u);
  EXPECT_EQ(tracker.expire(t0 + 10s), 1u);
  EXPECT_EQ(timed_out, 1);
  EXPECT_TRUE(tracker.complete(RequestKey(5), ok_status()));
  EXPECT_FALSE(tracker.complete(RequestKey(5), ok_status()));  // late duplicate answer
  EXPECT_EQ(done_ok, 1);
  EXPECT_EQ(tracker.size(), 0u);
}

TEST(ClientRequests, RearmMovesTheDeadline) {
  RequestTracker tracker;
  bool timed_out = false;
  ASSERT_TRUE(tracker.open(RequestKey(1), "x", t0 + 1s, [&](Status s) { timed_out = !s.ok(); }).ok());
  tracker.rearm(RequestKey(1), t0 + 5s);
  EXPECT_EQ(tracker.expire(t0 + 4s), 0u);
  EXPECT_EQ(tracker.expire(t0 + 5s), 1u);
  EXPECT_TRUE(timed_out);
}

TEST(ClientRequests, FailAllCompletesEverything) {
  RequestTracker tracker;
  int failed = 0;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(tracker.open(RequestKey(i), "r", t0 + 1s, [&](Status s) {
      if (!s.ok() && s.error().code == ErrorCode::kUnavailable) ++failed;
    }).ok());
  }
  tracker.fail_all(Error{ErrorCode::kUnavailable, "connection lost"});
  EXPECT_EQ(failed, 3);
  EXPECT_EQ(tracker.size(), 0u);
}

TEST(ClientTimers, FireInDeadlineOrderAndCancel) {
  TimerQueue timers;
  std::vector<int> fired;
  timers.schedule_at(t0 + 2s, [&] { fired.push_back(2); });
  const auto id = timers.schedule_at(t0 + 1s, [&] { fired.push_back(1); });
  timers.schedule_at(t0 + 3s, [&] { fired.push_back(3); });
  timers.cancel(id);
  EXPECT_EQ(timers.fire_due(t0 + 2500ms), 1u);
  EXPECT_EQ(fired, std::vector<int>{2});
  EXPECT_EQ(timers.next_deadline(), t0 + 3s);
  EXPECT_EQ(timers.fire_due(t0 + 3s), 1u);
  EXPECT_EQ(fired, (std::vector<int>{2, 3}));
}

}  // namespace
}  // namespace af::tws
