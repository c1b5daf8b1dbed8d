#include "simulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include <nlohmann/json.hpp>

namespace af::ibsim {
namespace {

using namespace std::chrono;

std::string fmt_money(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string yyyymmdd(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", d.year(), d.month(), d.day());
  return buf;
}

// "yyyymmdd hh:mm:ss" (+ optional zone / "-" separator) → epoch seconds (read as UTC).
std::optional<std::int64_t> parse_ib_time(const std::string& s) {
  if (s.size() < 8) return std::nullopt;
  for (int i = 0; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  const int y = std::stoi(s.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(s.substr(4, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(s.substr(6, 2)));
  const year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok()) return std::nullopt;
  std::int64_t secs = sys_days(ymd).time_since_epoch().count() * 86400LL;
  std::size_t pos = 8;
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '-')) ++pos;
  int hh = 0, mm = 0, ss = 0;
  if (pos + 8 <= s.size() && std::sscanf(s.c_str() + pos, "%d:%d:%d", &hh, &mm, &ss) == 3) {
    secs += hh * 3600 + mm * 60 + ss;
  }
  return secs;
}

bool is_multiple_of_tick(double price, double tick) {
  if (tick <= 0) return true;
  const double n = price / tick;
  return std::fabs(n - std::round(n)) < 1e-6;
}

double mult_of(const SimContract& c) {
  if (c.multiplier.empty()) return 1.0;
  const double m = std::strtod(c.multiplier.c_str(), nullptr);
  return m > 0 ? m : 1.0;
}

// Delayed tick type for a live one (tws-protocol §4.5): 1→66, 2→67, 4→68, 0→69, 3→70, 5→71,
// 6→72, 7→73, 8→74, 9→75, 14→76.
int delayed_tick(int live) {
  switch (live) {
    case 1: return 66;
    case 2: return 67;
    case 4: return 68;
    case 0: return 69;
    case 3: return 70;
    case 5: return 71;
    case 6: return 72;
    case 7: return 73;
    case 8: return 74;
    case 9: return 75;
    case 14: return 76;
    default: return live;
  }
}

int bars_for_duration(const std::string& duration) {
  std::istringstream in(duration);
  int n = 0;
  std::string unit;
  if (!(in >> n >> unit) || n <= 0 || unit.empty()) return -1;
  switch (unit[0]) {
    case 'D': return n;
    case 'W': return 5 * n;
    case 'M': return 21 * n;
    case 'Y': return 252 * n;
    case 'S': return 1;
    default: return -1;
  }
}

}  // namespace

Simulator::Simulator(SimConfig config, const Clock& clock, InstrumentCatalog catalog, MarketData data,
                     FaultEngine faults, Transport& transport)
    : config_(std::move(config)),
      clock_(clock),
      catalog_(std::move(catalog)),
      data_(std::move(data)),
      faults_(std::move(faults)),
      transport_(transport) {
  state_.account = config_.account;
  const std::string chunks = faults_.option("fill_chunks", "");
  if (!chunks.empty()) config_.fill_chunks = std::max(1, std::atoi(chunks.c_str()));
  const std::string interval = faults_.option("fill_interval", "");
  if (!interval.empty()) config_.fill_interval_s = std::strtod(interval.c_str(), nullptr);
  const std::string pacing = faults_.option("pacing", "");
  if (pacing == "off" || pacing == "0") config_.pacing = false;
}

void Simulator::log(const std::string& line) const {
  if (config_.log) config_.log(line);
}

Status Simulator::start() {
  if (!config_.state_dir.empty()) {
    auto loaded = load_state(config_.state_dir);
    if (!loaded) return loaded.error();
    if (*loaded) {
      state_ = std::move(**loaded);
      log("ibsim: state restored from " + config_.state_dir.string() + " (" +
          std::to_string(state_.orders.size()) + " orders, " +
          std::to_string(state_.executions.size()) + " executions)");
    }
  }
  if (state_.cash.empty()) state_.cash["USD"] = config_.initial_cash_usd;
  Timestamp start{};
  if (config_.start_date) {
    start = Timestamp(config_.start_date->sys_days()) + hours(14) + minutes(30);
  } else if (!state_.sim_time.empty()) {
    auto d = Date::parse(state_.sim_time.substr(0, 10));
    if (!d) return Error{ErrorCode::kIo, "ibsim state: bad sim_time `" + state_.sim_time + "`"};
    const auto secs = parse_ib_time(yyyymmdd(*d) + " " + state_.sim_time.substr(11, 8));
    start = Timestamp(seconds(secs.value_or(0)));
  } else if (auto last = data_.reference_last_date()) {
    start = Timestamp(last->sys_days()) + hours(14) + minutes(30);
  } else {
    start = Timestamp(Date(2020, 6, 1).sys_days()) + hours(14) + minutes(30);
  }
  sim_base_ = start;
  steady_base_ = clock_.steady_now();
  last_day_ = sim_date();
  persist();
  return ok_status();
}

Timestamp Simulator::sim_now() const {
  return sim_base_ + duration_cast<microseconds>(clock_.steady_now() - steady_base_);
}

void Simulator::set_sim_time(Timestamp t) {
  sim_base_ = t;
  steady_base_ = clock_.steady_now();
  check_day();
}

// ---------------------------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------------------------

ConnId Simulator::on_accept() {
  const ConnId id = next_conn_++;
  if (down_until_ && clock_.steady_now() < *down_until_) {
    log("ibsim: connection " + std::to_string(id) + " refused (restart in progress)");
    transport_.close(id);
    return id;
  }
  auto c = std::make_unique<Conn>();
  c->id = id;
  c->reader.expect_api_prefix();
  c->rate = MessageRateMeter(config_.max_messages_per_second);
  conns_[id] = std::move(c);
  return id;
}

void Simulator::on_bytes(ConnId id, std::string_view bytes) {
  auto it = conns_.find(id);
  if (it == conns_.end() || it->second->dead) return;
  Conn& c = *it->second;
  check_day();
  c.reader.append(bytes);
  while (!c.dead) {
    auto frame = c.reader.next_frame();
    if (!frame) {
      log("ibsim: connection " + std::to_string(id) + ": " + frame.error().message + "; dropping it");
      drop(id);
      break;
    }
    if (!*frame) break;
    const std::string payload(**frame);  // handle_frame may append to other readers
    handle_frame(c, payload);
  }
  reap();
}

void Simulator::on_closed(ConnId id) {
  auto it = conns_.find(id);
  if (it == conns_.end() || it->second->dead) return;
  it->second->dead = true;
  log("ibsim: client " + std::to_string(it->second->client_id) + " disconnected");
  fire(TriggerEvent{TriggerKind::kDisconnect}, nullptr, nullptr, nullptr, nullptr, nullptr);
  reap();
}

void Simulator::drop(ConnId id) {
  auto it = conns_.find(id);
  if (it == conns_.end() || it->second->dead) return;
  it->second->dead = true;
  transport_.close(id);
  log("ibsim: dropped connection " + std::to_string(id));
  fire(TriggerEvent{TriggerKind::kDisconnect}, nullptr, nullptr, nullptr, nullptr, nullptr);
}

void Simulator::reap() {
  for (auto it = conns_.begin(); it != conns_.end();) {
    if (it->second->dead) {
      it = conns_.erase(it);
    } else {
      ++it;
    }
  }
}

Simulator::Conn* Simulator::conn_of_client(int client_id) {
  for (auto& [id, c] : conns_) {
    if (!c->dead && c->started && c->client_id == client_id) return c.get();
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

void Simulator::emit(Conn& c, const tws::IncomingMessage& m) {
  if (c.dead) return;
  if (std::holds_alternative<tws::OrderStatus>(m) && suppress_status_ > 0) {
    --suppress_status_;
    log("ibsim: fault: orderStatus suppressed");
    return;
  }
  std::string bytes = tws::encode(m);
  if (current_delay_s_ > 0) {
    const ConnId id = c.id;
    schedule(current_delay_s_, [this, id, bytes = std::move(bytes)]() mutable {
      auto it = conns_.find(id);
      if (it != conns_.end() && !it->second->dead) transport_.send(id, std::move(bytes));
    });
    return;
  }
  transport_.send(c.id, std::move(bytes));
}

void Simulator::emit_to_client(int client_id, const tws::IncomingMessage& m) {
  if (Conn* c = conn_of_client(client_id)) emit(*c, m);
}

void Simulator::emit_error(Conn& c, int id, int code, const std::string& text) {
  emit(c, tws::ErrorMsg{id, code, text, ""});
}

void Simulator::schedule(double delay_s, std::function<void()> fn) {
  const auto due = clock_.steady_now() + duration_cast<steady_clock::duration>(duration<double>(delay_s));
  tasks_.push_back(Task{due, task_seq_++, std::move(fn)});
}

void Simulator::poll() {
  check_day();
  for (;;) {
    const auto now = clock_.steady_now();
    auto best = tasks_.end();
    for (auto it = tasks_.begin(); it != tasks_.end(); ++it) {
      if (it->due <= now && (best == tasks_.end() || it->due < best->due ||
                             (it->due == best->due && it->seq < best->seq))) {
        best = it;
      }
    }
    if (best == tasks_.end()) break;
    auto fn = std::move(best->fn);
    tasks_.erase(best);
    fn();
  }
  reap();
}

std::optional<SteadyTime> Simulator::next_deadline() const {
  std::optional<SteadyTime> best;
  for (const auto& t : tasks_) {
    if (!best || t.due < *best) best = t.due;
  }
  return best;
}

void Simulator::persist() {
  state_.sim_time = to_iso(sim_now());
  if (config_.state_dir.empty()) return;
  auto st = save_state(config_.state_dir, state_);
  if (!st) log("ibsim: ERROR saving state: " + st.error().message);
}

// ---------------------------------------------------------------------------------------------
// Protocol
// ---------------------------------------------------------------------------------------------

std::string Simulator::exec_time_text(Timestamp t) const {
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const hh_mm_ss<seconds> hms{secs - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d UTC", yyyymmdd(Date(day)).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

void Simulator::handle_frame(Conn& c, std::string_view payload) {
  if (!c.hello_done) {
    auto hello = tws::decode_client_hello(payload);
    if (!hello) {
      log("ibsim: bad client hello: " + hello.error().message);
      drop(c.id);
      return;
    }
    auto version = tws::negotiate_server_version(*hello, tws::kServerVersion);
    if (!version || *version != tws::kServerVersion) {
      // ibsim speaks exactly 178: a client that cannot go up to 178 is refused (closed).
      log("ibsim: client version range v" + std::to_string(hello->min_version) + ".." +
          std::to_string(hello->max_version) + " does not include 178; closing");
      drop(c.id);
      return;
    }
    c.hello_done = true;
    transport_.send(c.id, tws::encode_server_hello({tws::kServerVersion, exec_time_text(sim_now())}));
    return;
  }
  ++c.messages;
  const int msg_id = std::atoi(std::string(payload.substr(0, payload.find('\0'))).c_str());
  if (config_.pacing) {
    const int rate = c.rate.record(clock_.steady_now());
    if (c.rate.exceeded(rate)) {
      emit_error(c, -1, 100,
                 "Max rate of messages per second has been exceeded:max=" +
                     std::to_string(c.rate.max()) + " rec=" + std::to_string(rate));
      return;  // the message is not processed
    }
  }
  auto req = tws::decode_request(payload);
  current_delay_s_ = 0.0;
  TriggerEvent request_event(TriggerKind::kRequest);
  request_event.request_id = msg_id;
  fire(request_event, &c, nullptr, nullptr, nullptr, nullptr);
  if (c.dead) return;
  if (!req) {
    log("ibsim: undecodable request (id " + std::to_string(msg_id) + "): " + req.error().message);
    emit_error(c, -1, 321, "Error validating request.-'ibsim' : cause - " + req.error().message);
  } else if (!c.started && !std::holds_alternative<tws::StartApi>(*req)) {
    log("ibsim: request id " + std::to_string(msg_id) + " before startApi ignored");
  } else {
    handle_request(c, *req);
  }
  if (!c.dead) {
    fire(TriggerEvent{TriggerKind::kMessage, c.messages}, &c, nullptr, nullptr, nullptr, nullptr);
  }
  current_delay_s_ = 0.0;
}

void Simulator::handle_request(Conn& c, const tws::Request& req) {
  std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, tws::StartApi>) {
          on_start_api(c, r);
        } else if constexpr (std::is_same_v<T, tws::ReqCurrentTime>) {
          emit(c, tws::CurrentTime{duration_cast<seconds>(sim_now().time_since_epoch()).count()});
        } else if constexpr (std::is_same_v<T, tws::ReqIds>) {
          emit(c, tws::NextValidId{std::max(1, state_.next_order_id[c.client_id])});
        } else if constexpr (std::is_same_v<T, tws::ReqMarketDataType>) {
          c.market_data_type = r.market_data_type;
        } else if constexpr (std::is_same_v<T, tws::ReqPositions>) {
          on_positions(c);
        } else if constexpr (std::is_same_v<T, tws::ReqAccountSummary>) {
          on_account_summary(c, r);
        } else if constexpr (std::is_same_v<T, tws::ReqAccountUpdates>) {
          on_account_updates(c, r);
        } else if constexpr (std::is_same_v<T, tws::PlaceOrder>) {
          on_place_order(c, r);
        } else if constexpr (std::is_same_v<T, tws::CancelOrder>) {
          on_cancel_order(c, r);
        } else if constexpr (std::is_same_v<T, tws::ReqGlobalCancel>) {
          on_global_cancel(c);
        } else if constexpr (std::is_same_v<T, tws::ReqOpenOrders>) {
          on_open_orders(c, false);
        } else if constexpr (std::is_same_v<T, tws::ReqAllOpenOrders>) {
          on_open_orders(c, true);
        } else if constexpr (std::is_same_v<T, tws::ReqAutoOpenOrders>) {
          if (c.client_id != 0) {
            emit_error(c, -1, 327, "Only client id 0 may set auto bind (reqAutoOpenOrders)");
          }
        } else if constexpr (std::is_same_v<T, tws::ReqExecutions>) {
          on_executions(c, r);
        } else if constexpr (std::is_same_v<T, tws::ReqCompletedOrders>) {
          emit(c, tws::CompletedOrdersEnd{});
        } else if constexpr (std::is_same_v<T, tws::ReqContractDetails>) {
          on_contract_details(c, r);
        } else if constexpr (std::is_same_v<T, tws::ReqMktData>) {
          on_mkt_data(c, r);
        } else if constexpr (std::is_same_v<T, tws::CancelMktData>) {
          c.mkt_subs.erase(r.ticker_id);
        } else if constexpr (std::is_same_v<T, tws::ReqHistoricalData>) {
          on_historical(c, r);
        } else if constexpr (std::is_same_v<T, tws::ReqManagedAccts>) {
          emit(c, tws::ManagedAccounts{state_.account});
        } else if constexpr (std::is_same_v<T, tws::UnknownRequest>) {
          log("ibsim: unsupported request id " + std::to_string(r.msg_id) + " ignored");
        } else {
          // cancelPositions, cancelAccountSummary, cancelHistoricalData: nothing to answer.
        }
      },
      req);
}

void Simulator::on_start_api(Conn& c, const tws::StartApi& r) {
  if (c.started) return;
  if (conn_of_client(r.client_id) != nullptr) {
    emit_error(c, -1, 326,
               "Unable to connect as the client id is already in use. Retry with a unique client id.");
    drop(c.id);
    return;
  }
  c.started = true;
  c.client_id = r.client_id;
  ++connects_;
  log("ibsim: client " + std::to_string(r.client_id) + " connected (connection " +
      std::to_string(c.id) + ")");
  int& next = state_.next_order_id[c.client_id];
  next = std::max(next, 1);
  emit(c, tws::ManagedAccounts{state_.account});
  emit(c, tws::NextValidId{next});
  emit_error(c, -1, 2104, "Market data farm connection is OK:usfarm");
  emit_error(c, -1, 2104, "Market data farm connection is OK:usfuture");
  emit_error(c, -1, 2106, "HMDS data farm connection is OK:ushmds");
  emit_error(c, -1, 2158, "Sec-def data farm connection is OK:secdefil");
  if (connectivity_lost_) {
    emit_error(c, -1, 1100, "Connectivity between IBKR and Trader Workstation has been lost.");
  }
  // "Download open orders on connection": this client's working orders.
  bool any = false;
  for (const auto& o : state_.orders) {
    if (o.client_id == c.client_id && o.is_open()) {
      send_open_order(c, o);
      send_order_status(c, o);
      any = true;
    }
  }
  if (any) emit(c, tws::OpenOrderEnd{});
  fire(TriggerEvent{TriggerKind::kConnect}, &c, nullptr, nullptr, nullptr, nullptr);
}

// ---------------------------------------------------------------------------------------------
// Contract conversion
// ---------------------------------------------------------------------------------------------

tws::Contract Simulator::wire_contract(const SimContract& s, bool primary_instead_of_exchange) const {
  tws::Contract c;
  c.con_id = static_cast<int>(s.con_id);
  c.symbol = s.symbol;
  c.sec_type = s.sec_type;
  c.last_trade_date_or_contract_month = s.last_trade_date;
  c.strike = s.strike;
  c.right = s.right;
  c.multiplier = s.multiplier;
  c.exchange = primary_instead_of_exchange ? s.primary_exchange : s.exchange;
  c.primary_exchange = s.primary_exchange;
  c.currency = s.currency;
  c.local_symbol = s.local_symbol;
  c.trading_class = s.trading_class;
  return c;
}

SimContract Simulator::sim_contract(const tws::Contract& c) const {
  SimContract s;
  s.con_id = c.con_id.value_or(0);
  s.symbol = c.symbol;
  s.sec_type = c.sec_type;
  s.last_trade_date = c.last_trade_date_or_contract_month;
  s.strike = c.strike.value_or(0.0);
  s.right = c.right;
  s.multiplier = c.multiplier;
  s.exchange = c.exchange;
  s.primary_exchange = c.primary_exchange;
  s.currency = c.currency;
  s.local_symbol = c.local_symbol;
  s.trading_class = c.trading_class;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------

SimOrder* Simulator::find_by_perm(std::int64_t perm_id) {
  for (auto& o : state_.orders) {
    if (o.perm_id == perm_id) return &o;
  }
  return nullptr;
}

void Simulator::reject_order(Conn* c, int order_id, int code, const std::string& text) {
  if (c) emit_error(*c, order_id, code, text);
}

void Simulator::on_place_order(Conn& c, const tws::PlaceOrder& r) {
  const int id = r.order_id;
  int& next = state_.next_order_id[c.client_id];
  if (SimOrder* existing = state_.find_order(c.client_id, id)) {
    SimOrder& o = *existing;
    if (o.status == status::kFilled) {
      emit_error(c, id, 104, "Cannot modify a filled order.");
      return;
    }
    if (!o.is_open()) {
      emit_error(c, id, 103, "Duplicate order id");
      return;
    }
    // Modify: same basic parameters, new quantity and/or limit price.
    const auto matches = catalog_.match(sim_contract(r.contract));
    if (r.order.action != o.action || r.order.order_type != o.order_type || matches.size() != 1 ||
        matches.front()->contract.con_id != o.contract.con_id) {
      emit_error(c, id, 105,
                 "Order being modified does not match original order. Only quantity and limit "
                 "price may change.");
      return;
    }
    const double qty = r.order.total_quantity.value_or(o.total_qty);
    if (qty < o.filled || qty <= 0) {
      emit_error(c, id, 321,
                 "Error validating request.-'bO' : cause - The new quantity is not above the filled quantity");
      return;
    }
    const SimInstrument* inst = catalog_.by_con_id(o.contract.con_id);
    if (o.order_type == "LMT") {
      if (!r.order.lmt_price) {
        emit_error(c, id, 321, "Error validating request.-'bO' : cause - Missing limit price");
        return;
      }
      if (inst && !is_multiple_of_tick(*r.order.lmt_price, inst->min_tick)) {
        emit_error(c, id, 110,
                   "The price does not conform to the minimum price variation for this contract.");
        return;
      }
      o.lmt_price = r.order.lmt_price;
    }
    o.total_qty = qty;
    if (!r.order.order_ref.empty()) o.order_ref = r.order.order_ref;
    persist();
    send_open_order(c, o);
    send_order_status(c, o);
    check_marketable(o.perm_id);
    return;
  }
  if (id < next) {
    emit_error(c, id, 103, "Duplicate order id");
    return;
  }
  const auto matches = catalog_.match(sim_contract(r.contract));
  const int next_before = next;
  next = std::max(next, id + 1);  // the id is consumed even if the order is refused
  if (matches.empty()) {
    persist();
    emit_error(c, id, 200, "No security definition has been found for the request");
    return;
  }
  if (matches.size() > 1) {
    persist();
    emit_error(c, id, 200, "The contract description specified for " + r.contract.symbol +
                               " is ambiguous.");
    return;
  }
  const SimInstrument& inst = *matches.front();
  const tws::Order& ro = r.order;
  auto refuse = [&](int code, const std::string& text) {
    persist();
    emit_error(c, id, code, text);
  };
  if (ro.action != "BUY" && ro.action != "SELL" && ro.action != "SSHORT") {
    return refuse(201, "Order rejected - reason:Invalid action '" + ro.action + "'");
  }
  if (!ro.total_quantity || *ro.total_quantity <= 0) {
    return refuse(434, "The order size cannot be zero.");
  }
  if (ro.order_type != "MKT" && ro.order_type != "LMT") {
    return refuse(201, "Order rejected - reason:ibsim supports MKT and LMT orders only, not '" +
                           ro.order_type + "'");
  }
  if (ro.what_if.value_or(false)) {
    return refuse(201, "Order rejected - reason:ibsim does not evaluate what-if orders");
  }
  if (ro.order_type == "LMT") {
    if (!ro.lmt_price) return refuse(201, "Order rejected - reason:Missing limit price");
    if (!is_multiple_of_tick(*ro.lmt_price, inst.min_tick)) {
      return refuse(110, "The price does not conform to the minimum price variation for this contract.");
    }
  }
  SimOrder o;
  o.order_id = id;
  o.client_id = c.client_id;
  o.perm_id = state_.next_perm_id++;
  o.contract = inst.contract;
  o.action = ro.action;
  o.total_qty = *ro.total_quantity;
  o.order_type = ro.order_type;
  if (ro.order_type == "LMT") o.lmt_price = ro.lmt_price;
  o.tif = ro.tif.empty() ? "DAY" : ro.tif;
  o.order_ref = ro.order_ref;
  o.account = state_.account;
  o.outside_rth = ro.outside_rth.value_or(false);
  o.placed_date = sim_date().iso();

  bool drop_conn = false, lose = false;
  std::optional<std::pair<int, std::string>> reject;
  TriggerEvent ev{TriggerKind::kPlaceOrder};
  ev.order_ref = o.order_ref;
  fire(ev, &c, &o, &drop_conn, &lose, &reject);
  if (lose) {  // the order never reached the gateway: nothing of it is kept
    state_.next_perm_id--;
    next = next_before;
    persist();
    drop(c.id);
    return;
  }
  if (reject) {
    o.status = status::kInactive;
    state_.orders.push_back(o);
    persist();
    emit_error(c, id, reject->first, reject->second);
    send_order_status(c, o);
    return;
  }
  accept_order(drop_conn ? nullptr : &c, std::move(o), !drop_conn);
  if (drop_conn) drop(c.id);
}

void Simulator::accept_order(Conn* c, SimOrder o, bool ack) {
  const std::int64_t perm = o.perm_id;
  o.status = status::kPreSubmitted;
  state_.orders.push_back(std::move(o));
  SimOrder& stored = state_.orders.back();
  if (ack && c) {
    send_open_order(*c, stored);
    send_order_status(*c, stored);
  }
  stored.status = status::kSubmitted;
  persist();
  if (ack && c) {
    send_open_order(*c, stored);
    send_order_status(*c, stored);
  }
  check_marketable(perm);
}

std::optional<double> Simulator::marketable_price(const SimOrder& o) const {
  const SimInstrument* inst = catalog_.by_con_id(o.contract.con_id);
  if (!inst) return std::nullopt;
  auto q = data_.quote(*inst, sim_date());
  if (!q) return std::nullopt;
  const double px = o.is_buy() ? q->ask : q->bid;
  if (o.order_type == "MKT") return px;
  if (!o.lmt_price) return std::nullopt;
  if (o.is_buy() ? px <= *o.lmt_price + 1e-12 : px >= *o.lmt_price - 1e-12) return px;
  return std::nullopt;
}

void Simulator::check_marketable(std::int64_t perm_id) {
  SimOrder* o = find_by_perm(perm_id);
  if (!o || !o->is_open()) return;
  if (auto px = marketable_price(*o)) schedule_fills(perm_id, *px);
}

void Simulator::schedule_fills(std::int64_t perm_id, double price) {
  if (filling_.count(perm_id)) return;
  filling_.insert(perm_id);
  const int chunks = std::max(1, config_.fill_chunks);
  schedule(0.0, [this, perm_id, price, chunks] { fill_chunk(perm_id, price, chunks); });
}

void Simulator::fill_chunk(std::int64_t perm_id, double price, int chunks_left) {
  SimOrder* o = find_by_perm(perm_id);
  if (!o || !o->is_open()) {
    filling_.erase(perm_id);
    return;
  }
  if (connectivity_lost_) {  // execution reports wait for the connection to IB
    filling_.erase(perm_id);
    held_fills_.push_back(perm_id);
    return;
  }
  double qty = o->remaining();
  if (chunks_left > 1 && qty > 1.0) qty = std::max(1.0, std::floor(qty / chunks_left));
  execute(*o, qty, price);
  o = find_by_perm(perm_id);
  if (o && o->is_open()) {
    Conn* c = conn_of_client(o->client_id);
    bool drop_conn = false;
    fire(TriggerEvent{TriggerKind::kPartialFill}, c, o, &drop_conn, nullptr, nullptr);
    if (drop_conn && c) drop(c->id);
    schedule(config_.fill_interval_s, [this, perm_id, price, chunks_left] {
      fill_chunk(perm_id, price, std::max(1, chunks_left - 1));
    });
  } else {
    filling_.erase(perm_id);
  }
}

double Simulator::commission_for(const SimOrder& o, double qty, double price) const {
  const std::string& t = o.contract.sec_type;
  if (t == "FUT") return 0.85 * qty;
  if (t == "OPT") return std::max(1.0, 0.65 * qty);
  if (t == "CASH") return 2.0;
  // IB fixed pricing for stocks: 0.005 per share, min 1.00, max 1 % of trade value.
  return std::min(std::max(1.0, 0.005 * qty), 0.01 * qty * price);
}

void Simulator::execute(SimOrder& o, double qty, double price) {
  const double prev = o.filled;
  o.filled += qty;
  o.avg_fill_price = (o.avg_fill_price * prev + price * qty) / o.filled;
  o.last_fill_price = price;
  o.fill_count++;
  o.status = o.remaining() <= 1e-9 ? status::kFilled : status::kSubmitted;

  SimExecution e;
  char id[64];
  std::snprintf(id, sizeof id, "0000e1a7.%08llx.01.01", static_cast<unsigned long long>(state_.exec_seq++));
  e.exec_id = id;
  e.order_id = o.order_id;
  e.client_id = o.client_id;
  e.perm_id = o.perm_id;
  e.contract = o.contract;
  const Timestamp now = sim_now();
  e.time = exec_time_text(now);
  e.time_epoch = duration_cast<seconds>(now.time_since_epoch()).count();
  e.account = o.account;
  e.exchange = o.contract.primary_exchange.empty() ? o.contract.exchange : o.contract.primary_exchange;
  e.side = o.is_buy() ? "BOT" : "SLD";
  e.shares = qty;
  e.price = price;
  e.cum_qty = o.filled;
  e.avg_price = o.avg_fill_price;
  e.order_ref = o.order_ref;
  e.commission = commission_for(o, qty, price);
  e.commission_currency = o.contract.currency;
  state_.executions.push_back(e);

  // Position and cash.
  const double mult = mult_of(o.contract);
  const double dq = o.is_buy() ? qty : -qty;
  SimPosition& p = state_.positions[o.contract.con_id];
  p.contract = o.contract;
  const double q0 = p.quantity, q1 = q0 + dq, unit_cost = price * mult;
  if (q0 == 0 || (q0 > 0) == (dq > 0)) {
    p.avg_cost = (p.avg_cost * std::fabs(q0) + unit_cost * std::fabs(dq)) / std::fabs(q1);
  } else if ((q0 > 0) != (q1 > 0) && q1 != 0) {
    p.avg_cost = unit_cost;  // crossed through zero
  }
  p.quantity = q1;
  if (std::fabs(p.quantity) < 1e-9) state_.positions.erase(o.contract.con_id);
  state_.cash[o.contract.currency] -= dq * price * mult + e.commission;
  persist();

  log("ibsim: fill " + e.exec_id + " order " + std::to_string(o.order_id) + " " + e.side + " " +
      std::to_string(qty) + " " + o.contract.symbol + " @ " + std::to_string(price));
  if (Conn* c = conn_of_client(o.client_id)) {
    send_execution(*c, -1, e);
    if (o.status == status::kFilled) send_open_order(*c, o);
    send_order_status(*c, o);
  }
  for (auto& [cid, conn] : conns_) {
    if (!conn->dead && conn->started && conn->account_updates) {
      auto it = state_.positions.find(o.contract.con_id);
      SimPosition flat{o.contract, 0.0, 0.0};
      send_portfolio_update(*conn, it == state_.positions.end() ? flat : it->second);
      send_account_values(*conn);
    }
  }
}

void Simulator::cancel_order(SimOrder& o, const std::string& reason) {
  o.status = status::kCancelled;
  persist();
  if (Conn* c = conn_of_client(o.client_id)) {
    emit_error(*c, o.order_id, 202, "Order Canceled - reason:" + reason);
    send_order_status(*c, o);
  }
}

void Simulator::on_cancel_order(Conn& c, const tws::CancelOrder& r) {
  SimOrder* o = state_.find_order(c.client_id, r.order_id);
  if (!o) {
    emit_error(c, r.order_id, 10147,
               "OrderId " + std::to_string(r.order_id) + " that needs to be cancelled is not found.");
    return;
  }
  if (!o->is_open()) {
    emit_error(c, r.order_id, 10148,
               "OrderId " + std::to_string(r.order_id) +
                   " that needs to be cancelled cannot be cancelled, state: " + o->status + ".");
    return;
  }
  cancel_order(*o, "");
}

void Simulator::on_global_cancel(Conn&) {
  for (auto& o : state_.orders) {
    if (o.is_open()) cancel_order(o, "Global Cancel");
  }
}

void Simulator::on_open_orders(Conn& c, bool all) {
  for (const auto& o : state_.orders) {
    if (o.is_open() && (all || o.client_id == c.client_id)) {
      send_open_order(c, o);
      send_order_status(c, o);
    }
  }
  emit(c, tws::OpenOrderEnd{});
}

void Simulator::send_open_order(Conn& c, const SimOrder& o) {
  tws::OpenOrder m;
  m.order_id = o.order_id;
  m.contract = wire_contract(o.contract);
  m.contract.primary_exchange.clear();
  if (m.contract.right.empty()) m.contract.right = "?";
  tws::Order& w = m.order;
  w.client_id = o.client_id;
  w.perm_id = o.perm_id;
  w.action = o.action;
  w.total_quantity = o.total_qty;
  w.order_type = o.order_type;
  w.lmt_price = o.lmt_price.value_or(0.0);
  w.aux_price = 0.0;
  w.tif = o.tif;
  w.account = o.account;
  w.origin = 0;
  w.order_ref = o.order_ref;
  w.outside_rth = o.outside_rth;
  w.hidden = false;
  w.discretionary_amt = 0.0;
  w.short_sale_slot = 0;
  w.exempt_code = -1;
  w.auction_strategy = 0;
  w.block_order = false;
  w.sweep_to_fill = false;
  w.all_or_none = false;
  w.oca_type = 3;
  w.e_trade_only = false;
  w.firm_quote_only = false;
  w.parent_id = 0;
  w.trigger_method = 0;
  w.volatility_type = 0;
  // A real gateway sends "None" for an unset deltaNeutralOrderType, so the 8 delta-neutral fields
  // follow (tws-protocol §4.6) — reproduced to catch clients that mis-align on it.
  w.delta_neutral_order_type = "None";
  w.delta_neutral_con_id = 0;
  w.delta_neutral_open_close = "?";
  w.delta_neutral_short_sale = false;
  w.delta_neutral_short_sale_slot = 0;
  w.continuous_update = 0;
  w.reference_price_type = 0;
  w.opt_out_smart_routing = false;
  w.clearing_intent = "IB";
  w.not_held = false;
  w.solicited = false;
  w.what_if = false;
  w.randomize_size = false;
  w.randomize_price = false;
  w.adjusted_order_type = "None";
  w.adjustable_trailing_unit = 0;
  w.cash_qty = 0.0;
  w.dont_use_auto_price_for_hedge = true;
  w.is_oms_container = false;
  w.discretionary_up_to_limit_price = false;
  w.use_price_mgmt_algo = false;
  w.auto_cancel_parent = false;
  m.order_state.status = o.status;
  if (o.status == status::kFilled) {
    double commission = 0.0;
    for (const auto& e : state_.executions) {
      if (e.perm_id == o.perm_id) commission += e.commission;
    }
    m.order_state.commission = commission;
    m.order_state.commission_currency = o.contract.currency;
  }
  emit(c, m);
}

void Simulator::send_order_status(Conn& c, const SimOrder& o) {
  tws::OrderStatus s;
  s.order_id = o.order_id;
  s.status = o.status;
  s.filled = o.filled;
  s.remaining = o.status == status::kCancelled || o.status == status::kInactive ? 0.0 : o.remaining();
  s.avg_fill_price = o.avg_fill_price;
  s.perm_id = o.perm_id;
  s.parent_id = 0;
  s.last_fill_price = o.last_fill_price;
  s.client_id = o.client_id;
  emit(c, s);
}

void Simulator::send_execution(Conn& c, int req_id, const SimExecution& e) {
  tws::ExecDetails d;
  d.req_id = req_id;
  d.contract = wire_contract(e.contract);
  d.contract.primary_exchange.clear();
  d.execution.order_id = e.order_id;
  d.execution.exec_id = e.exec_id;
  d.execution.time = e.time;
  d.execution.acct_number = e.account;
  d.execution.exchange = e.exchange;
  d.execution.side = e.side;
  d.execution.shares = e.shares;
  d.execution.price = e.price;
  d.execution.perm_id = e.perm_id;
  d.execution.client_id = e.client_id;
  d.execution.cum_qty = e.cum_qty;
  d.execution.avg_price = e.avg_price;
  d.execution.order_ref = e.order_ref;
  d.execution.last_liquidity = 2;
  emit(c, d);
  tws::CommissionReport r;
  r.exec_id = e.exec_id;
  r.commission = e.commission;
  r.currency = e.commission_currency;
  emit(c, r);
}

void Simulator::on_executions(Conn& c, const tws::ReqExecutions& r) {
  const auto& f = r.filter;
  std::optional<std::int64_t> after;
  if (!f.time.empty()) after = parse_ib_time(f.time);
  // The Trades log a gateway keeps: the last 7 simulated days.
  const std::int64_t window_start =
      duration_cast<seconds>(sim_now().time_since_epoch()).count() - 7 * 86400;
  for (const auto& e : state_.executions) {
    if (e.time_epoch < window_start) continue;
    if (f.client_id && *f.client_id != 0 && e.client_id != *f.client_id) continue;
    if (!f.acct_code.empty() && f.acct_code != e.account) continue;
    if (after && e.time_epoch <= *after) continue;
    if (!f.symbol.empty() && f.symbol != e.contract.symbol) continue;
    if (!f.sec_type.empty() && f.sec_type != e.contract.sec_type) continue;
    if (!f.exchange.empty() && f.exchange != e.exchange && f.exchange != e.contract.exchange) continue;
    if (!f.side.empty()) {
      const bool buy = f.side == "BUY" || f.side == "BOT";
      if (buy != (e.side == "BOT")) continue;
    }
    send_execution(c, r.req_id, e);
  }
  emit(c, tws::ExecDetailsEnd{r.req_id});
}

// ---------------------------------------------------------------------------------------------
// Account
// ---------------------------------------------------------------------------------------------

double Simulator::fx_to_usd(const std::string& ccy) const {
  if (ccy == "USD" || ccy.empty()) return 1.0;
  // Rates from the catalog's real FX series when present, else a static fallback.
  if (ccy == "EUR") return data_.series_close("eurusd", sim_date()).value_or(1.10);
  if (ccy == "GBP") return data_.series_close("gbpusd", sim_date()).value_or(1.27);
  if (ccy == "CHF") {
    auto usdchf = data_.series_close("usdchf", sim_date());
    return usdchf && *usdchf > 0 ? 1.0 / *usdchf : 1.10;
  }
  return 1.0;
}

double Simulator::mark_price(const SimContract& c) const {
  if (const SimInstrument* inst = catalog_.by_con_id(c.con_id)) {
    if (auto q = data_.quote(*inst, sim_date())) return q->last;
  }
  auto it = state_.positions.find(c.con_id);
  return it == state_.positions.end() ? 0.0 : it->second.avg_cost / mult_of(c);
}

double Simulator::position_value_usd(const SimPosition& p) const {
  return p.quantity * mark_price(p.contract) * mult_of(p.contract) * fx_to_usd(p.contract.currency);
}

namespace {
struct AccountFigures {
  double cash = 0, gross = 0, net_liq = 0, init_margin = 0, maint_margin = 0;
};
}  // namespace

void Simulator::on_positions(Conn& c) {
  for (const auto& [con_id, p] : state_.positions) {
    emit(c, tws::Position{state_.account, wire_contract(p.contract), p.quantity, p.avg_cost});
  }
  emit(c, tws::PositionEnd{});
}

void Simulator::on_account_summary(Conn& c, const tws::ReqAccountSummary& r) {
  AccountFigures a;
  for (const auto& [ccy, amount] : state_.cash) a.cash += amount * fx_to_usd(ccy);
  double net_pos = 0;
  for (const auto& [id, p] : state_.positions) {
    const double v = position_value_usd(p);
    net_pos += v;
    a.gross += std::fabs(v);
  }
  a.net_liq = a.cash + net_pos;
  a.init_margin = 0.25 * a.gross;   // simple Reg-T-like figures, documented in docs/IBSIM.md
  a.maint_margin = 0.25 * a.gross;
  const double available = a.net_liq - a.init_margin;
  const std::map<std::string, std::string> values = {
      {"AccountType", "INDIVIDUAL"},
      {"NetLiquidation", fmt_money(a.net_liq)},
      {"TotalCashValue", fmt_money(a.cash)},
      {"SettledCash", fmt_money(a.cash)},
      {"AccruedCash", "0.00"},
      {"BuyingPower", fmt_money(4 * available)},
      {"EquityWithLoanValue", fmt_money(a.net_liq)},
      {"GrossPositionValue", fmt_money(a.gross)},
      {"InitMarginReq", fmt_money(a.init_margin)},
      {"MaintMarginReq", fmt_money(a.maint_margin)},
      {"AvailableFunds", fmt_money(available)},
      {"ExcessLiquidity", fmt_money(a.net_liq - a.maint_margin)},
      {"Cushion", a.net_liq != 0 ? std::to_string((a.net_liq - a.maint_margin) / a.net_liq) : "1"},
  };
  std::stringstream tags(r.tags);
  std::string tag;
  while (std::getline(tags, tag, ',')) {
    if (tag.empty()) continue;
    if (tag.rfind("$LEDGER", 0) == 0) {
      const std::string which = tag.size() > 8 ? tag.substr(8) : "";  // "", "ALL" or a currency
      auto ledger = [&](const std::string& ccy, double cash, double net) {
        emit(c, tws::AccountSummary{r.req_id, state_.account, "CashBalance", fmt_money(cash), ccy});
        emit(c, tws::AccountSummary{r.req_id, state_.account, "TotalCashBalance", fmt_money(cash), ccy});
        emit(c, tws::AccountSummary{r.req_id, state_.account, "NetLiquidationByCurrency", fmt_money(net), ccy});
      };
      if (which == "ALL") {
        for (const auto& [ccy, amount] : state_.cash) ledger(ccy, amount, amount);
      } else if (!which.empty()) {
        auto it = state_.cash.find(which);
        ledger(which, it == state_.cash.end() ? 0.0 : it->second,
               it == state_.cash.end() ? 0.0 : it->second);
      }
      ledger("BASE", a.cash, a.net_liq);
      continue;
    }
    auto it = values.find(tag);
    if (it == values.end()) continue;
    emit(c, tws::AccountSummary{r.req_id, state_.account, tag, it->second,
                                tag == "AccountType" || tag == "Cushion" ? "" : "USD"});
  }
  emit(c, tws::AccountSummaryEnd{r.req_id});
}

void Simulator::send_account_values(Conn& c) {
  double cash = 0, net_pos = 0, gross = 0;
  for (const auto& [ccy, amount] : state_.cash) cash += amount * fx_to_usd(ccy);
  for (const auto& [id, p] : state_.positions) {
    const double v = position_value_usd(p);
    net_pos += v;
    gross += std::fabs(v);
  }
  const std::string& acct = state_.account;
  auto put = [&](const std::string& key, const std::string& value, const std::string& ccy) {
    emit(c, tws::UpdateAccountValue{key, value, ccy, acct});
  };
  put("AccountCode", acct, "");
  put("AccountType", "INDIVIDUAL", "");
  put("NetLiquidation", fmt_money(cash + net_pos), "USD");
  put("TotalCashValue", fmt_money(cash), "USD");
  put("GrossPositionValue", fmt_money(gross), "USD");
  put("AvailableFunds", fmt_money(cash + net_pos - 0.25 * gross), "USD");
  put("ExcessLiquidity", fmt_money(cash + net_pos - 0.25 * gross), "USD");
  for (const auto& [ccy, amount] : state_.cash) {
    put("CashBalance", fmt_money(amount), ccy);
    put("TotalCashBalance", fmt_money(amount), ccy);
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.6f", fx_to_usd(ccy));
    put("ExchangeRate", rate, ccy);
  }
  put("CashBalance", fmt_money(cash), "BASE");
  put("NetLiquidationByCurrency", fmt_money(cash + net_pos), "BASE");
}

void Simulator::send_portfolio_update(Conn& c, const SimPosition& p) {
  tws::UpdatePortfolio u;
  u.contract = wire_contract(p.contract, true);
  u.position = p.quantity;
  const double mult = mult_of(p.contract);
  u.market_price = mark_price(p.contract);
  u.market_value = p.quantity * u.market_price * mult;
  u.average_cost = p.avg_cost;
  u.unrealized_pnl = u.market_value - p.quantity * p.avg_cost;
  u.realized_pnl = 0.0;
  u.account_name = state_.account;
  emit(c, u);
}

void Simulator::on_account_updates(Conn& c, const tws::ReqAccountUpdates& r) {
  c.account_updates = r.subscribe;
  if (!r.subscribe) return;
  send_account_values(c);
  for (const auto& [id, p] : state_.positions) send_portfolio_update(c, p);
  const auto secs = floor<seconds>(sim_now());
  const hh_mm_ss<seconds> hms{secs - floor<days>(secs)};
  char hhmm[8];
  std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  emit(c, tws::UpdateAccountTime{hhmm});
  emit(c, tws::AccountDownloadEnd{state_.account});
}

// ---------------------------------------------------------------------------------------------
// Contracts and market data
// ---------------------------------------------------------------------------------------------

void Simulator::on_contract_details(Conn& c, const tws::ReqContractDetails& r) {
  const auto matches = catalog_.match(sim_contract(r.contract));
  if (matches.empty()) {
    emit_error(c, r.req_id, 200, "No security definition has been found for the request");
    return;
  }
  for (const SimInstrument* inst : matches) {
    tws::ContractDetailsMsg m;
    m.req_id = r.req_id;
    tws::ContractDetails& d = m.details;
    d.contract = wire_contract(inst->contract);
    d.market_name = inst->contract.trading_class;
    d.min_tick = inst->min_tick;
    d.order_types = "ACTIVETIM,AD,ADJUST,ALERT,ALLOC,DAY,GTC,IOC,LMT,MKT,NONALGO,OCA,STP,STPLMT";
    d.valid_exchanges = inst->contract.primary_exchange.empty()
                            ? inst->contract.exchange
                            : "SMART," + inst->contract.primary_exchange;
    d.price_magnifier = 1;
    d.long_name = inst->long_name;
    if (!inst->contract.last_trade_date.empty()) {
      d.contract_month = inst->contract.last_trade_date.substr(0, 6);
      d.real_expiration_date = inst->contract.last_trade_date;
    }
    d.time_zone_id = inst->contract.currency == "USD" ? "US/Eastern" : "Europe/London";
    d.agg_group = 1;
    if (inst->contract.sec_type == "OPT" || inst->contract.sec_type == "FUT") {
      d.under_symbol = inst->underlying_symbol.empty() ? inst->contract.symbol : inst->underlying_symbol;
      d.under_sec_type = inst->contract.sec_type == "FUT" ? "IND" : "STK";
      SimContract underlying;
      underlying.symbol = d.under_symbol;
      underlying.sec_type = "STK";
      for (const auto* u : catalog_.match(underlying)) {
        d.under_con_id = static_cast<int>(u->contract.con_id);
      }
    }
    d.market_rule_ids = "26";
    d.stock_type = inst->contract.sec_type == "STK" ? "ETF" : "";
    d.min_size = 1;
    d.size_increment = 1;
    d.suggested_size_increment = 1;
    emit(c, m);
  }
  emit(c, tws::ContractDetailsEnd{r.req_id});
}

void Simulator::on_mkt_data(Conn& c, const tws::ReqMktData& r) {
  fire(TriggerEvent{TriggerKind::kMarketData}, &c, nullptr, nullptr, nullptr, nullptr);
  if (c.dead) return;
  if (competing_forever_ || (competing_until_ && clock_.steady_now() < *competing_until_)) {
    emit_error(c, r.ticker_id, 10197, "No market data during competing live session");
    return;
  }
  const auto matches = catalog_.match(sim_contract(r.contract));
  if (matches.size() != 1) {
    emit_error(c, r.ticker_id, 200, "No security definition has been found for the request");
    return;
  }
  const SimInstrument& inst = *matches.front();
  emit(c, tws::TickReqParams{r.ticker_id, inst.min_tick, "9c0001", 3});
  const int type = c.market_data_type;
  emit(c, tws::MarketDataType{r.ticker_id, type});
  const bool delayed = type == 3 || type == 4;
  auto tt = [&](int live) { return delayed ? delayed_tick(live) : live; };
  if (auto q = data_.quote(inst, sim_date())) {
    auto bar = data_.bar_on_or_before(inst, sim_date());
    emit(c, tws::TickPrice{r.ticker_id, tt(1), q->bid, 100.0, 1});
    emit(c, tws::TickPrice{r.ticker_id, tt(2), q->ask, 100.0, 1});
    emit(c, tws::TickPrice{r.ticker_id, tt(4), q->last, 100.0, 0});
    if (bar) {
      emit(c, tws::TickPrice{r.ticker_id, tt(6), bar->high, std::nullopt, 0});
      emit(c, tws::TickPrice{r.ticker_id, tt(7), bar->low, std::nullopt, 0});
      emit(c, tws::TickPrice{r.ticker_id, tt(14), bar->open, std::nullopt, 0});
    }
    emit(c, tws::TickPrice{r.ticker_id, tt(9), q->close, std::nullopt, 0});
    emit(c, tws::TickSize{r.ticker_id, tt(8), q->volume});
    emit(c, tws::TickString{r.ticker_id, delayed ? 88 : 45,
                            std::to_string(duration_cast<seconds>(sim_now().time_since_epoch()).count())});
  }
  if (r.snapshot || r.regulatory_snapshot) {
    emit(c, tws::TickSnapshotEnd{r.ticker_id});
  } else {
    c.mkt_subs[r.ticker_id] = Subscription{r.ticker_id, inst.contract.con_id};
  }
}

void Simulator::on_historical(Conn& c, const tws::ReqHistoricalData& r) {
  fire(TriggerEvent{TriggerKind::kMarketData}, &c, nullptr, nullptr, nullptr, nullptr);
  if (c.dead) return;
  const auto matches = catalog_.match(sim_contract(r.contract));
  if (matches.size() != 1) {
    emit_error(c, r.req_id, 200, "No security definition has been found for the request");
    return;
  }
  const SimInstrument& inst = *matches.front();
  if (config_.pacing) {
    const std::string contract_key = std::to_string(inst.contract.con_id) + "|" + r.contract.exchange +
                                     "|" + r.what_to_show;
    const std::string request_key = contract_key + "|" + r.end_date_time + "|" + r.bar_size_setting +
                                    "|" + r.duration_str + "|" + (r.use_rth ? "1" : "0");
    const std::string why = c.hist.check(clock_.steady_now(), request_key, contract_key);
    if (!why.empty()) {
      emit_error(c, r.req_id, 162, why);
      return;
    }
  }
  if (r.bar_size_setting != "1 day") {
    emit_error(c, r.req_id, 162,
               "Historical Market Data Service error message:ibsim serves daily bars only (barSize "
               "'1 day'), not '" + r.bar_size_setting + "'");
    return;
  }
  const int count = bars_for_duration(r.duration_str);
  if (count <= 0) {
    emit_error(c, r.req_id, 321,
               "Error validating request.-'bP' : cause - Historical data query duration '" +
                   r.duration_str + "' is invalid (expected e.g. '30 D', '1 Y')");
    return;
  }
  Date end = sim_date();
  if (auto t = parse_ib_time(r.end_date_time)) {
    const Date requested = Date::from_serial(static_cast<int>(*t / 86400));
    if (requested < end) end = requested;  // never data from after the simulated date
  }
  const auto bars = data_.bars(inst, end, count);
  if (bars.empty()) {
    emit_error(c, r.req_id, 162,
               "Historical Market Data Service error message:HMDS query returned no data: " +
                   inst.contract.symbol + "@" + inst.contract.exchange + " " + r.what_to_show);
    return;
  }
  tws::HistoricalData h;
  h.req_id = r.req_id;
  h.start_date = yyyymmdd(bars.front().date) + " 00:00:00";
  h.end_date = yyyymmdd(end) + " 23:59:59";
  for (const auto& b : bars) {
    tws::Bar w;
    w.date = r.format_date == 2
                 ? std::to_string(static_cast<std::int64_t>(b.date.serial()) * 86400)
                 : yyyymmdd(b.date);
    w.open = b.open;
    w.high = b.high;
    w.low = b.low;
    w.close = b.close;
    w.volume = b.volume;
    w.wap = std::round((b.high + b.low + b.close) / 3.0 * 10000.0) / 10000.0;
    w.bar_count = 1;
    h.bars.push_back(w);
  }
  emit(c, h);
}

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

void Simulator::fire(const TriggerEvent& ev, Conn* c, SimOrder*, bool* drop_flag, bool* lose,
                     std::optional<std::pair<int, std::string>>* reject) {
  for (const FaultAction& a : faults_.on_event(ev)) {
    log(std::string("ibsim: fault (line ") + std::to_string(a.line) + "): " + to_string(ev.kind) +
        " -> " + to_string(a.kind));
    apply_action(a, c, drop_flag, lose, reject);
  }
}

void Simulator::apply_action(const FaultAction& a, Conn* c, bool* drop_flag, bool* lose,
                             std::optional<std::pair<int, std::string>>* reject) {
  switch (a.kind) {
    case ActionKind::kDrop:
      if (a.int_arg("lose", 0) != 0 && lose) {
        *lose = true;
      } else if (drop_flag) {
        *drop_flag = true;
      } else if (c) {
        drop(c->id);
      }
      break;
    case ActionKind::kConnectivityLost:
      connectivity_lost(a.int_arg("restore", 1102), a.double_arg("after", 5.0));
      break;
    case ActionKind::kRestart: {
      const int rollback = a.int_arg("rollback", 0);
      const double down = a.double_arg("down", 0.0);
      schedule(0.0, [this, rollback, down] { restart(rollback, down); });
      break;
    }
    case ActionKind::kFillOpenOrders:
      fill_open_orders();
      break;
    case ActionKind::kSuppressStatus:
      suppress_status_ += a.int_arg("count", 1);
      break;
    case ActionKind::kReject:
      if (reject) {
        *reject = std::make_pair(a.int_arg("code", 201),
                                 a.str_arg("text", "Order rejected - reason:ibsim fault script"));
      }
      break;
    case ActionKind::kCompetingSession: {
      const double d = a.double_arg("duration", 0.0);
      if (d <= 0) {
        competing_forever_ = true;
      } else {
        competing_until_ = clock_.steady_now() +
                           duration_cast<steady_clock::duration>(duration<double>(d));
      }
      break;
    }
    case ActionKind::kDelay:
      current_delay_s_ = a.double_arg("seconds", 0.0);
      break;
    case ActionKind::kError: {
      const int code = a.int_arg("code", 0);
      const std::string text = a.str_arg("text", "ibsim fault script error");
      const int id = a.int_arg("id", -1);
      if (c) {
        emit_error(*c, id, code, text);
      } else {
        for (auto& [cid, conn] : conns_) {
          if (!conn->dead && conn->started) emit_error(*conn, id, code, text);
        }
      }
      break;
    }
  }
}

void Simulator::connectivity_lost(int restore_code, double after_s) {
  if (connectivity_lost_) return;
  connectivity_lost_ = true;
  for (auto& [id, c] : conns_) {
    if (c->dead || !c->started) continue;
    emit_error(*c, -1, 2103, "Market data farm connection is broken:usfarm");
    emit_error(*c, -1, 2105, "HMDS data farm connection is broken:ushmds");
    emit_error(*c, -1, 1100, "Connectivity between IBKR and Trader Workstation has been lost.");
  }
  schedule(after_s, [this, restore_code] {
    connectivity_lost_ = false;
    for (auto& [id, c] : conns_) {
      if (c->dead || !c->started) continue;
      emit_error(*c, -1, 2104, "Market data farm connection is OK:usfarm");
      emit_error(*c, -1, 2106, "HMDS data farm connection is OK:ushmds");
      if (restore_code == 1101) {
        c->mkt_subs.clear();  // subscriptions did not survive: the client must resubscribe
        emit_error(*c, -1, 1101,
                   "Connectivity between IBKR and Trader Workstation has been restored - data lost.");
      } else {
        emit_error(*c, -1, 1102,
                   "Connectivity between IBKR and Trader Workstation has been restored - data "
                   "maintained. All data farms are connected: usfarm; ushmds; secdefil.");
      }
    }
    auto held = std::move(held_fills_);
    held_fills_.clear();
    for (std::int64_t perm : held) check_marketable(perm);
  });
}

void Simulator::restart(int rollback, double down_s) {
  log("ibsim: fault: nightly restart (order-id rollback " + std::to_string(rollback) + ", down " +
      std::to_string(down_s) + " s)");
  std::vector<ConnId> ids;
  for (auto& [id, c] : conns_) {
    if (!c->dead) ids.push_back(id);
  }
  for (ConnId id : ids) drop(id);
  reap();
  persist();
  if (!config_.state_dir.empty()) {
    auto loaded = load_state(config_.state_dir);
    if (loaded && *loaded) state_ = std::move(**loaded);
  }
  for (auto& [client, next] : state_.next_order_id) next = std::max(1, next - rollback);
  persist();
  if (down_s > 0) {
    down_until_ = clock_.steady_now() + duration_cast<steady_clock::duration>(duration<double>(down_s));
  }
}

void Simulator::fill_open_orders() {
  std::vector<std::int64_t> perms;
  for (const auto& o : state_.orders) {
    if (o.is_open()) perms.push_back(o.perm_id);
  }
  for (std::int64_t perm : perms) {
    SimOrder* o = find_by_perm(perm);
    if (!o || !o->is_open()) continue;
    double px = 0;
    if (auto m = marketable_price(*o)) {
      px = *m;
    } else if (o->lmt_price) {
      px = *o->lmt_price;  // the market came to the limit while the client was away
    } else {
      continue;  // no price at all
    }
    execute(*o, o->remaining(), px);
  }
}

// ---------------------------------------------------------------------------------------------
// Simulated time
// ---------------------------------------------------------------------------------------------

void Simulator::check_day() {
  const Date d = sim_date();
  if (d == last_day_) return;
  const Date old = last_day_;
  last_day_ = d;
  on_day_change(old, d);
}

void Simulator::on_day_change(Date old_day, Date new_day) {
  log("ibsim: simulated date " + old_day.iso() + " -> " + new_day.iso());
  if (new_day > old_day) {
    // DAY orders expire at the end of their day.
    for (auto& o : state_.orders) {
      if (o.is_open() && o.tif == "DAY" && o.placed_date < new_day.iso()) cancel_order(o, "");
    }
    // GTC limit orders (and market orders without a price so far) trade against the new bar.
    std::vector<std::int64_t> perms;
    for (const auto& o : state_.orders) {
      if (o.is_open()) perms.push_back(o.perm_id);
    }
    for (std::int64_t perm : perms) {
      SimOrder* o = find_by_perm(perm);
      if (!o || filling_.count(perm)) continue;
      const SimInstrument* inst = catalog_.by_con_id(o->contract.con_id);
      if (!inst) continue;
      auto bar = data_.bar_on_or_before(*inst, new_day);
      if (!bar || bar->date <= old_day) continue;
      if (o->order_type == "MKT") {
        schedule_fills(perm, bar->open);
      } else if (o->lmt_price && o->is_buy() && bar->low <= *o->lmt_price) {
        schedule_fills(perm, std::min(bar->open, *o->lmt_price));
      } else if (o->lmt_price && !o->is_buy() && bar->high >= *o->lmt_price) {
        schedule_fills(perm, std::max(bar->open, *o->lmt_price));
      }
    }
  }
  persist();
  TriggerEvent ev{TriggerKind::kDate};
  ev.date = new_day;
  fire(ev, nullptr, nullptr, nullptr, nullptr, nullptr);
}

// ---------------------------------------------------------------------------------------------
// Control
// ---------------------------------------------------------------------------------------------

std::string Simulator::control(std::string_view command) {
  std::istringstream in{std::string(command)};
  std::string verb;
  in >> verb;
  std::string rest;
  std::getline(in, rest);
  if (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
  std::string reply;
  if (verb == "time") {
    reply = "ok " + to_iso(sim_now());
  } else if (verb == "date") {
    auto d = Date::parse(rest);
    if (!d) return "error: " + d.error().message;
    if (*d < sim_date()) return "error: the simulated date cannot go backwards (now " + sim_date().iso() + ")";
    set_sim_time(Timestamp(d->sys_days()) + hours(14) + minutes(30));
    reply = "ok " + to_iso(sim_now());
  } else if (verb == "advance") {
    if (rest.empty()) return "error: advance needs a duration such as 1d, 3h, 10m, 30s";
    char unit = rest.back();
    const double n = std::strtod(rest.c_str(), nullptr);
    double secs = n;
    if (unit == 'd') secs = n * 86400;
    else if (unit == 'h') secs = n * 3600;
    else if (unit == 'm') secs = n * 60;
    else if (unit != 's' && !std::isdigit(static_cast<unsigned char>(unit))) {
      return "error: unknown unit in `" + rest + "` (use d, h, m or s)";
    }
    if (secs < 0) return "error: time only moves forward";
    set_sim_time(sim_now() + duration_cast<microseconds>(duration<double>(secs)));
    reply = "ok " + to_iso(sim_now());
  } else if (verb == "status") {
    int open = 0;
    for (const auto& o : state_.orders) open += o.is_open() ? 1 : 0;
    nlohmann::json j{{"sim_time", to_iso(sim_now())},
                     {"connections", conns_.size()},
                     {"orders", state_.orders.size()},
                     {"open_orders", open},
                     {"executions", state_.executions.size()},
                     {"positions", state_.positions.size()},
                     {"connectivity_lost", connectivity_lost_}};
    nlohmann::json ids = nlohmann::json::object();
    for (const auto& [client, next] : state_.next_order_id) ids[std::to_string(client)] = next;
    j["next_order_id"] = ids;
    reply = "ok " + j.dump();
  } else if (verb == "save") {
    persist();
    reply = "ok";
  } else if (verb == "fault") {
    auto script = parse_fault_script(rest, "control");
    if (!script) return "error: " + script.error().message;
    faults_.add(*script);
    reply = "ok " + std::to_string(script->rules.size()) + " rule(s) added";
  } else if (verb == "now") {
    // Apply an action immediately: "now connectivity_lost restore=1101 after=5".
    auto script = parse_fault_script("connect -> " + rest, "control");
    if (!script) return "error: " + script.error().message;
    apply_action(script->rules.front().action, nullptr, nullptr, nullptr, nullptr);
    reply = "ok";
  } else {
    return "error: unknown command `" + verb +
           "` (time, date YYYY-MM-DD, advance 1d|3h|10m|30s, status, save, fault <rule>, now <action>)";
  }
  reap();
  return reply;
}

}  // namespace af::ibsim
