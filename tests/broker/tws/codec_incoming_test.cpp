// Gateway → client messages decoded from frames recorded from real gateways (tws-protocol.md §4:
// the 2023 paper-account capture, the nautilus startup fixture) and from the spec's layouts;
// unknown ids and malformed frames.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "broker/tws/codec.hpp"
#include "codec_test_util.hpp"

namespace af::tws {
namespace {

using testing::payload_of;
using testing::payload_of_pipes;
using testing::show;

template <class T>
T decode_as(const std::string& payload) {
  auto decoded = decode_incoming(payload);
  EXPECT_TRUE(decoded.ok()) << show(payload) << ": "
                            << (decoded.ok() ? "" : decoded.error().message);
  if (!decoded.ok()) return T{};
  EXPECT_TRUE(std::holds_alternative<T>(*decoded)) << message_name(*decoded);
  if (!std::holds_alternative<T>(*decoded)) return T{};
  return std::get<T>(*decoded);
}

// §4.6 "real-capture value" column: a TSLA market order from the 2023 paper-account capture,
// re-laid to the 178 layout (135 fields). Note deltaNeutralOrderType "None" at #61 followed by
// the eight delta-neutral fields (#63–#70).
const std::vector<std::string> kOpenOrderCapture = {
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

TEST(TwsCodecIncoming, OpenOrderCaptureHas135Fields) { EXPECT_EQ(kOpenOrderCapture.size(), 135u); }

TEST(TwsCodecIncoming, DecodesRealOpenOrderWithNoneDeltaNeutralType) {
  auto m = decode_as<OpenOrder>(payload_of(kOpenOrderCapture));
  EXPECT_EQ(m.order_id, 13);
  EXPECT_EQ(m.contract.con_id, 76792991);
  EXPECT_EQ(m.contract.symbol, "TSLA");
  EXPECT_EQ(m.contract.strike, 0.0);
  EXPECT_EQ(m.contract.right, "?");
  EXPECT_EQ(m.contract.exchange, "SMART");
  EXPECT_EQ(m.contract.trading_class, "NMS");
  EXPECT_EQ(m.order.action, "BUY");
  EXPECT_EQ(m.order.total_quantity, 100.0);
  EXPECT_EQ(m.order.order_type, "MKT");
  EXPECT_EQ(m.order.lmt_price, 0.0);
  EXPECT_EQ(m.order.tif, "DAY");
  EXPECT_EQ(m.order.account, "DU1234567");
  EXPECT_EQ(m.order.client_id, 100);
  EXPECT_EQ(m.order.perm_id, 1376327563);
  EXPECT_EQ(m.order.exempt_code, -1);
  EXPECT_EQ(m.order.display_size, std::nullopt);  // "2147483647"
  EXPECT_EQ(m.order.oca_type, 3);
  EXPECT_EQ(m.order.delta_neutral_order_type, "None");
  EXPECT_EQ(m.order.delta_neutral_con_id, 0);
  EXPECT_EQ(m.order.delta_neutral_open_close, "?");
  EXPECT_EQ(m.order.delta_neutral_short_sale, false);
  EXPECT_EQ(m.order.continuous_update, 0);
  EXPECT_EQ(m.order.scale_init_level_size, std::nullopt);
  EXPECT_EQ(m.order.clearing_intent, "IB");
  EXPECT_FALSE(m.contract.delta_neutral_contract.has_value());
  EXPECT_EQ(m.order_state.status, "PreSubmitted");
  EXPECT_EQ(m.order_state.init_margin_before, std::nullopt);
  EXPECT_EQ(m.order_state.equity_with_loan_after, std::nullopt);
  EXPECT_EQ(m.order_state.commission, std::nullopt);
  EXPECT_EQ(m.order.adjusted_order_type, "None");
  EXPECT_EQ(m.order.trigger_price, std::nullopt);
  EXPECT_EQ(m.order.cash_qty, 0.0);
  EXPECT_EQ(m.order.dont_use_auto_price_for_hedge, true);
  EXPECT_EQ(m.order.auto_cancel_parent, false);
  EXPECT_EQ(m.order.mid_offset_at_half, std::nullopt);
}

TEST(TwsCodecIncoming, TreatingNoneAsEmptyWouldMisalignTheMessage) {
  // The pitfall of §4.6: with an empty deltaNeutralOrderType the 8 fields are not expected, so
  // every later field shifts by 8 — the decoder must report it rather than mis-assign fields.
  std::vector<std::string> fields = kOpenOrderCapture;
  fields[61] = "";
  auto decoded = decode_incoming(payload_of(fields));
  ASSERT_FALSE(decoded.ok());
  // Misaligned by 8 fields, "IB" (clearingIntent) lands in the boolean notHeld → an error.
  EXPECT_NE(decoded.error().message.find("openOrder field"), std::string::npos)
      << decoded.error().message;

  // And the correct layout with an empty type and no dn fields decodes.
  fields.erase(fields.begin() + 63, fields.begin() + 71);
  auto ok = decode_as<OpenOrder>(payload_of(fields));
  EXPECT_EQ(ok.order.delta_neutral_order_type, "");
  EXPECT_EQ(ok.order_state.status, "PreSubmitted");
}

TEST(TwsCodecIncoming, OpenOrderReencodesTheWayTheGatewayWritesIt) {
  // Encoding the decoded capture reproduces the capture's sentinels: "None"+8 fields,
  // 2147483647 for displaySize/scale sizes, DBL_MAX text for margins and adjusted prices.
  auto m = decode_as<OpenOrder>(payload_of(kOpenOrderCapture));
  auto fields = split_fields(encode_payload(IncomingMessage{m}));
  ASSERT_TRUE(fields.ok());
  ASSERT_EQ(fields->size(), 135u);
  for (std::size_t i : {48u, 61u, 63u, 67u, 81u, 82u, 94u, 102u, 111u, 112u, 117u}) {
    EXPECT_EQ((*fields)[i], kOpenOrderCapture[i]) << "field " << i;
  }
  EXPECT_EQ((*fields)[30], "");  // sharesAllocation is not modelled: written empty
  auto again = decode_incoming(encode_payload(IncomingMessage{m}));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again == IncomingMessage{m});
}

TEST(TwsCodecIncoming, DecodesOrderStatusFromThe2023Capture) {
  auto pre = decode_as<OrderStatus>(payload_of_pipes("3|13|PreSubmitted|0|100|0|1376327563|0|0|100||0"));
  EXPECT_EQ(pre, (OrderStatus{13, "PreSubmitted", 0.0, 100.0, 0.0, 1376327563, 0, 0.0, 100, "", 0.0}));
  auto filled =
      decode_as<OrderStatus>(payload_of_pipes("3|13|Filled|100|0|196.52|1376327563|0|196.52|100||0"));
  EXPECT_EQ(filled.status, "Filled");
  EXPECT_EQ(filled.filled, 100.0);
  EXPECT_EQ(filled.remaining, 0.0);
  EXPECT_EQ(filled.avg_fill_price, 196.52);
  EXPECT_EQ(filled.last_fill_price, 196.52);
}

TEST(TwsCodecIncoming, DecodesExecDetailsAt178AndRejectsThePre178Layout) {
  const std::string pre178 =
      "11|-1|13|76792991|TSLA|STK||0.0|||ISLAND|USD|TSLA|NMS|00025b46.63f8f39c.01.01|"
      "20230224  12:04:56|DU1234567|ISLAND|BOT|100|196.52|1376327563|100|0|100|196.52|||||2";
  // At 178 the gateway appends pendingPriceRevision (§4.3 #31, §11.1).
  auto m = decode_as<ExecDetails>(payload_of_pipes(pre178 + "|0"));
  EXPECT_EQ(m.req_id, -1);
  EXPECT_EQ(m.execution.order_id, 13);
  EXPECT_EQ(m.contract.con_id, 76792991);
  EXPECT_EQ(m.contract.exchange, "ISLAND");
  EXPECT_EQ(m.contract.local_symbol, "TSLA");
  EXPECT_EQ(m.execution.exec_id, "00025b46.63f8f39c.01.01");
  EXPECT_EQ(m.execution.time, "20230224  12:04:56");
  EXPECT_EQ(m.execution.acct_number, "DU1234567");
  EXPECT_EQ(m.execution.side, "BOT");
  EXPECT_EQ(m.execution.shares, 100.0);
  EXPECT_EQ(m.execution.price, 196.52);
  EXPECT_EQ(m.execution.perm_id, 1376327563);
  EXPECT_EQ(m.execution.client_id, 100);
  EXPECT_EQ(m.execution.cum_qty, 100.0);
  EXPECT_EQ(m.execution.avg_price, 196.52);
  EXPECT_EQ(m.execution.ev_multiplier, std::nullopt);
  EXPECT_EQ(m.execution.last_liquidity, 2);
  EXPECT_FALSE(m.execution.pending_price_revision);

  auto old = decode_incoming(payload_of_pipes(pre178));  // one field short at 178
  ASSERT_FALSE(old.ok());
  EXPECT_NE(old.error().message.find("execDetails"), std::string::npos);
}

TEST(TwsCodecIncoming, DecodesCommissionReportWithUnknownPnl) {
  auto m = decode_as<CommissionReport>(payload_of_pipes(
      "59|1|00025b46.63f8f39c.01.01|1.0|USD|1.7976931348623157E308|1.7976931348623157E308|"));
  EXPECT_EQ(m, (CommissionReport{"00025b46.63f8f39c.01.01", 1.0, "USD", std::nullopt, std::nullopt,
                                 std::nullopt}));
  // And the gateway-side encoder writes the same bytes back.
  EXPECT_EQ(show(encode_payload(IncomingMessage{m})),
            "59|1|00025b46.63f8f39c.01.01|1|USD|1.7976931348623157E308|1.7976931348623157E308|");
}

TEST(TwsCodecIncoming, DecodesTheStartupSequence) {
  // §1.5 and fixture G.
  EXPECT_EQ(decode_as<ManagedAccounts>(payload_of({"15", "1", "DU1234567"})).accounts_list, "DU1234567");
  EXPECT_EQ(decode_as<NextValidId>(payload_of({"9", "1", "117"})).order_id, 117);
  auto farm = decode_as<ErrorMsg>(
      payload_of({"4", "2", "-1", "2104", "Market data farm connection is OK:usfarm.nj", ""}));
  EXPECT_EQ(farm, (ErrorMsg{-1, 2104, "Market data farm connection is OK:usfarm.nj", ""}));
  auto pacing = decode_as<ErrorMsg>(payload_of_pipes(
      "4|2|-1|100|Max rate of messages per second has been exceeded:max=50 rec=138|"));
  EXPECT_EQ(pacing.code, 100);
  EXPECT_EQ(split_account_list("DU1234567,DU7654321,"),
            (std::vector<std::string>{"DU1234567", "DU7654321"}));
  EXPECT_EQ(decode_as<CurrentTime>(payload_of({"49", "1", "1700000000"})).time, 1700000000);
}

TEST(TwsCodecIncoming, DecodesHistoricalDataWithImpliedEnd) {
  auto m = decode_as<HistoricalData>(payload_of(
      {"17", "9004", "20240102", "20240104", "2", "20240102", "185.5", "186.1", "183.9", "185.64",
       "82488700", "185.2", "310000", "20240103", "184.2", "185.88", "183.43", "184.25",
       "58414500", "184.5", "250000"}));
  ASSERT_EQ(m.bars.size(), 2u);
  EXPECT_EQ(m.req_id, 9004);
  EXPECT_EQ(m.bars[0], (Bar{"20240102", 185.5, 186.1, 183.9, 185.64, 82488700.0, 185.2, 310000}));
  EXPECT_EQ(m.bars[1].close, 184.25);
  // historicalDataUpdate (90) has close before high/low and WAP before volume (§4.7).
  auto u = decode_as<HistoricalDataUpdate>(
      payload_of({"90", "9004", "12", "20240105", "1.0", "2.0", "3.0", "0.5", "1.5", "1000"}));
  EXPECT_EQ(u.bar, (Bar{"20240105", 1.0, 3.0, 0.5, 2.0, 1000.0, 1.5, 12}));
}

TEST(TwsCodecIncoming, DecodesTicksAndTickRequestParameters) {
  EXPECT_EQ(decode_as<TickPrice>(payload_of({"1", "6", "9003", "1", "185.5", "300", "1"})),
            (TickPrice{9003, 1, 185.5, 300.0, 1}));
  EXPECT_EQ(decode_as<TickSize>(payload_of({"2", "6", "9003", "0", "300"})),
            (TickSize{9003, 0, 300.0}));
  EXPECT_EQ(decode_as<TickString>(payload_of({"46", "6", "9003", "45", "1704200000"})),
            (TickString{9003, 45, "1704200000"}));
  EXPECT_EQ(decode_as<TickGeneric>(payload_of({"45", "6", "9003", "49", "0.0"})),
            (TickGeneric{9003, 49, 0.0}));
  EXPECT_EQ(decode_as<TickReqParams>(payload_of({"81", "9003", "0.01", "9c0001", "3"})),
            (TickReqParams{9003, 0.01, "9c0001", 3}));
  EXPECT_EQ(decode_as<MarketDataType>(payload_of({"58", "1", "9003", "3"})),
            (MarketDataType{9003, 3}));
  EXPECT_EQ(decode_as<TickSnapshotEnd>(payload_of({"57", "1", "9003"})).ticker_id, 9003);
}

TEST(TwsCodecIncoming, DecodesPositionAndAccountMessages) {
  auto p = decode_as<Position>(payload_of({"61", "3", "DU1234567", "756733", "SPY", "STK", "", "0.0",
                                           "", "", "ARCA", "USD", "SPY", "SPY", "150", "412.35"}));
  EXPECT_EQ(p.account, "DU1234567");
  EXPECT_EQ(p.contract.con_id, 756733);
  EXPECT_EQ(p.contract.exchange, "ARCA");
  EXPECT_EQ(p.position, 150.0);
  EXPECT_EQ(p.avg_cost, 412.35);
  auto s = decode_as<AccountSummary>(
      payload_of({"63", "1", "9001", "DU1234567", "NetLiquidation", "1000000.00", "USD"}));
  EXPECT_EQ(s, (AccountSummary{9001, "DU1234567", "NetLiquidation", "1000000.00", "USD"}));
  auto v = decode_as<UpdateAccountValue>(
      payload_of({"6", "2", "CashBalance", "5000", "EUR", "DU1234567"}));
  EXPECT_EQ(v, (UpdateAccountValue{"CashBalance", "5000", "EUR", "DU1234567"}));
}

TEST(TwsCodecIncoming, UnknownMessageIdsAreSkippedNotErrors) {
  // completedOrder (101) and updateMktDepth (12) are not modelled; 999 does not exist at all.
  for (int id : {12, 101, 999}) {
    auto decoded = decode_incoming(payload_of({std::to_string(id), "1", "anything", ""}));
    ASSERT_TRUE(decoded.ok()) << id;
    EXPECT_TRUE(*decoded == IncomingMessage{UnknownMessage{id}}) << id;
  }
}

TEST(TwsCodecIncoming, MalformedFramesAreErrorsNeverCrashes) {
  std::vector<std::string> bad = {
      std::string(),                                          // empty
      std::string("3", 1),                                    // id without terminator
      payload_of({"3", "13", "Filled"}),                      // truncated orderStatus
      payload_of({"9", "1", "12x"}),                          // non-numeric id value
      payload_of({"9", "1", "99999999999"}),                  // int overflow
      payload_of({"62", "1", "junk"}),                        // trailing field
      payload_of({"17", "1", "a", "b", "99999999"}),          // huge bar count
      payload_of({"17", "1", "a", "b", "-2"}),                // negative count
      payload_of({"-5"}),                                     // negative id
      payload_of({"abc"}),                                    // non-numeric id
      payload_of({"1", "6", "1", "1", "nan", "1", "0"}),      // NaN price
  };
  for (const auto& p : bad) {
    auto decoded = decode_incoming(p);
    EXPECT_FALSE(decoded.ok()) << show(p);
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.error().code, ErrorCode::kProtocol);
      EXPECT_FALSE(decoded.error().message.empty());
    }
  }
  // Every prefix of a valid openOrder is rejected cleanly (no over-read; ASan checks the bytes).
  std::string full = payload_of(kOpenOrderCapture);
  for (std::size_t n = 0; n < full.size(); ++n) {
    std::string prefix = full.substr(0, n);
    EXPECT_FALSE(decode_incoming(prefix).ok()) << n;
  }
}

TEST(TwsCodecIncoming, UnknownOrderConditionTypeIsAnError) {
  OpenOrder m;
  m.order.conditions = {OrderCondition{1, {"a", "1", "100.5", "265598", "SMART", "0"}}};
  std::string payload = encode_payload(IncomingMessage{m});
  auto ok = decode_incoming(payload);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_TRUE(*ok == IncomingMessage{m});
  auto fields = *split_fields(payload);
  // The condition type follows conditionsCount; locate "1","a" and corrupt the type.
  for (std::size_t i = 0; i + 1 < fields.size(); ++i) {
    if (fields[i] == "1" && fields[i + 1] == "a") {
      fields[i] = "2";
      break;
    }
  }
  auto bad = decode_incoming(payload_of(fields));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("condition type"), std::string::npos);
}

}  // namespace
}  // namespace af::tws
