// backtest/sim_broker.hpp — the simulated broker of the historical backtest (SYSTEM.md §4
// Backtest; issue 4 item 1): turns the order plan of decide_day into fills, commissions,
// slippage and interest on cash. Pure: no I/O, no clock, no randomness; thread-safe (const).
//
// Fill model (settings backtest.fill_model):
//   * next_open (default): an order decided on day t with the close of t fills at the OPEN of the
//     next backtest trading day t+1 — the first price the decision could really trade at. A series
//     without opens (close-only sources) fills at that day's close instead (counted in
//     SimExecution::used_close_for_open). No bar for the instrument on t+1 -> not filled
//     ("no_bar"); the order is not carried over: the next decision re-plans from the book.
//   * same_close: the order fills at the close of day t, the price it was decided on (optimistic:
//     a market-on-close assumption; useful to isolate the strategy from overnight gaps).
// Price after slippage (execution.slippage_bps, always against the trader):
//     buy  fill = market x (1 + bps/10 000)      sell fill = market x (1 - bps/10 000)
// Marketable limit orders fill only when that price is within the limit (buy fill <= limit,
// sell fill >= limit); otherwise "limit_not_reached". Market orders always fill.
// Whole quantity or nothing (daily bars carry no volume profile to justify partial fills).
//
// Commissions (execution.commission; amounts are USD and converted to the listing currency at
// the fill day's FX, so cash pays them in the listing currency):
//   fixed_bps:  fixed_bps / 10 000 x traded value (USD)
//   ib_tiered:  STK in USD:    max(min_per_order, per_share x |q|), capped at max_pct x value
//               STK in others: max(eu_min_per_order, eu_pct x value)
//               FUT:           per_contract x |q|        OPT: per_contract x |q|
//               CASH:          max(fx_min_per_order, fx_bps / 10 000 x value)
//   traded value (USD) = |q| x fill price (currency units, GBX -> GBP) x multiplier x FX.
//
// Interest on cash (ACT/360, money-market convention), per currency balance, for the calendar
// days from the previous backtest day to the current one (weekends and holidays included):
//   balance >= 0: balance x risk_free_rate x days / 360      (settings backtest.risk_free_rate)
//   balance <  0: balance x (risk_free_rate + borrow_spread) x days / 360
// One flat rate for every currency and every year (the bundle has no rate curves); no stock
// borrow fee on short positions: short-sale proceeds earn the same rate. Both are
// simplifications stated in the report.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "core/types.hpp"
#include "execution/order_planner.hpp"
#include "marketdata/fx.hpp"
#include "portfolio/portfolio.hpp"

namespace af::backtest {

struct SimBrokerSettings {
  config::FillModel fill_model = config::FillModel::kNextOpen;
  config::CommissionSettings commission;
  double slippage_bps = 5.0;
  double cash_rate_annual = 0.02;      // settings backtest.risk_free_rate
  // Extra annual rate charged on negative cash balances (a broker's margin spread over the
  // benchmark rate). Not in settings.yaml yet: a named default here.
  double borrow_spread_annual = 0.005;
  double day_count_basis = 360.0;      // ACT/360
};

// The simulated broker's parameters from the settings (one mapping).
SimBrokerSettings sim_broker_settings_from(const config::Settings& settings);

// Prices of one instrument on the fill day, in the instrument's price unit; NaN = absent.
struct ExecutionPrices {
  double open = 0.0;
  double close = 0.0;
};

// What happened to one planned order.
struct SimExecution {
  execution::PlannedOrder order;
  Date decision_date;
  Date fill_date;
  bool filled = false;
  std::string unfilled_reason;     // "no_bar" | "limit_not_reached" (when !filled)
  bool used_close_for_open = false;
  double market_price = 0.0;       // open or close used, price unit (NaN when no bar)
  double fill_price = 0.0;         // after slippage, price unit
  Quantity signed_quantity = 0.0;  // buy > 0
  double fx_usd_per_unit = 1.0;    // listing currency -> USD on the fill day
  double notional_usd = 0.0;       // |q| x fill x multiplier x FX (>= 0)
  double slippage_usd = 0.0;       // |q| x |fill - market| x multiplier x FX (>= 0)
  Money commission{0.0, Currency::USD};  // in the listing currency
  double commission_usd = 0.0;
  bool hedge_premium = false;      // an option bought: its notional is premium spent (hedge spend)
};

class SimBroker {
 public:
  SimBroker(const config::InstrumentUniverse& universe, SimBrokerSettings settings);

  const SimBrokerSettings& settings() const noexcept { return settings_; }

  // Executes one planned order on `fill_date` against `prices` (the instrument's bar that day;
  // nullopt = no bar). Errors: unknown instrument, FX unavailable.
  Result<SimExecution> execute(const execution::PlannedOrder& order, Date decision_date, Date fill_date,
                               const std::optional<ExecutionPrices>& prices,
                               const marketdata::FxRates& fx) const;

  // Commission in USD for a fill of |quantity| at `fill_price` (price unit) whose traded value
  // is `value_usd`.
  Result<double> commission_usd(const config::Instrument& instrument, Quantity quantity, double value_usd) const;

  // The book fills of an execution: one per sleeve of the order's allocation (signed change per
  // sleeve), the commission split pro rata to |quantity|. Empty when not filled.
  std::vector<portfolio::Fill> book_fills(const SimExecution& execution) const;

  // Interest per currency for the cash balances held from `from` to `to` (to > from), in each
  // balance's currency (negative = charged).
  std::map<Currency, double> interest(const std::map<Currency, double>& cash, Date from, Date to) const;

 private:
  const config::InstrumentUniverse* universe_;
  SimBrokerSettings settings_;
};

}  // namespace af::backtest
