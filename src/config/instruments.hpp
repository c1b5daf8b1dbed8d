// config/instruments.hpp — the instrument universe of config/instruments.yaml.
//
// One canonical id per instrument (the YAML key, e.g. "us_index_etf"); broker contract, futures
// cycle, option spec and data series are explicit per-instrument fields resolved here and nowhere
// else (SYSTEM.md §3, §4 Instruments). Prices of an instrument are quoted in
// contract.price_unit (GBX for the GBP lines on the LSE); amounts in contract.currency.
//
// Built by load_config() (config/config.hpp); immutable afterwards. Thread-safety: safe to share.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/settings.hpp"
#include "core/currency.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace af::config {

// IB security types used by the fund.
enum class SecType { kStk, kFut, kCash, kOpt, kInd };  // "STK" "FUT" "CASH" "OPT" "IND"
enum class ExpiryCycle { kQuarterly, kMonthly };       // "quarterly" (H M U Z) | "monthly"
// How the last trading day of a contract month is found (for the roll and contract selection).
enum class ExpiryRule {
  kThirdFriday,                     // "third_friday": ES, MES, FESX, FCE, equity options
  kTwoBusinessDaysBeforeThirdWednesday,  // "two_business_days_before_third_wednesday": 6E, M6E
  kTwoBusinessDaysBeforeTenth,      // "two_business_days_before_tenth": Eurex bond futures
  kThirtyDaysBeforeNextThirdFriday, // "thirty_days_before_next_third_friday": VX, FVS, VIX opts
};
enum class OptionRight { kPut, kCall };  // "P" | "C"

std::string_view to_string(SecType t) noexcept;
std::string_view to_string(ExpiryCycle c) noexcept;
std::string_view to_string(ExpiryRule r) noexcept;
std::string_view to_string(OptionRight r) noexcept;

// What IB needs to identify the contract (plus the trading units the planner rounds to).
struct BrokerContract {
  std::string symbol;            // IB symbol ("ES", "CSPX", "EUR", "ESTX50")
  SecType sec_type = SecType::kStk;
  std::string exchange;          // routing: "SMART" for stocks/ETFs; the venue for FUT/OPT/CASH
  std::string primary_exchange;  // listing venue for SMART-routed lines ("LSEETF", "IBIS",
                                 // "SBF", "NASDAQ", "NYSE"); empty when exchange is the venue
  Currency currency = Currency::USD;
  double multiplier = 1.0;       // value of one contract per price unit (in currency units)
  std::string trading_class;     // empty = not needed
  double tick_size = 0.01;       // in price_unit; order planner rounds limits to it
  QuoteUnit price_unit = QuoteUnit::major(Currency::USD);  // GBX on the GBP LSE lines
  double lot_size = 1.0;         // quantities are rounded to multiples of it
};

// Futures: which months exist and when to roll (N business days before expiry).
struct FutureSpec {
  ExpiryCycle expiry_cycle = ExpiryCycle::kQuarterly;
  ExpiryRule expiry_rule = ExpiryRule::kThirdFriday;
  int roll_business_days_before_expiry = 5;
  // Listed contract months (1..12): {3,6,9,12} quarterly, 1..12 monthly.
  std::vector<unsigned> contract_months() const;
};

// Options: the tail-hedge manager builds a real contract from this (SYSTEM.md §4 Tail hedges):
// expiry nearest target_tenor_days, strike at spot x (1 - otm_pct) for puts, (1 + otm_pct) for
// calls, exchange/multiplier/trading class from the contract.
struct OptionSpec {
  InstrumentId underlying;  // an instrument id in the same file
  OptionRight right = OptionRight::kPut;
  int target_tenor_days = 90;
  double otm_pct = 0.15;
  ExpiryRule expiry_rule = ExpiryRule::kThirdFriday;
};

struct Instrument {
  InstrumentId id;
  std::string category;         // grouping label ("equity_indices", "sectors_us", ...)
  std::string description;
  std::vector<Sleeve> sleeves;  // sleeve roles: which sleeves may hold it (may be empty)
  bool tradeable = true;        // false: reference/underlying only, never ordered
  std::string data_series;      // bar-store series id ("sp500", "eurusd", "dj30_msft", "syn_<id>")
  BrokerContract contract;
  std::optional<FutureSpec> future;  // present iff sec_type FUT
  std::optional<OptionSpec> option;  // present iff sec_type OPT
  int source_line = 0;               // line of the id in instruments.yaml (for messages)

  bool is_etf = false;           // STK that is an exchange-traded fund (YAML key `etf`)

  bool has_sleeve(Sleeve s) const noexcept;
  // Position-limit fraction of NAV for this instrument's type (ETF / FUT / OPT / other STK;
  // CASH and IND have no limit: returns nullopt).
  std::optional<double> position_limit_pct_nav(const PositionLimits& limits) const noexcept;
};

// The instruments in file order, looked up by canonical id.
class InstrumentUniverse {
 public:
  InstrumentUniverse() = default;
  // Precondition: ids unique (load_config validates).
  explicit InstrumentUniverse(std::vector<Instrument> instruments);

  std::size_t size() const noexcept { return instruments_.size(); }
  bool contains(const InstrumentId& id) const noexcept { return index_.count(id) != 0; }
  // nullptr when unknown.
  const Instrument* find(const InstrumentId& id) const noexcept;
  // Precondition: contains(id) (aborts otherwise: a bug, since ids come from validated config).
  const Instrument& at(const InstrumentId& id) const;
  // Reverse mapping from a broker position/execution to the canonical id (one place, SYSTEM.md
  // §3). Matches symbol, sec_type and currency, and primary_exchange when both sides have one.
  // nullptr when nothing matches. Futures/options match on the root symbol.
  const Instrument* find_by_broker(std::string_view symbol, SecType sec_type, Currency currency,
                                   std::string_view primary_exchange = {}) const noexcept;
  // Rank of `inst` (an element of this universe) in id order, 0 .. size()-1: ordering by rank is
  // ordering by id, without comparing strings.
  std::size_t id_rank(const Instrument& inst) const noexcept {
    return id_rank_[static_cast<std::size_t>(&inst - instruments_.data())];
  }
  // Instruments carrying sleeve role `s`, in file order.
  std::vector<const Instrument*> by_sleeve(Sleeve s) const;

  auto begin() const noexcept { return instruments_.begin(); }
  auto end() const noexcept { return instruments_.end(); }
  const std::vector<Instrument>& all() const noexcept { return instruments_; }

 private:
  std::vector<Instrument> instruments_;
  std::unordered_map<InstrumentId, std::size_t> index_;
  std::vector<std::size_t> id_rank_;  // by file position
};

}  // namespace af::config
