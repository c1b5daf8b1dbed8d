// ibsim over real loopback sockets: the Asio server shell around the simulator, driven by a raw
// client built from the codec. Runs the io_context on this thread (no sleeps, no extra threads):
// each step runs handlers until the expected frames have arrived.
#include <utility>  // before Asio: Boost 1.74 awaitable.hpp uses std::exchange (GCC 12)
#include <boost/asio.hpp>
#include <gtest/gtest.h>

#include "ibsim_harness.hpp"
#include "server.hpp"

namespace af::ibsim::testing {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

TEST(IbsimServer, HandshakeOrderAndDropOverLoopback) {
  asio::io_context io;
  SystemClock clock;
  Server server(io);
  auto data = test_data();
  auto catalog = InstrumentCatalog::build(test_specs(), Date(2020, 1, 8),
                                          [](const std::string&, const std::string&) { return 102.0; });
  SimConfig cfg;
  cfg.start_date = Date(2020, 1, 8);
  Simulator sim(cfg, clock, std::move(catalog), std::move(data),
                FaultEngine(*parse_fault_script("message n=3 -> drop")), server);
  ASSERT_TRUE(sim.start().ok());
  server.attach(sim);
  ASSERT_TRUE(server.listen("127.0.0.1", 0, -1).ok());
  ASSERT_GT(server.port(), 0);

  tcp::socket sock(io);
  sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server.port())));
  asio::write(sock, asio::buffer(tws::encode_client_hello({100, 193, ""})));
  asio::write(sock, asio::buffer(tws::encode(tws::Request{tws::StartApi{9, ""}})));

  tws::FrameReader reader;
  std::vector<std::string> frames;
  bool eof = false;
  std::array<char, 4096> buf{};
  std::function<void()> read = [&] {
    sock.async_read_some(asio::buffer(buf), [&](boost::system::error_code ec, std::size_t n) {
      if (ec) {
        eof = true;
        return;
      }
      reader.append(std::string_view(buf.data(), n));
      for (;;) {
        auto f = reader.next_frame();
        if (!f.ok() || !*f) break;
        frames.emplace_back(**f);
      }
      read();
    });
  };
  read();
  auto run_until = [&](const std::function<bool()>& done) {
    for (int i = 0; i < 2000 && !done(); ++i) io.run_one_for(std::chrono::milliseconds(10));
    return done();
  };
  // hello + managedAccounts + nextValidId + 4 farm notices.
  ASSERT_TRUE(run_until([&] { return frames.size() >= 7; }));
  auto hello = tws::decode_server_hello(frames[0]);
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(hello->server_version, 178);
  auto next = tws::decode_incoming(frames[2]);
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(std::holds_alternative<tws::NextValidId>(*next));
  EXPECT_EQ(std::get<tws::NextValidId>(*next).order_id, 1);

  // Messages 2 and 3: an order (acknowledged, then filled by the event loop) and a current-time
  // request, after which the script drops the connection: the replies arrive, then EOF.
  asio::write(sock, asio::buffer(tws::encode(tws::Request{order(1, "BUY", 5, "MKT", std::nullopt, "loop")})));
  asio::write(sock, asio::buffer(tws::encode(tws::Request{tws::ReqCurrentTime{}})));
  ASSERT_TRUE(run_until([&] { return eof; }));
  bool saw_ack = false, saw_time = false;
  for (std::size_t i = 7; i < frames.size(); ++i) {
    auto m = tws::decode_incoming(frames[i]);
    ASSERT_TRUE(m.ok());
    if (std::holds_alternative<tws::OpenOrder>(*m)) saw_ack = true;
    if (std::holds_alternative<tws::CurrentTime>(*m)) saw_time = true;
  }
  EXPECT_TRUE(saw_ack);
  EXPECT_TRUE(saw_time);
  EXPECT_EQ(sim.connection_count(), 0u);
  run_until([&] { return sim.state().find_order(9, 1)->status == "Filled"; });
  EXPECT_EQ(sim.state().find_order(9, 1)->status, "Filled");  // filled while disconnected
}

}  // namespace
}  // namespace af::ibsim::testing
