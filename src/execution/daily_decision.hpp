// execution/daily_decision.hpp — one trading day's decision, the single code path that the
// `plan` command, the backtest, Monte Carlo and the live engine all call (SYSTEM.md §3, §4).
//
//   valuation (NAV in USD, FX used) -> risk decision (vol, regime, momentum, scaling: final)
//   -> sleeve targets -> position limits and gross/net leverage limits on the target book
//   -> tail hedges (rolls, gap fills) and the crisis playbook on today's return
//   -> order plan (drift/min-notional skips, prices, pre-trade checks)
// Pure: no I/O, no clock, no randomness. The caller supplies the market view built from data
// up to `as_of` only.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "execution/order_planner.hpp"
#include "portfolio/portfolio.hpp"
#include "risk/decision.hpp"
#include "risk/leverage.hpp"
#include "risk/params.hpp"
#include "strategy/market_view.hpp"
#include "strategy/screen.hpp"
#include "strategy/sleeves.hpp"
#include "strategy/tail_hedge.hpp"

namespace af::execution {

// The risk module's parameters from the settings (one mapping, used everywhere).
risk::RiskParams risk_params_from(const config::Settings& settings);

struct DecisionInputs {
  const config::Config* config = nullptr;
  const strategy::MarketView* market = nullptr;
  std::span<const double> us_eu_ratio;          // oldest first, up to as_of (momentum)
  // Optional: the values of book.nav_history(), oldest first, when the caller keeps them in an
  // array (the backtest does; reading the map costs O(days) per day). Every recorded date must be
  // before as_of (checked). Empty: read from the book.
  std::span<const double> nav_history_usd;
  const strategy::Fundamentals* fundamentals = nullptr;
  // Optional: strategy::run_screen(*config, *market, fundamentals), computed ahead by the caller
  // (see StrategyInputs::screen). Null: computed here.
  std::shared_ptr<const strategy::ScreenResult> screen;
  // Optional: the caller's book is already marked and valued on market.as_of, with this result
  // (its option hedges by strategy::mark_hedges with the settings' risk-free rate, then
  // Portfolio::value with market.prices and market.fx). decide_day then reads the positions in
  // place and copies only the active hedges, instead of copying and valuing the whole book.
  // Null: the working copy is marked and valued here.
  const portfolio::Valuation* valuation = nullptr;
  int session = 1;
  double turnover_used_today_usd = 0.0;
  std::set<InstrumentId> locked;
};

// A target cut by a limit on the final book.
struct TargetAdjustment {
  InstrumentId instrument;
  config::Sleeve sleeve = config::Sleeve::kCoreIndexRv;
  Quantity before = 0.0, after = 0.0;
  std::string reason;
};

struct DailyDecision {
  Date as_of;
  portfolio::Valuation valuation;
  std::vector<double> nav_history_usd;   // used for risk: history before as_of, then today's NAV
  std::optional<double> today_return;    // today's NAV vs the previous recorded NAV
  risk::RiskDecision risk;
  strategy::StrategyOutput strategy;     // lines already adjusted by the limits below
  std::vector<TargetAdjustment> limit_adjustments;
  risk::LeverageAdjustment leverage;
  strategy::HedgePlan hedges;            // rolls and coverage-gap fills (tail-hedge manager)
  strategy::CrisisAction crisis;         // the crisis playbook on today's return
  strategy::HedgeSummary hedge_summary;  // the hedge book before today's hedge orders
  OrderPlan plan;
};

// The caller's book is unchanged: the valuation refreshes the marks of a working copy of its
// positions, cash and hedge book (its NAV history is read in place, not copied), unless the
// caller passes its own valuation (DecisionInputs::valuation).
Result<DailyDecision> decide_day(const portfolio::Portfolio& book, const DecisionInputs& in);

}  // namespace af::execution
