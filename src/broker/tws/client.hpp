// broker/tws/client.hpp — the TWS API socket client (Boost.Asio, one owner thread).
//
// What it does (tws-protocol.md §1, §6-§9; SYSTEM.md §4 Connection):
//   * connect -> "API\0v178" hello -> server hello -> startApi -> READY once BOTH managedAccounts
//     and nextValidId arrived (authenticated, not just the port open). Requests issued before
//     readiness are queued, then sent.
//   * every outgoing message passes ONE pacing gate (45 msg / rolling second) and historical
//     requests also the HistoricalPacer (§7); nothing bypasses it.
//   * requests are matched to responses by reqId (or by kind for positions, open orders, current
//     time) with timeouts (RequestTracker).
//   * the error-code policy of §6 (error_policy.hpp): 1100/2110 stop trading, 1101 marks market
//     data lost (resubscribe + resync), 1102 resumes, 326 retries with the next client id,
//     10197 flags a competing session, informational codes are logged at info level, order
//     errors are routed to the order.
//   * heartbeat: reqCurrentTime every heartbeat_interval; a missing answer within
//     heartbeat_timeout drops the connection (a stalled socket is a failure); the answer gives
//     the gateway clock offset.
//   * reconnect with exponential backoff + jitter (reconnect.hpp). After a drop, NOTHING queued or
//     in flight is resent: requests fail with kUnavailable, and an order whose outcome is unknown
//     is resolved by the caller through open orders / executions by orderRef (SYSTEM.md §4).
//   * disconnect() is intentional: no reconnect, reported with intentional = true (no alert).
//   * broker order ids from OrderIdAllocator: max(nextValidId, persisted high-water + 1).
//
// Event loop: the caller's thread owns the client and drives it: poll() (non-blocking),
// run_one_for() (waits for I/O up to a real duration) or run_until(). Time (timeouts,
// heartbeat, backoff, pacing) comes from the injected af::Clock's steady time, so a test with a
// ManualClock steps time by hand; with a ManualClock, set_idle_hook() lets run_until advance it.
// Thread-safety: none. All methods and all observer callbacks run on the owner thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "broker/tws/client_requests.hpp"
#include "broker/tws/client_timers.hpp"
#include "broker/tws/codec.hpp"
#include "broker/tws/error_policy.hpp"
#include "broker/tws/messages.hpp"
#include "broker/tws/order_ids.hpp"
#include "broker/tws/pacing.hpp"
#include "broker/tws/reconnect.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

namespace af::tws {

enum class SessionState {
  kIdle,                 // never connected
  kConnecting,           // TCP connect in progress
  kHandshake,            // hello sent, waiting for the server hello
  kAwaitingReady,        // startApi sent, waiting for managedAccounts + nextValidId
  kReady,                // API ready
  kWaitingToReconnect,   // dropped; a reconnect is scheduled
  kClosed,               // disconnected on purpose, or gave up
};
std::string_view to_string(SessionState state) noexcept;

struct ClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4002;
  int client_id = 1;
  int max_client_id_retries = 3;     // on 326: client_id + 1, at most this many times
  std::chrono::milliseconds connect_timeout{15000};   // TCP + handshake + readiness
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds heartbeat_interval{10000};
  std::chrono::milliseconds heartbeat_timeout{30000};
  bool auto_reconnect = true;
  Backoff::Options backoff{};
  std::uint64_t jitter_seed = 0x5eed;
  MessageRateLimiter::Options rate{};
  HistoricalPacer::Options historical{};
  std::chrono::milliseconds io_wait_slice{20};  // real wait per run_until iteration
  // First id used for reqIds/tickerIds; kept far above order ids so that an ERR_MSG id names
  // either a request or an order, never both.
  int first_request_id = 100'000'000;
};

// Everything an operator or `gateway check` wants to know about the session.
struct ConnectionStatus {
  SessionState state = SessionState::kIdle;
  bool ready = false;               // managedAccounts AND nextValidId received this session
  bool connectivity_lost = false;   // between 1100/2110 and 1101/1102
  bool market_data_lost = false;    // 1101 seen; cleared by acknowledge_resubscribed()
  bool competing_session = false;   // 10197 seen this session
  int server_version = 0;
  std::string connection_time;      // as the gateway sent it
  std::vector<std::string> accounts;
  int client_id = 0;                // the id in use (may differ from options after 326)
  std::optional<OrderId> next_valid_id;  // as the gateway sent it
  std::optional<double> clock_offset_seconds;  // gateway clock - our clock (1 s resolution)
  int reconnect_attempts = 0;       // consecutive failed attempts
  int sessions = 0;                 // how many times the client became ready
  std::string last_error;

  bool trading_allowed() const noexcept {
    return state == SessionState::kReady && ready && !connectivity_lost;
  }
};

class ClientObserver {
 public:
  virtual ~ClientObserver() = default;
  virtual void on_ready(const ConnectionStatus& status) {}
  // The socket closed. intentional = disconnect() was called (not a failure, no alert).
  virtual void on_disconnected(const std::string& reason, bool intentional, bool will_reconnect) {}
  // 1100/2110/1101/1102/10197/326/100 — the status already reflects the change.
  virtual void on_connection_event(ConnectionEffect effect, const ErrorMsg& error) {}
  // Every ERR_MSG with its policy. `order_related` = the id is one of our order ids.
  virtual void on_error(const ErrorMsg& error, const ErrorPolicy& policy, bool order_related) {}
  // Every decoded incoming message (after the client's own handling).
  virtual void on_message(const IncomingMessage& message) {}
};

class Client {
 public:
  using MessageHandler = std::function<void(const IncomingMessage&)>;
  using Completion = RequestTracker::Completion;
  using LogSink = std::function<void(ErrorSeverity, const std::string&)>;

  Client(boost::asio::io_context& io, const Clock& clock, OrderIdStore& order_id_store,
         ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void set_observer(ClientObserver* observer) { observer_ = observer; }
  // Log sink (default: spdlog at the severity's level). Informational codes go out as kInfo.
  void set_log_sink(LogSink sink) { log_ = std::move(sink); }
  // Called by run_until when an iteration found nothing to do (tests: advance a ManualClock).
  void set_idle_hook(std::function<void()> hook) { idle_hook_ = std::move(hook); }

  // Starts connecting (asynchronous; progress happens in the event loop).
  void connect();
  // Intentional disconnect: closes the socket, fails open requests, no reconnect, no alert.
  void disconnect(const std::string& reason = "disconnect requested");

  // ---- event loop (owner thread) ----
  // Runs ready I/O handlers, due timers, request timeouts and the send queue; never blocks.
  std::size_t poll();
  // Waits up to `max_wait` (real time) for one I/O event, then does poll().
  std::size_t run_one_for(std::chrono::milliseconds max_wait);
  // Loops until done() is true (returns true) or `timeout` passed on the injected clock (false).
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

  // ---- sending (all paced) ----
  // Queues a fire-and-forget message (reqMarketDataType, cancels ...). kUnavailable when closed.
  Status send(Request request);
  // Queues a request that expects an answer: every message routed to `key` goes to on_message;
  // the end marker completes it with ok, a failing ERR_MSG or a timeout with an error.
  // Historical requests (ReqHistoricalData) also pass the HistoricalPacer.
  Status request(RequestKey key, Request request, std::string what, MessageHandler on_message,
                 Completion on_done, std::optional<std::chrono::milliseconds> timeout = {});
  int next_request_id() { return next_request_id_++; }

  // Places (or, with an existing id, modifies) an order. Refused (kUnavailable) unless
  // trading is allowed. The id comes from the allocator (persisted first). The message is
  // queued once and NEVER resent by the client.
  Result<OrderId> place_order(const Contract& contract, const Order& order);
  Status modify_order(OrderId id, const Contract& contract, const Order& order);
  Status cancel_order(OrderId id);
  Status global_cancel();

  // After a 1101 the owner re-subscribed market data and re-synced orders.
  void acknowledge_resubscribed() { status_.market_data_lost = false; }

  const ConnectionStatus& status() const noexcept { return status_; }
  const ClientOptions& options() const noexcept { return options_; }
  OrderIdAllocator& order_ids() noexcept { return order_ids_; }
  const Clock& clock() const noexcept { return clock_; }
  // Messages written to the socket this process (for tests and metrics).
  std::uint64_t messages_sent() const noexcept { return messages_sent_; }
  // Order ids whose placeOrder was handed to the socket (never resent).
  const std::set<OrderId>& orders_sent() const noexcept { return orders_sent_; }

 private:
  struct Outgoing {
    std::string frame;
    bool is_place_order = false;
    OrderId order_id = 0;
    std::optional<RequestKey> key;   // request whose deadline starts when it is written
    std::optional<HistoricalRequestKey> historical;
    bool is_current_time = false;    // its write time starts the clock-offset measurement
  };

  void start_connect();
  void on_connected();
  void start_read();
  void handle_bytes(std::size_t n);
  void handle_payload(std::string_view payload);
  void handle_message(const IncomingMessage& message);
  void handle_error_msg(const ErrorMsg& error);
  void route(RequestKey key, const IncomingMessage& message, bool is_end);
  void check_ready();
  void connection_failed(const std::string& reason);
  void drop_session(const Error& why);
  std::size_t process_time();
  void schedule_pacing_wakeup(std::chrono::steady_clock::time_point at);
  void close_socket();
  void schedule_reconnect(std::chrono::milliseconds delay);
  void enqueue(Outgoing out);
  void flush();
  void start_write();
  void schedule_heartbeat();
  void send_heartbeat();
  void log(ErrorSeverity severity, const std::string& message);
  Status ensure_open(const char* what) const;
  std::chrono::steady_clock::time_point steady_now() const { return clock_.steady_now(); }

  boost::asio::io_context& io_;
  const Clock& clock_;
  ClientOptions options_;
  OrderIdAllocator order_ids_;
  std::unique_ptr<boost::asio::ip::tcp::socket> socket_;
  std::unique_ptr<boost::asio::ip::tcp::resolver> resolver_;
  // Incremented on every new socket: handlers of an older socket see a stale generation and
  // do nothing (a late completion of a closed socket must not touch the new session).
  std::uint64_t generation_ = 0;
  FrameReader reader_;
  std::array<char, 64 * 1024> read_buffer_{};
  std::deque<Outgoing> queue_;         // waiting for readiness or for the pacing gate
  std::deque<Outgoing> historical_wait_;  // waiting for the HistoricalPacer
  std::string out_pending_;            // paced bytes waiting for the current write to finish
  std::string write_buffer_;           // being written
  bool writing_ = false;
  MessageRateLimiter rate_;
  HistoricalPacer historical_;
  Backoff backoff_;
  TimerQueue timers_;
  RequestTracker requests_;
  std::map<RequestKey, MessageHandler> handlers_;
  std::map<RequestKey, std::chrono::milliseconds> request_timeouts_;
  std::map<RequestKey, bool> historical_keys_;   // keys that hold a HistoricalPacer slot
  std::optional<TimerQueue::TimerId> connect_timer_;
  std::optional<TimerQueue::TimerId> heartbeat_timer_;
  std::optional<TimerQueue::TimerId> reconnect_timer_;
  std::optional<TimerQueue::TimerId> pacing_timer_;
  std::chrono::steady_clock::time_point pacing_deadline_{};
  std::optional<std::chrono::steady_clock::time_point> heartbeat_sent_at_;
  bool seen_accounts_ = false;
  bool seen_next_valid_id_ = false;
  int client_id_retries_ = 0;
  bool intentional_close_ = false;
  bool give_up_ = false;              // retrying cannot help (version mismatch, ids exhausted)
  std::uint64_t io_events_ = 0;       // socket completions seen (idle detection)
  std::shared_ptr<int> life_;         // handlers hold a weak_ptr: no callback after destruction
  std::set<OrderId> session_orders_;  // order ids known this process (ours or reported)
  std::set<OrderId> orders_sent_;
  int next_request_id_;
  std::uint64_t messages_sent_ = 0;
  ConnectionStatus status_;
  ClientObserver* observer_ = nullptr;
  LogSink log_;
  std::function<void()> idle_hook_;
};

}  // namespace af::tws
