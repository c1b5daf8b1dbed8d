// tests/ibsim/ibsim_harness.hpp — drives af::ibsim::Simulator without sockets: a fake transport
// that keeps what the simulator sends per connection, and a raw client that speaks through the
// shared codec (tws::encode(Request) in, tws::decode_incoming out). Time is a ManualClock.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "broker/tws/codec.hpp"
#include "core/clock.hpp"
#include "simulator.hpp"

namespace af::ibsim::testing {

class FakeTransport final : public Transport {
 public:
  void send(ConnId conn, std::string bytes) override { out[conn] += bytes; }
  void close(ConnId conn) override { closed.insert(conn); }
  std::map<ConnId, std::string> out;
  std::set<ConnId> closed;
};

// Five sessions of a test series "sp500": closes 100, 101, 102, 103, 104 (2020-01-06..10),
// open = close - 0.5, high = close + 1, low = close - 1, volume 1000.
inline MarketData test_data() {
  std::vector<DailyBar> bars;
  for (int i = 0; i < 5; ++i) {
    DailyBar b;
    b.date = Date(2020, 1, 6).add_days(i);
    b.close = 100.0 + i;
    b.open = b.close - 0.5;
    b.high = b.close + 1.0;
    b.low = b.close - 1.0;
    b.volume = 1000;
    bars.push_back(b);
  }
  return MarketData::from_bars({{"sp500", bars}});
}

inline std::vector<InstrumentSpec> test_specs() {
  InstrumentSpec stk;
  stk.id = "test_stock";
  stk.symbol = "TEST";
  stk.sec_type = "STK";
  stk.exchange = "SMART";
  stk.primary_exchange = "NYSE";
  stk.currency = "USD";
  stk.data_series = "sp500";
  stk.tick_size = 0.01;
  InstrumentSpec fut;
  fut.id = "test_future";
  fut.symbol = "ES";
  fut.sec_type = "FUT";
  fut.exchange = "CME";
  fut.currency = "USD";
  fut.multiplier = 50;
  fut.tick_size = 0.25;
  fut.data_series = "sp500";
  InstrumentSpec opt;
  opt.id = "test_option";
  opt.symbol = "SPX";
  opt.sec_type = "OPT";
  opt.exchange = "CBOE";
  opt.currency = "USD";
  opt.multiplier = 100;
  opt.data_series = "sp500";
  return {stk, fut, opt};
}

inline tws::Contract test_contract() {
  tws::Contract c;
  c.symbol = "TEST";
  c.sec_type = "STK";
  c.exchange = "SMART";
  c.currency = "USD";
  return c;
}

inline tws::PlaceOrder order(int id, const std::string& action, double qty, const std::string& type,
                             std::optional<double> lmt = std::nullopt, const std::string& ref = "",
                             const std::string& tif = "DAY") {
  tws::PlaceOrder p;
  p.order_id = id;
  p.contract = test_contract();
  p.order.action = action;
  p.order.total_quantity = qty;
  p.order.order_type = type;
  p.order.lmt_price = lmt;
  p.order.order_ref = ref;
  p.order.tif = tif;
  return p;
}

// One simulator with a manual clock; simulated start 2020-01-08 14:30 UTC (close 102: bid
// 101.99, ask 102.01).
struct SimHarness {
  explicit SimHarness(FaultScript script = {}, SimConfig config = {}) {
    if (!config.start_date) config.start_date = Date(2020, 1, 8);
    auto data = test_data();
    auto catalog = InstrumentCatalog::build(
        test_specs(), *config.start_date,
        [&data](const std::string& s, const std::string& y) { return data.last_price(s, y, Date(2020, 1, 8)); });
    sim = std::make_unique<Simulator>(config, clock, std::move(catalog), std::move(data),
                                      FaultEngine(std::move(script)), transport);
    auto st = sim->start();
    EXPECT_TRUE(st.ok());
  }

  ManualClock clock{Timestamp{} + std::chrono::hours(1)};
  FakeTransport transport;
  std::unique_ptr<Simulator> sim;
};

// A raw API client over the harness.
struct RawClient {
  RawClient(SimHarness& h, int client_id = 7, int min_version = 100, int max_version = 193)
      : h(h) {
    id = h.sim->on_accept();
    h.sim->on_bytes(id, tws::encode_client_hello({min_version, max_version, ""}));
    if (!closed()) send(tws::StartApi{client_id, ""});
  }
  void send(const tws::Request& r) { h.sim->on_bytes(id, tws::encode(r)); }
  bool closed() const { return h.transport.closed.count(id) != 0; }
  // Decodes everything received since the last call (the server hello is kept in `hello`).
  std::vector<tws::IncomingMessage> take() {
    std::string& bytes = h.transport.out[id];
    reader.append(bytes);
    bytes.clear();
    std::vector<tws::IncomingMessage> msgs;
    for (;;) {
      auto f = reader.next_frame();
      EXPECT_TRUE(f.ok());
      if (!f.ok() || !*f) break;
      if (!hello) {
        auto sh = tws::decode_server_hello(**f);
        EXPECT_TRUE(sh.ok());
        if (sh.ok()) hello = *sh;
        continue;
      }
      auto m = tws::decode_incoming(**f);
      EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
      if (m.ok()) msgs.push_back(*m);
    }
    return msgs;
  }
  template <typename T>
  static std::vector<T> only(const std::vector<tws::IncomingMessage>& msgs) {
    std::vector<T> out;
    for (const auto& m : msgs) {
      if (const T* t = std::get_if<T>(&m)) out.push_back(*t);
    }
    return out;
  }
  static std::vector<int> error_codes(const std::vector<tws::IncomingMessage>& msgs) {
    std::vector<int> out;
    for (const auto& e : only<tws::ErrorMsg>(msgs)) out.push_back(e.code);
    return out;
  }

  SimHarness& h;
  ConnId id = 0;
  tws::FrameReader reader;
  std::optional<tws::ServerHello> hello;
};

}  // namespace af::ibsim::testing
