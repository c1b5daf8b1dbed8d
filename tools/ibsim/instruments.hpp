// tools/ibsim/instruments.hpp — the contracts ibsim knows: every instrument of
// config/instruments.yaml read through af::config (stocks/ETFs, futures in their listed months,
// FX, index underlyings, option chains for the option specs), plus a few US test stocks (AAPL,
// MSFT, SPY) for third-party clients.
//
// conIds are deterministic (a hash of the contract's identity), so they survive restarts and are
// the same in every run. Option chains and futures months are generated relative to the simulated
// date given to build_catalog().
// Thread-safety: immutable after construction.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "sim_state.hpp"

namespace af::ibsim {

struct SimInstrument {
  std::string id;            // instruments.yaml key ("us_index_future"), or "extra:AAPL"
  SimContract contract;
  double min_tick = 0.01;
  std::string long_name;
  std::string series;        // market-data series key ("sp500", "eurusd", ... or the symbol)
  double multiplier = 1.0;
  // Options only: the underlying's symbol and the expiry date.
  std::string underlying_symbol;
  std::optional<Date> expiry;
};

// One entry read from instruments.yaml (only the fields ibsim needs).
struct InstrumentSpec {
  std::string id;
  std::string symbol;        // or the underlying for options
  std::string sec_type;
  std::string exchange;
  std::string primary_exchange;
  std::string currency;
  std::string trading_class;
  double multiplier = 1.0;
  std::optional<double> tick_size;
  std::string data_series;              // instruments.yaml data_series ("" = by symbol)
  std::vector<unsigned> contract_months;  // futures: listed months (empty = quarterly)
};

// The instruments of a validated configuration directory (af::config::load_config on
// <dir>/settings.yaml + <dir>/instruments.yaml). Errors are the config loader's (file, line, key).
Result<std::vector<InstrumentSpec>> read_instrument_specs(const std::filesystem::path& config_dir);

// The original universe (original-system §2.3.1, with SMART + primary exchange) used when no
// instruments.yaml exists.
std::vector<InstrumentSpec> builtin_instrument_specs();

// Deterministic conId for a contract identity (positive, < 2^31).
std::int64_t make_con_id(const SimContract& c);

// Third Friday of a month (futures/option expiry convention used by the simulator).
Date third_friday(int year, unsigned month);

class InstrumentCatalog {
 public:
  // Builds contracts from the specs at `today`. `underlying_price(series, symbol)` gives the
  // option underlying's price used to centre the strike ladder (nullopt: 100).
  static InstrumentCatalog build(
      const std::vector<InstrumentSpec>& specs, Date today,
      const std::function<std::optional<double>(const std::string&, const std::string&)>& underlying_price);

  const std::vector<SimInstrument>& all() const { return instruments_; }
  const SimInstrument* by_con_id(std::int64_t con_id) const;
  // IB-style matching of a (partial) contract: conId if non-zero, else symbol + secType and any
  // non-empty of currency, exchange (SMART matches any), expiry prefix, strike, right,
  // tradingClass, localSymbol. Returns every match (contract details) — orders need exactly one.
  std::vector<const SimInstrument*> match(const SimContract& query) const;

 private:
  std::vector<SimInstrument> instruments_;
};

}  // namespace af::ibsim
