#include "sim_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace af::ibsim {

using nlohmann::json;

SimOrder* SimState::find_order(int client_id, int order_id) {
  for (auto& o : orders) {
    if (o.client_id == client_id && o.order_id == order_id) return &o;
  }
  return nullptr;
}

const SimOrder* SimState::find_order(int client_id, int order_id) const {
  return const_cast<SimState*>(this)->find_order(client_id, order_id);
}

void to_json(json& j, const SimContract& c) {
  j = json{{"con_id", c.con_id},         {"symbol", c.symbol},
           {"sec_type", c.sec_type},     {"last_trade_date", c.last_trade_date},
           {"strike", c.strike},         {"right", c.right},
           {"multiplier", c.multiplier}, {"exchange", c.exchange},
           {"primary_exchange", c.primary_exchange}, {"currency", c.currency},
           {"local_symbol", c.local_symbol}, {"trading_class", c.trading_class}};
}

void from_json(const json& j, SimContract& c) {
  j.at("con_id").get_to(c.con_id);
  j.at("symbol").get_to(c.symbol);
  j.at("sec_type").get_to(c.sec_type);
  j.at("last_trade_date").get_to(c.last_trade_date);
  j.at("strike").get_to(c.strike);
  j.at("right").get_to(c.right);
  j.at("multiplier").get_to(c.multiplier);
  j.at("exchange").get_to(c.exchange);
  j.at("primary_exchange").get_to(c.primary_exchange);
  j.at("currency").get_to(c.currency);
  j.at("local_symbol").get_to(c.local_symbol);
  j.at("trading_class").get_to(c.trading_class);
}

static json order_to_json(const SimOrder& o) {
  json j{{"order_id", o.order_id},   {"client_id", o.client_id},     {"perm_id", o.perm_id},
         {"contract", o.contract},   {"action", o.action},           {"total_qty", o.total_qty},
         {"order_type", o.order_type}, {"tif", o.tif},               {"order_ref", o.order_ref},
         {"account", o.account},     {"outside_rth", o.outside_rth}, {"status", o.status},
         {"filled", o.filled},       {"avg_fill_price", o.avg_fill_price},
         {"last_fill_price", o.last_fill_price}, {"fill_count", o.fill_count},
         {"placed_date", o.placed_date}};
  j["lmt_price"] = o.lmt_price ? json(*o.lmt_price) : json(nullptr);
  return j;
}

static SimOrder order_from_json(const json& j) {
  SimOrder o;
  j.at("order_id").get_to(o.order_id);
  j.at("client_id").get_to(o.client_id);
  j.at("perm_id").get_to(o.perm_id);
  j.at("contract").get_to(o.contract);
  j.at("action").get_to(o.action);
  j.at("total_qty").get_to(o.total_qty);
  j.at("order_type").get_to(o.order_type);
  if (!j.at("lmt_price").is_null()) o.lmt_price = j.at("lmt_price").get<double>();
  j.at("tif").get_to(o.tif);
  j.at("order_ref").get_to(o.order_ref);
  j.at("account").get_to(o.account);
  j.at("outside_rth").get_to(o.outside_rth);
  j.at("status").get_to(o.status);
  j.at("filled").get_to(o.filled);
  j.at("avg_fill_price").get_to(o.avg_fill_price);
  j.at("last_fill_price").get_to(o.last_fill_price);
  j.at("fill_count").get_to(o.fill_count);
  j.at("placed_date").get_to(o.placed_date);
  return o;
}

static json exec_to_json(const SimExecution& e) {
  return json{{"exec_id", e.exec_id},     {"order_id", e.order_id},   {"client_id", e.client_id},
              {"perm_id", e.perm_id},     {"contract", e.contract},   {"time", e.time},
              {"time_epoch", e.time_epoch}, {"account", e.account},   {"exchange", e.exchange},
              {"side", e.side},           {"shares", e.shares},       {"price", e.price},
              {"cum_qty", e.cum_qty},     {"avg_price", e.avg_price}, {"order_ref", e.order_ref},
              {"commission", e.commission}, {"commission_currency", e.commission_currency}};
}

static SimExecution exec_from_json(const json& j) {
  SimExecution e;
  j.at("exec_id").get_to(e.exec_id);
  j.at("order_id").get_to(e.order_id);
  j.at("client_id").get_to(e.client_id);
  j.at("perm_id").get_to(e.perm_id);
  j.at("contract").get_to(e.contract);
  j.at("time").get_to(e.time);
  j.at("time_epoch").get_to(e.time_epoch);
  j.at("account").get_to(e.account);
  j.at("exchange").get_to(e.exchange);
  j.at("side").get_to(e.side);
  j.at("shares").get_to(e.shares);
  j.at("price").get_to(e.price);
  j.at("cum_qty").get_to(e.cum_qty);
  j.at("avg_price").get_to(e.avg_price);
  j.at("order_ref").get_to(e.order_ref);
  j.at("commission").get_to(e.commission);
  j.at("commission_currency").get_to(e.commission_currency);
  return e;
}

void to_json(json& j, const SimState& s) {
  j = json::object();
  j["format"] = "ibsim-state-1";
  j["account"] = s.account;
  j["sim_time"] = s.sim_time;
  json ids = json::object();
  for (const auto& [client, next] : s.next_order_id) ids[std::to_string(client)] = next;
  j["next_order_id"] = ids;
  j["next_perm_id"] = s.next_perm_id;
  j["exec_seq"] = s.exec_seq;
  j["cash"] = s.cash;
  json positions = json::array();
  for (const auto& [con_id, p] : s.positions) {
    positions.push_back({{"contract", p.contract}, {"quantity", p.quantity}, {"avg_cost", p.avg_cost}});
  }
  j["positions"] = positions;
  json orders = json::array();
  for (const auto& o : s.orders) orders.push_back(order_to_json(o));
  j["orders"] = orders;
  json execs = json::array();
  for (const auto& e : s.executions) execs.push_back(exec_to_json(e));
  j["executions"] = execs;
}

void from_json(const json& j, SimState& s) {
  if (j.value("format", "") != "ibsim-state-1") {
    throw json::other_error::create(501, "unknown state format (expected ibsim-state-1)", &j);
  }
  j.at("account").get_to(s.account);
  j.at("sim_time").get_to(s.sim_time);
  s.next_order_id.clear();
  for (const auto& [client, next] : j.at("next_order_id").items()) {
    s.next_order_id[std::stoi(client)] = next.get<int>();
  }
  j.at("next_perm_id").get_to(s.next_perm_id);
  j.at("exec_seq").get_to(s.exec_seq);
  j.at("cash").get_to(s.cash);
  s.positions.clear();
  for (const auto& p : j.at("positions")) {
    SimPosition pos;
    p.at("contract").get_to(pos.contract);
    p.at("quantity").get_to(pos.quantity);
    p.at("avg_cost").get_to(pos.avg_cost);
    s.positions[pos.contract.con_id] = pos;
  }
  s.orders.clear();
  for (const auto& o : j.at("orders")) s.orders.push_back(order_from_json(o));
  s.executions.clear();
  for (const auto& e : j.at("executions")) s.executions.push_back(exec_from_json(e));
}

static std::filesystem::path state_file(const std::filesystem::path& dir) {
  return dir / "ibsim_state.json";
}

Result<std::optional<SimState>> load_state(const std::filesystem::path& dir) {
  const auto file = state_file(dir);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::optional<SimState>{};
  std::ifstream in(file);
  if (!in) {
    return Error{ErrorCode::kIo, file.string() + ": cannot open the ibsim state file for reading"};
  }
  try {
    json j = json::parse(in);
    SimState s = j.get<SimState>();
    return std::optional<SimState>{std::move(s)};
  } catch (const json::exception& e) {
    return Error{ErrorCode::kIo, file.string() + ": corrupt ibsim state (" + e.what() +
                                     "); fix the file or delete it to start a fresh account"};
  }
}

Status save_state(const std::filesystem::path& dir, const SimState& state) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{ErrorCode::kIo, dir.string() + ": cannot create state directory: " + ec.message()};
  const auto file = state_file(dir);
  const auto tmp = std::filesystem::path(file.string() + ".tmp");
  const std::string text = json(state).dump(1);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error{ErrorCode::kIo, tmp.string() + ": cannot open for writing"};
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) {
      ::close(fd);
      return Error{ErrorCode::kIo, tmp.string() + ": write failed (disk full?)"};
    }
    written += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  std::filesystem::rename(tmp, file, ec);
  if (ec) return Error{ErrorCode::kIo, file.string() + ": rename failed: " + ec.message()};
  return ok_status();
}

}  // namespace af::ibsim
