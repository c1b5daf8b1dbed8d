// tws_decoder_fuzz — libFuzzer target for the TWS codec's decoders (broker/tws/codec.hpp).
//
// The input is treated as a raw byte stream from a peer: split into frames by FrameReader (as
// both the client and ibsim do) and every frame decoded both as a gateway message and as a client
// request; the client/server hello parsers get the first frame too. Crashes, sanitizer reports
// and over-reads are bugs. Every successfully decoded message must re-encode and decode to the
// same value (encode ∘ decode is a fixed point after one round).
//   Build: cmake -DAF_BUILD_FUZZERS=ON with clang (scripts/fuzz-smoke.sh does it)
//   Run:   build/fuzz/fuzz/tws_decoder_fuzz -max_total_time=30 fuzz/corpus/tws_decoder
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "broker/tws/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace af::tws;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  FrameReader reader(1 << 20);
  // Feed in two pieces to exercise incremental reassembly.
  reader.append(bytes.substr(0, size / 2));
  bool first = true;
  for (int round = 0; round < 2; ++round) {
    while (true) {
      auto frame = reader.next_frame();
      if (!frame.ok() || !frame->has_value()) break;
      std::string_view payload = **frame;
      if (first) {
        (void)decode_client_hello(payload);
        (void)decode_server_hello(payload);
        first = false;
      }
      if (auto in = decode_incoming(payload); in.ok()) {
        auto again = decode_incoming(encode_payload(*in));
        if (!again.ok()) std::abort();
        // NaN cannot come out of the decoder, so value equality is well defined.
        if (!(encode_payload(*again) == encode_payload(*in))) std::abort();
      }
      if (auto req = decode_request(payload); req.ok()) {
        auto again = decode_request(encode_payload(*req));
        if (!again.ok()) std::abort();
        if (!(encode_payload(*again) == encode_payload(*req))) std::abort();
      }
    }
    reader.append(bytes.substr(size / 2));
  }
  return 0;
}
