// The IB adapter (Broker interface) against the fake loopback gateway: orderRef never sent twice,
// GBX prices on the wire, positions mapped back to instrument ids.
#include <gtest/gtest.h>

#include "broker/tws/ib_broker.hpp"
#include "client_fake_gateway.hpp"

namespace af::tws {
namespace {

using namespace std::chrono_literals;
using testing::FakeGateway;

config::Instrument lse_pence_line() {
  config::Instrument i;
  i.id = InstrumentId("value_ewu");
  i.contract.symbol = "IUKD";
  i.contract.sec_type = config::SecType::kStk;
  i.contract.exchange = "SMART";
  i.contract.primary_exchange = "LSEETF";
  i.contract.currency = Currency::GBP;
  i.contract.price_unit = QuoteUnit::gbx();
  return i;
}

class ClientBroker : public ::testing::Test {
 protected:
  ClientBroker()
      : clock(Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 1 / 5}}),
        gateway(io),
        universe(std::vector<config::Instrument>{lse_pence_line()}) {}

  void connect() {
    ClientOptions o;
    o.port = gateway.port();
    o.io_wait_slice = 2ms;
    client = std::make_unique<Client>(io, clock, ids, o);
    client->set_log_sink([](ErrorSeverity, const std::string&) {});
    client->set_idle_hook([this] { clock.advance(10ms); });
    IbBroker::Options bo;
    bo.call_timeout = 5000ms;
    broker = std::make_unique<IbBroker>(*client, universe, bo);
    client->connect();
    ASSERT_TRUE(client->run_until([&] { return client->status().ready; }, 20s));
  }
  void run_until(const std::function<bool()>& done) {
    ASSERT_TRUE(client->run_until(done, 20s));
  }

  execution::OrderRequest buy(std::string ref) {
    execution::OrderRequest r;
    r.client_order_id = std::move(ref);
    r.instrument = InstrumentId("value_ewu");
    r.side = execution::OrderSide::kBuy;
    r.quantity = 10;
    r.type = execution::OrderType::kLimit;
    r.limit_price = Price{21.50, QuoteUnit::major(Currency::GBP)};
    return r;
  }

  boost::asio::io_context io;
  ManualClock clock;
  InMemoryOrderIdStore ids;
  FakeGateway gateway;
  config::InstrumentUniverse universe;
  std::unique_ptr<Client> client;
  std::unique_ptr<IbBroker> broker;
};

TEST_F(ClientBroker, PlacesOrderWithOrderRefAndPenceLimitPrice) {
  connect();
  auto placed = broker->place_order(buy("2026-01-05/s1/value_ewu/0/1"));
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  run_until([&] { return gateway.orders_received.size() == 1; });
  const auto& sent = gateway.orders_received[0];
  EXPECT_EQ(sent.order.order_ref, "2026-01-05/s1/value_ewu/0/1");
  EXPECT_EQ(sent.order.action, "BUY");
  EXPECT_DOUBLE_EQ(*sent.order.lmt_price, 2150.0);  // 21.50 GBP quoted in pence
  EXPECT_EQ(sent.contract.exchange, "SMART");
  EXPECT_EQ(sent.contract.primary_exchange, "LSEETF");
  EXPECT_EQ(sent.contract.currency, "GBP");
}

TEST_F(ClientBroker, SameClientOrderIdIsResolvedAtTheBrokerNotResent) {
  connect();
  auto first = broker->place_order(buy("ref-A"));
  ASSERT_TRUE(first.ok());
  run_until([&] { return gateway.open_orders.size() == 1; });
  auto again = broker->place_order(buy("ref-A"));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->broker_order_id, first->broker_order_id);
  client->run_one_for(5ms);
  EXPECT_EQ(gateway.orders_received.size(), 1u);
  EXPECT_GE(gateway.count<ReqOpenOrders>(), 1) << "it asked the broker by orderRef first";
}

TEST_F(ClientBroker, UnknownOutcomeAfterDropIsRefusedNotResent) {
  connect();
  gateway.behaviour.drop_after_place_order = true;
  ASSERT_TRUE(broker->place_order(buy("ref-B")).ok());
  run_until([&] { return client->status().state == SessionState::kWaitingToReconnect; });
  gateway.behaviour.drop_after_place_order = false;
  run_until([&] { return client->status().ready; });
  auto again = broker->place_order(buy("ref-B"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kRefused);
  EXPECT_EQ(gateway.orders_received.size(), 1u);
  EXPECT_GE(gateway.count<ReqExecutions>(), 1) << "executions were checked by orderRef";
}

TEST_F(ClientBroker, PositionsMapBackToInstrumentIds) {
  Position p;
  p.account = "DU1234567";
  p.contract.con_id = 1234;
  p.contract.symbol = "IUKD";
  p.contract.sec_type = "STK";
  p.contract.exchange = "LSEETF";
  p.contract.currency = "GBP";
  p.position = -25;
  p.avg_cost = 8.41;
  Position unknown = p;
  unknown.contract.symbol = "ZZZZ";
  unknown.position = 3;
  gateway.positions = {p, unknown};
  connect();
  auto positions = broker->positions();
  ASSERT_TRUE(positions.ok()) << positions.error().message;
  ASSERT_EQ(positions->size(), 2u);
  EXPECT_EQ((*positions)[0].instrument, InstrumentId("value_ewu"));
  EXPECT_EQ((*positions)[0].quantity, -25);
  EXPECT_EQ((*positions)[0].average_cost.currency, Currency::GBP);
  EXPECT_TRUE((*positions)[1].instrument.empty()) << "unknown contracts are reported, not dropped";
  EXPECT_EQ((*positions)[1].contract.symbol, "ZZZZ");
}

TEST_F(ClientBroker, OrdersRefusedWhileConnectivityIsLost) {
  connect();
  gateway.send_error(-1, 1100, "Connectivity between IBKR and Trader Workstation has been lost.");
  run_until([&] { return !broker->trading_allowed(); });
  auto refused = broker->place_order(buy("ref-C"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(gateway.orders_received.empty());
}

}  // namespace
}  // namespace af::tws
