// broker/tws/messages.hpp — typed TWS API messages at server version 178.
//
// Plain value structs for every client→gateway request and gateway→client message of
// ../shared/spec/tws-protocol.md §3–§5 that this project uses. The codec (broker/tws/codec.hpp)
// turns them into bytes and back; nothing here does I/O. Thread-safety: plain values.
//
// Conventions
//   * Field order inside each struct follows the wire order of the spec (§ numbers cited).
//   * "Unset" is explicit: std::optional<T> is std::nullopt when the wire field was empty or carried
//     IB's max sentinel (2147483647, 9223372036854775807, 1.7976931348623157E308). The encoder
//     writes nullopt the way the peer expects for that field (empty for requests, like @stoqey/ib;
//     for gateway messages the real gateway's choice: e.g. displaySize → "2147483647", margin
//     fields → "1.7976931348623157E308", most doubles → empty).
//   * Quantities are IB "Decimal" values: `Decimal` (a double) written as a plain decimal string
//     without exponent ("100", "0.5").
//   * Strings are raw wire text (no unescaping of "\uXXXX"). Sentinel strings that real gateways
//     send are kept verbatim: right "?" , deltaNeutralOrderType "None" (see OpenOrder).
//   * Prices are plain double in the contract's quote currency as IB reports it (GBX for LSE).
//   * Legacy "version" fields are not stored: the decoder checks they are present, the encoder
//     writes the value the official client/gateway writes at 178.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace af::tws {

// The one protocol level this codec speaks (tws-protocol.md TL;DR).
inline constexpr int kServerVersion = 178;

// IB "Decimal" quantity (position, filled, totalQuantity …).
using Decimal = double;

// Outgoing message ids (client → gateway), tws-protocol.md §5.1.
enum class OutMsgId : int {
  kReqMktData = 1,
  kCancelMktData = 2,
  kPlaceOrder = 3,
  kCancelOrder = 4,
  kReqOpenOrders = 5,
  kReqAccountUpdates = 6,
  kReqExecutions = 7,
  kReqIds = 8,
  kReqContractDetails = 9,
  kReqAutoOpenOrders = 15,
  kReqAllOpenOrders = 16,
  kReqManagedAccts = 17,
  kReqHistoricalData = 20,
  kCancelHistoricalData = 25,
  kReqCurrentTime = 49,
  kReqGlobalCancel = 58,
  kReqMarketDataType = 59,
  kReqPositions = 61,
  kReqAccountSummary = 62,
  kCancelAccountSummary = 63,
  kCancelPositions = 64,
  kStartApi = 71,
  kReqCompletedOrders = 99,
};

// Incoming message ids (gateway → client), tws-protocol.md §5.2.
enum class InMsgId : int {
  kTickPrice = 1,
  kTickSize = 2,
  kOrderStatus = 3,
  kErrMsg = 4,
  kOpenOrder = 5,
  kUpdateAccountValue = 6,
  kUpdatePortfolio = 7,
  kUpdateAccountTime = 8,
  kNextValidId = 9,
  kContractDetails = 10,
  kExecDetails = 11,
  kManagedAccounts = 15,
  kHistoricalData = 17,
  kTickOptionComputation = 21,
  kTickGeneric = 45,
  kTickString = 46,
  kCurrentTime = 49,
  kContractDetailsEnd = 52,
  kOpenOrderEnd = 53,
  kAccountDownloadEnd = 54,
  kExecDetailsEnd = 55,
  kTickSnapshotEnd = 57,
  kMarketDataType = 58,
  kCommissionReport = 59,
  kPosition = 61,
  kPositionEnd = 62,
  kAccountSummary = 63,
  kAccountSummaryEnd = 64,
  kTickReqParams = 81,
  kHistoricalDataUpdate = 90,
  kOrderBound = 100,
  kCompletedOrdersEnd = 102,
};

// ---------------------------------------------------------------------------------------------
// Shared value types
// ---------------------------------------------------------------------------------------------

struct TagValue {
  std::string tag;
  std::string value;
  bool operator==(const TagValue&) const = default;
};

// One leg of a BAG (combo) contract, placeOrder/openOrder layout (8 fields).
struct ComboLeg {
  std::optional<int> con_id;
  std::optional<int> ratio;
  std::string action;                   // BUY / SELL / SSHORT
  std::string exchange;
  std::optional<int> open_close;        // 0 same, 1 open, 2 close, 3 unknown
  std::optional<int> short_sale_slot;   // 0, 1 clearing broker, 2 third party
  std::string designated_location;
  std::optional<int> exempt_code;       // -1 = none
  bool operator==(const ComboLeg&) const = default;
};

struct DeltaNeutralContract {
  int con_id = 0;
  double delta = 0.0;
  double price = 0.0;
  bool operator==(const DeltaNeutralContract&) const = default;
};

// An IB contract. Which fields travel depends on the message ("contract block A" = conId …
// tradingClass, 12 fields, §3 notation). Unset numeric fields are nullopt (sent empty).
struct Contract {
  std::optional<int> con_id;
  std::string symbol;
  std::string sec_type;                         // STK, OPT, FUT, CASH, BAG …
  std::string last_trade_date_or_contract_month;
  std::optional<double> strike;
  std::string right;                            // "C", "P", "" ; gateways send "?" for n/a
  std::string multiplier;
  std::string exchange;
  std::string primary_exchange;
  std::string currency;
  std::string local_symbol;
  std::string trading_class;
  std::optional<bool> include_expired;
  std::string sec_id_type;
  std::string sec_id;
  std::string issuer_id;                        // reqContractDetails only (≥176)
  std::string combo_legs_descrip;               // openOrder only
  std::vector<ComboLeg> combo_legs;             // BAG only
  std::optional<DeltaNeutralContract> delta_neutral_contract;
  bool operator==(const Contract&) const = default;
};

// An order condition (only when conditionsCount > 0). Kept generic: `type` (1 price, 3 time,
// 4 margin, 5 execution, 6 volume, 7 percent change) plus its raw fields, conjunction first.
// Field counts per type: price 6, time 3, margin 3, execution 4, volume 5, percent change 5.
struct OrderCondition {
  int type = 0;
  std::vector<std::string> fields;
  bool operator==(const OrderCondition&) const = default;
};

// IB Order: every field placeOrder sends at 178 (§3.4) plus the ones openOrder returns (§4.6).
// nullopt = "not set" → empty field in placeOrder (as @stoqey/ib sends it); the gateway applies
// its default. Conditional wire groups are driven by the data: combo legs by contract.combo_legs,
// delta-neutral fields by a non-empty delta_neutral_order_type, scale extras by
// 0 < scale_price_increment < max, hedge_param by a non-empty hedge_type, algo params by a
// non-empty algo_strategy, PEG BENCH fields by order_type "PEG BENCH"/"PEGBENCH".
struct Order {
  // Identification (openOrder only; placeOrder carries orderId in PlaceOrder).
  std::optional<int> client_id;
  std::optional<std::int64_t> perm_id;

  std::string action;                            // BUY / SELL / SSHORT
  std::optional<Decimal> total_quantity;
  std::string order_type;                        // LMT, MKT, STP, …
  std::optional<double> lmt_price;
  std::optional<double> aux_price;
  std::string tif;                               // DAY, GTC, IOC …; "" = gateway default
  std::string oca_group;
  std::string account;
  std::string open_close;
  std::optional<int> origin;                     // 0 customer
  std::string order_ref;                         // our client order id, echoed back by IB
  bool transmit = true;                          // always sent as 1/0
  std::optional<int> parent_id;
  std::optional<bool> block_order;
  std::optional<bool> sweep_to_fill;
  std::optional<int> display_size;
  std::optional<int> trigger_method;
  std::optional<bool> outside_rth;
  std::optional<bool> hidden;
  std::vector<std::optional<double>> order_combo_leg_prices;  // BAG only, one per leg
  std::vector<TagValue> smart_combo_routing_params;           // BAG only
  std::optional<double> discretionary_amt;
  std::string good_after_time;
  std::string good_till_date;
  std::string fa_group;
  std::string fa_method;
  std::string fa_percentage;
  std::string model_code;
  std::optional<int> short_sale_slot;
  std::string designated_location;
  std::optional<int> exempt_code;
  std::optional<int> oca_type;
  std::string rule80a;
  std::string settling_firm;
  std::optional<bool> all_or_none;
  std::optional<int> min_qty;
  std::optional<double> percent_offset;
  std::optional<bool> e_trade_only;              // deprecated
  std::optional<bool> firm_quote_only;           // deprecated
  std::optional<double> nbbo_price_cap;          // deprecated
  std::optional<int> auction_strategy;
  std::optional<double> starting_price;
  std::optional<double> stock_ref_price;
  std::optional<double> delta;
  std::optional<double> stock_range_lower;
  std::optional<double> stock_range_upper;
  std::optional<bool> override_percentage_constraints;  // placeOrder only
  std::optional<double> volatility;
  std::optional<int> volatility_type;
  // Non-empty (including the gateway's literal "None") ⇒ the 8 delta_neutral_* fields follow.
  std::string delta_neutral_order_type;
  std::optional<double> delta_neutral_aux_price;
  std::optional<int> delta_neutral_con_id;
  std::string delta_neutral_settling_firm;
  std::string delta_neutral_clearing_account;
  std::string delta_neutral_clearing_intent;
  std::string delta_neutral_open_close;
  std::optional<bool> delta_neutral_short_sale;
  std::optional<int> delta_neutral_short_sale_slot;
  std::string delta_neutral_designated_location;
  std::optional<int> continuous_update;
  std::optional<int> reference_price_type;
  std::optional<double> trail_stop_price;
  std::optional<double> trailing_percent;
  std::optional<int> scale_init_level_size;
  std::optional<int> scale_subs_level_size;
  std::optional<double> scale_price_increment;
  std::optional<double> scale_price_adjust_value;
  std::optional<int> scale_price_adjust_interval;
  std::optional<double> scale_profit_offset;
  std::optional<bool> scale_auto_reset;
  std::optional<int> scale_init_position;
  std::optional<int> scale_init_fill_qty;
  std::optional<bool> scale_random_percent;
  std::string scale_table;                       // placeOrder only
  std::string active_start_time;                 // placeOrder only
  std::string active_stop_time;                  // placeOrder only
  std::string hedge_type;
  std::string hedge_param;                       // present iff hedge_type non-empty
  std::optional<bool> opt_out_smart_routing;
  std::string clearing_account;
  std::string clearing_intent;
  std::optional<bool> not_held;
  std::string algo_strategy;
  std::vector<TagValue> algo_params;             // present iff algo_strategy non-empty
  std::string algo_id;                           // placeOrder only
  std::optional<bool> what_if;
  std::string order_misc_options;                // "tag=value;" list, placeOrder only
  std::optional<bool> solicited;
  std::optional<bool> randomize_size;
  std::optional<bool> randomize_price;
  // PEG BENCH only.
  std::optional<int> reference_contract_id;
  std::optional<bool> is_pegged_change_amount_decrease;
  std::optional<double> pegged_change_amount;
  std::optional<double> reference_change_amount;
  std::string reference_exchange_id;
  std::vector<OrderCondition> conditions;
  std::optional<bool> conditions_ignore_rth;     // present iff conditions non-empty
  std::optional<bool> conditions_cancel_order;   // present iff conditions non-empty
  std::string adjusted_order_type;               // gateway sends "None" when unset
  std::optional<double> trigger_price;
  std::optional<double> lmt_price_offset;
  std::optional<double> adjusted_stop_price;
  std::optional<double> adjusted_stop_limit_price;
  std::optional<double> adjusted_trailing_amount;
  std::optional<int> adjustable_trailing_unit;
  std::string ext_operator;                      // placeOrder only
  std::string soft_dollar_tier_name;
  std::string soft_dollar_tier_value;
  std::string soft_dollar_tier_display_name;     // openOrder only
  std::optional<double> cash_qty;
  std::string mifid2_decision_maker;             // placeOrder only
  std::string mifid2_decision_algo;              // placeOrder only
  std::string mifid2_execution_trader;           // placeOrder only
  std::string mifid2_execution_algo;             // placeOrder only
  std::optional<bool> dont_use_auto_price_for_hedge;
  std::optional<bool> is_oms_container;
  std::optional<bool> discretionary_up_to_limit_price;
  std::optional<bool> use_price_mgmt_algo;
  std::optional<int> duration;
  std::optional<int> post_to_ats;
  std::optional<bool> auto_cancel_parent;
  std::string advanced_error_override;           // placeOrder only
  std::string manual_order_time;                 // placeOrder only
  // PEG BEST / PEG MID / IBKRATS (≥170). placeOrder sends them conditionally, openOrder always.
  std::optional<int> min_trade_qty;
  std::optional<int> min_compete_size;
  std::optional<double> compete_against_best_offset;  // +infinity = "up to mid"
  std::optional<double> mid_offset_at_whole;
  std::optional<double> mid_offset_at_half;
  bool operator==(const Order&) const = default;
};

// Order state inside openOrder (§4.6 fields 93–109). Margin values are IB's strings parsed to
// numbers; nullopt = "1.7976931348623157E308"/empty (unknown; what-if orders fill them in).
struct OrderState {
  std::string status;                            // §8.1 vocabulary
  std::optional<double> init_margin_before;
  std::optional<double> maint_margin_before;
  std::optional<double> equity_with_loan_before;
  std::optional<double> init_margin_change;
  std::optional<double> maint_margin_change;
  std::optional<double> equity_with_loan_change;
  std::optional<double> init_margin_after;
  std::optional<double> maint_margin_after;
  std::optional<double> equity_with_loan_after;
  std::optional<double> commission;
  std::optional<double> min_commission;
  std::optional<double> max_commission;
  std::string commission_currency;
  std::string warning_text;
  bool operator==(const OrderState&) const = default;
};

// One execution (§4.3 fields 2, 14–31).
struct Execution {
  int order_id = 0;
  std::string exec_id;                           // e.g. 00025b46.63f8f39c.01.01
  std::string time;                              // "20230224  12:04:56" or "yyyymmdd hh:mm:ss Zone"
  std::string acct_number;
  std::string exchange;
  std::string side;                              // BOT / SLD
  std::optional<Decimal> shares;                 // this fill
  double price = 0.0;
  std::int64_t perm_id = 0;
  int client_id = 0;
  int liquidation = 0;
  std::optional<Decimal> cum_qty;
  double avg_price = 0.0;
  std::string order_ref;
  std::string ev_rule;
  std::optional<double> ev_multiplier;
  std::string model_code;
  std::optional<int> last_liquidity;
  bool pending_price_revision = false;           // ≥178
  bool operator==(const Execution&) const = default;
};

// contractDetails payload (§4.4).
struct ContractDetails {
  Contract contract;          // symbol … conId, plus primaryExchange; exchange = listing
  std::string market_name;
  double min_tick = 0.0;
  std::string order_types;    // comma list
  std::string valid_exchanges;
  int price_magnifier = 0;
  int under_con_id = 0;
  std::string long_name;      // may contain \uXXXX escapes (kept raw)
  std::string contract_month;
  std::string industry;
  std::string category;
  std::string subcategory;
  std::string time_zone_id;
  std::string trading_hours;
  std::string liquid_hours;
  std::string ev_rule;
  std::optional<double> ev_multiplier;
  std::vector<TagValue> sec_id_list;
  int agg_group = 0;
  std::string under_symbol;
  std::string under_sec_type;
  std::string market_rule_ids;
  std::string real_expiration_date;
  std::string stock_type;
  std::optional<Decimal> min_size;
  std::optional<Decimal> size_increment;
  std::optional<Decimal> suggested_size_increment;
  bool operator==(const ContractDetails&) const = default;
};

// One historical bar. `date` is "yyyymmdd" for daily bars, "yyyymmdd hh:mm:ss[ zone]" intraday,
// or epoch seconds text with formatDate=2.
struct Bar {
  std::string date;
  double open = 0.0;
  double high = 0.0;
  double low = 0.0;
  double close = 0.0;
  std::optional<Decimal> volume;   // -1 for whatToShow without volume
  std::optional<Decimal> wap;
  int bar_count = 0;
  bool operator==(const Bar&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Client → gateway requests (§3)
// ---------------------------------------------------------------------------------------------

struct StartApi {                    // 71, ver 2
  int client_id = 0;
  std::string optional_capabilities;
  bool operator==(const StartApi&) const = default;
};
struct ReqCurrentTime {              // 49, ver 1
  bool operator==(const ReqCurrentTime&) const = default;
};
struct ReqIds {                      // 8, ver 1
  int num_ids = 1;                   // ignored by TWS
  bool operator==(const ReqIds&) const = default;
};
struct ReqMarketDataType {           // 59, ver 1
  int market_data_type = 1;          // 1 live, 2 frozen, 3 delayed, 4 delayed-frozen
  bool operator==(const ReqMarketDataType&) const = default;
};
struct ReqPositions {                // 61, ver 1
  bool operator==(const ReqPositions&) const = default;
};
struct CancelPositions {             // 64, ver 1
  bool operator==(const CancelPositions&) const = default;
};
struct ReqAccountSummary {           // 62, ver 1
  int req_id = 0;
  std::string group = "All";
  std::string tags;                  // comma list, e.g. "NetLiquidation,TotalCashValue"
  bool operator==(const ReqAccountSummary&) const = default;
};
struct CancelAccountSummary {        // 63, ver 1
  int req_id = 0;
  bool operator==(const CancelAccountSummary&) const = default;
};
struct ReqAccountUpdates {           // 6, ver 2
  bool subscribe = true;
  std::string account;
  bool operator==(const ReqAccountUpdates&) const = default;
};
struct PlaceOrder {                  // 3, no version field (§3.4)
  int order_id = 0;
  Contract contract;                 // block A + secIdType, secId (+ combo legs for BAG)
  Order order;
  bool operator==(const PlaceOrder&) const = default;
};
struct CancelOrder {                 // 4, ver 1
  int order_id = 0;
  std::string manual_order_cancel_time;
  bool operator==(const CancelOrder&) const = default;
};
struct ReqGlobalCancel {             // 58, ver 1
  bool operator==(const ReqGlobalCancel&) const = default;
};
struct ReqOpenOrders {               // 5, ver 1
  bool operator==(const ReqOpenOrders&) const = default;
};
struct ReqAllOpenOrders {            // 16, ver 1
  bool operator==(const ReqAllOpenOrders&) const = default;
};
struct ReqAutoOpenOrders {           // 15, ver 1 (clientId 0 only)
  bool auto_bind = true;
  bool operator==(const ReqAutoOpenOrders&) const = default;
};
struct ExecutionFilter {
  std::optional<int> client_id;      // nullopt = all (sent empty, as @stoqey/ib does)
  std::string acct_code;
  std::string time;                  // "yyyymmdd hh:mm:ss"; only executions after it
  std::string symbol;
  std::string sec_type;
  std::string exchange;
  std::string side;
  bool operator==(const ExecutionFilter&) const = default;
};
struct ReqExecutions {               // 7, ver 3
  int req_id = 0;
  ExecutionFilter filter;
  bool operator==(const ReqExecutions&) const = default;
};
struct ReqCompletedOrders {          // 99, no version
  bool api_only = false;
  bool operator==(const ReqCompletedOrders&) const = default;
};
struct ReqContractDetails {          // 9, ver 8
  int req_id = 0;
  Contract contract;                 // block A + includeExpired, secIdType, secId, issuerId
  bool operator==(const ReqContractDetails&) const = default;
};
struct ReqMktData {                  // 1, ver 11
  int ticker_id = 0;
  Contract contract;                 // block A (+ BAG legs, delta-neutral contract)
  std::string generic_tick_list;     // e.g. "233,236"
  bool snapshot = false;
  bool regulatory_snapshot = false;
  std::string mkt_data_options;      // tag-value list text, normally empty
  bool operator==(const ReqMktData&) const = default;
};
struct CancelMktData {               // 2, ver 1
  int ticker_id = 0;
  bool operator==(const CancelMktData&) const = default;
};
struct ReqHistoricalData {           // 20, no version field
  int req_id = 0;
  Contract contract;                 // block A; includeExpired sent as 0/1 (nullopt → 0)
  std::string end_date_time;         // "" = now
  std::string bar_size_setting;      // "1 day" — NOTE: before duration on the wire
  std::string duration_str;          // "2 D"
  bool use_rth = true;
  std::string what_to_show = "TRADES";
  int format_date = 1;               // 1 text, 2 epoch seconds
  bool keep_up_to_date = false;
  std::string chart_options;
  bool operator==(const ReqHistoricalData&) const = default;
};
struct CancelHistoricalData {        // 25, ver 1
  int req_id = 0;
  bool operator==(const CancelHistoricalData&) const = default;
};
struct ReqManagedAccts {             // 17, ver 1
  bool operator==(const ReqManagedAccts&) const = default;
};
// A request id this codec does not model; the gateway side can answer it with an error.
struct UnknownRequest {
  int msg_id = 0;
  bool operator==(const UnknownRequest&) const = default;
};

using Request =
    std::variant<StartApi, ReqCurrentTime, ReqIds, ReqMarketDataType, ReqPositions, CancelPositions,
                 ReqAccountSummary, CancelAccountSummary, ReqAccountUpdates, PlaceOrder, CancelOrder,
                 ReqGlobalCancel, ReqOpenOrders, ReqAllOpenOrders, ReqAutoOpenOrders, ReqExecutions,
                 ReqCompletedOrders, ReqContractDetails, ReqMktData, CancelMktData,
                 ReqHistoricalData, CancelHistoricalData, ReqManagedAccts, UnknownRequest>;

// ---------------------------------------------------------------------------------------------
// Gateway → client messages (§4)
// ---------------------------------------------------------------------------------------------

struct TickPrice {                   // 1, ver 6
  int ticker_id = 0;
  int tick_type = 0;                 // 1 bid, 2 ask, 4 last, 6 high, 7 low, 9 close, 14 open, 66.. delayed
  double price = 0.0;                // -1 or 0 with size 0 = no data
  std::optional<Decimal> size;
  int attr_mask = 0;                 // bit 0 canAutoExecute, 1 pastLimit, 2 preOpen
  bool operator==(const TickPrice&) const = default;
};
struct TickSize {                    // 2, ver 6
  int ticker_id = 0;
  int tick_type = 0;
  std::optional<Decimal> size;
  bool operator==(const TickSize&) const = default;
};
struct TickString {                  // 46, ver 6
  int ticker_id = 0;
  int tick_type = 0;                 // 45 lastTimestamp, 48 RTVolume, 32/33 bid/ask exch
  std::string value;
  bool operator==(const TickString&) const = default;
};
struct TickGeneric {                 // 45, ver 6
  int ticker_id = 0;
  int tick_type = 0;                 // 49 halted, 46 shortable
  double value = 0.0;
  bool operator==(const TickGeneric&) const = default;
};
struct TickSnapshotEnd {             // 57, ver 1
  int ticker_id = 0;
  bool operator==(const TickSnapshotEnd&) const = default;
};
struct TickOptionComputation {       // 21, no version (≥156); -1/-2 = not computed
  int ticker_id = 0;
  int tick_type = 0;
  int tick_attrib = 0;
  double implied_vol = 0.0;
  double delta = 0.0;
  double opt_price = 0.0;
  double pv_dividend = 0.0;
  double gamma = 0.0;
  double vega = 0.0;
  double theta = 0.0;
  double und_price = 0.0;
  bool operator==(const TickOptionComputation&) const = default;
};
struct TickReqParams {               // 81, no version
  int ticker_id = 0;
  double min_tick = 0.0;
  std::string bbo_exchange;
  int snapshot_permissions = 0;
  bool operator==(const TickReqParams&) const = default;
};
struct MarketDataType {              // 58, ver 1
  int req_id = 0;
  int market_data_type = 1;
  bool operator==(const MarketDataType&) const = default;
};
struct OrderStatus {                 // 3, no version (§4.2)
  int order_id = 0;
  std::string status;
  std::optional<Decimal> filled;     // cumulative
  std::optional<Decimal> remaining;
  double avg_fill_price = 0.0;
  std::int64_t perm_id = 0;
  int parent_id = 0;
  double last_fill_price = 0.0;
  int client_id = 0;
  std::string why_held;
  double mkt_cap_price = 0.0;
  bool operator==(const OrderStatus&) const = default;
};
struct ErrorMsg {                    // 4, ver 2 (§4.1, codes §6)
  int id = -1;                       // orderId / reqId / tickerId, -1 = system message
  int code = 0;
  std::string message;
  std::string advanced_order_reject_json;
  bool operator==(const ErrorMsg&) const = default;
};
struct OpenOrder {                   // 5, no version (§4.6: 135 fields for a plain order)
  int order_id = 0;
  Contract contract;                 // conId … tradingClass (no primaryExchange), legs, dn contract
  Order order;
  OrderState order_state;
  bool operator==(const OpenOrder&) const = default;
};
struct OpenOrderEnd {                // 53, ver 1
  bool operator==(const OpenOrderEnd&) const = default;
};
struct UpdateAccountValue {          // 6, ver 2
  std::string key;
  std::string value;
  std::string currency;
  std::string account_name;
  bool operator==(const UpdateAccountValue&) const = default;
};
struct UpdatePortfolio {             // 7, ver 8 (contract uses primaryExchange, not exchange)
  Contract contract;
  std::optional<Decimal> position;
  double market_price = 0.0;
  double market_value = 0.0;
  double average_cost = 0.0;
  double unrealized_pnl = 0.0;
  double realized_pnl = 0.0;
  std::string account_name;
  bool operator==(const UpdatePortfolio&) const = default;
};
struct UpdateAccountTime {           // 8, ver 1
  std::string time_stamp;            // "hh:mm"
  bool operator==(const UpdateAccountTime&) const = default;
};
struct AccountDownloadEnd {          // 54, ver 1
  std::string account_name;
  bool operator==(const AccountDownloadEnd&) const = default;
};
struct NextValidId {                 // 9, ver 1
  int order_id = 0;
  bool operator==(const NextValidId&) const = default;
};
struct ContractDetailsMsg {          // 10, no version (≥164)
  int req_id = 0;
  ContractDetails details;
  bool operator==(const ContractDetailsMsg&) const = default;
};
struct ContractDetailsEnd {          // 52, ver 1
  int req_id = 0;
  bool operator==(const ContractDetailsEnd&) const = default;
};
struct ExecDetails {                 // 11, no version (≥136)
  int req_id = -1;                   // -1 for live fills
  Contract contract;                 // conId … tradingClass (exchange, no primaryExchange)
  Execution execution;
  bool operator==(const ExecDetails&) const = default;
};
struct ExecDetailsEnd {              // 55, ver 1
  int req_id = 0;
  bool operator==(const ExecDetailsEnd&) const = default;
};
struct CommissionReport {            // 59, ver 1; linked to its execution by exec_id
  std::string exec_id;
  double commission = 0.0;
  std::string currency;
  std::optional<double> realized_pnl;      // nullopt = unknown (gateway sends DBL_MAX text)
  std::optional<double> yield;             // idem
  std::optional<int> yield_redemption_date;  // yyyymmdd or empty
  bool operator==(const CommissionReport&) const = default;
};
struct ManagedAccounts {             // 15, ver 1
  std::string accounts_list;         // comma-separated; see split_account_list()
  bool operator==(const ManagedAccounts&) const = default;
};
struct CurrentTime {                 // 49, ver 1
  std::int64_t time = 0;             // epoch seconds
  bool operator==(const CurrentTime&) const = default;
};
struct Position {                    // 61, ver 3 (contract uses exchange, not primaryExchange)
  std::string account;
  Contract contract;
  std::optional<Decimal> position;
  double avg_cost = 0.0;
  bool operator==(const Position&) const = default;
};
struct PositionEnd {                 // 62, ver 1
  bool operator==(const PositionEnd&) const = default;
};
struct AccountSummary {              // 63, ver 1
  int req_id = 0;
  std::string account;
  std::string tag;
  std::string value;
  std::string currency;
  bool operator==(const AccountSummary&) const = default;
};
struct AccountSummaryEnd {           // 64, ver 1
  int req_id = 0;
  bool operator==(const AccountSummaryEnd&) const = default;
};
struct HistoricalData {              // 17, no version; implies historicalDataEnd at 178
  int req_id = 0;
  std::string start_date;
  std::string end_date;
  std::vector<Bar> bars;
  bool operator==(const HistoricalData&) const = default;
};
struct HistoricalDataUpdate {        // 90, no version; wire order open, close, high, low, WAP, volume
  int req_id = 0;
  Bar bar;
  bool operator==(const HistoricalDataUpdate&) const = default;
};
struct OrderBound {                  // 100, no version
  std::int64_t perm_id = 0;
  int client_id = 0;
  int order_id = 0;
  bool operator==(const OrderBound&) const = default;
};
struct CompletedOrdersEnd {          // 102, no fields
  bool operator==(const CompletedOrdersEnd&) const = default;
};
// A message id this codec does not model (e.g. completedOrder 101, depth, news): safe to skip,
// the frame length already delimited it.
struct UnknownMessage {
  int msg_id = 0;
  bool operator==(const UnknownMessage&) const = default;
};

using IncomingMessage =
    std::variant<TickPrice, TickSize, TickString, TickGeneric, TickSnapshotEnd,
                 TickOptionComputation, TickReqParams, MarketDataType, OrderStatus, ErrorMsg,
                 OpenOrder, OpenOrderEnd, UpdateAccountValue, UpdatePortfolio, UpdateAccountTime,
                 AccountDownloadEnd, NextValidId, ContractDetailsMsg, ContractDetailsEnd,
                 ExecDetails, ExecDetailsEnd, CommissionReport, ManagedAccounts, CurrentTime,
                 Position, PositionEnd, AccountSummary, AccountSummaryEnd, HistoricalData,
                 HistoricalDataUpdate, OrderBound, CompletedOrdersEnd, UnknownMessage>;

// Splits a managedAccounts list on ',' and drops empty items ("DU1,DU2," → {DU1, DU2}).
std::vector<std::string> split_account_list(const std::string& accounts_list);

// Short name of the message type ("placeOrder", "openOrder" …) for logs.
const char* message_name(const Request& request) noexcept;
const char* message_name(const IncomingMessage& message) noexcept;

}  // namespace af::tws
