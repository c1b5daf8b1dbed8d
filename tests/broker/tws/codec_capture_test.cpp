// Byte-level conformance with a real third-party client: runs tests/broker/tws/node/capture.js,
// which connects @stoqey/ib 1.6.10 to a loopback server and records the frames it writes, then
// checks that our encoder writes the same bytes for the same requests and that the gateway-side
// decoder reads them back to the same typed requests.
//
// Needs node and tests/node/node_modules (scripts/npm-test-deps.sh; scripts/test.sh runs it).
// When either is missing the test FAILS (it never skips), so CI cannot silently lose it.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>

#include "broker/tws/codec.hpp"
#include "codec_test_util.hpp"

namespace af::tws {
namespace {

using testing::show;

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

struct Capture {
  int exit_code = -1;
  std::string output;
  std::string hello_hex;
  std::map<std::string, std::string> frames_hex;  // label → whole frame
};

Capture run_capture() {
  Capture cap;
  std::string cmd = std::string("node '") + AF_SOURCE_DIR + "/tests/broker/tws/node/capture.js' 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return cap;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) cap.output += buf.data();
  int status = pclose(pipe);
  cap.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::istringstream lines(cap.output);
  std::string kind;
  while (lines >> kind) {
    if (kind == "HELLO") {
      lines >> cap.hello_hex;
    } else if (kind == "FRAME") {
      std::string label, hex;
      lines >> label >> hex;
      cap.frames_hex[label] = hex;
    } else {
      std::string rest;
      std::getline(lines, rest);
    }
  }
  return cap;
}

const Capture& capture() {
  static const Capture cap = run_capture();
  return cap;
}

Contract aapl_smart() {
  Contract c;
  c.symbol = "AAPL";
  c.sec_type = "STK";
  c.exchange = "SMART";
  c.currency = "USD";
  return c;
}

// The typed requests matching capture.js's calls, by label.
std::map<std::string, Request> expected_requests() {
  PlaceOrder lmt;
  lmt.order_id = 1;
  lmt.contract = aapl_smart();
  lmt.order.action = "BUY";
  lmt.order.order_type = "LMT";
  lmt.order.total_quantity = 100;
  lmt.order.lmt_price = 150;
  lmt.order.tif = "DAY";
  lmt.order.transmit = true;
  lmt.order.order_ref = "idem-key-1";

  PlaceOrder mkt;
  mkt.order_id = 3;
  mkt.contract = aapl_smart();
  mkt.order.action = "SELL";
  mkt.order.order_type = "MKT";
  mkt.order.total_quantity = 0.5;
  mkt.order.transmit = true;
  mkt.order.order_ref = "mkt-1";
  mkt.order.account = "DU1234567";

  ReqHistoricalData hd;
  hd.req_id = 9004;
  hd.contract = aapl_smart();
  hd.contract.include_expired = false;
  hd.bar_size_setting = "1 day";
  hd.duration_str = "2 D";
  hd.use_rth = true;
  hd.what_to_show = "TRADES";
  hd.format_date = 1;

  ReqMktData md;
  md.ticker_id = 9003;
  md.contract = aapl_smart();

  ExecutionFilter filter{7, "DU1234567", "20240102 09:30:00", "AAPL", "STK", "SMART", "BUY"};

  return {
      {"startApi", StartApi{7, ""}},
      {"placeOrderLmt", lmt},
      {"placeOrderMkt", mkt},
      {"cancelOrder", CancelOrder{2, ""}},
      {"reqPositions", ReqPositions{}},
      {"reqExecutions", ReqExecutions{9005, {}}},
      {"reqExecutionsFiltered", ReqExecutions{9006, filter}},
      {"reqHistoricalData", hd},
      {"reqContractDetails", ReqContractDetails{9002, aapl_smart()}},
      {"reqMktData", md},
      {"reqAccountSummary", ReqAccountSummary{9001, "All", "NetLiquidation"}},
      {"reqCurrentTime", ReqCurrentTime{}},
  };
}

TEST(TwsCodecCapture, StoqeyIbCaptureRuns) {
  const Capture& cap = capture();
  ASSERT_EQ(cap.exit_code, 0)
      << "capture.js failed. If @stoqey/ib is missing run scripts/npm-test-deps.sh; if node is "
         "missing install nodejs (scripts/setup.sh). Output:\n"
      << cap.output;
  EXPECT_EQ(cap.frames_hex.size(), expected_requests().size()) << cap.output;
}

TEST(TwsCodecCapture, ClientHelloMatchesStoqeyIb) {
  const Capture& cap = capture();
  ASSERT_EQ(cap.exit_code, 0) << cap.output;
  EXPECT_EQ(cap.hello_hex, to_hex(encode_client_hello({100, 193, ""})));
}

TEST(TwsCodecCapture, EncoderWritesTheSameBytesAsStoqeyIb) {
  const Capture& cap = capture();
  ASSERT_EQ(cap.exit_code, 0) << cap.output;
  for (const auto& [label, request] : expected_requests()) {
    auto it = cap.frames_hex.find(label);
    ASSERT_NE(it, cap.frames_hex.end()) << label << " not captured:\n" << cap.output;
    std::string theirs = from_hex(it->second);
    std::string ours = encode(request);
    EXPECT_EQ(to_hex(ours), it->second)
        << label << "\n  ours:   " << show(std::string_view(ours).substr(4))
        << "\n  stoqey: " << show(std::string_view(theirs).substr(4));
  }
}

TEST(TwsCodecCapture, GatewayDecodesStoqeyIbFramesToTheIssuedRequests) {
  const Capture& cap = capture();
  ASSERT_EQ(cap.exit_code, 0) << cap.output;
  for (const auto& [label, request] : expected_requests()) {
    auto it = cap.frames_hex.find(label);
    ASSERT_NE(it, cap.frames_hex.end()) << label;
    FrameReader reader;
    reader.append(from_hex(it->second));
    auto payload = reader.next_frame();
    ASSERT_TRUE(payload.ok() && payload->has_value()) << label;
    auto decoded = decode_request(**payload);
    ASSERT_TRUE(decoded.ok()) << label << ": " << decoded.error().message;
    EXPECT_TRUE(*decoded == request) << label << ": " << show(**payload);
  }
}

}  // namespace
}  // namespace af::tws
