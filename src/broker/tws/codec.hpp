// broker/tws/codec.hpp — the TWS API wire codec at server version 178 (pure: bytes ↔ messages).
//
// Both directions, so the client and the gateway simulator (tools/ibsim) share one codec:
//   client:  encode(Request)          → frame bytes     decode_incoming(payload) → IncomingMessage
//   gateway: decode_request(payload)  → Request          encode(IncomingMessage) → frame bytes
//
// Wire format (tws-protocol.md §1–§2): after the handshake every message in both directions is a
// frame = 4-byte big-endian payload length + payload; the payload is fields, each terminated by
// '\0'; the first field is the decimal message id. Byte buffers are std::string (binary-safe).
//
// Handshake:
//   client → "API\0" + frame("v100..178[ options]")   encode_client_hello / decode_client_hello
//   server → frame("178\0<connection time>\0")         encode_server_hello / decode_server_hello
//   client → startApi (a normal Request)
//   A gateway reads the hello with FrameReader::expect_api_prefix() then next_frame().
//
// Errors: malformed input (truncated message, non-numeric text in a numeric field, impossible
// counts, trailing fields, oversize frame) returns af::Error with code kProtocol and a message
// naming the message and field. Unknown message ids are NOT errors: they decode to
// UnknownMessage / UnknownRequest and can be skipped. Nothing here reads past the given bytes.
//
// Thread-safety: free functions are pure and reentrant; a FrameReader is owned by one thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/tws/messages.hpp"
#include "core/result.hpp"

namespace af::tws {

// Largest payload accepted (official readers: 0xFFFFFF, tws-protocol.md §1.6).
inline constexpr std::size_t kMaxFramePayload = 0xFFFFFF;

// The literal 4 bytes a V100+ client sends first (not length-prefixed).
inline constexpr std::string_view kApiPrefix{"API\0", 4};

// ---------------------------------------------------------------------------------------------
// Framing
// ---------------------------------------------------------------------------------------------

// Returns length prefix + payload. Precondition: payload.size() <= kMaxFramePayload.
std::string encode_frame(std::string_view payload);
// Appends length prefix + payload to `out`.
void append_frame(std::string& out, std::string_view payload);

// Incremental frame splitter: feed it bytes as they arrive, take complete payloads out.
// Never reads beyond what it was given; a length of 0 or above `max_payload` is an error (the
// stream is then unusable: the caller should drop the connection). Buffers only the bytes of
// the frame in progress plus unread complete frames.
class FrameReader {
 public:
  explicit FrameReader(std::size_t max_payload = kMaxFramePayload) : max_payload_(max_payload) {}

  // Gateway side: the stream must start with "API\0" before the first frame (the client hello).
  void expect_api_prefix() { expect_prefix_ = true; }

  void append(std::string_view bytes);

  // The next complete payload (without the length prefix), or nullopt if more bytes are needed.
  // The view stays valid until the next call to append() or next_frame().
  Result<std::optional<std::string_view>> next_frame();

  // Bytes received but not yet returned as frames.
  std::size_t buffered() const noexcept { return buffer_.size() - read_pos_; }

 private:
  std::string buffer_;
  std::size_t read_pos_ = 0;
  std::size_t max_payload_;
  bool expect_prefix_ = false;
  std::string error_;  // set once the stream is known to be corrupt (sticky)
};

// ---------------------------------------------------------------------------------------------
// Handshake
// ---------------------------------------------------------------------------------------------

struct ClientHello {
  int min_version = kServerVersion;
  int max_version = kServerVersion;
  std::string connect_options;       // e.g. "+PACEAPI"; normally empty
  bool operator==(const ClientHello&) const = default;
};

struct ServerHello {
  int server_version = kServerVersion;
  std::string connection_time;       // "yyyymmdd hh:mm:ss <tz>"
  bool operator==(const ServerHello&) const = default;
};

// "API\0" + frame("v<min>..<max>[ <options>]") ("v<min>" when min == max, as the official client).
std::string encode_client_hello(const ClientHello& hello);
// Parses the payload of the first frame after "API\0" ("v100..193", "v178", "v157..178 +PACEAPI").
Result<ClientHello> decode_client_hello(std::string_view payload);

// frame("<version>\0<time>\0").
std::string encode_server_hello(const ServerHello& hello);
// Parses the payload of the server's first frame. A version of -1 (redirect) is an error.
Result<ServerHello> decode_server_hello(std::string_view payload);

// The version a gateway answers for a client range: min(client max, ours) if ≥ client min,
// else an error (the gateway then closes the connection).
Result<int> negotiate_server_version(const ClientHello& hello, int gateway_max = kServerVersion);

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

// Client → gateway: the complete frame (length prefix included). Layouts at 178, unset values as
// empty fields (byte-identical to @stoqey/ib for the requests it can express).
std::string encode(const Request& request);
// Same, appending to `out` (no allocation once `out` has capacity).
void encode_to(std::string& out, const Request& request);
// Payload only (no length prefix), for tests and logging.
std::string encode_payload(const Request& request);

// Gateway → client: the complete frame (length prefix included), fields as a real gateway
// writes them at 178 (incl. "None" + 8 delta-neutral fields in openOrder when set so).
std::string encode(const IncomingMessage& message);
void encode_to(std::string& out, const IncomingMessage& message);
std::string encode_payload(const IncomingMessage& message);

// Gateway → client decoding of one frame payload. Unknown ids → UnknownMessage.
Result<IncomingMessage> decode_incoming(std::string_view payload);
// Client → gateway decoding of one frame payload (what a gateway parses). Tolerant like the real
// gateway: every numeric field accepts empty, max sentinels and exponent forms; empty bool = false.
// Unknown ids → UnknownRequest.
Result<Request> decode_request(std::string_view payload);

// Splits a payload into its fields (for tests and diagnostics; "a\0\0b\0" → {"a","","b"}).
// An unterminated last field is an error.
Result<std::vector<std::string>> split_fields(std::string_view payload);

}  // namespace af::tws
