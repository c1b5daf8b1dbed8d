// `abstractfinance gateway check` — API-level readiness probe of an IB gateway (or ibsim).
//
// Connects with the TWS client, waits for readiness (managedAccounts AND nextValidId: the API is
// authenticated, not just the port open), measures the gateway clock offset with reqCurrentTime,
// then disconnects on purpose. Prints text, or one JSON document with --json.
// Exit codes: 0 ready, 1 not ready (unreachable, not logged in, timeout, version mismatch).
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/command.hpp"
#include "broker/tws/client.hpp"
#include "core/clock.hpp"

namespace af::app {
namespace {

struct GatewayCheckOptions {
  std::string host = "127.0.0.1";
  int port = 4002;
  int client_id = 99;      // distinct from the engine's id so a check never steals its session
  double timeout_seconds = 15.0;
};

int run_gateway_check(const GatewayCheckOptions& options, bool json) {
  boost::asio::io_context io;
  SystemClock clock;
  tws::InMemoryOrderIdStore ids;  // the check places no orders
  tws::ClientOptions client_options;
  client_options.host = options.host;
  client_options.port = static_cast<std::uint16_t>(options.port);
  client_options.client_id = options.client_id;
  client_options.auto_reconnect = false;
  client_options.max_client_id_retries = 0;
  const auto timeout = std::chrono::milliseconds(static_cast<long>(options.timeout_seconds * 1000));
  client_options.connect_timeout = timeout;
  client_options.request_timeout = timeout;
  client_options.heartbeat_interval = std::chrono::milliseconds{0};  // one explicit probe below

  tws::Client client(io, clock, ids, client_options);
  std::string warnings;
  client.set_log_sink([&](tws::ErrorSeverity severity, const std::string& message) {
    if (severity != tws::ErrorSeverity::kInfo) warnings += message + "\n";
  });
  client.connect();
  const auto finished = [&] {
    const auto state = client.status().state;
    return client.status().ready || state == tws::SessionState::kClosed;
  };
  client.run_until(finished, timeout + std::chrono::seconds{1});
  const bool ready = client.status().ready;

  std::optional<double> offset;
  std::string offset_error;
  if (ready) {
    bool done = false;
    auto sent = client.request(
        tws::UnkeyedRequest::kCurrentTime, tws::ReqCurrentTime{}, "reqCurrentTime", {},
        [&](Status status) {
          done = true;
          if (!status) offset_error = status.error().message;
        },
        timeout);
    if (!sent) {
      offset_error = sent.error().message;
    } else {
      client.run_until([&] { return done; }, timeout + std::chrono::seconds{1});
      offset = client.status().clock_offset_seconds;
    }
  }
  const tws::ConnectionStatus status = client.status();
  if (status.state != tws::SessionState::kClosed) client.disconnect("gateway check done");

  std::string error = status.last_error;
  if (!ready && error.empty()) {
    error = fmt::format("gateway {}:{} did not become API-ready within {} s", options.host,
                        options.port, options.timeout_seconds);
  }
  const bool connected = status.server_version > 0;

  if (json) {
    nlohmann::json doc;
    doc["host"] = options.host;
    doc["port"] = options.port;
    doc["client_id"] = status.client_id;
    doc["connected"] = connected;
    doc["server_version"] = connected ? nlohmann::json(status.server_version) : nlohmann::json();
    doc["connection_time"] = status.connection_time;
    doc["accounts"] = status.accounts;
    doc["api_ready"] = ready;
    doc["next_valid_id"] =
        status.next_valid_id ? nlohmann::json(*status.next_valid_id) : nlohmann::json();
    doc["clock_offset_seconds"] = offset ? nlohmann::json(*offset) : nlohmann::json();
    doc["connectivity_lost"] = status.connectivity_lost;
    doc["error"] = ready ? nlohmann::json() : nlohmann::json(error);
    if (!offset_error.empty()) doc["clock_offset_error"] = offset_error;
    std::printf("%s\n", doc.dump(2).c_str());
  } else {
    std::string accounts;
    for (const auto& a : status.accounts) accounts += (accounts.empty() ? "" : ",") + a;
    std::printf("gateway %s:%d (client id %d)\n", options.host.c_str(), options.port,
                status.client_id);
    std::printf("  server version   %s\n",
                connected ? std::to_string(status.server_version).c_str() : "-");
    std::printf("  connection time  %s\n",
                status.connection_time.empty() ? "-" : status.connection_time.c_str());
    std::printf("  accounts         %s\n", accounts.empty() ? "-" : accounts.c_str());
    std::printf("  API ready        %s\n",
                ready ? "yes (managedAccounts and nextValidId received)" : "NO");
    if (status.next_valid_id) {
      std::printf("  next order id    %lld\n", static_cast<long long>(*status.next_valid_id));
    }
    if (offset) {
      std::printf("  clock offset     %+.1f s (gateway minus local; 1 s resolution)\n", *offset);
    } else if (ready) {
      std::printf("  clock offset     unknown (%s)\n", offset_error.c_str());
    }
    if (!ready) std::printf("  error            %s\n", error.c_str());
  }
  if (!warnings.empty()) std::fprintf(stderr, "%s", warnings.c_str());
  return ready ? 0 : 1;
}

}  // namespace

void register_gateway_commands(CommandContext& ctx) {
  auto* gateway = ctx.app.add_subcommand("gateway", "IB gateway tools");
  gateway->require_subcommand(1);
  auto* check = gateway->add_subcommand(
      "check", "API-level readiness probe: server version, accounts, readiness, clock offset");
  auto options = std::make_shared<GatewayCheckOptions>();
  check->add_option("--host", options->host, "Gateway host")->capture_default_str();
  check->add_option("--port", options->port, "Gateway API port (IB Gateway paper 4002, live 4001)")
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  check->add_option("--client-id", options->client_id,
                    "API client id for the probe (keep it distinct from the engine's)")
      ->capture_default_str()
      ->check(CLI::Range(0, 2147483647));
  check->add_option("--timeout", options->timeout_seconds, "Seconds to wait for readiness")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  GlobalOptions& global = ctx.global;
  std::function<int()>& selected = ctx.selected;
  check->callback([options, &global, &selected] {
    selected = [options, &global] { return run_gateway_check(*options, global.json); };
  });
}

}  // namespace af::app
