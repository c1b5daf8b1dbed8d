#include "faults.hpp"

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace af::ibsim {
namespace {

struct TriggerSpec {
  const char* name;
  TriggerKind kind;
  std::set<std::string> keys;
};
struct ActionSpec {
  const char* name;
  ActionKind kind;
  std::set<std::string> keys;
};

const TriggerSpec kTriggers[] = {
    {"message", TriggerKind::kMessage, {"n", "times"}},
    {"place_order", TriggerKind::kPlaceOrder, {"nth", "ref", "times"}},
    {"partial_fill", TriggerKind::kPartialFill, {"nth", "times"}},
    {"connect", TriggerKind::kConnect, {"nth", "times"}},
    {"disconnect", TriggerKind::kDisconnect, {"nth", "times"}},
    {"market_data", TriggerKind::kMarketData, {"nth", "times"}},
    {"request", TriggerKind::kRequest, {"id", "nth", "times"}},
    {"date", TriggerKind::kDate, {"times"}},
};
const ActionSpec kActions[] = {
    {"drop", ActionKind::kDrop, {"lose"}},
    {"connectivity_lost", ActionKind::kConnectivityLost, {"restore", "after"}},
    {"restart", ActionKind::kRestart, {"rollback", "down"}},
    {"fill_open_orders", ActionKind::kFillOpenOrders, {}},
    {"suppress_status", ActionKind::kSuppressStatus, {"count"}},
    {"reject", ActionKind::kReject, {"code", "text"}},
    {"competing_session", ActionKind::kCompetingSession, {"duration"}},
    {"delay", ActionKind::kDelay, {"seconds"}},
    {"error", ActionKind::kError, {"code", "text", "id"}},
};
const std::set<std::string> kNumericKeys = {"n",      "nth",     "times", "id",    "lose",
                                            "restore", "after",  "rollback", "down", "count",
                                            "code",   "duration", "seconds"};

// Splits "a b=c text=\"x y\"" into tokens, honouring double quotes.
Result<std::vector<std::string>> tokenize(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  bool in_quotes = false, has = false;
  for (char ch : s) {
    if (ch == '"') {
      in_quotes = !in_quotes;
      has = true;
    } else if (!in_quotes && (ch == ' ' || ch == '\t')) {
      if (has) out.push_back(cur);
      cur.clear();
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (in_quotes) return Error{ErrorCode::kConfig, "unterminated double quote"};
  if (has) out.push_back(cur);
  return out;
}

bool is_number(const std::string& v) {
  if (v.empty()) return false;
  char* end = nullptr;
  std::strtod(v.c_str(), &end);
  return *end == '\0';
}

Result<std::map<std::string, std::string>> parse_args(const std::vector<std::string>& tokens,
                                                      std::size_t from,
                                                      const std::set<std::string>& allowed,
                                                      const std::string& what) {
  std::map<std::string, std::string> args;
  for (std::size_t i = from; i < tokens.size(); ++i) {
    const auto eq = tokens[i].find('=');
    if (eq == std::string::npos) {
      return Error{ErrorCode::kConfig, "`" + tokens[i] + "`: expected key=value after " + what};
    }
    const std::string key = tokens[i].substr(0, eq), value = tokens[i].substr(eq + 1);
    if (!allowed.count(key)) {
      std::string keys;
      for (const auto& k : allowed) keys += (keys.empty() ? "" : ", ") + k;
      return Error{ErrorCode::kConfig, "unknown argument `" + key + "` for " + what +
                                           " (allowed: " + (keys.empty() ? "none" : keys) + ")"};
    }
    if (kNumericKeys.count(key) && !is_number(value)) {
      return Error{ErrorCode::kConfig, "argument `" + key + "` of " + what + " must be a number, got `" + value + "`"};
    }
    args[key] = value;
  }
  return args;
}

}  // namespace

const char* to_string(TriggerKind k) noexcept {
  for (const auto& t : kTriggers) {
    if (t.kind == k) return t.name;
  }
  return "?";
}

const char* to_string(ActionKind k) noexcept {
  for (const auto& a : kActions) {
    if (a.kind == k) return a.name;
  }
  return "?";
}

int FaultAction::int_arg(const std::string& key, int fallback) const {
  auto it = args.find(key);
  return it == args.end() ? fallback : static_cast<int>(std::strtol(it->second.c_str(), nullptr, 10));
}
double FaultAction::double_arg(const std::string& key, double fallback) const {
  auto it = args.find(key);
  return it == args.end() ? fallback : std::strtod(it->second.c_str(), nullptr);
}
std::string FaultAction::str_arg(const std::string& key, const std::string& fallback) const {
  auto it = args.find(key);
  return it == args.end() ? fallback : it->second;
}

Result<FaultScript> parse_fault_script(std::string_view text, const std::string& source_name) {
  FaultScript script;
  std::istringstream in{std::string(text)};
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string where = source_name + ":" + std::to_string(line_no) + ": ";
    if (const auto hash = line.find('#'); hash != std::string::npos) {
      // A '#' inside quotes is text; only strip comments that start outside quotes.
      bool quoted = false;
      for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '"') quoted = !quoted;
        if (line[i] == '#' && !quoted) {
          line.resize(i);
          break;
        }
      }
    }
    auto tokens_r = tokenize(line);
    if (!tokens_r) return tokens_r.error().with_context(source_name + ":" + std::to_string(line_no));
    const auto& tokens = *tokens_r;
    if (tokens.empty()) continue;
    if (tokens[0] == "set") {
      for (std::size_t i = 1; i < tokens.size(); ++i) {
        const auto eq = tokens[i].find('=');
        if (eq == std::string::npos) return Error{ErrorCode::kConfig, where + "`set` expects key=value"};
        const std::string key = tokens[i].substr(0, eq);
        if (key != "fill_chunks" && key != "fill_interval" && key != "pacing") {
          return Error{ErrorCode::kConfig,
                       where + "unknown option `" + key + "` (fill_chunks, fill_interval, pacing)"};
        }
        script.options[key] = tokens[i].substr(eq + 1);
      }
      continue;
    }
    std::size_t arrow = 0;
    while (arrow < tokens.size() && tokens[arrow] != "->") ++arrow;
    if (arrow == tokens.size() || arrow == 0 || arrow + 1 == tokens.size()) {
      return Error{ErrorCode::kConfig, where + "expected `<trigger> [k=v..] -> <action> [k=v..]`"};
    }
    FaultRule rule;
    const TriggerSpec* trig = nullptr;
    for (const auto& t : kTriggers) {
      if (tokens[0] == t.name) trig = &t;
    }
    if (!trig) return Error{ErrorCode::kConfig, where + "unknown trigger `" + tokens[0] + "`"};
    rule.trigger = trig->kind;
    std::vector<std::string> trig_tokens(tokens.begin(), tokens.begin() + static_cast<long>(arrow));
    std::size_t arg_from = 1;
    if (rule.trigger == TriggerKind::kDate) {
      if (trig_tokens.size() < 2) return Error{ErrorCode::kConfig, where + "`date` needs YYYY-MM-DD"};
      auto d = Date::parse(trig_tokens[1]);
      if (!d) return Error{ErrorCode::kConfig, where + "`date`: " + d.error().message};
      rule.date = *d;
      arg_from = 2;
    }
    auto targs = parse_args(trig_tokens, arg_from, trig->keys, std::string("trigger `") + trig->name + "`");
    if (!targs) return targs.error().with_context(where.substr(0, where.size() - 2));
    FaultAction probe;
    probe.args = *targs;
    rule.times = probe.int_arg("times", 1);
    rule.n = rule.trigger == TriggerKind::kMessage ? probe.int_arg("n", 0) : probe.int_arg("nth", 1);
    rule.ref_prefix = probe.str_arg("ref");
    rule.request_id = probe.int_arg("id", 0);
    if (rule.trigger == TriggerKind::kMessage && rule.n <= 0) {
      return Error{ErrorCode::kConfig, where + "`message` needs n=N (N >= 1)"};
    }
    if (rule.trigger == TriggerKind::kRequest && rule.request_id <= 0) {
      return Error{ErrorCode::kConfig, where + "`request` needs id=<client message id>"};
    }
    if (targs->count("ref") && targs->count("nth") == 0) rule.n = 0;  // ref= alone: first match
    const ActionSpec* act = nullptr;
    for (const auto& a : kActions) {
      if (tokens[arrow + 1] == a.name) act = &a;
    }
    if (!act) return Error{ErrorCode::kConfig, where + "unknown action `" + tokens[arrow + 1] + "`"};
    auto aargs = parse_args(tokens, arrow + 2, act->keys, std::string("action `") + act->name + "`");
    if (!aargs) return aargs.error().with_context(where.substr(0, where.size() - 2));
    rule.action.kind = act->kind;
    rule.action.args = *aargs;
    rule.action.line = line_no;
    if (act->kind == ActionKind::kDelay && !aargs->count("seconds")) {
      return Error{ErrorCode::kConfig, where + "`delay` needs seconds=S"};
    }
    if (act->kind == ActionKind::kError && !aargs->count("code")) {
      return Error{ErrorCode::kConfig, where + "`error` needs code=N"};
    }
    if (act->kind == ActionKind::kConnectivityLost) {
      const int restore = rule.action.int_arg("restore", 1102);
      if (restore != 1101 && restore != 1102) {
        return Error{ErrorCode::kConfig, where + "`connectivity_lost restore=` must be 1101 or 1102"};
      }
    }
    script.rules.push_back(std::move(rule));
  }
  return script;
}

Result<FaultScript> load_fault_script(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{ErrorCode::kInvalidArgument, path + ": cannot open fault script"};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_fault_script(ss.str(), path);
}

std::string FaultEngine::option(const std::string& key, const std::string& fallback) const {
  auto it = script_.options.find(key);
  return it == script_.options.end() ? fallback : it->second;
}

std::vector<FaultAction> FaultEngine::on_event(const TriggerEvent& ev) {
  std::vector<FaultAction> out;
  for (auto& rule : script_.rules) {
    if (rule.trigger != ev.kind) continue;
    if (rule.times > 0 && rule.fired >= rule.times) continue;
    bool fire = false;
    switch (ev.kind) {
      case TriggerKind::kMessage:
        fire = ev.count == rule.n;
        break;
      case TriggerKind::kDate:
        fire = ev.date && rule.date && *ev.date >= *rule.date;
        break;
      case TriggerKind::kRequest:
        if (ev.request_id != rule.request_id) continue;
        ++rule.seen;
        fire = rule.n == 0 || rule.seen >= rule.n;
        break;
      case TriggerKind::kPlaceOrder:
        if (!rule.ref_prefix.empty() && ev.order_ref.rfind(rule.ref_prefix, 0) != 0) continue;
        [[fallthrough]];
      default:
        ++rule.seen;
        fire = rule.n == 0 || rule.seen >= rule.n;
        break;
    }
    if (fire) {
      ++rule.fired;
      out.push_back(rule.action);
    }
  }
  return out;
}

}  // namespace af::ibsim
