// backtest/backtest.hpp — the historical backtest: the REAL decision code (execution::decide_day,
// the one path shared with `plan` and the live engine) run day by day over bar history, with
// fills from the simulated broker (sim_broker.hpp) applied to a portfolio::Portfolio
// (SYSTEM.md §4 Backtest; issue 4).
//
// One backtest day t (every date of MarketHistory::trading_dates, i.e. the core US series):
//   1. interest on the cash held since the previous day (SimBroker::interest);
//   2. next_open: the orders decided on the previous day fill at today's open;
//   3. the market snapshot of t (data up to t only) and the book valued at the close of t;
//   4. decide_day(book, snapshot) -> risk (scaling, regime), targets, order plan;
//   5. same_close: the plan fills at today's close, then the book is valued again;
//      next_open: the plan waits for tomorrow's open;
//   6. the hedge book marked (option hedges at their Black–Scholes value), then the book valued:
//      NAV(t) = positions + cash + option hedges (Portfolio::value), the same NAV decide_day and
//      the risk code see; the book's NAV history records it.
// Tail-hedge orders: options fill at the decision's model price (reference price) plus slippage,
// move cash and go to the hedge book (apply_hedge_fill), not to the positions; futures hedges are
// positions and are also recorded in the hedge book. Expired options settle at intrinsic value.
// The hedge budget year is rolled on this book every day (decide_day works on a copy).
// The first day starts from a cash-only book of `initial_capital` USD. Orders that do not fill
// are dropped (the next day re-plans from the book, as the live engine cancels at the end of its
// window). A decision error (e.g. NAV <= 0) stops the backtest with the date in the message.
//
// Attribution (per (instrument, sleeve) position, USD, at each day's close):
//   holding P&L  q_prev x (mark_t x fx_t - mark_prev x fx_prev) x units x multiplier   (cash-paid)
//                q_prev x (mark_t - mark_prev) x units x multiplier x fx_t              (futures)
//   trade P&L    q_fill x (mark_t - fill price) x units x multiplier x fx_t - commission
// summed per sleeve; what remains of the NAV change (interest, FX on cash balances) is
// "cash_fx_financing". Contribution = P&L / NAV(t-1); sleeve return = P&L / (NAV(t-1) x the
// sleeve's configured weight).
//
// Pure apart from the optional callbacks: no I/O, no clock. Trading state (book, fills, decisions)
// lives on the calling thread; market snapshots may be computed ahead on one helper thread.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backtest/metrics.hpp"
#include "backtest/sim_broker.hpp"
#include "config/config.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "execution/daily_decision.hpp"
#include "strategy/market_history.hpp"

namespace af::backtest {

inline constexpr std::size_t kSleeveCount = std::size(config::kAllSleeves);

struct BacktestOptions {
  Date from;
  Date to;
  double initial_capital = 10'000'000.0;  // USD (settings backtest.initial_capital)
  SimBrokerSettings broker;
  // Compute each day's market snapshot and single-name screen (market data only) on a helper
  // thread ahead of the decisions (same results; the decisions, fills and the book stay on the
  // calling thread).
  bool prefetch_snapshots = true;
  // Keep the execution records (BacktestResult::executions) and attribute each day's P&L to the
  // sleeves (BacktestDay::sleeve_pnl_usd, other_pnl_usd). Off: both stay empty / zero; NAV, fill
  // counts and every other field are unchanged (the full-strategy Monte Carlo reads only those).
  bool record_details = true;
  // Optional observers (tests, progress bar). on_progress(done, total) after each day.
  std::function<void(std::size_t, std::size_t)> on_progress;
  std::function<void(const execution::DailyDecision&)> on_decision;
};

// The options from the settings, for [from, to].
BacktestOptions backtest_options_from(const config::Settings& settings, Date from, Date to);

// One row per backtest day (values at the close, after that day's fills).
struct BacktestDay {
  Date date;
  double nav_usd = 0.0;
  double daily_return = 0.0;   // vs the previous day's NAV (0 on the first day)
  double drawdown = 0.0;       // NAV / running peak - 1 (<= 0)
  double scaling = 0.0;        // the decision's final scaling
  risk::Regime regime = risk::Regime::kNormal;
  double vol_annual = 0.0;     // the risk decision's volatility estimate
  std::optional<double> vix;   // the level the risk code saw
  bool vix_is_proxy = false;
  double gross_exposure_usd = 0.0;
  double net_exposure_usd = 0.0;
  std::array<double, kSleeveCount> sleeve_gross_usd{};  // config::kAllSleeves order
  std::array<double, kSleeveCount> sleeve_net_usd{};
  std::array<double, kSleeveCount> sleeve_pnl_usd{};
  double other_pnl_usd = 0.0;  // cash, FX on cash balances and financing (the residual)
  double interest_usd = 0.0;
  double traded_notional_usd = 0.0;
  double commission_usd = 0.0;
  double slippage_usd = 0.0;
  double hedge_spend_usd = 0.0;  // option premium bought (crisis-alpha hedges)
  int orders_planned = 0;
  int orders_filled = 0;
  int orders_unfilled = 0;
  int orders_rejected = 0;       // pre-trade rejections and skips reported by the planner
  std::optional<double> us_leg_usd;  // the core US / EU instruments' prices in USD (benchmarks)
  std::optional<double> eu_leg_usd;
};

// Where each priced instrument's data came from.
struct SeriesUse {
  InstrumentId instrument;
  std::string series;
  std::string kind;  // "real" | "synthetic"
  std::string notes;
  int days_priced = 0;
  int days_unusable = 0;
  std::string last_unusable_reason;
};

struct BacktestResult {
  Date from, to;
  double initial_capital = 0.0;
  SimBrokerSettings broker;
  std::vector<BacktestDay> days;
  std::vector<SimExecution> executions;  // every planned order, filled or not, in order
  std::vector<SeriesUse> series;         // every instrument, config order
  InstrumentId us_leg, eu_leg;
  std::array<double, kSleeveCount> sleeve_weights{};  // configured weights, kAllSleeves order
  std::vector<std::string> notes;        // modelling assumptions and warnings, for the report
  int fills_at_close_for_lack_of_open = 0;
};

// Runs the backtest over the trading dates of `history` within [options.from, options.to].
// Errors: no trading date in the range, a decision or fill error (message names the date).
Result<BacktestResult> run_backtest(const config::Config& config, const strategy::MarketHistory& history,
                                    const BacktestOptions& options);

// The metrics input of a result (NAV, legs, sleeves, trades) and the metrics themselves.
MetricsInput metrics_input(const BacktestResult& result);
Result<PerformanceMetrics> backtest_metrics(const BacktestResult& result, double risk_free_rate);

}  // namespace af::backtest
