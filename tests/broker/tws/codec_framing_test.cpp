// Framing and handshake (tws-protocol.md §1): length prefix, incremental reading, guards.
#include <gtest/gtest.h>

#include <string>

#include "broker/tws/codec.hpp"
#include "codec_test_util.hpp"

namespace af::tws {
namespace {

using testing::payload_of;

TEST(TwsCodecFraming, FrameIsBigEndianLengthPlusPayload) {
  // startApi as captured from @stoqey/ib (§1.4): 00 00 00 08 + "71\0 2\0 7\0 \0".
  std::string frame = encode(Request{StartApi{7, ""}});
  EXPECT_EQ(frame, std::string("\x00\x00\x00\x08" "71\0" "2\0" "7\0" "\0", 12));
  EXPECT_EQ(encode_frame("ab"), std::string("\x00\x00\x00\x02" "ab", 6));
}

TEST(TwsCodecFraming, ReaderYieldsFramesFedOneByteAtATime) {
  std::string stream = encode(Request{ReqPositions{}}) + encode(Request{CancelOrder{11, ""}});
  FrameReader reader;
  std::vector<std::string> frames;
  for (char c : stream) {
    reader.append(std::string_view(&c, 1));
    auto f = reader.next_frame();
    ASSERT_TRUE(f.ok());
    if (f->has_value()) frames.emplace_back(**f);
  }
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], payload_of({"61", "1"}));
  EXPECT_EQ(frames[1], payload_of({"4", "1", "11", ""}));
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(TwsCodecFraming, ReaderYieldsSeveralFramesFromOneRead) {
  // §1.3: the hello and later frames may arrive in the same TCP read.
  std::string stream = encode_server_hello({178, "20230228 17:24:14 EST"}) +
                       encode(IncomingMessage{ManagedAccounts{"DU1234567"}}) +
                       encode(IncomingMessage{NextValidId{117}});
  stream += std::string("\x00\x00", 2);  // the start of a 4th frame
  FrameReader reader;
  reader.append(stream);
  int frames = 0;
  while (true) {
    auto f = reader.next_frame();
    ASSERT_TRUE(f.ok());
    if (!f->has_value()) break;
    ++frames;
  }
  EXPECT_EQ(frames, 3);
  EXPECT_EQ(reader.buffered(), 2u);  // the partial length prefix is kept, not consumed
}

TEST(TwsCodecFraming, NeverReturnsAFrameBeforeAllItsBytesArrived) {
  std::string frame = encode(Request{ReqAccountSummary{9001, "All", "NetLiquidation"}});
  FrameReader reader;
  reader.append(std::string_view(frame).substr(0, frame.size() - 1));
  auto f = reader.next_frame();
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->has_value());
  reader.append(std::string_view(frame).substr(frame.size() - 1));
  f = reader.next_frame();
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->has_value());
  EXPECT_EQ(**f, std::string_view(frame).substr(4));
}

TEST(TwsCodecFraming, OversizeAndZeroLengthsAreErrorsAndStaySo) {
  FrameReader reader;
  reader.append(std::string("\x01\x00\x00\x00", 4));  // 16 MiB: above 0xFFFFFF
  auto f = reader.next_frame();
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, ErrorCode::kProtocol);
  reader.append(encode(Request{ReqPositions{}}));
  EXPECT_FALSE(reader.next_frame().ok());  // sticky: the stream is unusable

  FrameReader zero;
  zero.append(std::string("\x00\x00\x00\x00", 4));
  EXPECT_FALSE(zero.next_frame().ok());

  FrameReader small(16);
  small.append(std::string("\x00\x00\x00\x11", 4));  // 17 > configured 16
  EXPECT_FALSE(small.next_frame().ok());
}

TEST(TwsCodecFraming, GatewaySideReadsApiPrefixThenClientHello) {
  // Bytes @stoqey/ib sends (§1.2): 4150490000000009763130302e2e313933.
  std::string bytes("API\0\x00\x00\x00\x09v100..193", 17);
  FrameReader reader;
  reader.expect_api_prefix();
  reader.append(bytes.substr(0, 2));
  auto f = reader.next_frame();
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->has_value());
  reader.append(bytes.substr(2));
  f = reader.next_frame();
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->has_value());
  auto hello = decode_client_hello(**f);
  ASSERT_TRUE(hello.ok()) << hello.error().message;
  EXPECT_EQ(hello->min_version, 100);
  EXPECT_EQ(hello->max_version, 193);
  EXPECT_EQ(*negotiate_server_version(*hello), 178);
}

TEST(TwsCodecFraming, GatewaySideRejectsLegacyClientWithoutApiPrefix) {
  FrameReader reader;
  reader.expect_api_prefix();
  reader.append(std::string_view("62\0", 3));  // the npm package `ib` sends its client version bare (§10.1)
  auto f = reader.next_frame();
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("API"), std::string::npos);
}

TEST(TwsCodecHandshake, ClientHelloBytesMatchTheSpec) {
  EXPECT_EQ(encode_client_hello({100, 178, ""}), std::string("API\0\x00\x00\x00\x09v100..178", 17));
  EXPECT_EQ(encode_client_hello({178, 178, ""}), std::string("API\0\x00\x00\x00\x04v178", 12));
  EXPECT_EQ(encode_client_hello({157, 178, "+PACEAPI"}),
            std::string("API\0\x00\x00\x00\x12v157..178 +PACEAPI", 26));
}

TEST(TwsCodecHandshake, DecodesClientHelloForms) {
  auto a = decode_client_hello("v157..178 +PACEAPI");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (ClientHello{157, 178, "+PACEAPI"}));
  auto b = decode_client_hello("v178");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, (ClientHello{178, 178, ""}));
  for (const char* bad : {"", "100..178", "v", "vx..y", "v178..100", "v-1..5"}) {
    EXPECT_FALSE(decode_client_hello(bad).ok()) << bad;
  }
}

TEST(TwsCodecHandshake, NegotiationPicksHighestCommonVersion) {
  EXPECT_EQ(*negotiate_server_version({100, 193, ""}), 178);
  EXPECT_EQ(*negotiate_server_version({100, 176, ""}), 176);
  EXPECT_EQ(*negotiate_server_version({157, 178, ""}), 178);
  EXPECT_FALSE(negotiate_server_version({179, 225, ""}).ok());
}

TEST(TwsCodecHandshake, ServerHelloFixtureFromARealGateway) {
  // nautilus_trader fixture (source G, §1.3): 00 00 00 1a "176\0" "20230228 17:24:14 EST\0".
  std::string bytes("\x00\x00\x00\x1a" "176\0" "20230228 17:24:14 EST\0", 30);
  EXPECT_EQ(encode_server_hello({176, "20230228 17:24:14 EST"}), bytes);
  FrameReader reader;
  reader.append(bytes);
  auto f = reader.next_frame();
  ASSERT_TRUE(f.ok() && f->has_value());
  auto hello = decode_server_hello(**f);
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(hello->server_version, 176);
  EXPECT_EQ(hello->connection_time, "20230228 17:24:14 EST");
  EXPECT_FALSE(decode_server_hello(payload_of({"-1", "host:4001"})).ok());  // redirect
  EXPECT_FALSE(decode_server_hello(payload_of({"x", "t"})).ok());
}

}  // namespace
}  // namespace af::tws
