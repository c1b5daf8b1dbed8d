// Integration: `abstractfinance gateway check` and the client + IB adapter against the real ibsim
// executable (tools/ibsim), one ibsim process per test, on a free loopback port. These run in
// real time (ibsim has its own clock), bounded by generous deadlines; nothing asserts on timing.
// Fault kinds come from ibsim's fault-script language (tools/ibsim/faults.hpp). After every fault
// the client must end connected and consistent, and must never have sent an orderRef twice
// (checked in ibsim's persisted state, i.e. on the gateway side).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker/tws/ib_broker.hpp"
#include "config/config.hpp"

namespace af::tws {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kIbsim = std::string(AF_BINARY_DIR) + "/tools/ibsim/ibsim";
const std::string kApp = std::string(AF_BINARY_DIR) + "/src/app/abstractfinance";

// One ibsim child process with its own state directory.
class Ibsim {
 public:
  explicit Ibsim(const std::string& name, const std::string& faults = "") {
    dir_ = fs::temp_directory_path() / ("af_client_ibsim_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::vector<std::string> args = {kIbsim,  "--port",  "0", "--port-file",
                                     (dir_ / "port").string(), "--state", (dir_ / "state").string()};
    if (!faults.empty()) {
      std::ofstream(dir_ / "faults.txt") << faults;
      args.push_back("--faults");
      args.push_back((dir_ / "faults.txt").string());
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string log = (dir_ / "ibsim.log").string();
      std::freopen(log.c_str(), "w", stderr);
      std::freopen("/dev/null", "w", stdout);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(kIbsim.c_str(), argv.data());
      ::_exit(127);
    }
    // Wait (real time, bounded) for the port file: ibsim reads the bundled market data before it
    // binds, which under AddressSanitizer on a loaded 2-core machine has taken over 10 s. The
    // wait ends as soon as the port is written, or when ibsim exits (the log says why).
    for (int i = 0; i < 1200 && port_ == 0; ++i) {
      std::ifstream in(dir_ / "port");
      int p = 0;
      if (in >> p && p > 0) {
        port_ = p;
      } else {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          break;
        }
        std::this_thread::sleep_for(50ms);
      }
    }
  }
  ~Ibsim() {
    stop();
    fs::remove_all(dir_);
  }
  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }
  int port() const { return port_; }
  // Orders in ibsim's persisted state whose orderRef is `ref`.
  int orders_with_ref(const std::string& ref) const {
    std::ifstream in(dir_ / "state" / "ibsim_state.json");
    if (!in) return 0;
    nlohmann::json j;
    in >> j;
    int n = 0;
    for (const auto& o : j.at("orders")) n += o.value("order_ref", "") == ref ? 1 : 0;
    return n;
  }
  std::string log() const {
    std::ifstream in(dir_ / "ibsim.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

int run_command(const std::string& command, std::string& output) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return -1;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ClientIbsim, GatewayCheckReportsReadyAgainstIbsim) {
  Ibsim sim("check");
  ASSERT_GT(sim.port(), 0) << sim.log();
  std::string out;
  const int code = run_command(kApp + " --json gateway check --port " + std::to_string(sim.port()) +
                                   " --timeout 10 2>/dev/null",
                               out);
  ASSERT_EQ(code, 0) << out << sim.log();
  const auto doc = nlohmann::json::parse(out);
  EXPECT_TRUE(doc["api_ready"].get<bool>());
  EXPECT_EQ(doc["server_version"].get<int>(), 178);
  EXPECT_EQ(doc["accounts"], nlohmann::json::array({"DU1234567"}));
  EXPECT_TRUE(doc["clock_offset_seconds"].is_number());
  EXPECT_TRUE(doc["error"].is_null());
}

// A loopback port that was free a moment ago and has no listener now (bound, then closed).
int closed_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

TEST(ClientIbsim, GatewayCheckTextOutputAndExitOneWhenNothingListens) {
  std::string out;
  const int port = closed_loopback_port();
  ASSERT_GT(port, 0);
  const int code =
      run_command(kApp + " gateway check --port " + std::to_string(port) + " --timeout 2 2>/dev/null", out);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("API ready        NO"), std::string::npos) << out;
}

// ---- the client + adapter against each fault kind ---------------------------------------------

struct Scenario {
  std::string name;
  std::string faults;
};

class ClientIbsimFaults : public ::testing::TestWithParam<Scenario> {};

TEST_P(ClientIbsimFaults, EndsConnectedConsistentAndNeverSendsAnOrderTwice) {
  const Scenario& scenario = GetParam();
  auto config = config::load_config(fs::path(AF_SOURCE_DIR) / "config", config::Environment{});
  ASSERT_TRUE(config.ok()) << config.error().message;
  Ibsim sim(scenario.name, scenario.faults);
  ASSERT_GT(sim.port(), 0) << sim.log();

  boost::asio::io_context io;
  SystemClock clock;
  InMemoryOrderIdStore ids;
  ClientOptions options;
  options.port = static_cast<std::uint16_t>(sim.port());
  options.client_id = 21;
  options.backoff.initial_delay = 200ms;
  options.backoff.max_delay = 2000ms;
  Client client(io, clock, ids, options);
  client.set_log_sink([](ErrorSeverity, const std::string&) {});
  IbBroker::Options broker_options;
  broker_options.call_timeout = 10s;
  IbBroker broker(client, config->instruments, broker_options);
  client.connect();
  ASSERT_TRUE(client.run_until([&] { return client.status().ready; }, 20s)) << sim.log();

  const std::string ref = "it/" + scenario.name + "/us_index_etf/1";
  execution::OrderRequest order;
  order.client_order_id = ref;
  order.instrument = InstrumentId("us_index_etf");
  order.side = execution::OrderSide::kBuy;
  order.quantity = 5;
  order.type = execution::OrderType::kMarket;

  // The engine's loop: place; if the connection or the outcome is in doubt, wait for readiness
  // and place again with the SAME client order id (the adapter must resolve, never resend).
  bool placed = false;
  for (int attempt = 0; attempt < 4; ++attempt) {
    client.run_until([&] { return client.status().trading_allowed(); }, 20s);
    auto result = broker.place_order(order);
    if (result.ok()) placed = true;
    client.run_until([] { return false; }, 1500ms);  // let acks, fills and faults happen
  }
  EXPECT_TRUE(placed || client.status().sessions > 1) << sim.log();

  // Ends connected and consistent: ready, and the broker answers the reconciliation queries.
  ASSERT_TRUE(client.run_until([&] { return client.status().trading_allowed(); }, 30s))
      << "state " << to_string(client.status().state) << "; " << client.status().last_error
      << "\n" << sim.log();
  auto open = broker.open_orders();
  ASSERT_TRUE(open.ok()) << open.error().message;
  auto fills = broker.executions_since(Timestamp{});
  ASSERT_TRUE(fills.ok()) << fills.error().message;
  auto positions = broker.positions();
  ASSERT_TRUE(positions.ok()) << positions.error().message;
  client.disconnect("test done");
  sim.stop();  // flushes ibsim's state
  EXPECT_LE(sim.orders_with_ref(ref), 1) << "order " << ref << " reached the gateway twice\n"
                                         << sim.log();
  EXPECT_LE(client.orders_sent().size(), 1u);
  const std::string log = sim.log();
  if (scenario.faults.empty()) {
    // Control: the order did reach ibsim exactly once (so the count above can see it).
    EXPECT_EQ(sim.orders_with_ref(ref), 1) << log;
  } else {
    EXPECT_NE(log.find("fault"), std::string::npos) << "the fault never fired:\n" << log;
  }
}

INSTANTIATE_TEST_SUITE_P(
    FaultKinds, ClientIbsimFaults,
    ::testing::Values(
        Scenario{"none", ""},
        Scenario{"drop_after_place", "place_order nth=1 -> drop\n"},
        Scenario{"drop_after_messages", "message n=6 -> drop\n"},
        Scenario{"lost_1101", "place_order nth=1 -> connectivity_lost restore=1101 after=1\n"},
        Scenario{"lost_1102", "connect nth=1 -> connectivity_lost restore=1102 after=1\n"},
        Scenario{"restart_rollback", "place_order nth=1 -> restart rollback=5 down=1\n"},
        Scenario{"fills_while_disconnected",
                 "place_order nth=1 -> drop\ndisconnect nth=1 -> fill_open_orders\n"},
        Scenario{"suppressed_status", "place_order -> suppress_status count=2\n"},
        Scenario{"reject", "place_order -> reject code=201 text=\"Order rejected - reason: margin\"\n"},
        Scenario{"competing_session", "connect nth=1 -> competing_session duration=2\n"},
        Scenario{"delayed_reply", "request id=5 -> delay seconds=2\n"},
        Scenario{"partial_fill_drop", "set fill_chunks=3\npartial_fill nth=1 -> drop\n"}),
    [](const ::testing::TestParamInfo<Scenario>& info) { return info.param.name; });

}  // namespace
}  // namespace af::tws
