// tools/ibsim/simulator.hpp — the IB Gateway simulator's core: protocol sessions, the paper
// account, order matching with partial fills, pacing and scripted faults. No sockets here.
//
// The network layer (server.hpp, or a test) feeds raw bytes per connection and carries out what
// the simulator asks through `Transport` (send bytes, close). Time comes from an injected
// af::Clock: only steady_now() is read; the simulated wall clock is derived from it plus offsets
// set by control commands. Work that happens "later" (partial fills, delayed replies, the
// restoration after 1100, the end of a restart) is queued with a due time and run by poll(), so a
// test drives everything with a ManualClock and never sleeps.
//
//   Simulator sim(config, clock, catalog, market_data, FaultEngine(script), transport);
//   ConnId c = sim.on_accept();
//   sim.on_bytes(c, bytes);      // handshake, then frames
//   sim.poll();                  // runs due work (fills ...)
//
// Thread-safety: single-threaded; every call from the thread that owns the io_context.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "broker/tws/codec.hpp"
#include "broker/tws/messages.hpp"
#include "core/clock.hpp"
#include "faults.hpp"
#include "instruments.hpp"
#include "market_data.hpp"
#include "sim_pacing.hpp"
#include "sim_state.hpp"

namespace af::ibsim {

using ConnId = std::uint64_t;

// What the simulator needs from the network layer.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual void send(ConnId conn, std::string bytes) = 0;
  // Closes the connection (the simulator already forgot it; do not call on_closed for it).
  virtual void close(ConnId conn) = 0;
};

struct SimConfig {
  std::filesystem::path state_dir;      // empty: no persistence (tests)
  std::string account = "DU1234567";
  std::optional<Date> start_date;       // --date; default: stored date, else the data's last date
  int fill_chunks = 1;                  // executions per order (>1: partial fills)
  double fill_interval_s = 0.0;         // steady seconds between partial fills
  bool pacing = true;                   // error 100 / 162 enforcement
  int max_messages_per_second = 50;
  double initial_cash_usd = 1'000'000.0;
  std::function<void(const std::string&)> log;  // operator log lines (stderr in ibsim); may be empty
};

class Simulator {
 public:
  Simulator(SimConfig config, const Clock& clock, InstrumentCatalog catalog, MarketData data,
            FaultEngine faults, Transport& transport);

  // Loads persisted state (if config.state_dir has one). Call once before serving.
  Status start();

  ConnId on_accept();
  void on_bytes(ConnId conn, std::string_view bytes);
  void on_closed(ConnId conn);  // the peer closed the socket
  void poll();                  // runs every piece of work that is due
  std::optional<SteadyTime> next_deadline() const;

  // Control commands (the control port and tests): "date YYYY-MM-DD", "advance 1d|3h|10m|30s",
  // "time", "status", "restart [rollback=N] [down=S]", "fault <rule line>", "save".
  // Returns a one-line reply ("ok ...", or "error: ...").
  std::string control(std::string_view command);

  const SimState& state() const { return state_; }
  Timestamp sim_now() const;
  Date sim_date() const { return Date::from_timestamp(sim_now()); }
  std::size_t connection_count() const { return conns_.size(); }
  const InstrumentCatalog& catalog() const { return catalog_; }

 private:
  struct Subscription {
    int ticker_id = 0;
    std::int64_t con_id = 0;
  };
  struct Conn {
    ConnId id = 0;
    tws::FrameReader reader;
    bool hello_done = false;
    bool started = false;
    int client_id = -1;
    int messages = 0;           // client frames after the hello
    int market_data_type = 1;
    bool account_updates = false;
    MessageRateMeter rate{50};
    HistoricalPacing hist;
    std::map<int, Subscription> mkt_subs;  // tickerId -> subscription
    bool dead = false;          // dropped; erased by reap()
  };
  struct Task {
    SteadyTime due;
    std::uint64_t seq;
    std::function<void()> fn;
  };

  // Protocol handling.
  void handle_frame(Conn& c, std::string_view payload);
  void handle_request(Conn& c, const tws::Request& req);
  void on_start_api(Conn& c, const tws::StartApi& r);
  void on_place_order(Conn& c, const tws::PlaceOrder& r);
  void on_cancel_order(Conn& c, const tws::CancelOrder& r);
  void on_global_cancel(Conn& c);
  void on_open_orders(Conn& c, bool all);
  void on_executions(Conn& c, const tws::ReqExecutions& r);
  void on_positions(Conn& c);
  void on_account_summary(Conn& c, const tws::ReqAccountSummary& r);
  void on_account_updates(Conn& c, const tws::ReqAccountUpdates& r);
  void on_contract_details(Conn& c, const tws::ReqContractDetails& r);
  void on_mkt_data(Conn& c, const tws::ReqMktData& r);
  void on_historical(Conn& c, const tws::ReqHistoricalData& r);

  // Orders and fills.
  void accept_order(Conn* c, SimOrder order, bool ack);
  void check_marketable(std::int64_t perm_id);
  void schedule_fills(std::int64_t perm_id, double price);
  void fill_chunk(std::int64_t perm_id, double price, int chunks_left);
  void execute(SimOrder& o, double qty, double price);
  void cancel_order(SimOrder& o, const std::string& reason);
  void reject_order(Conn* c, int order_id, int code, const std::string& text);
  std::optional<double> marketable_price(const SimOrder& o) const;
  void send_order_ack(SimOrder& o);
  void send_open_order(Conn& c, const SimOrder& o);
  void send_order_status(Conn& c, const SimOrder& o);
  void send_execution(Conn& c, int req_id, const SimExecution& e);
  void send_portfolio_update(Conn& c, const SimPosition& p);
  void send_account_values(Conn& c);
  SimOrder* find_by_perm(std::int64_t perm_id);

  // Faults.
  void fire(const TriggerEvent& ev, Conn* c, SimOrder* order, bool* drop, bool* lose,
            std::optional<std::pair<int, std::string>>* reject);
  void apply_action(const FaultAction& a, Conn* c, bool* drop, bool* lose,
                    std::optional<std::pair<int, std::string>>* reject);
  void connectivity_lost(int restore_code, double after_s);
  void restart(int rollback, double down_s);
  void fill_open_orders();

  // Time.
  void on_day_change(Date old_day, Date new_day);
  void check_day();
  void set_sim_time(Timestamp t);

  // Output.
  void emit(Conn& c, const tws::IncomingMessage& m);
  void emit_to_client(int client_id, const tws::IncomingMessage& m);
  void emit_error(Conn& c, int id, int code, const std::string& text);
  void drop(ConnId id);
  void reap();
  void log(const std::string& line) const;
  void schedule(double delay_s, std::function<void()> fn);
  void persist();

  // Conversions.
  tws::Contract wire_contract(const SimContract& c, bool primary_instead_of_exchange = false) const;
  SimContract sim_contract(const tws::Contract& c) const;
  double fx_to_usd(const std::string& ccy) const;
  double position_value_usd(const SimPosition& p) const;
  double mark_price(const SimContract& c) const;
  std::string exec_time_text(Timestamp t) const;
  Conn* conn_of_client(int client_id);
  double commission_for(const SimOrder& o, double qty, double price) const;

  SimConfig config_;
  const Clock& clock_;
  InstrumentCatalog catalog_;
  MarketData data_;
  FaultEngine faults_;
  Transport& transport_;
  SimState state_;
  std::map<ConnId, std::unique_ptr<Conn>> conns_;
  ConnId next_conn_ = 1;
  std::vector<Task> tasks_;
  std::uint64_t task_seq_ = 0;
  // Simulated time = sim_base_ + (steady_now - steady_base_).
  Timestamp sim_base_{};
  SteadyTime steady_base_{};
  Date last_day_{};
  // Fault state.
  double current_delay_s_ = 0.0;          // delay applied to replies of the request in progress
  int suppress_status_ = 0;               // orderStatus messages still to swallow
  bool connectivity_lost_ = false;
  std::vector<std::int64_t> held_fills_;  // orders whose fills wait for connectivity
  std::optional<SteadyTime> competing_until_;
  bool competing_forever_ = false;
  std::optional<SteadyTime> down_until_;  // restart in progress: refuse connections
  int connects_ = 0;
  std::set<std::int64_t> filling_;        // orders with fills scheduled
};

}  // namespace af::ibsim
