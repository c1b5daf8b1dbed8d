// tools/ibsim/faults.hpp — ibsim's fault-script language: parser and rule engine (pure).
//
// A script is a text file, one rule per line (format in docs/IBSIM.md):
//
//   # comment
//   set fill_chunks=3                         simulator option
//   message n=12 -> drop                       drop the connection after the 12th client message
//   place_order nth=2 -> drop                  2nd new order: accepted, connection dropped before
//                                              the acknowledgement
//   partial_fill nth=1 -> drop                 drop between the 1st and 2nd partial fill
//   connect nth=2 -> connectivity_lost restore=1101 after=5
//   place_order ref=probe -> reject code=201 text="Order rejected - reason: margin"
//   date 2020-06-02 -> restart rollback=5 down=2
//   disconnect -> fill_open_orders
//   place_order -> suppress_status count=2
//   market_data -> competing_session duration=60
//   request id=61 -> delay seconds=3
//
// Triggers: message n=N | place_order [nth=K] [ref=PREFIX] | partial_fill [nth=K] |
//           connect [nth=K] | disconnect [nth=K] | market_data [nth=K] | request id=M [nth=K] |
//           date YYYY-MM-DD
// Every trigger also takes times=N (how often the rule may fire; default 1, 0 = unlimited).
// Actions:  drop [lose=1] | connectivity_lost [restore=1101|1102] [after=SECONDS] |
//           restart [rollback=N] [down=SECONDS] | fill_open_orders | suppress_status [count=N] |
//           reject [code=N] [text=...] | competing_session [duration=SECONDS] |
//           delay seconds=S | error code=N [text=...] [id=N]
//
// FaultEngine counts trigger events and returns the actions whose rule fires; it does no I/O.
// Thread-safety: owned by the simulator thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"

namespace af::ibsim {

enum class TriggerKind { kMessage, kPlaceOrder, kPartialFill, kConnect, kDisconnect, kMarketData,
                         kRequest, kDate };
enum class ActionKind { kDrop, kConnectivityLost, kRestart, kFillOpenOrders, kSuppressStatus,
                        kReject, kCompetingSession, kDelay, kError };

const char* to_string(TriggerKind k) noexcept;
const char* to_string(ActionKind k) noexcept;

struct FaultAction {
  ActionKind kind = ActionKind::kDrop;
  std::map<std::string, std::string> args;  // raw key=value arguments
  int line = 0;                             // script line (for logs)

  // Typed argument access with a default (validated at parse time).
  int int_arg(const std::string& key, int fallback) const;
  double double_arg(const std::string& key, double fallback) const;
  std::string str_arg(const std::string& key, const std::string& fallback = "") const;
};

struct FaultRule {
  TriggerKind trigger = TriggerKind::kMessage;
  int n = 0;                 // message: the message count; others: nth (1-based; 0 = every)
  std::string ref_prefix;    // place_order ref=
  int request_id = 0;        // request id=
  std::optional<Date> date;  // date trigger
  int times = 1;             // how many times the rule may fire (0 = unlimited)
  FaultAction action;
  // Engine state:
  int seen = 0;
  int fired = 0;
};

struct FaultScript {
  std::vector<FaultRule> rules;
  std::map<std::string, std::string> options;  // `set key=value` lines
};

// Parses a script. Errors name the line and say what is expected.
Result<FaultScript> parse_fault_script(std::string_view text, const std::string& source_name = "faults");
Result<FaultScript> load_fault_script(const std::string& path);

// What the simulator reports to the engine for a trigger check.
struct TriggerEvent {
  TriggerEvent() = default;
  TriggerEvent(TriggerKind k, int n = 0) : kind(k), count(n) {}  // NOLINT: implicit by design
  TriggerKind kind = TriggerKind::kMessage;
  int count = 0;             // message: messages seen on this connection so far
  std::string order_ref;     // place_order
  int request_id = 0;        // request: the client message id
  std::optional<Date> date;  // date: the new simulated date
};

class FaultEngine {
 public:
  FaultEngine() = default;
  explicit FaultEngine(FaultScript script) : script_(std::move(script)) {}

  // Records the event and returns the actions of every rule that fires, in script order.
  std::vector<FaultAction> on_event(const TriggerEvent& event);
  const FaultScript& script() const { return script_; }
  // Appends the rules (and options) of another script (control command `fault ...`).
  void add(const FaultScript& more) {
    script_.rules.insert(script_.rules.end(), more.rules.begin(), more.rules.end());
    for (const auto& [k, v] : more.options) script_.options[k] = v;
  }
  std::string option(const std::string& key, const std::string& fallback) const;

 private:
  FaultScript script_;
};

}  // namespace af::ibsim
