// ibsim fault scripts: the parser, the rule engine, and each fault kind's effect on the message
// stream (driven without sockets through the shared codec, time moved by a ManualClock).
#include <gtest/gtest.h>

#include "faults.hpp"
#include "ibsim_harness.hpp"

namespace af::ibsim::testing {
namespace {

FaultScript script(const std::string& text) {
  auto s = parse_fault_script(text, "test.faults");
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? *s : FaultScript{};
}

std::vector<std::string> statuses(const std::vector<tws::IncomingMessage>& msgs, int order_id) {
  std::vector<std::string> out;
  for (const auto& s : RawClient::only<tws::OrderStatus>(msgs)) {
    if (s.order_id == order_id) out.push_back(s.status);
  }
  return out;
}

TEST(IbsimFaultParser, ParsesEveryTriggerAndAction) {
  const auto s = script(R"(# a comment
set fill_chunks=3 fill_interval=0.5
message n=12 -> drop
place_order nth=2 -> drop lose=1       # trailing comment
partial_fill -> drop
connect nth=2 times=0 -> connectivity_lost restore=1101 after=5
place_order ref=probe -> reject code=201 text="Order rejected - reason: margin # not a comment"
date 2020-06-02 -> restart rollback=5 down=2
disconnect -> fill_open_orders
place_order -> suppress_status count=2
market_data -> competing_session duration=60
request id=61 nth=1 -> delay seconds=3
connect -> error code=2110 text="Connectivity between TWS and server is broken."
)");
  ASSERT_EQ(s.rules.size(), 11u);
  EXPECT_EQ(s.options.at("fill_chunks"), "3");
  EXPECT_EQ(s.rules[0].trigger, TriggerKind::kMessage);
  EXPECT_EQ(s.rules[0].n, 12);
  EXPECT_EQ(s.rules[1].action.int_arg("lose", 0), 1);
  EXPECT_EQ(s.rules[3].times, 0);
  EXPECT_EQ(s.rules[3].action.int_arg("restore", 0), 1101);
  EXPECT_EQ(s.rules[4].ref_prefix, "probe");
  EXPECT_EQ(s.rules[4].action.str_arg("text"), "Order rejected - reason: margin # not a comment");
  EXPECT_EQ(s.rules[5].date, Date(2020, 6, 2));
  EXPECT_EQ(s.rules[5].action.kind, ActionKind::kRestart);
  EXPECT_EQ(s.rules[9].request_id, 61);
  EXPECT_EQ(s.rules[9].action.double_arg("seconds", 0), 3.0);
}

TEST(IbsimFaultParser, ErrorsNameTheLineAndWhatIsExpected) {
  auto expect_error = [](const std::string& text, const std::string& needle) {
    auto s = parse_fault_script(text, "f");
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_NE(s.error().message.find(needle), std::string::npos) << s.error().message;
  };
  expect_error("\n\nexplode -> drop", "f:3: unknown trigger `explode`");
  expect_error("connect -> explode", "unknown action `explode`");
  expect_error("connect drop", "expected `<trigger> [k=v..] -> <action> [k=v..]`");
  expect_error("message -> drop", "`message` needs n=N");
  expect_error("message n=x -> drop", "must be a number");
  expect_error("connect -> drop colour=red", "unknown argument `colour`");
  expect_error("connect -> connectivity_lost restore=1300", "must be 1101 or 1102");
  expect_error("connect -> delay", "`delay` needs seconds=S");
  expect_error("date 2020-02-30 -> restart", "`date`");
  expect_error("set speed=3", "unknown option `speed`");
  expect_error("connect -> error code=1 text=\"open", "unterminated double quote");
}

TEST(IbsimFaultEngine, NthAndTimes) {
  FaultEngine e(script("connect nth=2 -> drop\nconnect nth=3 times=0 -> suppress_status\n"));
  auto kinds = [&] {
    std::vector<ActionKind> out;
    for (const auto& a : e.on_event({TriggerKind::kConnect})) out.push_back(a.kind);
    return out;
  };
  EXPECT_TRUE(kinds().empty());                                          // 1st
  EXPECT_EQ(kinds(), (std::vector<ActionKind>{ActionKind::kDrop}));      // 2nd
  EXPECT_EQ(kinds(), (std::vector<ActionKind>{ActionKind::kSuppressStatus}));  // 3rd
  EXPECT_EQ(kinds(), (std::vector<ActionKind>{ActionKind::kSuppressStatus}));  // unlimited
}

TEST(IbsimFaults, DropAfterNMessages) {
  SimHarness h(script("message n=3 -> drop"));
  RawClient c(h);  // message 1: startApi
  c.send(tws::ReqCurrentTime{});
  EXPECT_FALSE(c.closed());
  c.send(tws::ReqCurrentTime{});  // message 3: answered, then the connection drops
  EXPECT_TRUE(c.closed());
  EXPECT_EQ(RawClient::only<tws::CurrentTime>(c.take()).size(), 2u);
  RawClient again(h);  // the rule fired once; a new session is not dropped
  again.send(tws::ReqCurrentTime{});
  again.send(tws::ReqCurrentTime{});
  EXPECT_FALSE(again.closed());
}

TEST(IbsimFaults, DropAfterPlaceOrderBeforeTheAcknowledgement) {
  SimHarness h(script("place_order -> drop"));
  RawClient c(h);
  c.take();
  c.send(order(1, "BUY", 10, "MKT", std::nullopt, "idem-1"));
  EXPECT_TRUE(c.closed());
  EXPECT_TRUE(RawClient::only<tws::OpenOrder>(c.take()).empty());  // no acknowledgement
  h.sim->poll();  // the gateway had the order: it fills while the client is away
  EXPECT_EQ(h.sim->state().find_order(7, 1)->status, "Filled");
  RawClient back(h);
  EXPECT_EQ(RawClient::only<tws::NextValidId>(back.take())[0].order_id, 2);
  back.send(tws::ReqExecutions{1, {}});
  const auto execs = RawClient::only<tws::ExecDetails>(back.take());
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_EQ(execs[0].execution.order_ref, "idem-1");
}

TEST(IbsimFaults, DropWithLoseMeansTheOrderNeverArrived) {
  SimHarness h(script("place_order -> drop lose=1"));
  RawClient c(h);
  c.send(order(1, "BUY", 10, "MKT", std::nullopt, "idem-1"));
  EXPECT_TRUE(c.closed());
  h.sim->poll();
  EXPECT_TRUE(h.sim->state().orders.empty());
  RawClient back(h);
  back.send(tws::ReqOpenOrders{});
  auto msgs = back.take();
  EXPECT_EQ(RawClient::only<tws::NextValidId>(msgs)[0].order_id, 1);
  EXPECT_TRUE(RawClient::only<tws::OpenOrder>(msgs).empty());
}

TEST(IbsimFaults, DropBetweenPartialFills) {
  SimConfig cfg;
  cfg.fill_chunks = 2;
  SimHarness h(script("partial_fill nth=1 -> drop"), cfg);
  RawClient c(h);
  c.take();
  c.send(order(1, "BUY", 10, "MKT"));
  h.sim->poll();
  EXPECT_TRUE(c.closed());
  const auto seen = c.take();
  ASSERT_EQ(RawClient::only<tws::ExecDetails>(seen).size(), 1u);  // only the first partial
  EXPECT_EQ(statuses(seen, 1).back(), "Submitted");
  EXPECT_EQ(h.sim->state().find_order(7, 1)->status, "Filled");  // the rest filled meanwhile
  RawClient back(h);
  back.send(tws::ReqExecutions{2, {}});
  EXPECT_EQ(RawClient::only<tws::ExecDetails>(back.take()).size(), 2u);
}

TEST(IbsimFaults, ConnectivityLostThen1101AndHeldFills) {
  SimHarness h(script("connect -> connectivity_lost restore=1101 after=5"));
  RawClient c(h);
  const auto start = RawClient::error_codes(c.take());
  EXPECT_EQ(std::vector<int>(start.end() - 3, start.end()), (std::vector<int>{2103, 2105, 1100}));
  tws::ReqMktData md;
  md.ticker_id = 4;
  md.contract = test_contract();
  c.send(md);  // a streaming subscription that will not survive
  c.send(order(1, "BUY", 10, "MKT"));
  h.sim->poll();
  auto during = c.take();
  EXPECT_TRUE(RawClient::only<tws::ExecDetails>(during).empty());  // execution reports wait
  h.clock.advance(std::chrono::seconds(5));
  h.sim->poll();
  auto after = c.take();
  EXPECT_EQ(RawClient::error_codes(after), (std::vector<int>{2104, 2106, 1101}));
  EXPECT_EQ(RawClient::only<tws::ExecDetails>(after).size(), 1u);
}

TEST(IbsimFaults, ConnectivityLostThen1102) {
  SimHarness h;
  RawClient c(h);
  c.take();
  EXPECT_EQ(h.sim->control("now connectivity_lost restore=1102 after=2"), "ok");
  EXPECT_EQ(RawClient::error_codes(c.take()), (std::vector<int>{2103, 2105, 1100}));
  h.clock.advance(std::chrono::seconds(2));
  h.sim->poll();
  EXPECT_EQ(RawClient::error_codes(c.take()), (std::vector<int>{2104, 2106, 1102}));
}

TEST(IbsimFaults, NightlyRestartRollsTheNextValidIdBack) {
  SimHarness h(script("date 2020-01-09 -> restart rollback=5 down=10"));
  RawClient c(h);
  c.take();
  for (int id = 1; id <= 6; ++id) c.send(order(id, "BUY", 1, "MKT"));
  h.sim->poll();
  h.sim->control("advance 1d");
  h.sim->poll();
  EXPECT_TRUE(c.closed());
  RawClient early(h);
  EXPECT_TRUE(early.closed());  // still restarting
  h.clock.advance(std::chrono::seconds(10));
  RawClient back(h);
  EXPECT_EQ(RawClient::only<tws::NextValidId>(back.take())[0].order_id, 2);  // 7 - 5
  back.send(order(2, "BUY", 1, "MKT"));  // a client that trusts nextValidId reuses id 2
  EXPECT_EQ(RawClient::error_codes(back.take()), (std::vector<int>{104}));
}

TEST(IbsimFaults, FillsWhileTheClientIsDisconnected) {
  SimHarness h(script("disconnect -> fill_open_orders"));
  RawClient c(h);
  c.take();
  c.send(order(1, "BUY", 10, "LMT", 101.0, "resting", "GTC"));
  h.sim->poll();
  h.sim->on_closed(c.id);
  EXPECT_EQ(h.sim->state().find_order(7, 1)->status, "Filled");
  RawClient back(h);
  back.send(tws::ReqPositions{});
  const auto pos = RawClient::only<tws::Position>(back.take());
  ASSERT_EQ(pos.size(), 1u);
  EXPECT_DOUBLE_EQ(*pos[0].position, 10);
  EXPECT_DOUBLE_EQ(pos[0].avg_cost, 101.0);  // at its limit
}

TEST(IbsimFaults, SuppressedOrderStatusCallbacks) {
  SimHarness h(script("place_order -> suppress_status count=2"));
  RawClient c(h);
  c.take();
  c.send(order(1, "BUY", 10, "MKT"));
  auto ack = c.take();
  EXPECT_TRUE(statuses(ack, 1).empty());                       // both acks swallowed
  EXPECT_EQ(RawClient::only<tws::OpenOrder>(ack).size(), 2u);  // openOrder still arrives
  h.sim->poll();
  EXPECT_EQ(statuses(c.take(), 1), (std::vector<std::string>{"Filled"}));
}

TEST(IbsimFaults, ScriptedRejection) {
  SimHarness h(script("place_order ref=bad -> reject code=201 text=\"Order rejected - reason:margin\""));
  RawClient c(h);
  c.take();
  c.send(order(1, "BUY", 10, "MKT", std::nullopt, "good-1"));
  c.send(order(2, "BUY", 10, "MKT", std::nullopt, "bad-1"));
  const auto msgs = c.take();
  const auto errs = RawClient::only<tws::ErrorMsg>(msgs);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].id, 2);
  EXPECT_EQ(errs[0].code, 201);
  EXPECT_EQ(errs[0].message, "Order rejected - reason:margin");
  EXPECT_EQ(statuses(msgs, 2), (std::vector<std::string>{"Inactive"}));
  EXPECT_EQ(statuses(msgs, 1), (std::vector<std::string>{"PreSubmitted", "Submitted"}));
}

TEST(IbsimFaults, CompetingSessionGives10197ForAWhile) {
  SimHarness h(script("market_data -> competing_session duration=60"));
  RawClient c(h);
  c.take();
  tws::ReqMktData md;
  md.ticker_id = 9;
  md.contract = test_contract();
  md.snapshot = true;
  c.send(md);
  EXPECT_EQ(RawClient::error_codes(c.take()), (std::vector<int>{10197}));
  h.clock.advance(std::chrono::seconds(61));
  md.ticker_id = 10;
  c.send(md);
  auto msgs = c.take();
  EXPECT_TRUE(RawClient::error_codes(msgs).empty());
  EXPECT_FALSE(RawClient::only<tws::TickPrice>(msgs).empty());
}

TEST(IbsimFaults, DelayedReplies) {
  SimHarness h(script("request id=61 -> delay seconds=3"));
  RawClient c(h);
  c.take();
  c.send(tws::ReqPositions{});
  EXPECT_TRUE(c.take().empty());
  h.clock.advance(std::chrono::seconds(2));
  h.sim->poll();
  EXPECT_TRUE(c.take().empty());
  h.clock.advance(std::chrono::seconds(1));
  h.sim->poll();
  auto msgs = c.take();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<tws::PositionEnd>(msgs[0]));
}

TEST(IbsimFaults, ArbitraryErrorOnConnect) {
  SimHarness h(script("connect -> error code=2110 text=\"Connectivity between TWS and server is broken.\""));
  RawClient c(h);
  const auto codes = RawClient::error_codes(c.take());
  EXPECT_EQ(codes.back(), 2110);
}

}  // namespace
}  // namespace af::ibsim::testing
