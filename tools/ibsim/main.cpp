// ibsim — an IB Gateway simulator speaking the TWS API at server version 178, with a paper
// account, persistent state, a controllable simulated clock and scripted faults.
// Usage and the fault-script format: docs/IBSIM.md.
#include <CLI/CLI.hpp>
#include <utility>  // before Asio: Boost 1.74 awaitable.hpp uses std::exchange without it (GCC 12)
#include <boost/asio.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "core/clock.hpp"
#include "faults.hpp"
#include "instruments.hpp"
#include "market_data.hpp"
#include "server.hpp"
#include "simulator.hpp"

#ifndef AF_IBSIM_SOURCE_DIR
#define AF_IBSIM_SOURCE_DIR "."
#endif

namespace {

void log_line(const std::string& line) {
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace af::ibsim;
  CLI::App app{"ibsim: IB Gateway simulator (TWS API server version 178) for tests and burn-in"};
  std::string host = "127.0.0.1";
  int port = 4002;
  int control_port = -1;
  std::string state_dir = "ibsim-state";
  std::string data_dir;
  std::string faults_file;
  std::string date_text;
  std::string config_dir;
  std::string port_file;
  std::string account = "DU1234567";
  int fill_chunks = 1;
  double fill_interval = 0.0;
  bool no_pacing = false;
  app.add_option("--host", host, "Address to listen on (loopback by default)");
  app.add_option("--port", port, "API port (0 = any free port)")->check(CLI::Range(0, 65535));
  app.add_option("--control-port", control_port,
                 "Line-based control port (0 = any free port; default: disabled)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--state", state_dir, "Directory for the persistent simulator state");
  app.add_option("--data", data_dir, "Directory of daily bar CSVs (default: the bundled data)");
  app.add_option("--faults", faults_file, "Fault script (docs/IBSIM.md)");
  app.add_option("--date", date_text, "Simulated date YYYY-MM-DD (default: stored, else last data day)");
  app.add_option("--config", config_dir,
                 "Configuration directory with settings.yaml + instruments.yaml (default: config/)");
  app.add_option("--port-file", port_file, "Write the bound API port to this file once listening");
  app.add_option("--account", account, "Paper account id");
  app.add_option("--fill-chunks", fill_chunks, "Executions per order (>1 gives partial fills)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--fill-interval", fill_interval, "Seconds between partial fills")
      ->check(CLI::Range(0.0, 3600.0));
  app.add_flag("--no-pacing", no_pacing, "Do not enforce error 100 / 162 pacing");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  SimConfig config;
  config.state_dir = state_dir;
  config.account = account;
  config.fill_chunks = fill_chunks;
  config.fill_interval_s = fill_interval;
  config.pacing = !no_pacing;
  config.log = log_line;
  if (!date_text.empty()) {
    auto d = af::Date::parse(date_text);
    if (!d) {
      log_line("ibsim: --date: " + d.error().message);
      return 2;
    }
    config.start_date = *d;
  }

  FaultEngine faults;
  if (!faults_file.empty()) {
    auto script = load_fault_script(faults_file);
    if (!script) {
      log_line("ibsim: " + script.error().message);
      return 2;
    }
    log_line("ibsim: fault script " + faults_file + ": " + std::to_string(script->rules.size()) + " rule(s)");
    faults = FaultEngine(std::move(*script));
  }

  const std::string src = AF_IBSIM_SOURCE_DIR;
  auto data = MarketData::load(data_dir, {"data", src + "/data", src + "/../shared/data"});
  if (!data) {
    log_line("ibsim: " + data.error().message);
    return 2;
  }
  log_line("ibsim: market data:\n" + data->describe());

  std::vector<InstrumentSpec> specs;
  if (config_dir.empty()) {
    for (const std::string& candidate : {std::string("config"), src + "/config"}) {
      std::error_code ec;
      if (std::filesystem::exists(candidate + "/instruments.yaml", ec)) {
        config_dir = candidate;
        break;
      }
    }
  }
  if (!config_dir.empty()) {
    auto read = read_instrument_specs(config_dir);
    if (!read) {
      log_line("ibsim: " + read.error().message);
      return 2;
    }
    specs = std::move(*read);
    log_line("ibsim: " + std::to_string(specs.size()) + " instruments from " + config_dir + "/instruments.yaml");
  } else {
    specs = builtin_instrument_specs();
    log_line("ibsim: no config/instruments.yaml found; using the built-in universe (" +
             std::to_string(specs.size()) + " instruments)");
  }

  // The catalog's futures months and option chains are built at the simulated start date.
  af::Date catalog_date = config.start_date.value_or(data->reference_last_date().value_or(af::Date(2020, 6, 1)));
  if (!config.start_date) {
    if (auto st = load_state(state_dir); st && *st && (*st)->sim_time.size() >= 10) {
      if (auto d = af::Date::parse((*st)->sim_time.substr(0, 10))) catalog_date = *d;
    }
  }
  const MarketData& md = *data;
  auto catalog = InstrumentCatalog::build(specs, catalog_date, [&](const std::string& series, const std::string& symbol) {
    return md.last_price(series, symbol, catalog_date);
  });
  log_line("ibsim: " + std::to_string(catalog.all().size()) + " contracts (incl. futures months and option chains)");

  af::SystemClock clock;
  boost::asio::io_context io;
  Server server(io);
  Simulator sim(config, clock, std::move(catalog), std::move(*data), std::move(faults), server);
  if (auto st = sim.start(); !st) {
    log_line("ibsim: " + st.error().message);
    return 1;
  }
  server.attach(sim);
  if (auto st = server.listen(host, port, control_port); !st) {
    log_line("ibsim: " + st.error().message);
    return 1;
  }
  log_line("ibsim: simulated time " + af::to_iso(sim.sim_now()) + ", account " + account +
           ", state in " + state_dir);
  std::printf("ibsim listening on %s:%d", host.c_str(), server.port());
  if (server.control_port() >= 0) std::printf(" (control port %d)", server.control_port());
  std::printf("\n");
  std::fflush(stdout);
  if (!port_file.empty()) {
    const std::string tmp = port_file + ".tmp";
    {
      std::ofstream out(tmp);
      out << server.port() << "\n";
    }
    std::filesystem::rename(tmp, port_file);
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    log_line("ibsim: signal " + std::to_string(sig) + ", saving state and exiting");
    sim.control("save");
    io.stop();
  });
  io.run();
  return 0;
}
