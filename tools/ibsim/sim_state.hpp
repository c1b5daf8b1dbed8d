// tools/ibsim/sim_state.hpp — the simulated paper account: orders, executions, positions, cash,
// order-id high-water marks and the simulated date, plus its JSON persistence.
//
// Persistence: SimState is written as one JSON file (`<state dir>/ibsim_state.json`) atomically
// (write `<file>.tmp`, fsync, rename), so a crash or a kill never leaves a half-written state.
// Units: prices and cash in the contract's currency (major units); quantities in shares/contracts.
// Thread-safety: plain values; owned by the simulator's single thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.hpp"
#include "core/result.hpp"

namespace af::ibsim {

// The contract fields ibsim keeps (IB's Contract block, §3 "contract block A").
struct SimContract {
  std::int64_t con_id = 0;
  std::string symbol;
  std::string sec_type;
  std::string last_trade_date;  // yyyymmdd for FUT/OPT
  double strike = 0.0;
  std::string right;            // "C"/"P" for options
  std::string multiplier;       // text as IB sends it ("50"); empty for 1
  std::string exchange;
  std::string primary_exchange;
  std::string currency;
  std::string local_symbol;
  std::string trading_class;
  friend bool operator==(const SimContract&, const SimContract&) = default;
};

// IB order status vocabulary (tws-protocol §8.1), as sent on the wire.
namespace status {
inline constexpr const char* kPreSubmitted = "PreSubmitted";
inline constexpr const char* kSubmitted = "Submitted";
inline constexpr const char* kFilled = "Filled";
inline constexpr const char* kCancelled = "Cancelled";
inline constexpr const char* kInactive = "Inactive";
inline constexpr const char* kPendingCancel = "PendingCancel";
}  // namespace status

struct SimOrder {
  int order_id = 0;
  int client_id = 0;
  std::int64_t perm_id = 0;
  SimContract contract;
  std::string action;       // BUY / SELL / SSHORT
  double total_qty = 0.0;
  std::string order_type;   // MKT / LMT
  std::optional<double> lmt_price;
  std::string tif;          // DAY / GTC / IOC ...
  std::string order_ref;
  std::string account;
  bool outside_rth = false;
  std::string status = status::kPreSubmitted;
  double filled = 0.0;
  double avg_fill_price = 0.0;
  double last_fill_price = 0.0;
  int fill_count = 0;                // executions so far
  std::string placed_date;           // ISO date the order was accepted (DAY expiry)

  double remaining() const { return total_qty - filled; }
  bool is_open() const {
    return status == status::kPreSubmitted || status == status::kSubmitted ||
           status == status::kPendingCancel;
  }
  bool is_buy() const { return action == "BUY"; }
};

struct SimExecution {
  std::string exec_id;
  int order_id = 0;
  int client_id = 0;
  std::int64_t perm_id = 0;
  SimContract contract;
  std::string time;         // "yyyymmdd hh:mm:ss UTC" as sent in execDetails
  std::int64_t time_epoch = 0;  // epoch seconds (for reqExecutions' time filter)
  std::string account;
  std::string exchange;     // execution venue
  std::string side;         // BOT / SLD
  double shares = 0.0;
  double price = 0.0;
  double cum_qty = 0.0;
  double avg_price = 0.0;
  std::string order_ref;
  double commission = 0.0;
  std::string commission_currency;
};

struct SimPosition {
  SimContract contract;
  double quantity = 0.0;
  double avg_cost = 0.0;    // per unit incl. multiplier, as IB reports it for futures/options
};

struct SimState {
  std::string account = "DU1234567";
  std::string sim_time;                   // ISO timestamp of the simulated clock ("" = unset)
  std::map<int, int> next_order_id;       // client id -> next valid order id (high-water + 1)
  std::int64_t next_perm_id = 1000000001;
  std::int64_t exec_seq = 1;
  std::map<std::string, double> cash;     // currency -> cash balance
  std::map<std::int64_t, SimPosition> positions;  // conId -> position
  std::vector<SimOrder> orders;           // every order ever accepted (open and done)
  std::vector<SimExecution> executions;

  SimOrder* find_order(int client_id, int order_id);
  const SimOrder* find_order(int client_id, int order_id) const;
};

void to_json(nlohmann::json& j, const SimContract& c);
void from_json(const nlohmann::json& j, SimContract& c);
void to_json(nlohmann::json& j, const SimState& s);
void from_json(const nlohmann::json& j, SimState& s);

// Loads `<dir>/ibsim_state.json`. A missing file is not an error: returns nullopt (fresh account).
// A corrupt file is an error naming the file (the operator must fix or delete it).
Result<std::optional<SimState>> load_state(const std::filesystem::path& dir);
// Writes the state atomically (temp file + fsync + rename). Creates `dir` if needed.
Status save_state(const std::filesystem::path& dir, const SimState& state);

}  // namespace af::ibsim
