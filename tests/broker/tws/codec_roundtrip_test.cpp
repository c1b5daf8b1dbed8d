// Round trips: for every request and every incoming message, decode(encode(m)) == m, with
// populated fields, unset values and every conditional group switched on somewhere.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "broker/tws/codec.hpp"
#include "codec_test_util.hpp"

namespace af::tws {
namespace {

using testing::show;

Contract option_contract() {
  Contract c;
  c.con_id = 495512563;
  c.symbol = "SPY";
  c.sec_type = "OPT";
  c.last_trade_date_or_contract_month = "20240621";
  c.strike = 450.5;
  c.right = "P";
  c.multiplier = "100";
  c.exchange = "SMART";
  c.primary_exchange = "ARCA";
  c.currency = "USD";
  c.local_symbol = "SPY   240621P00450500";
  c.trading_class = "SPY";
  return c;
}

// An order with every conditional group present.
Order full_order() {
  Order o;
  o.action = "SELL";
  o.total_quantity = 2.5;
  o.order_type = "PEG BENCH";
  o.lmt_price = 12.34;
  o.aux_price = std::nullopt;
  o.tif = "GTC";
  o.oca_group = "oca1";
  o.account = "DU1234567";
  o.open_close = "C";
  o.origin = 0;
  o.order_ref = "2024-01-02/eu/us_index_etf/0/1";
  o.transmit = false;
  o.parent_id = 77;
  o.block_order = true;
  o.sweep_to_fill = false;
  o.display_size = 10;
  o.trigger_method = 2;
  o.outside_rth = true;
  o.hidden = false;
  o.discretionary_amt = 0.05;
  o.good_after_time = "20240102 09:30:00 US/Eastern";
  o.good_till_date = "20240103 16:00:00 US/Eastern";
  o.model_code = "m1";
  o.short_sale_slot = 1;
  o.exempt_code = -1;
  o.oca_type = 3;
  o.all_or_none = false;
  o.min_qty = 5;
  o.percent_offset = 0.1;
  o.auction_strategy = 0;
  o.starting_price = 1.5;
  o.delta = 0.4;
  o.volatility = 0.25;
  o.volatility_type = 2;
  o.delta_neutral_order_type = "LMT";
  o.delta_neutral_aux_price = 1.25;
  o.delta_neutral_con_id = 756733;
  o.delta_neutral_settling_firm = "DEMO";
  o.delta_neutral_clearing_account = "ca";
  o.delta_neutral_clearing_intent = "IB";
  o.delta_neutral_open_close = "O";
  o.delta_neutral_short_sale = true;
  o.delta_neutral_short_sale_slot = 2;
  o.delta_neutral_designated_location = "loc";
  o.continuous_update = 1;
  o.reference_price_type = 1;
  o.trail_stop_price = 9.5;
  o.trailing_percent = 1.5;
  o.scale_init_level_size = 100;
  o.scale_subs_level_size = 50;
  o.scale_price_increment = 0.05;
  o.scale_price_adjust_value = 0.01;
  o.scale_price_adjust_interval = 60;
  o.scale_profit_offset = 0.2;
  o.scale_auto_reset = true;
  o.scale_init_position = 0;
  o.scale_init_fill_qty = 0;
  o.scale_random_percent = false;
  o.hedge_type = "D";
  o.hedge_param = "0.5";
  o.opt_out_smart_routing = false;
  o.clearing_intent = "IB";
  o.not_held = false;
  o.algo_strategy = "Adaptive";
  o.algo_params = {{"adaptivePriority", "Normal"}};
  o.what_if = false;
  o.solicited = false;
  o.randomize_size = false;
  o.randomize_price = true;
  o.reference_contract_id = 12345;
  o.is_pegged_change_amount_decrease = false;
  o.pegged_change_amount = 0.1;
  o.reference_change_amount = 0.2;
  o.reference_exchange_id = "ARCA";
  o.conditions = {OrderCondition{1, {"a", "1", "100.5", "265598", "SMART", "0"}},
                  OrderCondition{3, {"o", "0", "20240102 15:00:00"}},
                  OrderCondition{5, {"a", "STK", "SMART", "AAPL"}}};
  o.conditions_ignore_rth = true;
  o.conditions_cancel_order = false;
  o.adjusted_order_type = "STP";
  o.trigger_price = 99.5;
  o.adjusted_stop_price = 98.0;
  o.adjustable_trailing_unit = 0;
  o.soft_dollar_tier_name = "t";
  o.soft_dollar_tier_value = "v";
  o.cash_qty = 1000.0;
  o.dont_use_auto_price_for_hedge = true;
  o.is_oms_container = false;
  o.discretionary_up_to_limit_price = false;
  o.use_price_mgmt_algo = true;
  o.duration = 30;
  o.post_to_ats = 1;
  o.auto_cancel_parent = false;
  return o;
}

// Fields placeOrder does not carry must stay default for a placeOrder round trip, and vice versa.
PlaceOrder full_place_order() {
  PlaceOrder p;
  p.order_id = 1001;
  p.contract = option_contract();
  p.contract.sec_id_type = "ISIN";
  p.contract.sec_id = "US78462F1030";
  p.contract.delta_neutral_contract = DeltaNeutralContract{756733, 0.5, 450.25};
  p.order = full_order();
  p.order.scale_table = "st";
  p.order.active_start_time = "09:30";
  p.order.active_stop_time = "16:00";
  p.order.algo_id = "algo1";
  p.order.order_misc_options = "a=b;";
  p.order.override_percentage_constraints = true;
  p.order.ext_operator = "op";
  p.order.mifid2_decision_maker = "dm";
  p.order.mifid2_decision_algo = "da";
  p.order.mifid2_execution_trader = "et";
  p.order.mifid2_execution_algo = "ea";
  p.order.advanced_error_override = "8229";
  p.order.manual_order_time = "20240102-15:00:00";
  p.order.e_trade_only = false;
  p.order.firm_quote_only = false;
  return p;
}

std::vector<Request> all_requests() {
  PlaceOrder bag;
  bag.order_id = 5;
  bag.contract.symbol = "SPY";
  bag.contract.sec_type = "BAG";
  bag.contract.exchange = "SMART";
  bag.contract.currency = "USD";
  bag.contract.combo_legs = {ComboLeg{1, 1, "BUY", "SMART", 0, 0, "", -1},
                             ComboLeg{2, 2, "SELL", "SMART", 1, std::nullopt, "x", 0}};
  bag.order.action = "BUY";
  bag.order.order_type = "LMT";
  bag.order.total_quantity = 1;
  bag.order.lmt_price = -0.5;
  bag.order.order_combo_leg_prices = {1.0, std::nullopt};
  bag.order.smart_combo_routing_params = {{"NonGuaranteed", "1"}};

  PlaceOrder peg_best;
  peg_best.order_id = 6;
  peg_best.contract.symbol = "AAPL";
  peg_best.contract.sec_type = "STK";
  peg_best.contract.exchange = "IBKRATS";
  peg_best.order.action = "BUY";
  peg_best.order.order_type = "PEG BEST";
  peg_best.order.total_quantity = 100;
  peg_best.order.min_trade_qty = 50;
  peg_best.order.min_compete_size = 100;
  peg_best.order.compete_against_best_offset = std::numeric_limits<double>::infinity();
  peg_best.order.mid_offset_at_whole = 0.01;
  peg_best.order.mid_offset_at_half = 0.005;

  ReqMktData md;
  md.ticker_id = 9;
  md.contract = bag.contract;
  md.contract.combo_legs = {ComboLeg{1, 1, "BUY", "SMART", std::nullopt, std::nullopt, "", std::nullopt}};
  md.contract.delta_neutral_contract = DeltaNeutralContract{1, 0.5, 10.0};
  md.generic_tick_list = "233,236";
  md.snapshot = true;
  md.regulatory_snapshot = false;
  md.mkt_data_options = "x=y;";

  ReqHistoricalData hd;
  hd.req_id = 10;
  hd.contract = option_contract();
  hd.contract.include_expired = true;
  hd.end_date_time = "20240102 16:00:00 US/Eastern";
  hd.bar_size_setting = "1 min";
  hd.duration_str = "1 W";
  hd.use_rth = false;
  hd.what_to_show = "MIDPOINT";
  hd.format_date = 2;
  hd.keep_up_to_date = true;
  hd.chart_options = "";

  ReqContractDetails cd;
  cd.req_id = 11;
  cd.contract = option_contract();
  cd.contract.include_expired = true;
  cd.contract.sec_id_type = "ISIN";
  cd.contract.sec_id = "X";
  cd.contract.issuer_id = "e1";

  ExecutionFilter filter{17, "DU1", "20240102 00:00:00", "AAPL", "STK", "SMART", "BUY"};

  return {StartApi{17, "cap"},
          ReqCurrentTime{},
          ReqIds{3},
          ReqMarketDataType{4},
          ReqPositions{},
          CancelPositions{},
          ReqAccountSummary{1, "All", "$LEDGER:ALL"},
          CancelAccountSummary{1},
          ReqAccountUpdates{false, "DU1"},
          full_place_order(),
          bag,
          peg_best,
          CancelOrder{7, "20240102 10:00:00"},
          ReqGlobalCancel{},
          ReqOpenOrders{},
          ReqAllOpenOrders{},
          ReqAutoOpenOrders{false},
          ReqExecutions{12, filter},
          ReqCompletedOrders{true},
          cd,
          md,
          CancelMktData{9},
          hd,
          CancelHistoricalData{10},
          ReqManagedAccts{},
          UnknownRequest{104}};
}

OpenOrder full_open_order() {
  OpenOrder m;
  m.order_id = 42;
  m.contract = option_contract();
  m.contract.primary_exchange.clear();  // not carried by openOrder
  m.contract.combo_legs_descrip = "legs";
  m.contract.combo_legs = {ComboLeg{1, 1, "BUY", "SMART", 0, 0, "", -1}};
  m.contract.delta_neutral_contract = DeltaNeutralContract{9, 0.1, 2.0};
  m.order = full_order();
  m.order.transmit = true;  // openOrder does not carry transmit; the decoder leaves the default
  m.order.order_combo_leg_prices = {2.5};
  m.order.smart_combo_routing_params = {{"a", "b"}, {"c", ""}};
  m.order.client_id = 17;
  m.order.perm_id = 9007199254740993LL;  // > 2^53: must survive as an integer
  m.order.soft_dollar_tier_display_name = "tier";
  m.order.min_trade_qty = 1;
  m.order.min_compete_size = 2;
  m.order.compete_against_best_offset = std::numeric_limits<double>::infinity();
  m.order.mid_offset_at_whole = 0.5;
  m.order.mid_offset_at_half = 0.25;
  m.order_state.status = "Submitted";
  m.order_state.init_margin_before = 1000.5;
  m.order_state.maint_margin_after = 800.0;
  m.order_state.commission = 1.0;
  m.order_state.commission_currency = "USD";
  m.order_state.warning_text = "careful";
  return m;
}

std::vector<IncomingMessage> all_incoming() {
  ContractDetailsMsg cd;
  cd.req_id = 3;
  cd.details.contract = option_contract();
  cd.details.market_name = "SPY";
  cd.details.min_tick = 0.01;
  cd.details.order_types = "ACTIVETIM,AD,LMT,MKT";
  cd.details.valid_exchanges = "SMART,AMEX,CBOE";
  cd.details.price_magnifier = 1;
  cd.details.under_con_id = 756733;
  cd.details.long_name = "SPDR S&P 500 ETF TRUST";
  cd.details.contract_month = "202406";
  cd.details.time_zone_id = "US/Eastern";
  cd.details.trading_hours = "20240102:0930-20240102:1600";
  cd.details.liquid_hours = "20240102:0930-20240102:1600";
  cd.details.ev_multiplier = 0.0;
  cd.details.sec_id_list = {{"ISIN", "US78462F1030"}};
  cd.details.agg_group = 2;
  cd.details.under_symbol = "SPY";
  cd.details.under_sec_type = "STK";
  cd.details.market_rule_ids = "26,26";
  cd.details.real_expiration_date = "20240621";
  cd.details.stock_type = "ETF";
  cd.details.min_size = 1;
  cd.details.size_increment = 1;
  cd.details.suggested_size_increment = 100;

  Contract exec_contract = option_contract();
  exec_contract.primary_exchange.clear();
  ExecDetails ex;
  ex.req_id = 12;
  ex.contract = exec_contract;
  ex.execution = Execution{42,        "0000e0d5.6553a5c1.01.01", "20240102 10:00:01 US/Eastern",
                           "DU1",     "CBOE",                    "SLD",
                           2.5,       12.34,                     9007199254740993LL,
                           17,        0,                         2.5,
                           12.34,     "ref",                     "",
                           1.0,       "",                        2,
                           true};

  UpdatePortfolio up;
  up.contract = option_contract();
  up.contract.exchange.clear();  // updatePortfolio carries primaryExchange only
  up.position = -3;
  up.market_price = 1.5;
  up.market_value = -450;
  up.average_cost = 160.2;
  up.unrealized_pnl = 30.6;
  up.realized_pnl = 0;
  up.account_name = "DU1";

  Position pos;
  pos.account = "DU1";
  pos.contract = exec_contract;
  pos.position = 0.5;
  pos.avg_cost = 100.25;

  HistoricalData hd;
  hd.req_id = 4;
  hd.start_date = "20240101";
  hd.end_date = "20240105";
  hd.bars = {Bar{"20240102", 1, 2, 0.5, 1.5, 1000, 1.25, 10},
             Bar{"1704200000", 1, 2, 0.5, 1.5, std::nullopt, std::nullopt, 0}};

  return {TickPrice{1, 2, 185.25, 300, 3},
          TickPrice{1, 4, -1, std::nullopt, 0},
          TickSize{1, 8, 123456789},
          TickString{1, 48, "185.25;100;1704200000000;5000;185.1;false"},
          TickGeneric{1, 49, 1},
          TickSnapshotEnd{1},
          TickOptionComputation{1, 13, 1, 0.2, -0.4, 3.5, 0.1, 0.01, 0.2, -0.05, 450.0},
          TickReqParams{1, 0.01, "9c0001", 3},
          MarketDataType{1, 3},
          OrderStatus{42, "Submitted", 1.5, 1.0, 12.3, 9007199254740993LL, 0, 12.3, 17, "locate", 0},
          ErrorMsg{42, 201, "Order rejected - reason: margin", "{\"reason\":\"x\"}"},
          full_open_order(),
          OpenOrderEnd{},
          UpdateAccountValue{"NetLiquidation", "1000000.5", "USD", "DU1"},
          up,
          UpdateAccountTime{"15:59"},
          AccountDownloadEnd{"DU1"},
          NextValidId{1001},
          cd,
          ContractDetailsEnd{3},
          ex,
          ExecDetailsEnd{12},
          CommissionReport{"0000e0d5.6553a5c1.01.01", 1.25, "USD", 10.5, std::nullopt, 20240102},
          ManagedAccounts{"DU1,DU2,"},
          CurrentTime{1704200000},
          pos,
          PositionEnd{},
          AccountSummary{1, "DU1", "TotalCashValue", "-12.5", "EUR"},
          AccountSummaryEnd{1},
          hd,
          HistoricalDataUpdate{4, Bar{"20240105 10:00:00", 1, 2, 0.5, 1.5, 1000, 1.25, 10}},
          OrderBound{9007199254740993LL, 0, -5},
          CompletedOrdersEnd{},
          UnknownMessage{101}};
}

TEST(TwsCodecRoundTrip, EveryRequestSurvivesEncodeThenDecode) {
  for (const Request& r : all_requests()) {
    std::string frame = encode(r);
    FrameReader reader;
    reader.append(frame);
    auto payload = reader.next_frame();
    ASSERT_TRUE(payload.ok() && payload->has_value()) << message_name(r);
    auto back = decode_request(**payload);
    ASSERT_TRUE(back.ok()) << message_name(r) << ": " << back.error().message << "\n"
                           << show(**payload);
    EXPECT_TRUE(*back == r) << message_name(r) << "\n" << show(**payload);
  }
}

TEST(TwsCodecRoundTrip, EveryIncomingMessageSurvivesEncodeThenDecode) {
  for (const IncomingMessage& m : all_incoming()) {
    std::string frame = encode(m);
    FrameReader reader;
    reader.append(frame);
    auto payload = reader.next_frame();
    ASSERT_TRUE(payload.ok() && payload->has_value()) << message_name(m);
    auto back = decode_incoming(**payload);
    ASSERT_TRUE(back.ok()) << message_name(m) << ": " << back.error().message << "\n"
                           << show(**payload);
    EXPECT_TRUE(*back == m) << message_name(m) << "\n" << show(**payload);
  }
}

TEST(TwsCodecRoundTrip, EveryModelledMessageTypeIsCovered) {
  // Guards the two lists above against a message type added to the variants but not tested.
  std::vector<bool> seen_requests(std::variant_size_v<Request>, false);
  for (const auto& r : all_requests()) seen_requests[r.index()] = true;
  for (std::size_t i = 0; i < seen_requests.size(); ++i) EXPECT_TRUE(seen_requests[i]) << "request #" << i;
  std::vector<bool> seen_incoming(std::variant_size_v<IncomingMessage>, false);
  for (const auto& m : all_incoming()) seen_incoming[m.index()] = true;
  for (std::size_t i = 0; i < seen_incoming.size(); ++i) EXPECT_TRUE(seen_incoming[i]) << "incoming #" << i;
}

TEST(TwsCodecRoundTrip, PlaceOrderOfAPlainOrderHas114FieldsAndOpenOrder135) {
  PlaceOrder p;
  p.order.action = "BUY";
  p.order.order_type = "MKT";
  p.order.total_quantity = 1;
  EXPECT_EQ(split_fields(encode_payload(Request{p}))->size(), 114u);
  OpenOrder o;
  o.order.delta_neutral_order_type = "None";
  EXPECT_EQ(split_fields(encode_payload(IncomingMessage{o}))->size(), 135u);
}

}  // namespace
}  // namespace af::tws
