#include "broker/tws/ib_broker.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include "broker/tws/contract_builder.hpp"

namespace af::tws {
namespace {

using execution::BrokerOrderStatus;
using execution::OrderSide;

std::optional<double> parse_double(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<config::SecType> parse_sec_type(const std::string& s) {
  if (s == "STK") return config::SecType::kStk;
  if (s == "FUT") return config::SecType::kFut;
  if (s == "CASH") return config::SecType::kCash;
  if (s == "OPT") return config::SecType::kOpt;
  if (s == "IND") return config::SecType::kInd;
  return std::nullopt;
}

std::string yyyymmdd(Date d) { return fmt::format("{:04d}{:02d}{:02d}", d.year(), d.month(), d.day()); }

}  // namespace

std::optional<Timestamp> parse_ib_time(const std::string& raw) {
  std::string text = raw;
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.empty()) return std::nullopt;
  // Epoch seconds (formatDate=2, currentTime).
  if (text.find_first_not_of("0123456789") == std::string::npos && text.size() > 8) {
    return Timestamp{std::chrono::seconds{std::stoll(text)}};
  }
  if (text.size() < 8) return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%4d%2d%2d", &y, &m, &d) != 3) return std::nullopt;
  const auto ymd = date::year{y} / date::month{static_cast<unsigned>(m)} /
                   date::day{static_cast<unsigned>(d)};
  if (!ymd.ok()) return std::nullopt;
  std::size_t pos = 8;
  int hh = 0, mm = 0, ss = 0;
  std::string zone;
  if (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '-')) ++pos;  // " ", "  ", "-"
    if (std::sscanf(text.c_str() + pos, "%2d:%2d:%2d", &hh, &mm, &ss) != 3) return std::nullopt;
    pos += 8;
    while (pos < text.size() && text[pos] == ' ') ++pos;
    zone = text.substr(pos);
  }
  const auto local = date::local_days{ymd} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
                     std::chrono::seconds{ss};
  if (zone.empty() || zone == "UTC" || zone == "GMT" || zone == "Etc/UTC") {
    return Timestamp{std::chrono::duration_cast<std::chrono::microseconds>(
        local.time_since_epoch())};
  }
  try {
    const auto* tz = date::locate_zone(zone);
    const auto sys = tz->to_sys(local, date::choose::earliest);
    return std::chrono::time_point_cast<std::chrono::microseconds>(sys);
  } catch (const std::exception&) {
    return std::nullopt;  // unknown zone abbreviation: refuse to guess
  }
}

IbBroker::IbBroker(Client& client, const config::InstrumentUniverse& instruments, Options options)
    : client_(client), instruments_(instruments), options_(std::move(options)) {
  client_.set_observer(this);
}

IbBroker::~IbBroker() { client_.set_observer(nullptr); }

Date IbBroker::today() const { return Date::from_timestamp(client_.clock().now()); }

Status IbBroker::call(RequestKey key, Request request, std::string what,
                      Client::MessageHandler on_message) {
  std::optional<Status> outcome;
  AF_RETURN_IF_ERROR(client_.request(
      key, std::move(request), what, std::move(on_message),
      [&outcome](Status s) { outcome = std::move(s); }, options_.call_timeout));
  // The request itself has a timeout on the same clock; the margin only guards a lost completion.
  client_.run_until([&] { return outcome.has_value(); },
                    options_.call_timeout + std::chrono::seconds{1});
  if (!outcome) {
    return Error{ErrorCode::kTimeout, what + ": no answer from the gateway in time"};
  }
  return *outcome;
}

Result<const config::Instrument*> IbBroker::instrument(const InstrumentId& id) const {
  const auto* inst = instruments_.find(id);
  if (!inst) {
    return Error{ErrorCode::kNotFound,
                 "instrument " + id.str() + " is not in instruments.yaml; add it or fix the id"};
  }
  return inst;
}

InstrumentId IbBroker::map_instrument(const Contract& c) const {
  // Qualified contracts first (exact conId), then the universe's reverse mapping.
  if (c.con_id && *c.con_id != 0) {
    for (const auto& [id, q] : qualified_) {
      if (q.con_id == *c.con_id) return id;
    }
  }
  const auto sec_type = parse_sec_type(c.sec_type);
  auto currency = parse_currency(c.currency);
  if (!sec_type || !currency) return InstrumentId{};
  const auto* inst = instruments_.find_by_broker(c.symbol, *sec_type, *currency, c.primary_exchange);
  return inst ? inst->id : InstrumentId{};
}

execution::BrokerContract IbBroker::to_broker_contract(const Contract& c,
                                                       const config::Instrument* inst) const {
  execution::BrokerContract b;
  b.con_id = c.con_id.value_or(0);
  b.symbol = c.symbol;
  b.sec_type = c.sec_type;
  b.exchange = c.exchange;
  b.primary_exchange = c.primary_exchange;
  b.currency = c.currency;
  b.local_symbol = c.local_symbol;
  b.trading_class = c.trading_class;
  b.expiry = c.last_trade_date_or_contract_month;
  b.strike = c.strike.value_or(0.0);
  if (c.right == "C" || c.right == "CALL") b.right = execution::OptionRight::kCall;
  if (c.right == "P" || c.right == "PUT") b.right = execution::OptionRight::kPut;
  b.multiplier = parse_double(c.multiplier).value_or(1.0);
  if (inst) {
    b.price_unit = inst->contract.price_unit;
    b.min_tick = inst->contract.tick_size;
    if (c.multiplier.empty()) b.multiplier = inst->contract.multiplier;
  } else if (auto cur = parse_currency(c.currency)) {
    b.price_unit = QuoteUnit::major(*cur);
  }
  return b;
}

execution::BrokerOrder IbBroker::to_broker_order(const OpenOrder& o) const {
  execution::BrokerOrder b;
  b.broker_order_id = o.order_id;
  b.perm_id = o.order.perm_id.value_or(0);
  b.client_order_id = o.order.order_ref;
  b.account = o.order.account;
  b.instrument = map_instrument(o.contract);
  const auto* inst = instruments_.find(b.instrument);
  b.contract = to_broker_contract(o.contract, inst);
  b.side = o.order.action == "BUY" ? OrderSide::kBuy : OrderSide::kSell;
  b.quantity = o.order.total_quantity.value_or(0.0);
  b.remaining = b.quantity;
  b.type = o.order.order_type == "MKT" ? execution::OrderType::kMarket : execution::OrderType::kLimit;
  if (o.order.lmt_price && b.type == execution::OrderType::kLimit) {
    b.limit_price = Price{*o.order.lmt_price, b.contract.price_unit};
  }
  b.status = execution::parse_broker_order_status(o.order_state.status);
  return b;
}

execution::BrokerExecution IbBroker::to_broker_execution(const ExecDetails& e) const {
  execution::BrokerExecution x;
  x.exec_id = e.execution.exec_id;
  x.broker_order_id = e.execution.order_id;
  x.perm_id = e.execution.perm_id;
  x.client_order_id = e.execution.order_ref;
  x.account = e.execution.acct_number;
  x.instrument = map_instrument(e.contract);
  const auto* inst = instruments_.find(x.instrument);
  x.contract = to_broker_contract(e.contract, inst);
  x.side = e.execution.side == "BOT" ? OrderSide::kBuy : OrderSide::kSell;
  x.quantity = e.execution.shares.value_or(0.0);
  x.price = Price{e.execution.price, x.contract.price_unit};
  x.time = parse_ib_time(e.execution.time).value_or(Timestamp{});
  x.venue = e.execution.exchange;
  if (auto it = commissions_.find(x.exec_id); it != commissions_.end()) x.commission = it->second;
  return x;
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

Result<execution::AccountValues> IbBroker::account_values(const std::string& account) {
  std::string wanted = account;
  if (wanted.empty()) {
    if (client_.status().accounts.empty()) {
      return Error{ErrorCode::kUnavailable, "account values: no managed account known (not connected?)"};
    }
    wanted = client_.status().accounts.front();
  }
  execution::AccountValues values;
  values.account = wanted;
  std::map<Currency, Money> ledger_cash, total_cash;
  const int req_id = client_.next_request_id();
  auto status = call(
      RequestKey(req_id),
      ReqAccountSummary{req_id, "All", "NetLiquidation,TotalCashValue,$LEDGER:ALL"},
      "reqAccountSummary " + wanted, [&](const IncomingMessage& m) {
        const auto* s = std::get_if<AccountSummary>(&m);
        if (!s || s->account != wanted) return;
        const auto value = parse_double(s->value);
        const auto currency = parse_currency(s->currency);  // "BASE" rows are skipped
        if (!value || !currency) return;
        if (s->tag == "NetLiquidation") values.net_liquidation = Money{*value, *currency};
        if (s->tag == "CashBalance") ledger_cash[*currency] = Money{*value, *currency};
        if (s->tag == "TotalCashValue") total_cash[*currency] = Money{*value, *currency};
      });
  (void)client_.send(CancelAccountSummary{req_id});  // stop the 3-minute updates
  if (!status) return status.error().with_context("account values");
  // Per-currency ledger balances when the gateway reports them; else the base-currency total.
  values.cash_by_currency = ledger_cash.empty() ? total_cash : ledger_cash;
  if (!values.net_liquidation) {
    return Error{ErrorCode::kDataQuality,
                 "account values: the gateway reported no NetLiquidation for account " + wanted};
  }
  return values;
}

Result<std::vector<execution::BrokerPosition>> IbBroker::positions() {
  std::vector<execution::BrokerPosition> out;
  auto status = call(UnkeyedRequest::kPositions, ReqPositions{}, "reqPositions",
                     [&](const IncomingMessage& m) {
                       const auto* p = std::get_if<Position>(&m);
                       if (!p) return;
                       execution::BrokerPosition bp;
                       bp.account = p->account;
                       bp.instrument = map_instrument(p->contract);
                       bp.contract =
                           to_broker_contract(p->contract, instruments_.find(bp.instrument));
                       bp.quantity = p->position.value_or(0.0);
                       const auto cur = parse_currency(p->contract.currency);
                       bp.average_cost = Money{p->avg_cost, cur ? *cur : Currency::USD};
                       out.push_back(std::move(bp));
                     });
  (void)client_.send(CancelPositions{});
  if (!status) return status.error().with_context("positions");
  // reqPositions reports closed positions as 0 too; they are not holdings.
  std::erase_if(out, [](const auto& p) { return p.quantity == 0.0; });
  return out;
}

Result<std::vector<execution::BrokerOrder>> IbBroker::open_orders() {
  std::map<OrderId, execution::BrokerOrder> found;
  auto status = call(UnkeyedRequest::kOpenOrders, ReqOpenOrders{}, "reqOpenOrders",
                     [&](const IncomingMessage& m) {
                       if (const auto* o = std::get_if<OpenOrder>(&m)) {
                         auto b = to_broker_order(*o);
                         auto& slot = found[o->order_id];
                         const double filled = slot.filled;
                         slot = b;
                         slot.filled = filled;
                         slot.remaining = b.quantity - filled;
                       } else if (const auto* s = std::get_if<OrderStatus>(&m)) {
                         if (auto it = found.find(s->order_id); it != found.end()) {
                           it->second.status = execution::parse_broker_order_status(s->status);
                           it->second.filled = s->filled.value_or(0.0);
                           it->second.remaining = s->remaining.value_or(0.0);
                           it->second.why_held = s->why_held;
                         }
                       }
                     });
  if (!status) return status.error().with_context("open orders");
  std::vector<execution::BrokerOrder> out;
  for (auto& [id, order] : found) {
    if (execution::is_terminal(order.status)) continue;
    orders_[id] = order;
    out.push_back(order);
  }
  return out;
}

Result<std::optional<execution::BrokerOrder>> IbBroker::find_open_order(
    std::string_view client_order_id) {
  AF_ASSIGN_OR_RETURN(auto orders, open_orders());
  for (auto& o : orders) {
    if (o.client_order_id == client_order_id) return std::optional<execution::BrokerOrder>(o);
  }
  return std::optional<execution::BrokerOrder>{};
}

Result<std::vector<execution::BrokerExecution>> IbBroker::executions_since(Timestamp since) {
  // No time filter on the wire: its zone semantics depend on the gateway's settings. The gateway
  // returns at most the current session; we filter by parsed execution time here.
  std::map<std::string, ExecDetails> by_exec_id;
  const int req_id = client_.next_request_id();
  auto status = call(RequestKey(req_id), ReqExecutions{req_id, ExecutionFilter{}},
                     "reqExecutions", [&](const IncomingMessage& m) {
                       if (const auto* e = std::get_if<ExecDetails>(&m)) {
                         by_exec_id[e->execution.exec_id] = *e;  // a repeat replaces
                       }
                     });
  if (!status) return status.error().with_context("executions");
  // Commission reports follow their executions; give any still in the socket a chance to land.
  client_.poll();
  std::vector<execution::BrokerExecution> out;
  for (const auto& [exec_id, e] : by_exec_id) {
    auto x = to_broker_execution(e);
    if (x.time == Timestamp{} || x.time >= since) out.push_back(std::move(x));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.time < b.time; });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------

Result<double> IbBroker::to_wire_price(const Price& price, QuoteUnit wire_unit) {
  if (price.unit.currency() != wire_unit.currency()) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("price in {} cannot be sent for a contract quoted in {}: convert "
                             "with FX first",
                             price.unit.code(), wire_unit.code())};
  }
  return wire_unit.from_currency_units(price.unit.to_currency_units(price.value));
}

Result<Contract> IbBroker::contract_for(const config::Instrument& inst,
                                        const execution::OrderRequest* request) {
  if (inst.contract.sec_type == config::SecType::kOpt) {
    if (!request || !request->option_expiry || !request->option_strike || !request->option_right) {
      return Error{ErrorCode::kInvalidArgument,
                   "instrument " + inst.id.str() + ": option orders need expiry, strike and right"};
    }
    return build_option_contract(inst, *request->option_expiry, *request->option_strike,
                                 *request->option_right == execution::OptionRight::kCall
                                     ? config::OptionRight::kCall
                                     : config::OptionRight::kPut);
  }
  if (auto it = qualified_ib_.find(inst.id); it != qualified_ib_.end()) return it->second;
  return build_contract(inst, today());
}

Result<Order> IbBroker::ib_order(const config::Instrument& inst,
                                 const execution::OrderRequest& request) const {
  if (request.client_order_id.empty()) {
    return Error{ErrorCode::kInvalidArgument, "order without a client order id (orderRef)"};
  }
  if (!(request.quantity > 0.0)) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("order {}: quantity must be positive, got {}",
                             request.client_order_id, request.quantity)};
  }
  Order o;
  o.action = request.side == OrderSide::kBuy ? "BUY" : "SELL";
  o.total_quantity = request.quantity;
  o.order_ref = request.client_order_id;
  o.account = request.account;
  o.transmit = true;
  o.outside_rth = request.outside_regular_hours;
  switch (request.tif) {
    case execution::TimeInForce::kDay: o.tif = "DAY"; break;
    case execution::TimeInForce::kGtc: o.tif = "GTC"; break;
    case execution::TimeInForce::kIoc: o.tif = "IOC"; break;
  }
  if (request.type == execution::OrderType::kMarket) {
    o.order_type = "MKT";
  } else {
    o.order_type = "LMT";
    if (!request.limit_price) {
      return Error{ErrorCode::kInvalidArgument,
                   "order " + request.client_order_id + ": a limit order needs a limit price"};
    }
    AF_ASSIGN_OR_RETURN(double wire, to_wire_price(*request.limit_price, inst.contract.price_unit));
    o.lmt_price = wire;
  }
  return o;
}

Result<execution::PlacedOrder> IbBroker::place_order(const execution::OrderRequest& request) {
  // An orderRef goes out at most once: a repeat is resolved at the broker, never resent.
  if (auto it = sent_refs_.find(request.client_order_id); it != sent_refs_.end()) {
    AF_ASSIGN_OR_RETURN(auto open, find_open_order(request.client_order_id));
    if (open) return execution::PlacedOrder{open->broker_order_id, request.client_order_id};
    AF_ASSIGN_OR_RETURN(auto fills, executions_since(Timestamp{}));
    for (const auto& f : fills) {
      if (f.client_order_id == request.client_order_id) {
        return execution::PlacedOrder{f.broker_order_id, request.client_order_id};
      }
    }
    return Error{ErrorCode::kRefused,
                 fmt::format("order {} (broker id {}) was already sent and is neither open nor "
                             "filled at the broker; not resent (its outcome is unknown): "
                             "reconcile, then retry under a new attempt id",
                             request.client_order_id, it->second)};
  }
  AF_ASSIGN_OR_RETURN(const config::Instrument* inst, instrument(request.instrument));
  if (!inst->tradeable) {
    return Error{ErrorCode::kRefused, "instrument " + inst->id.str() + " is not tradeable"};
  }
  AF_ASSIGN_OR_RETURN(Contract contract, contract_for(*inst, &request));
  AF_ASSIGN_OR_RETURN(Order order, ib_order(*inst, request));
  AF_ASSIGN_OR_RETURN(OrderId id, client_.place_order(contract, order));
  sent_refs_[request.client_order_id] = id;
  execution::BrokerOrder pending;
  pending.broker_order_id = id;
  pending.client_order_id = request.client_order_id;
  pending.instrument = inst->id;
  pending.side = request.side;
  pending.quantity = request.quantity;
  pending.remaining = request.quantity;
  pending.type = request.type;
  pending.limit_price = request.limit_price;
  pending.status = BrokerOrderStatus::kPendingSubmit;
  orders_[id] = pending;
  client_.poll();  // hand it to the socket now
  return execution::PlacedOrder{id, request.client_order_id};
}

Status IbBroker::modify_order(execution::BrokerOrderId id, const execution::OrderRequest& request) {
  AF_ASSIGN_OR_RETURN(const config::Instrument* inst, instrument(request.instrument));
  AF_ASSIGN_OR_RETURN(Contract contract, contract_for(*inst, &request));
  AF_ASSIGN_OR_RETURN(Order order, ib_order(*inst, request));
  AF_RETURN_IF_ERROR(client_.modify_order(id, contract, order));
  client_.poll();
  return ok_status();
}

Status IbBroker::cancel_order(execution::BrokerOrderId id) {
  AF_RETURN_IF_ERROR(client_.cancel_order(id));
  client_.poll();
  return ok_status();
}

Status IbBroker::cancel_all_orders() {
  AF_RETURN_IF_ERROR(client_.global_cancel());
  client_.poll();
  return ok_status();
}

// ---------------------------------------------------------------------------------------------
// Contracts and data
// ---------------------------------------------------------------------------------------------

Result<execution::BrokerContract> IbBroker::qualify(const InstrumentId& id) {
  if (auto it = qualified_.find(id); it != qualified_.end()) return it->second;
  AF_ASSIGN_OR_RETURN(const config::Instrument* inst, instrument(id));
  AF_ASSIGN_OR_RETURN(Contract wanted, contract_for(*inst, nullptr));
  std::vector<ContractDetails> found;
  const int req_id = client_.next_request_id();
  ReqContractDetails request;
  request.req_id = req_id;
  request.contract = wanted;
  auto status = call(RequestKey(req_id), request, "reqContractDetails " + id.str(),
                     [&](const IncomingMessage& m) {
                       if (const auto* d = std::get_if<ContractDetailsMsg>(&m)) {
                         found.push_back(d->details);
                       }
                     });
  if (!status) return status.error().with_context("qualify " + id.str());
  if (found.empty()) {
    return Error{ErrorCode::kNotFound, "qualify " + id.str() + ": the gateway knows no such contract; "
                                       "check symbol, exchange and currency in instruments.yaml"};
  }
  if (found.size() > 1) {
    std::string list;
    for (const auto& d : found) {
      list += fmt::format(" {}@{}({})", d.contract.local_symbol, d.contract.exchange,
                          d.contract.con_id.value_or(0));
    }
    return Error{ErrorCode::kConfig,
                 fmt::format("qualify {}: ambiguous, {} contracts match:{}; add primary exchange, "
                             "trading class or multiplier in instruments.yaml",
                             id.str(), found.size(), list)};
  }
  Contract ib = found.front().contract;
  // Keep our routing (SMART) and what the details may leave out.
  ib.exchange = wanted.exchange;
  if (ib.primary_exchange.empty()) ib.primary_exchange = wanted.primary_exchange;
  if (ib.currency.empty()) ib.currency = wanted.currency;
  auto b = to_broker_contract(ib, inst);
  if (found.front().min_tick > 0) b.min_tick = found.front().min_tick;
  qualified_[id] = b;
  qualified_ib_[id] = ib;
  return b;
}

Result<std::vector<execution::DailyBar>> IbBroker::daily_bars(const InstrumentId& id, Date end,
                                                              int sessions) {
  if (sessions <= 0) {
    return Error{ErrorCode::kInvalidArgument, "daily bars: sessions must be positive"};
  }
  AF_ASSIGN_OR_RETURN(const config::Instrument* inst, instrument(id));
  AF_ASSIGN_OR_RETURN(Contract contract, contract_for(*inst, nullptr));
  // Calendar days covering `sessions` trading days plus holidays; IB wants years above 365 days.
  const int days = sessions * 7 / 5 + 10;
  const std::string duration =
      days <= 365 ? fmt::format("{} D", days) : fmt::format("{} Y", (days + 364) / 365);
  ReqHistoricalData request;
  request.req_id = client_.next_request_id();
  request.contract = contract;
  request.end_date_time = yyyymmdd(end) + "-23:59:59";  // UTC form of endDateTime
  request.bar_size_setting = "1 day";
  request.duration_str = duration;
  request.use_rth = true;
  request.what_to_show =
      inst->contract.sec_type == config::SecType::kCash ? "MIDPOINT" : options_.bar_what_to_show;
  request.format_date = 1;
  std::vector<execution::DailyBar> bars;
  std::string bad_date;
  auto status = call(RequestKey(request.req_id), request, "reqHistoricalData " + id.str(),
                     [&](const IncomingMessage& m) {
                       const auto* h = std::get_if<HistoricalData>(&m);
                       if (!h) return;
                       for (const auto& bar : h->bars) {
                         const auto t = parse_ib_time(bar.date);
                         if (!t) {
                           bad_date = bar.date;
                           continue;
                         }
                         execution::DailyBar b;
                         b.date = Date::from_timestamp(*t);
                         b.open = bar.open;
                         b.high = bar.high;
                         b.low = bar.low;
                         b.close = bar.close;
                         b.volume = bar.volume.value_or(0.0);
                         b.unit = inst->contract.price_unit;
                         bars.push_back(b);
                       }
                     });
  if (!status) return status.error().with_context("daily bars " + id.str());
  if (!bad_date.empty()) {
    return Error{ErrorCode::kProtocol,
                 "daily bars " + id.str() + ": unparseable bar date '" + bad_date + "'"};
  }
  std::erase_if(bars, [&](const auto& b) { return b.date > end; });
  std::sort(bars.begin(), bars.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
  if (static_cast<int>(bars.size()) > sessions) {
    bars.erase(bars.begin(), bars.end() - sessions);
  }
  return bars;
}

Result<execution::PriceSnapshot> IbBroker::snapshot(const InstrumentId& id) {
  AF_ASSIGN_OR_RETURN(const config::Instrument* inst, instrument(id));
  AF_ASSIGN_OR_RETURN(Contract contract, contract_for(*inst, nullptr));
  const QuoteUnit unit = inst->contract.price_unit;
  execution::PriceSnapshot snap;
  snap.instrument = id;
  snap.time = client_.clock().now();
  ReqMktData request;
  request.ticker_id = client_.next_request_id();
  request.contract = contract;
  request.snapshot = true;
  auto status = call(RequestKey(request.ticker_id), request, "snapshot " + id.str(),
                     [&](const IncomingMessage& m) {
                       if (const auto* t = std::get_if<MarketDataType>(&m)) {
                         snap.data_type = static_cast<execution::MarketDataType>(t->market_data_type);
                       }
                       const auto* p = std::get_if<TickPrice>(&m);
                       if (!p || p->price <= 0.0) return;  // -1/0 = no data
                       const Price price{p->price, unit};
                       switch (p->tick_type) {
                         case 1: case 66: snap.bid = price; break;
                         case 2: case 67: snap.ask = price; break;
                         case 4: case 68: snap.last = price; break;
                         case 9: case 75: snap.close = price; break;
                         default: break;
                       }
                     });
  if (!status) return status.error().with_context("snapshot " + id.str());
  return snap;
}

Status IbBroker::set_market_data_type(execution::MarketDataType type) {
  AF_RETURN_IF_ERROR(client_.send(ReqMarketDataType{static_cast<int>(type)}));
  client_.poll();
  return ok_status();
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

void IbBroker::on_ready(const ConnectionStatus& status) {
  if (!listener_) return;
  listener_->on_trading_state(status.trading_allowed(), "gateway API ready");
  if (status.sessions > 1) {
    listener_->on_resync_required("reconnected to the gateway: reconcile positions, open orders "
                                  "and executions before placing orders");
  }
}

void IbBroker::on_disconnected(const std::string& reason, bool intentional, bool) {
  if (listener_) listener_->on_trading_state(false, intentional ? "disconnected on purpose" : reason);
}

void IbBroker::on_connection_event(ConnectionEffect effect, const ErrorMsg& error) {
  if (!listener_) return;
  switch (effect) {
    case ConnectionEffect::kConnectivityLost:
      listener_->on_trading_state(false, fmt::format("IB {}: {}", error.code, error.message));
      break;
    case ConnectionEffect::kRestoredDataLost:
    case ConnectionEffect::kRestoredDataKept:
      listener_->on_trading_state(client_.status().trading_allowed(),
                                  fmt::format("IB {}: {}", error.code, error.message));
      // Fills may have happened meanwhile (Lean-IB #249): always re-sync.
      listener_->on_resync_required(fmt::format("IB {}: connectivity restored", error.code));
      break;
    default: break;
  }
}

void IbBroker::on_error(const ErrorMsg& error, const ErrorPolicy& policy, bool order_related) {
  if (!order_related) return;
  auto it = orders_.find(error.id);
  if (it != orders_.end()) {
    if (policy.order == OrderEffect::kRejected) it->second.status = BrokerOrderStatus::kInactive;
    if (policy.order == OrderEffect::kCancelled) it->second.status = BrokerOrderStatus::kCancelled;
  }
  if (listener_) {
    listener_->on_order_error(error.id, error.code, error.message,
                              policy.order != OrderEffect::kRejected &&
                                  policy.order != OrderEffect::kCancelled);
  }
}

void IbBroker::on_message(const IncomingMessage& message) {
  if (const auto* o = std::get_if<OpenOrder>(&message)) {
    auto b = to_broker_order(*o);
    if (auto it = orders_.find(o->order_id); it != orders_.end()) {
      b.filled = it->second.filled;
      b.remaining = b.quantity - b.filled;
    }
    orders_[o->order_id] = b;
    if (listener_) listener_->on_order_update(b);
  } else if (const auto* s = std::get_if<OrderStatus>(&message)) {
    auto it = orders_.find(s->order_id);
    if (it == orders_.end()) return;  // not ours or not yet described by openOrder
    it->second.status = execution::parse_broker_order_status(s->status);
    it->second.filled = s->filled.value_or(it->second.filled);
    it->second.remaining = s->remaining.value_or(it->second.remaining);
    it->second.why_held = s->why_held;
    if (s->perm_id != 0) it->second.perm_id = s->perm_id;
    if (listener_) listener_->on_order_update(it->second);
  } else if (const auto* e = std::get_if<ExecDetails>(&message)) {
    if (e->req_id < 0 && listener_) listener_->on_execution(to_broker_execution(*e));
  } else if (const auto* c = std::get_if<CommissionReport>(&message)) {
    const auto cur = parse_currency(c->currency);
    if (!cur) return;
    const Money commission{c->commission, *cur};
    commissions_[c->exec_id] = commission;
    if (listener_) listener_->on_commission(c->exec_id, commission);
  }
}

}  // namespace af::tws
