#include "broker/tws/client.hpp"

#include <algorithm>
#include <climits>
#include <string>
#include <type_traits>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace af::tws {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string contract_key(const Contract& c) {
  if (c.con_id && *c.con_id != 0) return "conid:" + std::to_string(*c.con_id);
  return fmt::format("{}/{}/{}/{}/{}/{}", c.symbol, c.sec_type, c.last_trade_date_or_contract_month,
                     c.strike.value_or(0.0), c.right, c.currency);
}

}  // namespace

std::string_view to_string(SessionState state) noexcept {
  switch (state) {
    case SessionState::kIdle: return "idle";
    case SessionState::kConnecting: return "connecting";
    case SessionState::kHandshake: return "handshake";
    case SessionState::kAwaitingReady: return "awaiting_ready";
    case SessionState::kReady: return "ready";
    case SessionState::kWaitingToReconnect: return "waiting_to_reconnect";
    case SessionState::kClosed: return "closed";
  }
  return "?";
}


Client::Client(boost::asio::io_context& io, const Clock& clock, OrderIdStore& order_id_store,
               ClientOptions options)
    : io_(io),
      clock_(clock),
      options_(std::move(options)),
      order_ids_(order_id_store),
      rate_(options_.rate),
      historical_(options_.historical),
      backoff_(options_.backoff, options_.jitter_seed),
      next_request_id_(options_.first_request_id) {
  status_.client_id = options_.client_id;
  life_ = std::make_shared<int>(0);
  log_ = [](ErrorSeverity severity, const std::string& message) {
    switch (severity) {
      case ErrorSeverity::kInfo: spdlog::info("tws: {}", message); break;
      case ErrorSeverity::kWarning: spdlog::warn("tws: {}", message); break;
      case ErrorSeverity::kError: spdlog::error("tws: {}", message); break;
    }
  };
}

Client::~Client() {
  life_.reset();
  ++generation_;
  if (socket_) {
    boost::system::error_code ignored;
    socket_->close(ignored);
  }
}

void Client::log(ErrorSeverity severity, const std::string& message) {
  if (log_) log_(severity, message);
}

// ---------------------------------------------------------------------------------------------
// Connection lifecycle
// ---------------------------------------------------------------------------------------------

void Client::connect() {
  switch (status_.state) {
    case SessionState::kConnecting:
    case SessionState::kHandshake:
    case SessionState::kAwaitingReady:
    case SessionState::kReady: return;
    default: break;
  }
  intentional_close_ = false;
  if (reconnect_timer_) timers_.cancel(*reconnect_timer_);
  reconnect_timer_.reset();
  start_connect();
}

void Client::start_connect() {
  close_socket();
  const std::uint64_t gen = generation_;
  std::weak_ptr<int> alive = life_;
  socket_ = std::make_unique<boost::asio::ip::tcp::socket>(io_);
  resolver_ = std::make_unique<boost::asio::ip::tcp::resolver>(io_);
  reader_ = FrameReader{};
  seen_accounts_ = false;
  seen_next_valid_id_ = false;
  status_.ready = false;
  status_.connectivity_lost = false;
  status_.competing_session = false;
  status_.accounts.clear();
  status_.next_valid_id.reset();
  status_.client_id = options_.client_id + client_id_retries_;
  status_.state = SessionState::kConnecting;

  connect_timer_ = timers_.schedule_at(steady_now() + options_.connect_timeout, [this, gen] {
    connect_timer_.reset();
    if (gen != generation_ || status_.state == SessionState::kReady) return;
    connection_failed(fmt::format(
        "gateway {}:{} did not complete the API handshake within {} s (state {}); is the API "
        "enabled, the client id free and the gateway logged in?",
        options_.host, options_.port, options_.connect_timeout.count() / 1000.0,
        to_string(status_.state)));
  });

  resolver_->async_resolve(
      options_.host, std::to_string(options_.port),
      [this, gen, alive](const boost::system::error_code& ec,
                         boost::asio::ip::tcp::resolver::results_type results) {
        if (alive.expired() || gen != generation_) return;
        ++io_events_;
        if (ec) {
          connection_failed(fmt::format("cannot resolve gateway host {}: {}", options_.host,
                                        ec.message()));
          return;
        }
        boost::asio::async_connect(
            *socket_, results,
            [this, gen, alive](const boost::system::error_code& ec2,
                               const boost::asio::ip::tcp::endpoint&) {
              if (alive.expired() || gen != generation_) return;
              ++io_events_;
              if (ec2) {
                connection_failed(fmt::format(
                    "cannot connect to gateway {}:{}: {}; is IB Gateway/TWS (or ibsim) running "
                    "with the API port open?",
                    options_.host, options_.port, ec2.message()));
                return;
              }
              on_connected();
            });
      });
}

void Client::on_connected() {
  boost::system::error_code ignored;
  socket_->set_option(boost::asio::ip::tcp::no_delay(true), ignored);
  status_.state = SessionState::kHandshake;
  // We speak exactly one protocol level (the codec's); advertise v178..178.
  out_pending_ += encode_client_hello(ClientHello{kServerVersion, kServerVersion, ""});
  start_write();
  start_read();
}

void Client::close_socket() {
  ++generation_;
  writing_ = false;
  write_buffer_.clear();
  out_pending_.clear();
  if (resolver_) resolver_->cancel();
  if (socket_) {
    boost::system::error_code ignored;
    socket_->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    socket_->close(ignored);
  }
  if (connect_timer_) timers_.cancel(*connect_timer_);
  connect_timer_.reset();
  if (heartbeat_timer_) timers_.cancel(*heartbeat_timer_);
  heartbeat_timer_.reset();
  if (pacing_timer_) timers_.cancel(*pacing_timer_);
  pacing_timer_.reset();
  heartbeat_sent_at_.reset();
}

void Client::drop_session(const Error& why) {
  status_.ready = false;
  order_ids_.on_disconnect();
  // Nothing queued survives a session: requests fail, orders not yet written were not sent.
  queue_.clear();
  historical_wait_.clear();
  requests_.fail_all(why);
}

void Client::connection_failed(const std::string& reason) {
  if (status_.state == SessionState::kClosed || status_.state == SessionState::kWaitingToReconnect) {
    return;  // already handled
  }
  const bool was_ready = status_.state == SessionState::kReady;
  status_.last_error = reason;
  close_socket();
  drop_session(Error{ErrorCode::kUnavailable,
                     "connection to the gateway lost (" + reason +
                         "); not resent — resolve unknown orders by orderRef"});
  const bool will_reconnect = options_.auto_reconnect && !intentional_close_ && !give_up_;
  if (will_reconnect) {
    const auto delay = backoff_.next_delay();
    status_.reconnect_attempts = backoff_.attempts();
    status_.state = SessionState::kWaitingToReconnect;
    log(was_ready || backoff_.should_alert() ? ErrorSeverity::kError : ErrorSeverity::kWarning,
        fmt::format("{}; reconnect attempt {} in {} ms", reason, backoff_.attempts(),
                    delay.count()));
    schedule_reconnect(delay);
  } else {
    status_.state = SessionState::kClosed;
    log(ErrorSeverity::kError, fmt::format("{}; not reconnecting", reason));
  }
  if (observer_) observer_->on_disconnected(reason, false, will_reconnect);
}

void Client::schedule_reconnect(std::chrono::milliseconds delay) {
  reconnect_timer_ = timers_.schedule_at(steady_now() + delay, [this] {
    reconnect_timer_.reset();
    if (status_.state != SessionState::kWaitingToReconnect) return;
    start_connect();
  });
}

void Client::disconnect(const std::string& reason) {
  intentional_close_ = true;
  if (reconnect_timer_) timers_.cancel(*reconnect_timer_);
  reconnect_timer_.reset();
  if (status_.state == SessionState::kClosed || status_.state == SessionState::kIdle) {
    status_.state = SessionState::kClosed;
    return;
  }
  close_socket();
  status_.state = SessionState::kClosed;
  drop_session(Error{ErrorCode::kUnavailable, "disconnected on purpose (" + reason + ")"});
  log(ErrorSeverity::kInfo, "disconnected: " + reason);
  if (observer_) observer_->on_disconnected(reason, true, false);
}

void Client::check_ready() {
  if (status_.state != SessionState::kAwaitingReady) return;
  if (!seen_accounts_ || !seen_next_valid_id_ || !order_ids_.ready()) return;
  status_.state = SessionState::kReady;
  status_.ready = true;
  status_.reconnect_attempts = 0;
  ++status_.sessions;
  if (connect_timer_) timers_.cancel(*connect_timer_);
  connect_timer_.reset();
  backoff_.reset();
  std::string accounts;
  for (const auto& a : status_.accounts) accounts += (accounts.empty() ? "" : ",") + a;
  log(ErrorSeverity::kInfo,
      fmt::format("API ready: server version {}, client id {}, accounts {}, next order id {}",
                  status_.server_version, status_.client_id, accounts,
                  order_ids_.peek().value_or(0)));
  schedule_heartbeat();
  if (observer_) observer_->on_ready(status_);
  flush();
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

void Client::start_read() {
  const std::uint64_t gen = generation_;
  std::weak_ptr<int> alive = life_;
  socket_->async_read_some(
      boost::asio::buffer(read_buffer_),
      [this, gen, alive](const boost::system::error_code& ec, std::size_t n) {
        if (alive.expired() || gen != generation_) return;
        ++io_events_;
        if (ec) {
          connection_failed(ec == boost::asio::error::eof
                                ? std::string("the gateway closed the connection")
                                : "socket read failed: " + ec.message());
          return;
        }
        handle_bytes(n);
        if (gen == generation_) start_read();
      });
}

void Client::handle_bytes(std::size_t n) {
  const std::uint64_t gen = generation_;
  reader_.append(std::string_view(read_buffer_.data(), n));
  while (gen == generation_) {
    auto frame = reader_.next_frame();
    if (!frame) {
      connection_failed("protocol error in the byte stream: " + frame.error().message);
      return;
    }
    if (!frame->has_value()) return;
    // The view is invalidated by the next next_frame(); decode before asking for more.
    handle_payload(**frame);
  }
}

void Client::handle_payload(std::string_view payload) {
  if (status_.state == SessionState::kHandshake) {
    auto hello = decode_server_hello(payload);
    if (!hello) {
      connection_failed("bad server hello: " + hello.error().message);
      return;
    }
    if (hello->server_version != kServerVersion) {
      give_up_ = true;  // retrying cannot help: the gateway speaks another version
      connection_failed(fmt::format(
          "gateway negotiated server version {}, this client speaks only {}; upgrade the gateway",
          hello->server_version, kServerVersion));
      return;
    }
    status_.server_version = hello->server_version;
    status_.connection_time = hello->connection_time;
    status_.state = SessionState::kAwaitingReady;
    // startApi is the first message of the session: it counts against the rate, but is never
    // held back behind requests queued for readiness.
    (void)rate_.try_acquire(steady_now());
    out_pending_ += encode(Request{StartApi{status_.client_id, ""}});
    ++messages_sent_;
    start_write();
    return;
  }
  auto message = decode_incoming(payload);
  if (!message) {
    // The frame length delimited it, so the stream stays aligned: log and skip this message.
    log(ErrorSeverity::kError, "undecodable message skipped: " + message.error().message);
    return;
  }
  handle_message(*message);
}

void Client::route(RequestKey key, const IncomingMessage& message, bool is_end) {
  if (auto it = handlers_.find(key); it != handlers_.end() && it->second) it->second(message);
  if (is_end) requests_.complete(key, ok_status());
}

void Client::handle_message(const IncomingMessage& message) {
  const std::uint64_t gen = generation_;
  std::visit(
      Overloaded{
          [&](const ManagedAccounts& m) {
            status_.accounts = split_account_list(m.accounts_list);
            seen_accounts_ = !status_.accounts.empty();
            check_ready();
          },
          [&](const NextValidId& m) {
            status_.next_valid_id = m.order_id;
            auto ok = order_ids_.on_next_valid_id(m.order_id);
            if (!ok) {
              status_.last_error = ok.error().message;
              log(ErrorSeverity::kError, ok.error().message + "; orders are blocked");
            } else {
              seen_next_valid_id_ = true;
            }
            route(UnkeyedRequest::kNextValidId, message, true);
            check_ready();
          },
          [&](const ErrorMsg& m) { handle_error_msg(m); },
          [&](const CurrentTime& m) {
            if (heartbeat_sent_at_) {
              const auto rtt = steady_now() - *heartbeat_sent_at_;
              const auto local_mid =
                  clock_.now() - std::chrono::duration_cast<std::chrono::microseconds>(rtt / 2);
              const double local_s =
                  std::chrono::duration<double>(local_mid.time_since_epoch()).count();
              status_.clock_offset_seconds = static_cast<double>(m.time) - local_s;
              heartbeat_sent_at_.reset();
            }
            route(UnkeyedRequest::kCurrentTime, message, true);
          },
          [&](const Position&) { route(UnkeyedRequest::kPositions, message, false); },
          [&](const PositionEnd&) { route(UnkeyedRequest::kPositions, message, true); },
          [&](const OpenOrder& m) {
            session_orders_.insert(m.order_id);
            route(UnkeyedRequest::kOpenOrders, message, false);
          },
          [&](const OrderStatus&) { route(UnkeyedRequest::kOpenOrders, message, false); },
          [&](const OpenOrderEnd&) { route(UnkeyedRequest::kOpenOrders, message, true); },
          [&](const CompletedOrdersEnd&) {
            route(UnkeyedRequest::kCompletedOrders, message, true);
          },
          [&](const ContractDetailsMsg& m) { route(RequestKey(m.req_id), message, false); },
          [&](const ContractDetailsEnd& m) { route(RequestKey(m.req_id), message, true); },
          [&](const ExecDetails& m) {
            if (m.req_id >= 0) route(RequestKey(m.req_id), message, false);
          },
          [&](const ExecDetailsEnd& m) { route(RequestKey(m.req_id), message, true); },
          [&](const AccountSummary& m) { route(RequestKey(m.req_id), message, false); },
          [&](const AccountSummaryEnd& m) { route(RequestKey(m.req_id), message, true); },
          [&](const HistoricalData& m) { route(RequestKey(m.req_id), message, true); },
          [&](const TickPrice& m) { route(RequestKey(m.ticker_id), message, false); },
          [&](const TickSize& m) { route(RequestKey(m.ticker_id), message, false); },
          [&](const TickString& m) { route(RequestKey(m.ticker_id), message, false); },
          [&](const TickGeneric& m) { route(RequestKey(m.ticker_id), message, false); },
          [&](const TickReqParams& m) { route(RequestKey(m.ticker_id), message, false); },
          [&](const MarketDataType& m) { route(RequestKey(m.req_id), message, false); },
          [&](const TickSnapshotEnd& m) { route(RequestKey(m.ticker_id), message, true); },
          [&](const UnknownMessage& m) {
            log(ErrorSeverity::kInfo, fmt::format("skipped unmodelled message id {}", m.msg_id));
          },
          [&](const auto&) {},
      },
      message);
  if (observer_ && gen == generation_) observer_->on_message(message);
}

void Client::handle_error_msg(const ErrorMsg& e) {
  const ErrorPolicy policy = error_policy(e.code);
  const bool order_related = e.id >= 0 && session_orders_.count(e.id) > 0;
  log(policy.severity, fmt::format("IB {} {} (id {}): {} — {}", to_string(policy.severity), e.code,
                                   e.id, e.message, policy.meaning));
  switch (policy.connection) {
    case ConnectionEffect::kConnectivityLost:
      status_.connectivity_lost = true;
      break;
    case ConnectionEffect::kRestoredDataLost:
      status_.connectivity_lost = false;
      status_.market_data_lost = true;
      break;
    case ConnectionEffect::kRestoredDataKept:
      status_.connectivity_lost = false;
      break;
    case ConnectionEffect::kCompetingSession:
      status_.competing_session = true;
      break;
    case ConnectionEffect::kClientIdInUse:
    case ConnectionEffect::kSocketReset:
    case ConnectionEffect::kRateViolation:
    case ConnectionEffect::kNone:
      break;
  }
  if (policy.connection != ConnectionEffect::kNone && observer_) {
    observer_->on_connection_event(policy.connection, e);
  }
  if (!order_related && e.id >= 0 && policy.request == RequestEffect::kFailed &&
      requests_.is_open(RequestKey(e.id))) {
    requests_.complete(RequestKey(e.id),
                       Error{e.code == 200 ? ErrorCode::kNotFound : ErrorCode::kUnavailable,
                             fmt::format("IB error {}: {} ({})", e.code, e.message, policy.meaning)});
  }
  if (observer_) observer_->on_error(e, policy, order_related);

  if (policy.connection == ConnectionEffect::kClientIdInUse) {
    // The gateway closes the socket; do not wait for it. Next attempt uses the next id.
    if (client_id_retries_ < options_.max_client_id_retries) {
      ++client_id_retries_;
    } else {
      give_up_ = true;
    }
    connection_failed(fmt::format("client id {} is already in use at the gateway (326)",
                                  status_.client_id));
  } else if (policy.connection == ConnectionEffect::kSocketReset) {
    connection_failed("the gateway reset its API socket (1300)");
  }
}

// ---------------------------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------------------------

Status Client::ensure_open(const char* what) const {
  switch (status_.state) {
    case SessionState::kConnecting:
    case SessionState::kHandshake:
    case SessionState::kAwaitingReady:
    case SessionState::kReady: return ok_status();
    default:
      return Error{ErrorCode::kUnavailable,
                   fmt::format("{}: not connected to the gateway (state {}); nothing sent", what,
                               to_string(status_.state))};
  }
}

void Client::enqueue(Outgoing out) {
  queue_.push_back(std::move(out));
  flush();
}

Status Client::send(Request request) {
  AF_RETURN_IF_ERROR(ensure_open(message_name(request)));
  Outgoing out;
  out.frame = encode(request);
  out.is_current_time = std::holds_alternative<ReqCurrentTime>(request);
  enqueue(std::move(out));
  return ok_status();
}

Status Client::request(RequestKey key, Request request, std::string what, MessageHandler on_message,
                       Completion on_done, std::optional<std::chrono::milliseconds> timeout) {
  AF_RETURN_IF_ERROR(ensure_open(message_name(request)));
  const auto wait = timeout.value_or(options_.request_timeout);
  Completion wrapped = [this, key, on_done = std::move(on_done)](Status status) {
    handlers_.erase(key);
    request_timeouts_.erase(key);
    if (historical_keys_.erase(key) > 0) historical_.finished();
    auto same_key = [key](const Outgoing& o) { return o.key && *o.key == key; };
    std::erase_if(queue_, same_key);
    std::erase_if(historical_wait_, same_key);
    if (on_done) on_done(std::move(status));
  };
  AF_RETURN_IF_ERROR(requests_.open(key, std::move(what), steady_now() + wait, std::move(wrapped)));
  handlers_[key] = std::move(on_message);
  request_timeouts_[key] = wait;
  Outgoing out;
  out.frame = encode(request);
  out.key = key;
  out.is_current_time = std::holds_alternative<ReqCurrentTime>(request);
  if (const auto* h = std::get_if<ReqHistoricalData>(&request)) {
    out.historical = HistoricalRequestKey{contract_key(h->contract),   h->contract.exchange,
                                          h->what_to_show,            h->end_date_time,
                                          h->duration_str,            h->bar_size_setting,
                                          h->use_rth};
    historical_wait_.push_back(std::move(out));
    flush();
  } else {
    enqueue(std::move(out));
  }
  return ok_status();
}

Result<OrderId> Client::place_order(const Contract& contract, const Order& order) {
  if (!status_.trading_allowed()) {
    return Error{ErrorCode::kUnavailable,
                 fmt::format("order {} not sent: trading is not allowed now (state {}, "
                             "connectivity {}); retry after the gateway is ready",
                             order.order_ref, to_string(status_.state),
                             status_.connectivity_lost ? "lost" : "ok")};
  }
  AF_ASSIGN_OR_RETURN(OrderId id, order_ids_.allocate());
  if (id > INT_MAX) {
    return Error{ErrorCode::kInternal, "order id above the protocol's 32-bit range; reset ids in "
                                       "the gateway and the store"};
  }
  session_orders_.insert(id);
  Outgoing out;
  out.frame = encode(Request{PlaceOrder{static_cast<int>(id), contract, order}});
  out.is_place_order = true;
  out.order_id = id;
  enqueue(std::move(out));
  return id;
}

Status Client::modify_order(OrderId id, const Contract& contract, const Order& order) {
  if (!status_.trading_allowed()) {
    return Error{ErrorCode::kUnavailable,
                 fmt::format("modify of order {} not sent: trading is not allowed now", id)};
  }
  if (session_orders_.count(id) == 0) {
    return Error{ErrorCode::kNotFound,
                 fmt::format("modify of order {}: not an order of this client; refresh open "
                             "orders first",
                             id)};
  }
  Outgoing out;
  out.frame = encode(Request{PlaceOrder{static_cast<int>(id), contract, order}});
  enqueue(std::move(out));
  return ok_status();
}

Status Client::cancel_order(OrderId id) {
  AF_RETURN_IF_ERROR(ensure_open("cancelOrder"));
  Outgoing out;
  out.frame = encode(Request{CancelOrder{static_cast<int>(id), ""}});
  enqueue(std::move(out));
  return ok_status();
}

Status Client::global_cancel() { return send(ReqGlobalCancel{}); }

void Client::schedule_pacing_wakeup(std::chrono::steady_clock::time_point at) {
  if (pacing_timer_ && pacing_deadline_ <= at) return;
  if (pacing_timer_) timers_.cancel(*pacing_timer_);
  pacing_deadline_ = at;
  pacing_timer_ = timers_.schedule_at(at, [this] {
    pacing_timer_.reset();
    flush();
  });
}

void Client::flush() {
  if (status_.state != SessionState::kReady || !socket_) return;
  const auto now = steady_now();
  // Historical requests that the pacer allows now join the main queue (in arrival order per
  // contract; a blocked one does not hold back others).
  for (auto it = historical_wait_.begin(); it != historical_wait_.end();) {
    if (!historical_.at_open_limit() && historical_.try_start(*it->historical, now)) {
      historical_keys_[*it->key] = true;
      queue_.push_back(std::move(*it));
      it = historical_wait_.erase(it);
    } else {
      if (!historical_.at_open_limit()) {
        schedule_pacing_wakeup(historical_.earliest_start(*it->historical, now));
      }
      ++it;
    }
  }
  while (!queue_.empty()) {
    if (!rate_.try_acquire(now)) {
      schedule_pacing_wakeup(rate_.next_available(now));
      break;
    }
    Outgoing out = std::move(queue_.front());
    queue_.pop_front();
    if (out.is_place_order) orders_sent_.insert(out.order_id);
    if (out.is_current_time) heartbeat_sent_at_ = now;
    if (out.key) {
      if (auto it = request_timeouts_.find(*out.key); it != request_timeouts_.end()) {
        requests_.rearm(*out.key, now + it->second);
      }
    }
    out_pending_ += out.frame;
    ++messages_sent_;
  }
  start_write();
}

void Client::start_write() {
  if (writing_ || out_pending_.empty() || !socket_) return;
  writing_ = true;
  write_buffer_ = std::move(out_pending_);
  out_pending_.clear();
  const std::uint64_t gen = generation_;
  std::weak_ptr<int> alive = life_;
  boost::asio::async_write(*socket_, boost::asio::buffer(write_buffer_),
                           [this, gen, alive](const boost::system::error_code& ec, std::size_t) {
                             if (alive.expired() || gen != generation_) return;
                             ++io_events_;
                             writing_ = false;
                             if (ec) {
                               connection_failed("socket write failed: " + ec.message());
                               return;
                             }
                             start_write();
                           });
}

// ---------------------------------------------------------------------------------------------
// Heartbeat
// ---------------------------------------------------------------------------------------------

void Client::schedule_heartbeat() {
  if (options_.heartbeat_interval.count() <= 0) return;
  if (heartbeat_timer_) timers_.cancel(*heartbeat_timer_);
  heartbeat_timer_ = timers_.schedule_at(steady_now() + options_.heartbeat_interval, [this] {
    heartbeat_timer_.reset();
    send_heartbeat();
    schedule_heartbeat();
  });
}

void Client::send_heartbeat() {
  if (status_.state != SessionState::kReady) return;
  if (requests_.is_open(UnkeyedRequest::kCurrentTime)) return;  // one in flight is enough
  const std::uint64_t gen = generation_;
  auto ok = request(
      UnkeyedRequest::kCurrentTime, ReqCurrentTime{}, "heartbeat reqCurrentTime", {},
      [this, gen](Status status) {
        if (!status && status.error().code == ErrorCode::kTimeout && gen == generation_) {
          connection_failed(fmt::format(
              "heartbeat: no answer to reqCurrentTime within {} s; the connection is stalled",
              options_.heartbeat_timeout.count() / 1000.0));
        }
      },
      options_.heartbeat_timeout);
  if (!ok) log(ErrorSeverity::kWarning, "heartbeat not sent: " + ok.error().message);
}

// ---------------------------------------------------------------------------------------------
// Event loop
// ---------------------------------------------------------------------------------------------

std::size_t Client::process_time() {
  const auto now = steady_now();
  std::size_t n = timers_.fire_due(now);
  n += requests_.expire(steady_now());
  flush();
  return n;
}

std::size_t Client::poll() {
  if (io_.stopped()) io_.restart();
  std::size_t n = io_.poll();
  n += process_time();
  return n;
}

std::size_t Client::run_one_for(std::chrono::milliseconds max_wait) {
  if (io_.stopped()) io_.restart();
  // A wake-up timer bounds the wait even when no socket operation is pending.
  boost::asio::steady_timer wake(io_);
  wake.expires_after(max_wait);
  wake.async_wait([](const boost::system::error_code&) {});
  std::size_t n = io_.run_one_for(max_wait);
  wake.cancel();
  n += poll();
  return n;
}

bool Client::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = steady_now() + timeout;
  poll();
  while (!done()) {
    if (steady_now() >= deadline) return false;
    const std::uint64_t before = io_events_;
    run_one_for(options_.io_wait_slice);
    if (io_events_ == before && idle_hook_ && !done()) idle_hook_();
  }
  return true;
}

}  // namespace af::tws
