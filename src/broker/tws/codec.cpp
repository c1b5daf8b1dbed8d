// broker/tws/codec.cpp — framing, handshake and the message layouts at server version 178.
//
// Each message layout is written once, as `layout(io, message)` templated on the field
// reader/writer (broker/tws/fields.hpp), so the encoder and the decoder cannot disagree. The
// writer is handed a const message through const_cast: every FieldWriter method takes its
// argument by value or const reference and never modifies it.
// Field orders: tws-protocol.md §3 (requests) and §4 (incoming), section numbers cited per layout.
#include "broker/tws/codec.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <type_traits>

#include "broker/tws/fields.hpp"
#include "core/check.hpp"

namespace af::tws {

// ---------------------------------------------------------------------------------------------
// Framing
// ---------------------------------------------------------------------------------------------

namespace {

void put_u32_be(char* out, std::uint32_t v) {
  out[0] = static_cast<char>((v >> 24) & 0xff);
  out[1] = static_cast<char>((v >> 16) & 0xff);
  out[2] = static_cast<char>((v >> 8) & 0xff);
  out[3] = static_cast<char>(v & 0xff);
}

std::uint32_t get_u32_be(const char* in) {
  auto b = [&](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

Error protocol_error(std::string message) {
  return Error{ErrorCode::kProtocol, std::move(message)};
}

}  // namespace

void append_frame(std::string& out, std::string_view payload) {
  AF_CHECK(payload.size() <= kMaxFramePayload, "TWS frame payload above 16 MiB");
  char len[4];
  put_u32_be(len, static_cast<std::uint32_t>(payload.size()));
  out.append(len, 4);
  out.append(payload);
}

std::string encode_frame(std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 4);
  append_frame(out, payload);
  return out;
}

void FrameReader::append(std::string_view bytes) {
  if (read_pos_ == buffer_.size()) {
    buffer_.clear();
    read_pos_ = 0;
  } else if (read_pos_ > 4096 && read_pos_ * 2 > buffer_.size()) {
    buffer_.erase(0, read_pos_);
    read_pos_ = 0;
  }
  buffer_.append(bytes);
}

Result<std::optional<std::string_view>> FrameReader::next_frame() {
  if (!error_.empty()) return protocol_error(error_);
  std::size_t avail = buffer_.size() - read_pos_;
  const char* p = buffer_.data() + read_pos_;
  if (expect_prefix_) {
    std::size_t n = std::min(avail, kApiPrefix.size());
    if (std::memcmp(p, kApiPrefix.data(), n) != 0) {
      error_ = "TWS handshake: the peer did not start with \"API\\0\" (not a V100+ API client; "
               "legacy clients such as the npm package `ib` are not supported)";
      return protocol_error(error_);
    }
    if (n < kApiPrefix.size()) return std::optional<std::string_view>{};
    read_pos_ += kApiPrefix.size();
    expect_prefix_ = false;
    avail -= kApiPrefix.size();
    p += kApiPrefix.size();
  }
  if (avail < 4) return std::optional<std::string_view>{};
  std::uint32_t len = get_u32_be(p);
  if (len == 0 || len > max_payload_) {
    error_ = "TWS framing: frame length " + std::to_string(len) + " is outside 1.." +
             std::to_string(max_payload_) + " (corrupt stream or not a TWS peer); reconnect";
    return protocol_error(error_);
  }
  if (avail - 4 < len) return std::optional<std::string_view>{};
  read_pos_ += 4 + len;
  return std::optional<std::string_view>{std::string_view(p + 4, len)};
}

// ---------------------------------------------------------------------------------------------
// Handshake (§1.2–§1.3)
// ---------------------------------------------------------------------------------------------

std::string encode_client_hello(const ClientHello& hello) {
  std::string version = "v" + std::to_string(hello.min_version);
  if (hello.max_version != hello.min_version) version += ".." + std::to_string(hello.max_version);
  if (!hello.connect_options.empty()) version += " " + hello.connect_options;
  std::string out(kApiPrefix);
  append_frame(out, version);
  return out;
}

Result<ClientHello> decode_client_hello(std::string_view payload) {
  auto bad = [&] {
    std::string shown(payload.substr(0, 40));
    for (char& c : shown) {
      if (c < 0x20 || c >= 0x7f) c = '?';
    }
    return protocol_error("TWS handshake: client version string \"" + shown +
                          "\" is not of the form v<min>..<max>");
  };
  if (payload.empty() || payload.front() != 'v') return bad();
  std::string_view rest = payload.substr(1);
  ClientHello hello;
  if (std::size_t space = rest.find(' '); space != std::string_view::npos) {
    hello.connect_options = std::string(rest.substr(space + 1));
    rest = rest.substr(0, space);
  }
  std::int64_t lo = 0, hi = 0;
  if (std::size_t dots = rest.find(".."); dots != std::string_view::npos) {
    if (!parse_int64(rest.substr(0, dots), lo) || !parse_int64(rest.substr(dots + 2), hi)) {
      return bad();
    }
  } else {
    if (!parse_int64(rest, lo)) return bad();
    hi = lo;
  }
  if (lo <= 0 || hi < lo || hi > 100000) return bad();
  hello.min_version = static_cast<int>(lo);
  hello.max_version = static_cast<int>(hi);
  return hello;
}

std::string encode_server_hello(const ServerHello& hello) {
  std::string payload;
  FieldWriter w(payload);
  w.i32(hello.server_version);
  w.str(hello.connection_time);
  return encode_frame(payload);
}

Result<ServerHello> decode_server_hello(std::string_view payload) {
  FieldReader r(payload, "server hello");
  ServerHello hello;
  r.i32(hello.server_version);
  r.str(hello.connection_time);
  r.expect_end();
  if (!r.ok()) return r.error();
  if (hello.server_version == -1) {
    return protocol_error("TWS handshake: the server asked to redirect to \"" +
                          hello.connection_time + "\" (iServer routing is not supported)");
  }
  if (hello.server_version <= 0) {
    return protocol_error("TWS handshake: invalid server version " +
                          std::to_string(hello.server_version));
  }
  return hello;
}

Result<int> negotiate_server_version(const ClientHello& hello, int gateway_max) {
  int version = std::min(hello.max_version, gateway_max);
  if (version < hello.min_version) {
    return protocol_error("TWS handshake: client range v" + std::to_string(hello.min_version) +
                          ".." + std::to_string(hello.max_version) +
                          " does not include a version this gateway supports (max " +
                          std::to_string(gateway_max) + ")");
  }
  return version;
}

// ---------------------------------------------------------------------------------------------
// Shared layout pieces
// ---------------------------------------------------------------------------------------------

namespace {

constexpr double kMaxDouble = std::numeric_limits<double>::max();

// conId … tradingClass: "contract block A" (12 fields, with primaryExchange).
template <class IO>
void contract_block_a(IO& io, Contract& c) {
  io.opt_i32(c.con_id);
  io.str(c.symbol);
  io.str(c.sec_type);
  io.str(c.last_trade_date_or_contract_month);
  io.opt_f64(c.strike);
  io.str(c.right);
  io.str(c.multiplier);
  io.str(c.exchange);
  io.str(c.primary_exchange);
  io.str(c.currency);
  io.str(c.local_symbol);
  io.str(c.trading_class);
}

// conId … tradingClass with `exchange` but no primaryExchange (11 fields): position,
// execDetails, openOrder.
template <class IO>
void contract_block_exchange(IO& io, Contract& c) {
  io.opt_i32(c.con_id);
  io.str(c.symbol);
  io.str(c.sec_type);
  io.str(c.last_trade_date_or_contract_month);
  io.opt_f64(c.strike);
  io.str(c.right);
  io.str(c.multiplier);
  io.str(c.exchange);
  io.str(c.currency);
  io.str(c.local_symbol);
  io.str(c.trading_class);
}

template <class IO>
void tag_value(IO& io, TagValue& tv) {
  io.str(tv.tag);
  io.str(tv.value);
}

// A combo leg as placeOrder and openOrder carry it (8 fields).
template <class IO>
void combo_leg_full(IO& io, ComboLeg& leg) {
  io.opt_i32(leg.con_id);
  io.opt_i32(leg.ratio);
  io.str(leg.action);
  io.str(leg.exchange);
  io.opt_i32(leg.open_close);
  io.opt_i32(leg.short_sale_slot);
  io.str(leg.designated_location);
  io.opt_i32(leg.exempt_code);
}

// A combo leg as reqMktData / reqHistoricalData carry it (4 fields).
template <class IO>
void combo_leg_short(IO& io, ComboLeg& leg) {
  io.opt_i32(leg.con_id);
  io.opt_i32(leg.ratio);
  io.str(leg.action);
  io.str(leg.exchange);
}

// Flag, then conId, delta, price when present.
template <class IO>
void delta_neutral_contract(IO& io, std::optional<DeltaNeutralContract>& dn) {
  bool present = dn.has_value();
  io.boolean(present);
  if constexpr (IO::kReading) {
    if (present) dn.emplace();
    else dn.reset();
  }
  if (present) {
    io.i32(dn->con_id);
    io.f64(dn->delta);
    io.f64(dn->price);
  }
}

bool is_bag(const Contract& c) { return c.sec_type == "BAG"; }
bool is_peg_bench(const Order& o) { return o.order_type == "PEG BENCH" || o.order_type == "PEGBENCH"; }
bool has_scale_extras(const Order& o) {
  return o.scale_price_increment && *o.scale_price_increment > 0.0 &&
         *o.scale_price_increment < kMaxDouble;
}

// Fields after the type code, per condition type (conjunction first). -1 = unknown type.
int condition_field_count(int type) {
  switch (type) {
    case 1: return 6;  // price: conjunction, isMore, price, conId, exchange, triggerMethod
    case 3: return 3;  // time: conjunction, isMore, time
    case 4: return 3;  // margin: conjunction, isMore, percent
    case 5: return 4;  // execution: conjunction, secType, exchange, symbol
    case 6: return 5;  // volume: conjunction, isMore, volume, conId, exchange
    case 7: return 5;  // percent change: conjunction, isMore, change, conId, exchange
    default: return -1;
  }
}

template <class IO>
void order_conditions(IO& io, Order& o) {
  io.list(o.conditions, 2, [&](OrderCondition& c) {
    io.i32(c.type);
    if constexpr (IO::kReading) {
      int n = condition_field_count(c.type);
      if (n < 0) {
        io.fail("unknown order condition type " + std::to_string(c.type));
        return;
      }
      c.fields.resize(static_cast<std::size_t>(n));
    }
    for (auto& f : c.fields) io.str(f);
  });
  if (!o.conditions.empty()) {
    io.opt_bool(o.conditions_ignore_rth);
    io.opt_bool(o.conditions_cancel_order);
  }
}

template <class IO>
void scale_extras(IO& io, Order& o) {
  if (!has_scale_extras(o)) return;
  io.opt_f64(o.scale_price_adjust_value);
  io.opt_i32(o.scale_price_adjust_interval);
  io.opt_f64(o.scale_profit_offset);
  io.opt_bool(o.scale_auto_reset);
  io.opt_i32(o.scale_init_position);
  io.opt_i32(o.scale_init_fill_qty);
  io.opt_bool(o.scale_random_percent);
}

template <class IO>
void peg_bench(IO& io, Order& o) {
  if (!is_peg_bench(o)) return;
  io.opt_i32(o.reference_contract_id);
  io.opt_bool(o.is_pegged_change_amount_decrease);
  io.opt_f64(o.pegged_change_amount);
  io.opt_f64(o.reference_change_amount);
  io.str(o.reference_exchange_id);
}

template <class IO>
void algo(IO& io, Order& o) {
  io.str(o.algo_strategy);
  if (!o.algo_strategy.empty()) {
    io.list(o.algo_params, 2, [&](TagValue& tv) { tag_value(io, tv); });
  } else if constexpr (IO::kReading) {
    o.algo_params.clear();
  }
}

// ---------------------------------------------------------------------------------------------
// Requests (§3)
// ---------------------------------------------------------------------------------------------

template <class IO>
void layout(IO& io, StartApi& m) {
  io.version(2);
  io.i32(m.client_id);
  io.str(m.optional_capabilities);
}
template <class IO>
void layout(IO& io, ReqCurrentTime&) { io.version(1); }
template <class IO>
void layout(IO& io, ReqIds& m) {
  io.version(1);
  io.i32(m.num_ids);
}
template <class IO>
void layout(IO& io, ReqMarketDataType& m) {
  io.version(1);
  io.i32(m.market_data_type);
}
template <class IO>
void layout(IO& io, ReqPositions&) { io.version(1); }
template <class IO>
void layout(IO& io, CancelPositions&) { io.version(1); }
template <class IO>
void layout(IO& io, ReqAccountSummary& m) {
  io.version(1);
  io.i32(m.req_id);
  io.str(m.group);
  io.str(m.tags);
}
template <class IO>
void layout(IO& io, CancelAccountSummary& m) {
  io.version(1);
  io.i32(m.req_id);
}
template <class IO>
void layout(IO& io, ReqAccountUpdates& m) {
  io.version(2);
  io.boolean(m.subscribe);
  io.str(m.account);
}

// §3.4: 114 fields for a plain order at 178 (msgId included).
template <class IO>
void layout(IO& io, PlaceOrder& m) {
  Contract& c = m.contract;
  Order& o = m.order;
  io.i32(m.order_id);
  contract_block_a(io, c);
  io.str(c.sec_id_type);
  io.str(c.sec_id);
  io.str(o.action);
  io.decimal(o.total_quantity);
  io.str(o.order_type);
  io.opt_f64(o.lmt_price);
  io.opt_f64(o.aux_price);
  io.str(o.tif);
  io.str(o.oca_group);
  io.str(o.account);
  io.str(o.open_close);
  io.opt_i32(o.origin);
  io.str(o.order_ref);
  io.boolean(o.transmit);
  io.opt_i32(o.parent_id);
  io.opt_bool(o.block_order);
  io.opt_bool(o.sweep_to_fill);
  io.opt_i32(o.display_size);
  io.opt_i32(o.trigger_method);
  io.opt_bool(o.outside_rth);
  io.opt_bool(o.hidden);
  if (is_bag(c)) {
    io.list(c.combo_legs, 8, [&](ComboLeg& leg) { combo_leg_full(io, leg); });
    io.list(o.order_combo_leg_prices, 1, [&](std::optional<double>& p) { io.opt_f64(p); });
    io.list(o.smart_combo_routing_params, 2, [&](TagValue& tv) { tag_value(io, tv); });
  }
  io.constant("");  // sharesAllocation (deprecated)
  io.opt_f64(o.discretionary_amt);
  io.str(o.good_after_time);
  io.str(o.good_till_date);
  io.str(o.fa_group);
  io.str(o.fa_method);
  io.str(o.fa_percentage);
  // faProfile dropped at 177.
  io.str(o.model_code);
  io.opt_i32(o.short_sale_slot);
  io.str(o.designated_location);
  io.opt_i32(o.exempt_code);
  io.opt_i32(o.oca_type);
  io.str(o.rule80a);
  io.str(o.settling_firm);
  io.opt_bool(o.all_or_none);
  io.opt_i32(o.min_qty);
  io.opt_f64(o.percent_offset);
  io.opt_bool(o.e_trade_only);
  io.opt_bool(o.firm_quote_only);
  io.opt_f64(o.nbbo_price_cap);
  io.opt_i32(o.auction_strategy);
  io.opt_f64(o.starting_price);
  io.opt_f64(o.stock_ref_price);
  io.opt_f64(o.delta);
  io.opt_f64(o.stock_range_lower);
  io.opt_f64(o.stock_range_upper);
  io.opt_bool(o.override_percentage_constraints);
  io.opt_f64(o.volatility);
  io.opt_i32(o.volatility_type);
  io.str(o.delta_neutral_order_type);
  io.opt_f64(o.delta_neutral_aux_price);
  if (!o.delta_neutral_order_type.empty()) {
    io.opt_i32(o.delta_neutral_con_id);
    io.str(o.delta_neutral_settling_firm);
    io.str(o.delta_neutral_clearing_account);
    io.str(o.delta_neutral_clearing_intent);
    io.str(o.delta_neutral_open_close);
    io.opt_bool(o.delta_neutral_short_sale);
    io.opt_i32(o.delta_neutral_short_sale_slot);
    io.str(o.delta_neutral_designated_location);
  }
  io.opt_i32(o.continuous_update);
  io.opt_i32(o.reference_price_type);
  io.opt_f64(o.trail_stop_price);
  io.opt_f64(o.trailing_percent);
  io.opt_i32(o.scale_init_level_size);
  io.opt_i32(o.scale_subs_level_size);
  io.opt_f64(o.scale_price_increment);
  scale_extras(io, o);
  io.str(o.scale_table);
  io.str(o.active_start_time);
  io.str(o.active_stop_time);
  io.str(o.hedge_type);
  if (!o.hedge_type.empty()) io.str(o.hedge_param);
  io.opt_bool(o.opt_out_smart_routing);
  io.str(o.clearing_account);
  io.str(o.clearing_intent);
  io.opt_bool(o.not_held);
  delta_neutral_contract(io, c.delta_neutral_contract);
  algo(io, o);
  io.str(o.algo_id);
  io.opt_bool(o.what_if);
  io.str(o.order_misc_options);
  io.opt_bool(o.solicited);
  io.opt_bool(o.randomize_size);
  io.opt_bool(o.randomize_price);
  peg_bench(io, o);
  order_conditions(io, o);
  io.str(o.adjusted_order_type);
  io.opt_f64(o.trigger_price);
  io.opt_f64(o.lmt_price_offset);
  io.opt_f64(o.adjusted_stop_price);
  io.opt_f64(o.adjusted_stop_limit_price);
  io.opt_f64(o.adjusted_trailing_amount);
  io.opt_i32(o.adjustable_trailing_unit);
  io.str(o.ext_operator);
  io.str(o.soft_dollar_tier_name);
  io.str(o.soft_dollar_tier_value);
  io.opt_f64(o.cash_qty);
  io.str(o.mifid2_decision_maker);
  io.str(o.mifid2_decision_algo);
  io.str(o.mifid2_execution_trader);
  io.str(o.mifid2_execution_algo);
  io.opt_bool(o.dont_use_auto_price_for_hedge);
  io.opt_bool(o.is_oms_container);
  io.opt_bool(o.discretionary_up_to_limit_price);
  io.opt_bool(o.use_price_mgmt_algo);
  io.opt_i32(o.duration);
  io.opt_i32(o.post_to_ats);
  io.opt_bool(o.auto_cancel_parent);
  io.str(o.advanced_error_override);
  io.str(o.manual_order_time);
  // ≥170, conditional (§3.4 last row).
  if (c.exchange == "IBKRATS") io.opt_i32(o.min_trade_qty);
  bool send_mid_offsets = o.order_type == "PEG MID";
  if (o.order_type == "PEG BEST") {
    io.opt_i32(o.min_compete_size);
    io.opt_f64(o.compete_against_best_offset);
    send_mid_offsets = o.compete_against_best_offset &&
                       *o.compete_against_best_offset == std::numeric_limits<double>::infinity();
  }
  if (send_mid_offsets) {
    io.opt_f64(o.mid_offset_at_whole);
    io.opt_f64(o.mid_offset_at_half);
  }
}

template <class IO>
void layout(IO& io, CancelOrder& m) {
  io.version(1);
  io.i32(m.order_id);
  io.str(m.manual_order_cancel_time);
}
template <class IO>
void layout(IO& io, ReqGlobalCancel&) { io.version(1); }
template <class IO>
void layout(IO& io, ReqOpenOrders&) { io.version(1); }
template <class IO>
void layout(IO& io, ReqAllOpenOrders&) { io.version(1); }
template <class IO>
void layout(IO& io, ReqAutoOpenOrders& m) {
  io.version(1);
  io.boolean(m.auto_bind);
}
template <class IO>
void layout(IO& io, ReqExecutions& m) {
  io.version(3);
  io.i32(m.req_id);
  io.opt_i32(m.filter.client_id);
  io.str(m.filter.acct_code);
  io.str(m.filter.time);
  io.str(m.filter.symbol);
  io.str(m.filter.sec_type);
  io.str(m.filter.exchange);
  io.str(m.filter.side);
}
template <class IO>
void layout(IO& io, ReqCompletedOrders& m) { io.boolean(m.api_only); }
template <class IO>
void layout(IO& io, ReqContractDetails& m) {
  io.version(8);
  io.i32(m.req_id);
  contract_block_a(io, m.contract);
  io.opt_bool(m.contract.include_expired);
  io.str(m.contract.sec_id_type);
  io.str(m.contract.sec_id);
  io.str(m.contract.issuer_id);
}
template <class IO>
void layout(IO& io, ReqMktData& m) {
  io.version(11);
  io.i32(m.ticker_id);
  contract_block_a(io, m.contract);
  if (is_bag(m.contract)) {
    io.list(m.contract.combo_legs, 4, [&](ComboLeg& leg) { combo_leg_short(io, leg); });
  }
  delta_neutral_contract(io, m.contract.delta_neutral_contract);
  io.str(m.generic_tick_list);
  io.boolean(m.snapshot);
  io.boolean(m.regulatory_snapshot);
  io.str(m.mkt_data_options);
}
template <class IO>
void layout(IO& io, CancelMktData& m) {
  io.version(1);
  io.i32(m.ticker_id);
}
template <class IO>
void layout(IO& io, ReqHistoricalData& m) {
  io.i32(m.req_id);
  contract_block_a(io, m.contract);
  bool include_expired = m.contract.include_expired.value_or(false);  // always 0/1 here
  io.boolean(include_expired);
  if constexpr (IO::kReading) m.contract.include_expired = include_expired;
  io.str(m.end_date_time);
  io.str(m.bar_size_setting);
  io.str(m.duration_str);
  io.boolean(m.use_rth);
  io.str(m.what_to_show);
  io.i32(m.format_date);
  if (is_bag(m.contract)) {
    io.list(m.contract.combo_legs, 4, [&](ComboLeg& leg) { combo_leg_short(io, leg); });
  }
  io.boolean(m.keep_up_to_date);
  io.str(m.chart_options);
}
template <class IO>
void layout(IO& io, CancelHistoricalData& m) {
  io.version(1);
  io.i32(m.req_id);
}
template <class IO>
void layout(IO& io, ReqManagedAccts&) { io.version(1); }
template <class IO>
void layout(IO&, UnknownRequest&) {}

// ---------------------------------------------------------------------------------------------
// Incoming (§4)
// ---------------------------------------------------------------------------------------------

// Tick messages: the version TWS writes (tws-protocol.md §12: 6).
constexpr int kTickVersion = 6;

template <class IO>
void layout(IO& io, TickPrice& m) {
  io.version(kTickVersion);
  io.i32(m.ticker_id);
  io.i32(m.tick_type);
  io.f64(m.price);
  io.decimal(m.size);
  io.i32(m.attr_mask);
}
template <class IO>
void layout(IO& io, TickSize& m) {
  io.version(kTickVersion);
  io.i32(m.ticker_id);
  io.i32(m.tick_type);
  io.decimal(m.size);
}
template <class IO>
void layout(IO& io, TickString& m) {
  io.version(kTickVersion);
  io.i32(m.ticker_id);
  io.i32(m.tick_type);
  io.str(m.value);
}
template <class IO>
void layout(IO& io, TickGeneric& m) {
  io.version(kTickVersion);
  io.i32(m.ticker_id);
  io.i32(m.tick_type);
  io.f64(m.value);
}
template <class IO>
void layout(IO& io, TickSnapshotEnd& m) {
  io.version(1);
  io.i32(m.ticker_id);
}
template <class IO>
void layout(IO& io, TickOptionComputation& m) {
  io.i32(m.ticker_id);
  io.i32(m.tick_type);
  io.i32(m.tick_attrib);
  io.f64(m.implied_vol);
  io.f64(m.delta);
  io.f64(m.opt_price);
  io.f64(m.pv_dividend);
  io.f64(m.gamma);
  io.f64(m.vega);
  io.f64(m.theta);
  io.f64(m.und_price);
}
template <class IO>
void layout(IO& io, TickReqParams& m) {
  io.i32(m.ticker_id);
  io.f64(m.min_tick);
  io.str(m.bbo_exchange);
  io.i32(m.snapshot_permissions);
}
template <class IO>
void layout(IO& io, MarketDataType& m) {
  io.version(1);
  io.i32(m.req_id);
  io.i32(m.market_data_type);
}
// §4.2
template <class IO>
void layout(IO& io, OrderStatus& m) {
  io.i32(m.order_id);
  io.str(m.status);
  io.decimal(m.filled);
  io.decimal(m.remaining);
  io.f64(m.avg_fill_price);
  io.i64(m.perm_id);
  io.i32(m.parent_id);
  io.f64(m.last_fill_price);
  io.i32(m.client_id);
  io.str(m.why_held);
  io.f64(m.mkt_cap_price);
}
template <class IO>
void layout(IO& io, ErrorMsg& m) {
  io.version(2);
  io.i32(m.id);
  io.i32(m.code);
  io.str(m.message);
  io.str(m.advanced_order_reject_json);
}

// §4.6: 135 fields for an order without legs/conditions/algo; the gateway's unset styles (from
// the 2023 capture) are reproduced by the Unset arguments.
template <class IO>
void layout(IO& io, OpenOrder& m) {
  Contract& c = m.contract;
  Order& o = m.order;
  OrderState& s = m.order_state;
  io.i32(m.order_id);
  contract_block_exchange(io, c);
  io.str(o.action);
  io.decimal(o.total_quantity);
  io.str(o.order_type);
  io.opt_f64(o.lmt_price);
  io.opt_f64(o.aux_price);
  io.str(o.tif);
  io.str(o.oca_group);
  io.str(o.account);
  io.str(o.open_close);
  io.opt_i32(o.origin);
  io.str(o.order_ref);
  io.opt_i32(o.client_id);
  io.opt_i64(o.perm_id);
  io.opt_bool(o.outside_rth);
  io.opt_bool(o.hidden);
  io.opt_f64(o.discretionary_amt);
  io.str(o.good_after_time);
  io.constant("");  // sharesAllocation (deprecated)
  io.str(o.fa_group);
  io.str(o.fa_method);
  io.str(o.fa_percentage);
  io.str(o.model_code);
  io.str(o.good_till_date);
  io.str(o.rule80a);
  io.opt_f64(o.percent_offset);
  io.str(o.settling_firm);
  io.opt_i32(o.short_sale_slot);
  io.str(o.designated_location);
  io.opt_i32(o.exempt_code);
  io.opt_i32(o.auction_strategy);
  io.opt_f64(o.starting_price);
  io.opt_f64(o.stock_ref_price);
  io.opt_f64(o.delta);
  io.opt_f64(o.stock_range_lower);
  io.opt_f64(o.stock_range_upper);
  io.opt_i32(o.display_size, Unset::kMax);
  io.opt_bool(o.block_order);
  io.opt_bool(o.sweep_to_fill);
  io.opt_bool(o.all_or_none);
  io.opt_i32(o.min_qty);
  io.opt_i32(o.oca_type);
  io.opt_bool(o.e_trade_only);
  io.opt_bool(o.firm_quote_only);
  io.opt_f64(o.nbbo_price_cap);
  io.opt_i32(o.parent_id);
  io.opt_i32(o.trigger_method);
  io.opt_f64(o.volatility);
  io.opt_i32(o.volatility_type);
  // The pitfall: the gateway sends "None" here when unset; "None" is non-empty, so the eight
  // delta-neutral fields DO follow (tws-protocol.md §4.6 "Critical gotcha").
  io.str(o.delta_neutral_order_type);
  io.opt_f64(o.delta_neutral_aux_price);
  if (!o.delta_neutral_order_type.empty()) {
    io.opt_i32(o.delta_neutral_con_id);
    io.str(o.delta_neutral_settling_firm);
    io.str(o.delta_neutral_clearing_account);
    io.str(o.delta_neutral_clearing_intent);
    io.str(o.delta_neutral_open_close);
    io.opt_bool(o.delta_neutral_short_sale);
    io.opt_i32(o.delta_neutral_short_sale_slot);
    io.str(o.delta_neutral_designated_location);
  }
  io.opt_i32(o.continuous_update);
  io.opt_i32(o.reference_price_type);
  io.opt_f64(o.trail_stop_price);
  io.opt_f64(o.trailing_percent);
  io.constant("");  // basisPoints (not modelled)
  io.constant("");  // basisPointsType (not modelled)
  io.str(c.combo_legs_descrip);
  io.list(c.combo_legs, 8, [&](ComboLeg& leg) { combo_leg_full(io, leg); });
  io.list(o.order_combo_leg_prices, 1, [&](std::optional<double>& p) { io.opt_f64(p); });
  io.list(o.smart_combo_routing_params, 2, [&](TagValue& tv) { tag_value(io, tv); });
  io.opt_i32(o.scale_init_level_size, Unset::kMax);
  io.opt_i32(o.scale_subs_level_size, Unset::kMax);
  io.opt_f64(o.scale_price_increment);
  scale_extras(io, o);
  io.str(o.hedge_type);
  if (!o.hedge_type.empty()) io.str(o.hedge_param);
  io.opt_bool(o.opt_out_smart_routing);
  io.str(o.clearing_account);
  io.str(o.clearing_intent);
  io.opt_bool(o.not_held);
  delta_neutral_contract(io, c.delta_neutral_contract);
  algo(io, o);
  io.opt_bool(o.solicited);
  io.opt_bool(o.what_if);
  io.str(s.status);
  io.opt_f64(s.init_margin_before, Unset::kMax);
  io.opt_f64(s.maint_margin_before, Unset::kMax);
  io.opt_f64(s.equity_with_loan_before, Unset::kMax);
  io.opt_f64(s.init_margin_change, Unset::kMax);
  io.opt_f64(s.maint_margin_change, Unset::kMax);
  io.opt_f64(s.equity_with_loan_change, Unset::kMax);
  io.opt_f64(s.init_margin_after, Unset::kMax);
  io.opt_f64(s.maint_margin_after, Unset::kMax);
  io.opt_f64(s.equity_with_loan_after, Unset::kMax);
  io.opt_f64(s.commission);
  io.opt_f64(s.min_commission);
  io.opt_f64(s.max_commission);
  io.str(s.commission_currency);
  io.str(s.warning_text);
  io.opt_bool(o.randomize_size);
  io.opt_bool(o.randomize_price);
  peg_bench(io, o);
  order_conditions(io, o);
  io.str(o.adjusted_order_type);
  io.opt_f64(o.trigger_price, Unset::kMax);
  io.opt_f64(o.trail_stop_price, Unset::kMax);  // sent a second time here
  io.opt_f64(o.lmt_price_offset, Unset::kMax);
  io.opt_f64(o.adjusted_stop_price, Unset::kMax);
  io.opt_f64(o.adjusted_stop_limit_price, Unset::kMax);
  io.opt_f64(o.adjusted_trailing_amount, Unset::kMax);
  io.opt_i32(o.adjustable_trailing_unit);
  io.str(o.soft_dollar_tier_name);
  io.str(o.soft_dollar_tier_value);
  io.str(o.soft_dollar_tier_display_name);
  io.opt_f64(o.cash_qty);
  io.opt_bool(o.dont_use_auto_price_for_hedge);
  io.opt_bool(o.is_oms_container);
  io.opt_bool(o.discretionary_up_to_limit_price);
  io.opt_bool(o.use_price_mgmt_algo);
  io.opt_i32(o.duration);
  io.opt_i32(o.post_to_ats);
  io.opt_bool(o.auto_cancel_parent);
  io.opt_i32(o.min_trade_qty);
  io.opt_i32(o.min_compete_size);
  io.opt_f64(o.compete_against_best_offset);
  io.opt_f64(o.mid_offset_at_whole);
  io.opt_f64(o.mid_offset_at_half);
}

template <class IO>
void layout(IO& io, OpenOrderEnd&) { io.version(1); }
template <class IO>
void layout(IO& io, UpdateAccountValue& m) {
  io.version(2);
  io.str(m.key);
  io.str(m.value);
  io.str(m.currency);
  io.str(m.account_name);
}
template <class IO>
void layout(IO& io, UpdatePortfolio& m) {
  Contract& c = m.contract;
  io.version(8);
  io.opt_i32(c.con_id);
  io.str(c.symbol);
  io.str(c.sec_type);
  io.str(c.last_trade_date_or_contract_month);
  io.opt_f64(c.strike);
  io.str(c.right);
  io.str(c.multiplier);
  io.str(c.primary_exchange);
  io.str(c.currency);
  io.str(c.local_symbol);
  io.str(c.trading_class);
  io.decimal(m.position);
  io.f64(m.market_price);
  io.f64(m.market_value);
  io.f64(m.average_cost);
  io.f64(m.unrealized_pnl);
  io.f64(m.realized_pnl);
  io.str(m.account_name);
}
template <class IO>
void layout(IO& io, UpdateAccountTime& m) {
  io.version(1);
  io.str(m.time_stamp);
}
template <class IO>
void layout(IO& io, AccountDownloadEnd& m) {
  io.version(1);
  io.str(m.account_name);
}
template <class IO>
void layout(IO& io, NextValidId& m) {
  io.version(1);
  io.i32(m.order_id);
}
// §4.4
template <class IO>
void layout(IO& io, ContractDetailsMsg& m) {
  ContractDetails& d = m.details;
  Contract& c = d.contract;
  io.i32(m.req_id);
  io.str(c.symbol);
  io.str(c.sec_type);
  io.str(c.last_trade_date_or_contract_month);
  io.opt_f64(c.strike);
  io.str(c.right);
  io.str(c.exchange);
  io.str(c.currency);
  io.str(c.local_symbol);
  io.str(d.market_name);
  io.str(c.trading_class);
  io.opt_i32(c.con_id);
  io.f64(d.min_tick);
  io.str(c.multiplier);
  io.str(d.order_types);
  io.str(d.valid_exchanges);
  io.i32(d.price_magnifier);
  io.i32(d.under_con_id);
  io.str(d.long_name);
  io.str(c.primary_exchange);
  io.str(d.contract_month);
  io.str(d.industry);
  io.str(d.category);
  io.str(d.subcategory);
  io.str(d.time_zone_id);
  io.str(d.trading_hours);
  io.str(d.liquid_hours);
  io.str(d.ev_rule);
  io.opt_f64(d.ev_multiplier);
  io.list(d.sec_id_list, 2, [&](TagValue& tv) { tag_value(io, tv); });
  io.i32(d.agg_group);
  io.str(d.under_symbol);
  io.str(d.under_sec_type);
  io.str(d.market_rule_ids);
  io.str(d.real_expiration_date);
  io.str(d.stock_type);
  io.decimal(d.min_size);
  io.decimal(d.size_increment);
  io.decimal(d.suggested_size_increment);
}
template <class IO>
void layout(IO& io, ContractDetailsEnd& m) {
  io.version(1);
  io.i32(m.req_id);
}
// §4.3
template <class IO>
void layout(IO& io, ExecDetails& m) {
  Execution& e = m.execution;
  io.i32(m.req_id);
  io.i32(e.order_id);
  contract_block_exchange(io, m.contract);
  io.str(e.exec_id);
  io.str(e.time);
  io.str(e.acct_number);
  io.str(e.exchange);
  io.str(e.side);
  io.decimal(e.shares);
  io.f64(e.price);
  io.i64(e.perm_id);
  io.i32(e.client_id);
  io.i32(e.liquidation);
  io.decimal(e.cum_qty);
  io.f64(e.avg_price);
  io.str(e.order_ref);
  io.str(e.ev_rule);
  io.opt_f64(e.ev_multiplier);
  io.str(e.model_code);
  io.opt_i32(e.last_liquidity);
  io.boolean(e.pending_price_revision);
}
template <class IO>
void layout(IO& io, ExecDetailsEnd& m) {
  io.version(1);
  io.i32(m.req_id);
}
template <class IO>
void layout(IO& io, CommissionReport& m) {
  io.version(1);
  io.str(m.exec_id);
  io.f64(m.commission);
  io.str(m.currency);
  io.opt_f64(m.realized_pnl, Unset::kMax);
  io.opt_f64(m.yield, Unset::kMax);
  io.opt_i32(m.yield_redemption_date);
}
template <class IO>
void layout(IO& io, ManagedAccounts& m) {
  io.version(1);
  io.str(m.accounts_list);
}
template <class IO>
void layout(IO& io, CurrentTime& m) {
  io.version(1);
  io.i64(m.time);
}
template <class IO>
void layout(IO& io, Position& m) {
  io.version(3);
  io.str(m.account);
  contract_block_exchange(io, m.contract);
  io.decimal(m.position);
  io.f64(m.avg_cost);
}
template <class IO>
void layout(IO& io, PositionEnd&) { io.version(1); }
template <class IO>
void layout(IO& io, AccountSummary& m) {
  io.version(1);
  io.i32(m.req_id);
  io.str(m.account);
  io.str(m.tag);
  io.str(m.value);
  io.str(m.currency);
}
template <class IO>
void layout(IO& io, AccountSummaryEnd& m) {
  io.version(1);
  io.i32(m.req_id);
}
// §4.7
template <class IO>
void layout(IO& io, HistoricalData& m) {
  io.i32(m.req_id);
  io.str(m.start_date);
  io.str(m.end_date);
  io.list(m.bars, 8, [&](Bar& b) {
    io.str(b.date);
    io.f64(b.open);
    io.f64(b.high);
    io.f64(b.low);
    io.f64(b.close);
    io.decimal(b.volume);
    io.decimal(b.wap);
    io.i32(b.bar_count);
  });
}
template <class IO>
void layout(IO& io, HistoricalDataUpdate& m) {
  Bar& b = m.bar;
  io.i32(m.req_id);
  io.i32(b.bar_count);
  io.str(b.date);
  io.f64(b.open);
  io.f64(b.close);
  io.f64(b.high);
  io.f64(b.low);
  io.decimal(b.wap);
  io.decimal(b.volume);
}
template <class IO>
void layout(IO& io, OrderBound& m) {
  io.i64(m.perm_id);
  io.i32(m.client_id);
  io.i32(m.order_id);
}
template <class IO>
void layout(IO&, CompletedOrdersEnd&) {}
template <class IO>
void layout(IO&, UnknownMessage&) {}

// ---------------------------------------------------------------------------------------------
// Message ids per type
// ---------------------------------------------------------------------------------------------

template <class T>
constexpr int msg_id() {
  using O = OutMsgId;
  using I = InMsgId;
  auto o = [](O id) { return static_cast<int>(id); };
  auto i = [](I id) { return static_cast<int>(id); };
  if constexpr (std::is_same_v<T, StartApi>) return o(O::kStartApi);
  else if constexpr (std::is_same_v<T, ReqCurrentTime>) return o(O::kReqCurrentTime);
  else if constexpr (std::is_same_v<T, ReqIds>) return o(O::kReqIds);
  else if constexpr (std::is_same_v<T, ReqMarketDataType>) return o(O::kReqMarketDataType);
  else if constexpr (std::is_same_v<T, ReqPositions>) return o(O::kReqPositions);
  else if constexpr (std::is_same_v<T, CancelPositions>) return o(O::kCancelPositions);
  else if constexpr (std::is_same_v<T, ReqAccountSummary>) return o(O::kReqAccountSummary);
  else if constexpr (std::is_same_v<T, CancelAccountSummary>) return o(O::kCancelAccountSummary);
  else if constexpr (std::is_same_v<T, ReqAccountUpdates>) return o(O::kReqAccountUpdates);
  else if constexpr (std::is_same_v<T, PlaceOrder>) return o(O::kPlaceOrder);
  else if constexpr (std::is_same_v<T, CancelOrder>) return o(O::kCancelOrder);
  else if constexpr (std::is_same_v<T, ReqGlobalCancel>) return o(O::kReqGlobalCancel);
  else if constexpr (std::is_same_v<T, ReqOpenOrders>) return o(O::kReqOpenOrders);
  else if constexpr (std::is_same_v<T, ReqAllOpenOrders>) return o(O::kReqAllOpenOrders);
  else if constexpr (std::is_same_v<T, ReqAutoOpenOrders>) return o(O::kReqAutoOpenOrders);
  else if constexpr (std::is_same_v<T, ReqExecutions>) return o(O::kReqExecutions);
  else if constexpr (std::is_same_v<T, ReqCompletedOrders>) return o(O::kReqCompletedOrders);
  else if constexpr (std::is_same_v<T, ReqContractDetails>) return o(O::kReqContractDetails);
  else if constexpr (std::is_same_v<T, ReqMktData>) return o(O::kReqMktData);
  else if constexpr (std::is_same_v<T, CancelMktData>) return o(O::kCancelMktData);
  else if constexpr (std::is_same_v<T, ReqHistoricalData>) return o(O::kReqHistoricalData);
  else if constexpr (std::is_same_v<T, CancelHistoricalData>) return o(O::kCancelHistoricalData);
  else if constexpr (std::is_same_v<T, ReqManagedAccts>) return o(O::kReqManagedAccts);
  else if constexpr (std::is_same_v<T, TickPrice>) return i(I::kTickPrice);
  else if constexpr (std::is_same_v<T, TickSize>) return i(I::kTickSize);
  else if constexpr (std::is_same_v<T, TickString>) return i(I::kTickString);
  else if constexpr (std::is_same_v<T, TickGeneric>) return i(I::kTickGeneric);
  else if constexpr (std::is_same_v<T, TickSnapshotEnd>) return i(I::kTickSnapshotEnd);
  else if constexpr (std::is_same_v<T, TickOptionComputation>) return i(I::kTickOptionComputation);
  else if constexpr (std::is_same_v<T, TickReqParams>) return i(I::kTickReqParams);
  else if constexpr (std::is_same_v<T, MarketDataType>) return i(I::kMarketDataType);
  else if constexpr (std::is_same_v<T, OrderStatus>) return i(I::kOrderStatus);
  else if constexpr (std::is_same_v<T, ErrorMsg>) return i(I::kErrMsg);
  else if constexpr (std::is_same_v<T, OpenOrder>) return i(I::kOpenOrder);
  else if constexpr (std::is_same_v<T, OpenOrderEnd>) return i(I::kOpenOrderEnd);
  else if constexpr (std::is_same_v<T, UpdateAccountValue>) return i(I::kUpdateAccountValue);
  else if constexpr (std::is_same_v<T, UpdatePortfolio>) return i(I::kUpdatePortfolio);
  else if constexpr (std::is_same_v<T, UpdateAccountTime>) return i(I::kUpdateAccountTime);
  else if constexpr (std::is_same_v<T, AccountDownloadEnd>) return i(I::kAccountDownloadEnd);
  else if constexpr (std::is_same_v<T, NextValidId>) return i(I::kNextValidId);
  else if constexpr (std::is_same_v<T, ContractDetailsMsg>) return i(I::kContractDetails);
  else if constexpr (std::is_same_v<T, ContractDetailsEnd>) return i(I::kContractDetailsEnd);
  else if constexpr (std::is_same_v<T, ExecDetails>) return i(I::kExecDetails);
  else if constexpr (std::is_same_v<T, ExecDetailsEnd>) return i(I::kExecDetailsEnd);
  else if constexpr (std::is_same_v<T, CommissionReport>) return i(I::kCommissionReport);
  else if constexpr (std::is_same_v<T, ManagedAccounts>) return i(I::kManagedAccounts);
  else if constexpr (std::is_same_v<T, CurrentTime>) return i(I::kCurrentTime);
  else if constexpr (std::is_same_v<T, Position>) return i(I::kPosition);
  else if constexpr (std::is_same_v<T, PositionEnd>) return i(I::kPositionEnd);
  else if constexpr (std::is_same_v<T, AccountSummary>) return i(I::kAccountSummary);
  else if constexpr (std::is_same_v<T, AccountSummaryEnd>) return i(I::kAccountSummaryEnd);
  else if constexpr (std::is_same_v<T, HistoricalData>) return i(I::kHistoricalData);
  else if constexpr (std::is_same_v<T, HistoricalDataUpdate>) return i(I::kHistoricalDataUpdate);
  else if constexpr (std::is_same_v<T, OrderBound>) return i(I::kOrderBound);
  else if constexpr (std::is_same_v<T, CompletedOrdersEnd>) return i(I::kCompletedOrdersEnd);
  else static_assert(sizeof(T) == 0, "msg_id: unmapped message type");
}

template <class T>
int id_of(const T& m) {
  if constexpr (std::is_same_v<T, UnknownRequest> || std::is_same_v<T, UnknownMessage>) {
    return m.msg_id;
  } else {
    return msg_id<T>();
  }
}

template <class Variant>
void encode_payload_to(std::string& out, const Variant& message) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        FieldWriter w(out);
        w.i32(id_of(m));
        layout(w, const_cast<T&>(m));  // the writer only reads (see file comment)
      },
      message);
}

template <class Variant>
void encode_frame_to(std::string& out, const Variant& message) {
  std::size_t start = out.size();
  out.append(4, '\0');
  encode_payload_to(out, message);
  std::size_t len = out.size() - start - 4;
  AF_CHECK(len <= kMaxFramePayload, "TWS message encodes to more than 16 MiB");
  put_u32_be(out.data() + start, static_cast<std::uint32_t>(len));
}

// Decodes into a local T and only then builds the variant: constructing the variant first made
// GCC zero its whole (OpenOrder-sized, ~3 KB) storage for every tick (tws_codec_bench).
template <class T, class Variant>
Result<Variant> decode_as(FieldReader& r) {
  T message;
  layout(r, message);
  r.expect_end();
  if (!r.ok()) return r.error();
  return Result<Variant>(Variant(std::in_place_type<T>, std::move(message)));
}

Result<int> read_msg_id(FieldReader& r) {
  int id = 0;
  if (r.at_end()) return protocol_error("TWS decode error: empty message payload");
  std::optional<std::string_view> f = r.next();
  std::int64_t v = 0;
  if (!f || !parse_int64(*f, v) || v < 0 || v > std::numeric_limits<int>::max()) {
    if (!r.ok()) return r.error();
    std::string shown(f->substr(0, 20));
    for (char& c : shown) {
      if (c < 0x20 || c >= 0x7f) c = '?';
    }
    return protocol_error("TWS decode error: message id \"" + shown + "\" is not a number");
  }
  id = static_cast<int>(v);
  return id;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public encode / decode
// ---------------------------------------------------------------------------------------------

void encode_to(std::string& out, const Request& request) { encode_frame_to(out, request); }
std::string encode(const Request& request) {
  std::string out;
  encode_frame_to(out, request);
  return out;
}
std::string encode_payload(const Request& request) {
  std::string out;
  encode_payload_to(out, request);
  return out;
}

void encode_to(std::string& out, const IncomingMessage& message) { encode_frame_to(out, message); }
std::string encode(const IncomingMessage& message) {
  std::string out;
  encode_frame_to(out, message);
  return out;
}
std::string encode_payload(const IncomingMessage& message) {
  std::string out;
  encode_payload_to(out, message);
  return out;
}

Result<IncomingMessage> decode_incoming(std::string_view payload) {
  FieldReader r(payload, "incoming message");
  auto id = read_msg_id(r);
  if (!id) return id.error();
  using M = IncomingMessage;
  auto as = [&](auto tag, const char* name) -> Result<M> {
    using T = typename decltype(tag)::type;
    r.set_message(name);
    return decode_as<T, M>(r);
  };
  using I = InMsgId;
  switch (static_cast<I>(*id)) {
    case I::kTickPrice: return as(std::type_identity<TickPrice>{}, "tickPrice");
    case I::kTickSize: return as(std::type_identity<TickSize>{}, "tickSize");
    case I::kOrderStatus: return as(std::type_identity<OrderStatus>{}, "orderStatus");
    case I::kErrMsg: return as(std::type_identity<ErrorMsg>{}, "error");
    case I::kOpenOrder: return as(std::type_identity<OpenOrder>{}, "openOrder");
    case I::kUpdateAccountValue: return as(std::type_identity<UpdateAccountValue>{}, "updateAccountValue");
    case I::kUpdatePortfolio: return as(std::type_identity<UpdatePortfolio>{}, "updatePortfolio");
    case I::kUpdateAccountTime: return as(std::type_identity<UpdateAccountTime>{}, "updateAccountTime");
    case I::kNextValidId: return as(std::type_identity<NextValidId>{}, "nextValidId");
    case I::kContractDetails: return as(std::type_identity<ContractDetailsMsg>{}, "contractDetails");
    case I::kExecDetails: return as(std::type_identity<ExecDetails>{}, "execDetails");
    case I::kManagedAccounts: return as(std::type_identity<ManagedAccounts>{}, "managedAccounts");
    case I::kHistoricalData: return as(std::type_identity<HistoricalData>{}, "historicalData");
    case I::kTickOptionComputation: return as(std::type_identity<TickOptionComputation>{}, "tickOptionComputation");
    case I::kTickGeneric: return as(std::type_identity<TickGeneric>{}, "tickGeneric");
    case I::kTickString: return as(std::type_identity<TickString>{}, "tickString");
    case I::kCurrentTime: return as(std::type_identity<CurrentTime>{}, "currentTime");
    case I::kContractDetailsEnd: return as(std::type_identity<ContractDetailsEnd>{}, "contractDetailsEnd");
    case I::kOpenOrderEnd: return as(std::type_identity<OpenOrderEnd>{}, "openOrderEnd");
    case I::kAccountDownloadEnd: return as(std::type_identity<AccountDownloadEnd>{}, "accountDownloadEnd");
    case I::kExecDetailsEnd: return as(std::type_identity<ExecDetailsEnd>{}, "execDetailsEnd");
    case I::kTickSnapshotEnd: return as(std::type_identity<TickSnapshotEnd>{}, "tickSnapshotEnd");
    case I::kMarketDataType: return as(std::type_identity<MarketDataType>{}, "marketDataType");
    case I::kCommissionReport: return as(std::type_identity<CommissionReport>{}, "commissionReport");
    case I::kPosition: return as(std::type_identity<Position>{}, "position");
    case I::kPositionEnd: return as(std::type_identity<PositionEnd>{}, "positionEnd");
    case I::kAccountSummary: return as(std::type_identity<AccountSummary>{}, "accountSummary");
    case I::kAccountSummaryEnd: return as(std::type_identity<AccountSummaryEnd>{}, "accountSummaryEnd");
    case I::kTickReqParams: return as(std::type_identity<TickReqParams>{}, "tickReqParams");
    case I::kHistoricalDataUpdate: return as(std::type_identity<HistoricalDataUpdate>{}, "historicalDataUpdate");
    case I::kOrderBound: return as(std::type_identity<OrderBound>{}, "orderBound");
    case I::kCompletedOrdersEnd: return as(std::type_identity<CompletedOrdersEnd>{}, "completedOrdersEnd");
  }
  return M{UnknownMessage{*id}};
}

Result<Request> decode_request(std::string_view payload) {
  FieldReader r(payload, "request");
  auto id = read_msg_id(r);
  if (!id) return id.error();
  using M = Request;
  auto as = [&](auto tag, const char* name) -> Result<M> {
    using T = typename decltype(tag)::type;
    r.set_message(name);
    return decode_as<T, M>(r);
  };
  using O = OutMsgId;
  switch (static_cast<O>(*id)) {
    case O::kReqMktData: return as(std::type_identity<ReqMktData>{}, "reqMktData");
    case O::kCancelMktData: return as(std::type_identity<CancelMktData>{}, "cancelMktData");
    case O::kPlaceOrder: return as(std::type_identity<PlaceOrder>{}, "placeOrder");
    case O::kCancelOrder: return as(std::type_identity<CancelOrder>{}, "cancelOrder");
    case O::kReqOpenOrders: return as(std::type_identity<ReqOpenOrders>{}, "reqOpenOrders");
    case O::kReqAccountUpdates: return as(std::type_identity<ReqAccountUpdates>{}, "reqAccountUpdates");
    case O::kReqExecutions: return as(std::type_identity<ReqExecutions>{}, "reqExecutions");
    case O::kReqIds: return as(std::type_identity<ReqIds>{}, "reqIds");
    case O::kReqContractDetails: return as(std::type_identity<ReqContractDetails>{}, "reqContractDetails");
    case O::kReqAutoOpenOrders: return as(std::type_identity<ReqAutoOpenOrders>{}, "reqAutoOpenOrders");
    case O::kReqAllOpenOrders: return as(std::type_identity<ReqAllOpenOrders>{}, "reqAllOpenOrders");
    case O::kReqManagedAccts: return as(std::type_identity<ReqManagedAccts>{}, "reqManagedAccts");
    case O::kReqHistoricalData: return as(std::type_identity<ReqHistoricalData>{}, "reqHistoricalData");
    case O::kCancelHistoricalData: return as(std::type_identity<CancelHistoricalData>{}, "cancelHistoricalData");
    case O::kReqCurrentTime: return as(std::type_identity<ReqCurrentTime>{}, "reqCurrentTime");
    case O::kReqGlobalCancel: return as(std::type_identity<ReqGlobalCancel>{}, "reqGlobalCancel");
    case O::kReqMarketDataType: return as(std::type_identity<ReqMarketDataType>{}, "reqMarketDataType");
    case O::kReqPositions: return as(std::type_identity<ReqPositions>{}, "reqPositions");
    case O::kReqAccountSummary: return as(std::type_identity<ReqAccountSummary>{}, "reqAccountSummary");
    case O::kCancelAccountSummary: return as(std::type_identity<CancelAccountSummary>{}, "cancelAccountSummary");
    case O::kCancelPositions: return as(std::type_identity<CancelPositions>{}, "cancelPositions");
    case O::kStartApi: return as(std::type_identity<StartApi>{}, "startApi");
    case O::kReqCompletedOrders: return as(std::type_identity<ReqCompletedOrders>{}, "reqCompletedOrders");
  }
  return M{UnknownRequest{*id}};
}

Result<std::vector<std::string>> split_fields(std::string_view payload) {
  std::vector<std::string> fields;
  FieldReader r(payload, "payload");
  while (!r.at_end()) {
    auto f = r.next();
    if (!f) return r.error();
    fields.emplace_back(*f);
  }
  return fields;
}

}  // namespace af::tws
