// Client → gateway requests against frames captured from real clients (tws-protocol.md §3):
//   * @stoqey/ib frames (§3.9 and the placeOrder column of §3.4): our encoder must write exactly
//     these bytes, and the gateway-side decoder must read them back to the same request;
//   * ib_async frames (§3 examples, explicit 0/-1 defaults, "0.0"): the decoder must accept them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "broker/tws/codec.hpp"
#include "codec_test_util.hpp"

namespace af::tws {
namespace {

using testing::payload_of;
using testing::payload_of_pipes;
using testing::show;

Contract aapl_smart() {
  Contract c;
  c.symbol = "AAPL";
  c.sec_type = "STK";
  c.exchange = "SMART";
  c.currency = "USD";
  return c;
}

// The @stoqey/ib limit order of §3.4: {action:BUY, orderType:LMT, totalQuantity:100, lmtPrice:150,
// tif:DAY, transmit:true, orderRef:"idem-key-1"} on AAPL SMART USD, orderId 1.
PlaceOrder stoqey_limit_order() {
  PlaceOrder p;
  p.order_id = 1;
  p.contract = aapl_smart();
  p.order.action = "BUY";
  p.order.order_type = "LMT";
  p.order.total_quantity = 100;
  p.order.lmt_price = 150;
  p.order.tif = "DAY";
  p.order.transmit = true;
  p.order.order_ref = "idem-key-1";
  return p;
}

// §3.4 column "@stoqey/ib LMT" (114 fields).
const std::vector<std::string> kStoqeyPlaceOrderFields = {
    "3", "1", "", "AAPL", "STK", "", "", "", "", "SMART", "", "USD", "", "", "", "", "BUY", "100",
    "LMT", "150", "", "DAY", "", "", "", "", "idem-key-1", "1", "", "", "", "", "", "", "", "", "",
    "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
    "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "0", "",
    "", "", "", "", "", "", "0", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
    "", "", "", "", "", "", "", ""};

struct Fixture {
  const char* name;
  Request request;
  std::vector<std::string> fields;
};

std::vector<Fixture> stoqey_fixtures() {
  ReqContractDetails cd{9002, aapl_smart()};
  ReqMktData md;
  md.ticker_id = 9003;
  md.contract = aapl_smart();
  ReqHistoricalData hd;
  hd.req_id = 9004;
  hd.contract = aapl_smart();
  hd.contract.include_expired = false;
  hd.bar_size_setting = "1 day";
  hd.duration_str = "2 D";
  hd.use_rth = true;
  hd.what_to_show = "TRADES";
  hd.format_date = 1;
  return {
      {"startApi", StartApi{7, ""}, {"71", "2", "7", ""}},
      {"reqCurrentTime", ReqCurrentTime{}, {"49", "1"}},
      {"reqPositions", ReqPositions{}, {"61", "1"}},
      {"reqAccountSummary", ReqAccountSummary{9001, "All", "NetLiquidation"},
       {"62", "1", "9001", "All", "NetLiquidation"}},
      {"reqContractDetails", cd,
       {"9", "8", "9002", "", "AAPL", "STK", "", "", "", "", "SMART", "", "USD", "", "", "", "", "", ""}},
      {"reqMarketDataType", ReqMarketDataType{1}, {"59", "1", "1"}},
      {"reqMktData", md,
       {"1", "11", "9003", "", "AAPL", "STK", "", "", "", "", "SMART", "", "USD", "", "", "0", "", "0",
        "0", ""}},
      {"reqHistoricalData", hd,
       {"20", "9004", "", "AAPL", "STK", "", "", "", "", "SMART", "", "USD", "", "", "0", "", "1 day",
        "2 D", "1", "TRADES", "1", "0", ""}},
      {"reqExecutions", ReqExecutions{9005, {}}, {"7", "3", "9005", "", "", "", "", "", "", ""}},
      {"reqOpenOrders", ReqOpenOrders{}, {"5", "1"}},
      {"reqAllOpenOrders", ReqAllOpenOrders{}, {"16", "1"}},
      {"reqAutoOpenOrders", ReqAutoOpenOrders{true}, {"15", "1", "1"}},
      {"reqIds", ReqIds{0}, {"8", "1", "0"}},
      {"cancelOrder", CancelOrder{2, ""}, {"4", "1", "2", ""}},
      {"cancelMktData", CancelMktData{9003}, {"2", "1", "9003"}},
      {"cancelHistoricalData", CancelHistoricalData{9004}, {"25", "1", "9004"}},
      {"cancelAccountSummary", CancelAccountSummary{9001}, {"63", "1", "9001"}},
      {"cancelPositions", CancelPositions{}, {"64", "1"}},
      {"reqAccountUpdates", ReqAccountUpdates{true, "DU1234567"}, {"6", "2", "1", "DU1234567"}},
      {"reqGlobalCancel", ReqGlobalCancel{}, {"58", "1"}},
      {"placeOrder", stoqey_limit_order(), kStoqeyPlaceOrderFields},
  };
}

TEST(TwsCodecRequests, StoqeyPlaceOrderFixtureHas114Fields) {
  EXPECT_EQ(kStoqeyPlaceOrderFields.size(), 114u);
}

TEST(TwsCodecRequests, EncoderWritesTheBytesStoqeyIbWrites) {
  for (const auto& fx : stoqey_fixtures()) {
    std::string expected = payload_of(fx.fields);
    EXPECT_EQ(show(encode_payload(fx.request)), show(expected)) << fx.name;
    EXPECT_EQ(encode(fx.request), encode_frame(expected)) << fx.name;
  }
}

TEST(TwsCodecRequests, GatewayDecodesStoqeyIbFramesToTheSameRequests) {
  for (const auto& fx : stoqey_fixtures()) {
    auto decoded = decode_request(payload_of(fx.fields));
    ASSERT_TRUE(decoded.ok()) << fx.name << ": " << decoded.error().message;
    EXPECT_TRUE(*decoded == fx.request) << fx.name;
    EXPECT_STREQ(message_name(*decoded), fx.name);
  }
}

TEST(TwsCodecRequests, GatewayDecodesIbAsyncPlaceOrderWithExplicitDefaults) {
  // §3.4 column "ib_async LMT": LimitOrder("BUY",100,150.25, orderRef="idem-1", tif="DAY").
  std::vector<std::string> fields = {
      "3", "11", "0", "AAPL", "STK", "", "0.0", "", "", "SMART", "", "USD", "", "", "", "", "BUY",
      "100", "LMT", "150.25", "", "DAY", "", "", "O", "0", "idem-1", "1", "0", "0", "0", "0", "0",
      "0", "0", "", "0.0", "", "", "", "", "", "", "0", "", "-1", "0", "", "", "0", "", "", "0",
      "0", "", "0", "", "", "", "", "", "0", "", "", "", "", "0", "", "", "", "", "", "", "", "",
      "", "", "0", "", "", "0", "0", "", "", "0", "", "0", "0", "0", "0", "", "", "", "", "", "",
      "0", "", "", "", "", "", "", "", "", "0", "0", "0", "0", "", "", "0", "", ""};
  ASSERT_EQ(fields.size(), 114u);
  auto decoded = decode_request(payload_of(fields));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& p = std::get<PlaceOrder>(*decoded);
  EXPECT_EQ(p.order_id, 11);
  EXPECT_EQ(p.contract.con_id, 0);
  EXPECT_EQ(p.contract.strike, 0.0);
  EXPECT_EQ(p.order.action, "BUY");
  EXPECT_EQ(p.order.total_quantity, 100.0);
  EXPECT_EQ(p.order.lmt_price, 150.25);
  EXPECT_EQ(p.order.aux_price, std::nullopt);
  EXPECT_EQ(p.order.open_close, "O");
  EXPECT_EQ(p.order.order_ref, "idem-1");
  EXPECT_TRUE(p.order.transmit);
  EXPECT_EQ(p.order.exempt_code, -1);
  EXPECT_EQ(p.order.discretionary_amt, 0.0);
  EXPECT_EQ(p.order.use_price_mgmt_algo, false);
  EXPECT_TRUE(p.order.conditions.empty());
}

TEST(TwsCodecRequests, GatewayDecodesIbAsyncMarketOrder) {
  // §3.4 column "ib_async MKT": MarketOrder("SELL",100): lmtPrice and tif empty.
  std::vector<std::string> fields = {
      "3", "12", "0", "AAPL", "STK", "", "0.0", "", "", "SMART", "", "USD", "", "", "", "", "SELL",
      "100", "MKT", "", "", "", "", "", "O", "0", "", "1", "0", "0", "0", "0", "0", "0", "0", "",
      "0.0", "", "", "", "", "", "", "0", "", "-1", "0", "", "", "0", "", "", "0", "0", "", "0", "",
      "", "", "", "", "0", "", "", "", "", "0", "", "", "", "", "", "", "", "", "", "", "0", "", "",
      "0", "0", "", "", "0", "", "0", "0", "0", "0", "", "", "", "", "", "", "0", "", "", "", "", "",
      "", "", "", "0", "0", "0", "0", "", "", "0", "", ""};
  auto decoded = decode_request(payload_of(fields));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& p = std::get<PlaceOrder>(*decoded);
  EXPECT_EQ(p.order.action, "SELL");
  EXPECT_EQ(p.order.order_type, "MKT");
  EXPECT_EQ(p.order.lmt_price, std::nullopt);
  EXPECT_EQ(p.order.tif, "");
}

TEST(TwsCodecRequests, GatewayDecodesIbAsyncExamplesOfSection3) {
  struct Case {
    const char* pipes;
    Request expected;
  };
  ReqContractDetails cd{7, aapl_smart()};
  cd.contract.con_id = 0;
  cd.contract.strike = 0.0;
  cd.contract.include_expired = false;
  ReqMktData md;
  md.ticker_id = 5;
  md.contract = aapl_smart();
  md.contract.con_id = 0;
  md.contract.strike = 0.0;
  ReqHistoricalData hd;
  hd.req_id = 6;
  hd.contract = aapl_smart();
  hd.contract.con_id = 0;
  hd.contract.strike = 0.0;
  hd.contract.include_expired = false;
  hd.bar_size_setting = "1 day";
  hd.duration_str = "2 D";
  ReqExecutions ex{8, {}};
  ex.filter.client_id = 0;
  std::vector<Case> cases = {
      {"71|2|7|", StartApi{7, ""}},
      {"8|1|1", ReqIds{1}},
      {"59|1|3", ReqMarketDataType{3}},
      {"62|1|9|All|NetLiquidation,TotalCashValue",
       ReqAccountSummary{9, "All", "NetLiquidation,TotalCashValue"}},
      {"63|1|9001", CancelAccountSummary{9001}},
      {"6|2|1|DU1234567", ReqAccountUpdates{true, "DU1234567"}},
      {"4|1|11|", CancelOrder{11, ""}},
      {"15|1|1", ReqAutoOpenOrders{true}},
      {"7|3|8|0||||||", ex},
      {"99|0", ReqCompletedOrders{false}},
      {"9|8|7|0|AAPL|STK||0.0|||SMART||USD|||0|||", cd},
      {"1|11|5|0|AAPL|STK||0.0|||SMART||USD|||0||0|0|", md},
      {"20|6|0|AAPL|STK||0.0|||SMART||USD|||0||1 day|2 D|1|TRADES|1|0|", hd},
      {"2|2|9003", CancelMktData{9003}},  // ib_async writes version 2; the value is ignored
  };
  for (const auto& c : cases) {
    auto decoded = decode_request(payload_of_pipes(c.pipes));
    ASSERT_TRUE(decoded.ok()) << c.pipes << ": " << decoded.error().message;
    EXPECT_TRUE(*decoded == c.expected) << c.pipes;
  }
}

TEST(TwsCodecRequests, PlaceOrderConditionalGroupsFollowTheData) {
  // A BAG order with two legs (§3.4 "BAG combo legs" row): legCount, 8 fields per leg, then
  // orderComboLegCount + prices, then smart-combo params — inserted after `hidden` (field 34).
  PlaceOrder p = stoqey_limit_order();
  p.contract.sec_type = "BAG";
  p.contract.combo_legs = {ComboLeg{1, 1, "BUY", "SMART", 0, 0, "", -1},
                           ComboLeg{2, 1, "SELL", "SMART", 0, 0, "", -1}};
  p.order.order_combo_leg_prices = {std::nullopt, 1.5};
  p.order.smart_combo_routing_params = {{"NonGuaranteed", "1"}};
  auto fields = split_fields(encode_payload(Request{p}));
  ASSERT_TRUE(fields.ok());
  ASSERT_EQ(fields->size(), 114u + 1 + 16 + 1 + 2 + 1 + 2);
  EXPECT_EQ((*fields)[34], "");  // hidden (unset)
  EXPECT_EQ((*fields)[35], "2");
  EXPECT_EQ((*fields)[36], "1");
  EXPECT_EQ((*fields)[38], "BUY");
  EXPECT_EQ((*fields)[44], "2");   // second leg's conId
  EXPECT_EQ((*fields)[52], "2");   // order combo leg count
  EXPECT_EQ((*fields)[53], "");
  EXPECT_EQ((*fields)[54], "1.5");
  EXPECT_EQ((*fields)[55], "1");   // smart combo params count
  EXPECT_EQ((*fields)[56], "NonGuaranteed");
  EXPECT_EQ((*fields)[58], "");    // sharesAllocation: the fixed layout resumes

  // PEG MID appends midOffsetAtWhole and midOffsetAtHalf (≥170); IBKRATS adds minTradeQty.
  PlaceOrder mid = stoqey_limit_order();
  mid.order.order_type = "PEG MID";
  mid.order.mid_offset_at_whole = 0.01;
  mid.contract.exchange = "IBKRATS";
  mid.order.min_trade_qty = 10;
  auto mf = split_fields(encode_payload(Request{mid}));
  ASSERT_TRUE(mf.ok());
  ASSERT_EQ(mf->size(), 117u);
  EXPECT_EQ((*mf)[114], "10");
  EXPECT_EQ((*mf)[115], "0.01");
  EXPECT_EQ((*mf)[116], "");
}

TEST(TwsCodecRequests, PlaceOrderWithDeltaNeutralTypeCarriesEightMoreFields) {
  PlaceOrder p = stoqey_limit_order();
  p.order.delta_neutral_order_type = "LMT";
  p.order.delta_neutral_con_id = 12345;
  auto fields = split_fields(encode_payload(Request{p}));
  ASSERT_TRUE(fields.ok());
  ASSERT_EQ(fields->size(), 122u);
  EXPECT_EQ((*fields)[64], "LMT");
  EXPECT_EQ((*fields)[66], "12345");
  auto back = decode_request(encode_payload(Request{p}));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(*back == Request{p});
}

TEST(TwsCodecRequests, UnknownRequestIdIsNotAnError) {
  auto decoded = decode_request(payload_of({"87", "9006", "whatever"}));  // reqHeadTimestamp
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(*decoded == Request{UnknownRequest{87}});
}

TEST(TwsCodecRequests, MalformedRequestsAreErrors) {
  const std::vector<std::string> bad = {
      payload_of({"4", "1"}),                        // cancelOrder without orderId
      payload_of({"4", "1", "x", ""}),               // non-numeric orderId
      payload_of({"61", "1", "extra"}),              // trailing field
      payload_of({"x1", "1"}),                       // non-numeric message id
      std::string(),                                 // empty payload
      std::string("61\0" "1", 4),                    // last field not terminated
      payload_of({"6", "2", "maybe", "DU1"}),        // not a boolean
  };
  for (const auto& p : bad) {
    auto decoded = decode_request(p);
    EXPECT_FALSE(decoded.ok()) << show(p);
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.error().code, ErrorCode::kProtocol);
    }
  }
}

}  // namespace
}  // namespace af::tws
