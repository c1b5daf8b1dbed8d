// The client against a fake in-process gateway over loopback (codec on both ends).
// Time is a ManualClock: timeouts, heartbeat, backoff and pacing move only when the test moves
// the clock (directly, or through the idle hook while waiting for loopback I/O). No sleeps.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "broker/tws/client.hpp"
#include "client_fake_gateway.hpp"

namespace af::tws {
namespace {

using namespace std::chrono_literals;
using testing::FakeGateway;

Timestamp start_time() {
  return std::chrono::sys_days{std::chrono::year{2026} / 1 / 5} + std::chrono::hours{12};
}

struct Recorder : ClientObserver {
  int ready = 0;
  std::vector<std::pair<std::string, bool>> disconnects;  // reason, intentional
  std::vector<ConnectionEffect> events;
  std::vector<std::pair<int, bool>> errors;  // code, order_related
  void on_ready(const ConnectionStatus&) override { ++ready; }
  void on_disconnected(const std::string& reason, bool intentional, bool) override {
    disconnects.emplace_back(reason, intentional);
  }
  void on_connection_event(ConnectionEffect e, const ErrorMsg&) override { events.push_back(e); }
  void on_error(const ErrorMsg& e, const ErrorPolicy&, bool order_related) override {
    errors.emplace_back(e.code, order_related);
  }
};

class ClientSession : public ::testing::Test {
 protected:
  ClientSession() : clock(start_time()), gateway(io) {
    gateway.behaviour.current_time =
        std::chrono::duration_cast<std::chrono::seconds>(start_time().time_since_epoch()).count();
  }

  ClientOptions options() {
    ClientOptions o;
    o.port = gateway.port();
    o.client_id = 7;
    o.io_wait_slice = 2ms;
    o.backoff.initial_delay = 1000ms;
    o.backoff.max_delay = 8000ms;
    return o;
  }

  void make_client(ClientOptions o) {
    client = std::make_unique<Client>(io, clock, ids, o);
    client->set_observer(&recorder);
    client->set_log_sink([this](ErrorSeverity s, const std::string& m) { logs.emplace_back(s, m); });
    // While waiting for loopback I/O, let 10 ms of simulated time pass per idle round.
    client->set_idle_hook([this] { clock.advance(10ms); });
  }

  // Runs the loop (real waits for loopback I/O only) until `done`, failing the test otherwise.
  void wait_for(const std::function<bool()>& done, std::chrono::milliseconds sim_timeout = 20s) {
    ASSERT_TRUE(client->run_until(done, sim_timeout)) << "condition not reached; state "
                                                       << to_string(client->status().state);
  }
  // Runs the loop for a few rounds without moving the clock.
  void pump(int rounds = 20) {
    for (int i = 0; i < rounds; ++i) client->run_one_for(2ms);
  }
  void connect_ready() {
    make_client(options());
    client->connect();
    wait_for([&] { return client->status().ready; });
  }

  boost::asio::io_context io;
  ManualClock clock;
  InMemoryOrderIdStore ids;
  FakeGateway gateway;
  Recorder recorder;
  std::vector<std::pair<ErrorSeverity, std::string>> logs;
  std::unique_ptr<Client> client;
};

Contract aapl() {
  Contract c;
  c.symbol = "AAPL";
  c.sec_type = "STK";
  c.exchange = "SMART";
  c.primary_exchange = "NASDAQ";
  c.currency = "USD";
  return c;
}

Order limit_buy(std::string ref) {
  Order o;
  o.action = "BUY";
  o.total_quantity = 100;
  o.order_type = "LMT";
  o.lmt_price = 150.25;
  o.tif = "DAY";
  o.order_ref = std::move(ref);
  return o;
}

TEST_F(ClientSession, HandshakeReportsServerVersionAccountsAndClientId) {
  connect_ready();
  const auto& st = client->status();
  EXPECT_EQ(st.state, SessionState::kReady);
  EXPECT_EQ(st.server_version, 178);
  EXPECT_EQ(st.connection_time, "20260105 12:00:00 UTC");
  EXPECT_EQ(st.accounts, std::vector<std::string>{"DU1234567"});
  EXPECT_EQ(st.client_id, 7);
  EXPECT_EQ(gateway.start_api_client_ids, std::vector<int>{7});
  EXPECT_EQ(recorder.ready, 1);
  EXPECT_TRUE(st.trading_allowed());
}

TEST_F(ClientSession, ReadyOnlyAfterBothManagedAccountsAndNextValidId) {
  gateway.behaviour.send_accounts = false;
  gateway.behaviour.send_next_valid_id = false;
  make_client(options());
  client->connect();
  wait_for([&] { return gateway.count<StartApi>() == 1; });
  pump();
  EXPECT_EQ(client->status().state, SessionState::kAwaitingReady);  // port open, not ready
  gateway.send(NextValidId{117});
  pump();
  EXPECT_FALSE(client->status().ready) << "nextValidId alone is not readiness";
  gateway.send(ManagedAccounts{"DU1,DU2,"});
  wait_for([&] { return client->status().ready; });
  EXPECT_EQ(client->status().accounts, (std::vector<std::string>{"DU1", "DU2"}));
  EXPECT_EQ(client->order_ids().peek(), 117);
}

TEST_F(ClientSession, NotReadyWhenGatewayNeverAuthenticatesAndTimesOut) {
  gateway.behaviour.send_next_valid_id = false;  // e.g. gateway up but not logged in
  auto o = options();
  o.auto_reconnect = false;
  o.connect_timeout = 5000ms;
  make_client(o);
  client->connect();
  wait_for([&] { return client->status().state == SessionState::kClosed; }, 10s);
  EXPECT_FALSE(client->status().ready);
  EXPECT_NE(client->status().last_error.find("did not complete the API handshake"), std::string::npos);
}

TEST_F(ClientSession, RequestsIssuedBeforeReadinessAreQueuedThenSent) {
  gateway.behaviour.send_next_valid_id = false;
  make_client(options());
  client->connect();
  ASSERT_TRUE(client->send(ReqMarketDataType{3}).ok());
  wait_for([&] { return gateway.count<StartApi>() == 1; });
  pump();
  EXPECT_EQ(gateway.count<ReqMarketDataType>(), 0);
  gateway.send(NextValidId{1});
  wait_for([&] { return gateway.count<ReqMarketDataType>() == 1; });
}

TEST_F(ClientSession, InformationalFarmCodesAreNotLoggedAsErrors) {
  connect_ready();
  pump();
  int infos = 0;
  for (const auto& [severity, message] : logs) {
    EXPECT_NE(severity, ErrorSeverity::kError) << message;
    if (message.find("2104") != std::string::npos) infos += severity == ErrorSeverity::kInfo;
  }
  EXPECT_EQ(infos, 1);
}

TEST_F(ClientSession, ConnectivityLostStopsTradingUntil1102) {
  connect_ready();
  gateway.send_error(-1, 1100, "Connectivity between IBKR and Trader Workstation has been lost.");
  wait_for([&] { return client->status().connectivity_lost; });
  EXPECT_FALSE(client->status().trading_allowed());
  auto refused = client->place_order(aapl(), limit_buy("r-1"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  pump();
  EXPECT_TRUE(gateway.orders_received.empty()) << "nothing may be sent during 1100";

  gateway.send_error(-1, 1102, "Connectivity between IBKR and Trader Workstation has been "
                               "restored - data maintained.");
  wait_for([&] { return !client->status().connectivity_lost; });
  EXPECT_TRUE(client->status().trading_allowed());
  EXPECT_FALSE(client->status().market_data_lost);
  EXPECT_EQ(recorder.events, (std::vector<ConnectionEffect>{ConnectionEffect::kConnectivityLost,
                                                            ConnectionEffect::kRestoredDataKept}));
}

TEST_F(ClientSession, Restored1101MarksMarketDataLostUntilResubscribed) {
  connect_ready();
  gateway.send_error(-1, 1100, "lost");
  gateway.send_error(-1, 1101, "Connectivity between IBKR and Trader Workstation has been "
                               "restored - data lost.");
  wait_for([&] { return client->status().market_data_lost; });
  EXPECT_TRUE(client->status().trading_allowed());
  EXPECT_EQ(recorder.events.back(), ConnectionEffect::kRestoredDataLost);
  client->acknowledge_resubscribed();
  EXPECT_FALSE(client->status().market_data_lost);
}

TEST_F(ClientSession, CompetingSessionIsFlagged) {
  connect_ready();
  gateway.send_error(5, 10197, "No market data during competing live session");
  wait_for([&] { return client->status().competing_session; });
  EXPECT_EQ(recorder.events.back(), ConnectionEffect::kCompetingSession);
}

TEST_F(ClientSession, ClientIdInUseRetriesWithTheNextId) {
  gateway.behaviour.client_ids_in_use = {7};
  make_client(options());
  client->connect();
  wait_for([&] { return client->status().ready; }, 60s);
  EXPECT_EQ(gateway.start_api_client_ids, (std::vector<int>{7, 8}));
  EXPECT_EQ(client->status().client_id, 8);
  EXPECT_EQ(gateway.connections_accepted, 2);
}

TEST_F(ClientSession, RequestTimesOutOnTheInjectedClock) {
  gateway.behaviour.answer_positions = false;
  connect_ready();
  std::optional<Status> outcome;
  ASSERT_TRUE(client->request(UnkeyedRequest::kPositions, ReqPositions{}, "reqPositions", {},
                              [&](Status s) { outcome = std::move(s); }, 5000ms)
                  .ok());
  pump();
  ASSERT_EQ(gateway.count<ReqPositions>(), 1);
  clock.advance(4999ms);
  client->poll();
  EXPECT_FALSE(outcome.has_value());
  clock.advance(1ms);
  client->poll();
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(outcome->ok());
  EXPECT_EQ(outcome->error().code, ErrorCode::kTimeout);
}

TEST_F(ClientSession, ResponsesAreMatchedByRequestKey) {
  Position p;
  p.account = "DU1234567";
  p.contract = aapl();
  p.contract.con_id = 265598;
  p.position = 100;
  p.avg_cost = 150.0;
  gateway.positions = {p, p};
  connect_ready();
  int positions = 0;
  bool done = false;
  ASSERT_TRUE(client->request(
                      UnkeyedRequest::kPositions, ReqPositions{}, "reqPositions",
                      [&](const IncomingMessage& m) { positions += std::holds_alternative<Position>(m); },
                      [&](Status s) { done = s.ok(); })
                  .ok());
  wait_for([&] { return done; });
  EXPECT_EQ(positions, 2);
}

TEST_F(ClientSession, ErrorWithRequestIdFailsThatRequest) {
  connect_ready();
  const int req_id = client->next_request_id();
  std::optional<Status> outcome;
  ReqContractDetails r;
  r.req_id = req_id;
  r.contract = aapl();
  ASSERT_TRUE(client->request(RequestKey(req_id), r, "reqContractDetails", {},
                              [&](Status s) { outcome = std::move(s); })
                  .ok());
  wait_for([&] { return gateway.count<ReqContractDetails>() == 1; });
  gateway.send_error(req_id, 200, "No security definition has been found for the request");
  wait_for([&] { return outcome.has_value(); });
  ASSERT_FALSE(outcome->ok());
  EXPECT_EQ(outcome->error().code, ErrorCode::kNotFound);
  EXPECT_NE(outcome->error().message.find("200"), std::string::npos);
}

TEST_F(ClientSession, OrderErrorsAreRoutedToTheOrder) {
  connect_ready();
  auto id = client->place_order(aapl(), limit_buy("r-err"));
  ASSERT_TRUE(id.ok());
  wait_for([&] { return gateway.orders_received.size() == 1; });
  gateway.send_error(static_cast<int>(*id), 201, "Order rejected - reason: margin");
  wait_for([&] { return !recorder.errors.empty() && recorder.errors.back().first == 201; });
  EXPECT_TRUE(recorder.errors.back().second) << "201 with our order id is order-related";
}

TEST_F(ClientSession, ReconnectsAfterADropWithBackoff) {
  connect_ready();
  gateway.drop();
  wait_for([&] { return client->status().state == SessionState::kWaitingToReconnect; });
  EXPECT_EQ(recorder.disconnects.size(), 1u);
  EXPECT_FALSE(recorder.disconnects[0].second) << "a drop is not intentional";
  EXPECT_EQ(client->status().reconnect_attempts, 1);
  wait_for([&] { return client->status().ready; }, 30s);
  EXPECT_EQ(gateway.connections_accepted, 2);
  EXPECT_EQ(client->status().sessions, 2);
  EXPECT_EQ(client->status().reconnect_attempts, 0);
}

TEST_F(ClientSession, BackoffGrowsWhileTheGatewayStaysDown) {
  auto o = options();
  o.port = 1;  // nothing listens on port 1: connect refused
  make_client(o);
  client->connect();
  wait_for([&] { return client->status().reconnect_attempts >= 3; }, 60s);
  EXPECT_FALSE(client->status().ready);
  EXPECT_NE(client->status().last_error.find("cannot connect"), std::string::npos);
}

TEST_F(ClientSession, IntentionalDisconnectDoesNotReconnect) {
  connect_ready();
  client->disconnect("end of run");
  EXPECT_EQ(client->status().state, SessionState::kClosed);
  ASSERT_EQ(recorder.disconnects.size(), 1u);
  EXPECT_TRUE(recorder.disconnects[0].second);
  clock.advance(std::chrono::hours{1});
  pump();
  EXPECT_EQ(gateway.connections_accepted, 1);
  for (const auto& [severity, message] : logs) EXPECT_NE(severity, ErrorSeverity::kError) << message;
}

TEST_F(ClientSession, OrderLostInADropIsNeverResent) {
  // The gateway closes the socket right after placeOrder (before any acknowledgement) and comes
  // back with nextValidId rolled back to 1: the order's outcome is unknown.
  gateway.behaviour.next_valid_id = 1;
  connect_ready();
  gateway.behaviour.drop_after_place_order = true;
  auto first = client->place_order(aapl(), limit_buy("ord-1"));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 1);
  wait_for([&] { return client->status().state == SessionState::kWaitingToReconnect; });
  gateway.behaviour.drop_after_place_order = false;
  wait_for([&] { return client->status().ready; }, 30s);
  pump();
  ASSERT_EQ(gateway.orders_received.size(), 1u) << "the client must not resend on reconnect";
  // New orders never reuse id 1 although nextValidId rolled back to 1.
  auto second = client->place_order(aapl(), limit_buy("ord-2"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 2);
  wait_for([&] { return gateway.orders_received.size() == 2; });
  EXPECT_EQ(gateway.orders_received[1].order.order_ref, "ord-2");
}

TEST_F(ClientSession, HeartbeatMeasuresClockOffset) {
  connect_ready();
  // The gateway's clock runs 3 s ahead of ours when the heartbeat (10 s interval) goes out.
  gateway.behaviour.current_time =
      std::chrono::duration_cast<std::chrono::seconds>((clock.now() + 10s).time_since_epoch())
          .count() +
      3;
  clock.advance(10s);
  client->poll();
  wait_for([&] { return client->status().clock_offset_seconds.has_value(); });
  EXPECT_NEAR(*client->status().clock_offset_seconds, 3.0, 1.0);
  EXPECT_GE(gateway.count<ReqCurrentTime>(), 1);
}

TEST_F(ClientSession, MissingHeartbeatAnswerDropsAStalledConnection) {
  gateway.behaviour.answer_current_time = false;
  auto o = options();
  o.auto_reconnect = false;
  make_client(o);
  client->connect();
  wait_for([&] { return client->status().ready; });
  clock.advance(10s);
  client->poll();
  pump();
  ASSERT_EQ(gateway.count<ReqCurrentTime>(), 1);
  clock.advance(30s);
  client->poll();
  EXPECT_EQ(client->status().state, SessionState::kClosed);
  EXPECT_NE(client->status().last_error.find("heartbeat"), std::string::npos);
}

TEST_F(ClientSession, PacingHoldsBackMessagesAbove45PerSecond) {
  connect_ready();
  const int before = static_cast<int>(gateway.received.size());  // startApi (+ nothing else)
  ASSERT_EQ(before, 1);
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(client->send(ReqMarketDataType{1}).ok());
  pump(50);
  // startApi used one slot of this second (clock frozen): 44 more fit.
  EXPECT_EQ(gateway.count<ReqMarketDataType>(), 44);
  clock.advance(1s);
  client->poll();
  pump(50);
  EXPECT_EQ(gateway.count<ReqMarketDataType>(), 60);
}

}  // namespace
}  // namespace af::tws
