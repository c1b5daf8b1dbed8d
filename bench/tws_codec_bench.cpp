// tws_codec_bench — TWS codec speed (issue 5): decode throughput on a recorded stream, placeOrder
// encoding, and heap allocations per decoded message.
//
//   cmake --build build/release --target tws_codec_bench && build/release/bench/tws_codec_bench
//
// The stream mixes the message kinds a trading session receives, built from frames recorded
// from real gateways (tws-protocol.md §4: the 2023 paper-account capture of orderStatus,
// execDetails and openOrder — re-laid to 178 — and tick layouts of §4.5): per 20 messages,
// 14 ticks (tickPrice/tickSize/tickString/tickGeneric), 2 orderStatus, 2 execDetails, 2 openOrder.
// Target: ≥ 2 million messages/s per core. Counters: msgs/s (items_per_second), allocs_per_msg.
//
// Allocation counting replaces the global operator new in this binary only: a relaxed atomic
// increment per call (hand-written because no library offers an allocation counter).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "broker/tws/codec.hpp"

namespace {
std::atomic<long long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace af::tws {
namespace {

std::string payload_of(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) {
    out += f;
    out.push_back('\0');
  }
  return out;
}

// §4.6 real-capture column (TSLA MKT order, 2023 capture, 178 layout, 135 fields).
const std::vector<std::string> kOpenOrder = {
    "5", "13", "76792991", "TSLA", "STK", "", "0", "?", "", "SMART", "USD", "TSLA", "NMS", "BUY",
    "100", "MKT", "0.0", "0.0", "DAY", "", "DU1234567", "", "0", "", "100", "1376327563", "0", "0",
    "0", "", "1376327563.0/DU1234567/100", "", "", "", "", "", "", "", "", "0", "", "-1", "0", "",
    "", "", "", "", "2147483647", "0", "0", "0", "", "3", "0", "0", "", "0", "0", "", "0", "None",
    "", "0", "", "", "", "?", "0", "0", "", "0", "0", "", "", "", "", "", "0", "0", "0",
    "2147483647", "2147483647", "", "", "0", "", "IB", "0", "0", "", "0", "0", "PreSubmitted",
    "1.7976931348623157E308", "1.7976931348623157E308", "1.7976931348623157E308",
    "1.7976931348623157E308", "1.7976931348623157E308", "1.7976931348623157E308",
    "1.7976931348623157E308", "1.7976931348623157E308", "1.7976931348623157E308", "", "", "", "",
    "", "0", "0", "0", "None", "1.7976931348623157E308", "1.7976931348623157E308",
    "1.7976931348623157E308", "1.7976931348623157E308", "1.7976931348623157E308",
    "1.7976931348623157E308", "0", "", "", "", "0", "1", "0", "0", "0", "", "", "0", "", "", "",
    "", ""};

const std::vector<std::string> kExecDetails = {
    "11", "-1", "13", "76792991", "TSLA", "STK", "", "0.0", "", "", "ISLAND", "USD", "TSLA", "NMS",
    "00025b46.63f8f39c.01.01", "20230224  12:04:56", "DU1234567", "ISLAND", "BOT", "100",
    "196.52", "1376327563", "100", "0", "100", "196.52", "", "", "", "", "2", "0"};

const std::vector<std::string> kOrderStatus = {"3", "13", "Filled", "100", "0", "196.52",
                                               "1376327563", "0", "196.52", "100", "", "0"};

// One cycle of 20 messages in the proportions documented above.
std::vector<std::string> cycle_payloads() {
  std::vector<std::string> p;
  for (int i = 0; i < 4; ++i) {
    p.push_back(payload_of({"1", "6", "9003", "1", "185.5" + std::to_string(i), "300", "1"}));
    p.push_back(payload_of({"2", "6", "9003", "0", std::to_string(300 + i)}));
    p.push_back(payload_of({"1", "6", "9003", "2", "185.6" + std::to_string(i), "200", "1"}));
  }
  p.push_back(payload_of({"46", "6", "9003", "45", "1704200000"}));
  p.push_back(payload_of({"45", "6", "9003", "49", "0"}));
  for (int i = 0; i < 2; ++i) {
    p.push_back(payload_of(kOrderStatus));
    p.push_back(payload_of(kExecDetails));
    p.push_back(payload_of(kOpenOrder));
  }
  return p;
}

std::string recorded_stream(int cycles) {
  std::string stream;
  auto cycle = cycle_payloads();
  for (int c = 0; c < cycles; ++c) {
    for (const auto& p : cycle) append_frame(stream, p);
  }
  return stream;
}

// Frames split + decoded, as the client's read loop does.
void BM_DecodeRecordedStream(benchmark::State& state) {
  const std::string stream = recorded_stream(500);  // 10 000 messages, ~1.2 MB
  long long messages = 0;
  long long allocations = 0;
  for (auto _ : state) {
    FrameReader reader;
    reader.append(stream);
    long long before = g_allocations.load(std::memory_order_relaxed);
    while (true) {
      auto frame = reader.next_frame();
      if (!frame.ok() || !frame->has_value()) break;
      auto message = decode_incoming(**frame);
      benchmark::DoNotOptimize(message);
      ++messages;
    }
    allocations += g_allocations.load(std::memory_order_relaxed) - before;
  }
  state.SetItemsProcessed(messages);
  state.SetBytesProcessed(static_cast<long long>(stream.size()) * state.iterations());
  state.counters["allocs_per_msg"] = static_cast<double>(allocations) / static_cast<double>(messages);
}
BENCHMARK(BM_DecodeRecordedStream)->Unit(benchmark::kMillisecond);

// One message kind at a time (decode only, no framing).
void decode_one(benchmark::State& state, const std::string& payload) {
  long long before = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    auto message = decode_incoming(payload);
    benchmark::DoNotOptimize(message);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["allocs_per_msg"] =
      static_cast<double>(g_allocations.load(std::memory_order_relaxed) - before) /
      static_cast<double>(state.iterations());
}
void BM_DecodeTickPrice(benchmark::State& state) {
  decode_one(state, payload_of({"1", "6", "9003", "1", "185.52", "300", "1"}));
}
void BM_DecodeOrderStatus(benchmark::State& state) { decode_one(state, payload_of(kOrderStatus)); }
void BM_DecodeExecDetails(benchmark::State& state) { decode_one(state, payload_of(kExecDetails)); }
void BM_DecodeOpenOrder(benchmark::State& state) { decode_one(state, payload_of(kOpenOrder)); }
BENCHMARK(BM_DecodeTickPrice);
BENCHMARK(BM_DecodeOrderStatus);
BENCHMARK(BM_DecodeExecDetails);
BENCHMARK(BM_DecodeOpenOrder);

// placeOrder (limit order, 114 fields) into a reused buffer, as the client's write path does.
void BM_EncodePlaceOrder(benchmark::State& state) {
  PlaceOrder p;
  p.order_id = 1001;
  p.contract.symbol = "AAPL";
  p.contract.sec_type = "STK";
  p.contract.exchange = "SMART";
  p.contract.primary_exchange = "NASDAQ";
  p.contract.currency = "USD";
  p.order.action = "BUY";
  p.order.order_type = "LMT";
  p.order.total_quantity = 100;
  p.order.lmt_price = 150.25;
  p.order.tif = "DAY";
  p.order.order_ref = "2024-01-02/us/us_index_etf/0/1";
  const Request request{p};
  std::string out;
  long long before = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    out.clear();
    encode_to(out, request);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["allocs_per_msg"] =
      static_cast<double>(g_allocations.load(std::memory_order_relaxed) - before) /
      static_cast<double>(state.iterations());
}
BENCHMARK(BM_EncodePlaceOrder);

}  // namespace
}  // namespace af::tws
