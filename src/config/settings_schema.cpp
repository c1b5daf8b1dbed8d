// The settings.yaml schema: one row per key (path, type, default, range, unit, meaning).
// The parser, the JSON dump, docs/CONFIGURATION.md's drift test and `config check` all read this
// table. Defaults are the original's values (original-system.md §2.1 and its module sections)
// unless SYSTEM.md changes them; the "why" of each number is in docs/CONFIGURATION.md.
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "config/schemas.hpp"

namespace af::config::detail {
namespace {

#define AT(member) [](auto& s) -> auto& { return s.member; }

using B = Builder<Settings>;

NumberRange frac() { return {0.0, 1.0}; }
NumberRange pos() { return {0.0, 1e300, true}; }
NumberRange nonneg() { return {0.0, 1e300}; }
NumberRange neg_frac() { return {-1.0, 0.0}; }
NumberRange between(double a, double b) { return {a, b}; }
NumberRange port() { return {1, 65535}; }

std::string parse_hhmm(const YAML::Node& n, int& minutes) {
  std::string what;
  auto s = parse_string(n, what, false);
  if (!s) return what;
  unsigned h = 0, m = 0;
  char colon = 0;
  if (s->size() != 5 || std::sscanf(s->c_str(), "%2u%c%2u", &h, &colon, &m) != 3 || colon != ':' ||
      h > 23 || m > 59) {
    return "expected a UTC time \"HH:MM\" (00:00-23:59), got " + describe(n);
  }
  minutes = static_cast<int>(h * 60 + m);
  return {};
}

std::string hhmm(int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); }

const std::vector<std::string> kWeekdays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string read_weekdays(std::vector<unsigned>& out, const YAML::Node& n) {
  if (!n.IsSequence() || n.size() == 0) {
    return "expected a non-empty list of weekdays (mon ... sun), got " + describe(n);
  }
  out.clear();
  for (const auto& item : n) {
    std::string what;
    auto d = parse_choice(item, kWeekdays, what);
    if (!d) return what;
    for (unsigned i = 0; i < kWeekdays.size(); ++i) {
      if (kWeekdays[i] == *d) out.push_back(i + 1);
    }
  }
  return {};
}

std::string read_listen(ListenAddress& out, const YAML::Node& n) {
  std::string what;
  auto s = parse_string(n, what, false);
  if (!s) return what;
  auto colon = s->rfind(':');
  int p = 0;
  if (colon == std::string::npos || colon == 0 ||
      std::sscanf(s->c_str() + colon + 1, "%d", &p) != 1 || p < 1 || p > 65535 ||
      std::to_string(p) != s->substr(colon + 1)) {
    return "expected \"host:port\" (port 1-65535), got " + describe(n);
  }
  out.host = s->substr(0, colon);
  out.port = p;
  return {};
}

std::string read_date(Date& out, const YAML::Node& n) {
  std::string what;
  auto s = parse_string(n, what, false);
  if (!s) return "expected a date \"YYYY-MM-DD\", got " + describe(n);
  auto d = Date::parse(*s);
  if (!d) return "expected a valid date \"YYYY-MM-DD\", got " + describe(n);
  out = *d;
  return {};
}

std::string read_currency(Currency& out, const YAML::Node& n) {
  std::string what;
  auto s = parse_string(n, what, false);
  if (!s) return what;
  auto c = parse_currency(*s);
  if (!c) return c.error().message + ", got " + describe(n);
  out = *c;
  return {};
}

template <class Acc>
Field<Settings> id_field(std::string path, Acc acc, std::string def, std::string doc) {
  return B::custom(
      std::move(path), "instrument id", std::move(def), "instrument id", "", std::move(doc),
      [acc](Settings& s, const YAML::Node& n, const Where&) {
        std::string what;
        auto v = parse_string(n, what, false);
        if (v) acc(s) = InstrumentId(*v);
        return what;
      },
      [acc](const Settings& s) { return nlohmann::json(acc(s).str()); });
}

std::vector<Field<Settings>> build() {
  std::vector<Field<Settings>> f;
  auto add = [&f](Field<Settings> x) { f.push_back(std::move(x)); };

  // ---- top level (original §2.1) ----
  add(B::enumeration("mode", AT(mode),
                     std::vector<std::pair<std::string, Mode>>{
                         {"sim", Mode::kSim}, {"paper", Mode::kPaper}, {"live", Mode::kLive}},
                     "sim",
                     "Trading mode (env MODE). sim = ibsim on loopback (embedded default); "
                     "paper/live = IB Gateway. Original default: paper."));
  add(B::string("environment", AT(environment), "development", "free text",
                "Deployment label reported by /health and in logs (env ENVIRONMENT)."));
  add(B::custom(
      "base_currency", "currency", "USD", "USD", "",
      "Currency NAV, P&L and limits are expressed in. Only USD is supported.",
      [](Settings& s, const YAML::Node& n, const Where&) -> std::string {
        std::string what = read_currency(s.base_currency, n);
        if (!what.empty()) return what;
        if (s.base_currency != Currency::USD) return "only USD is supported, got " + describe(n);
        return {};
      },
      [](const Settings& s) { return nlohmann::json(std::string(to_string(s.base_currency))); }));
  add(B::number("vol_target_annual", AT(vol_target_annual), {0, 1, true}, "0.12", "fraction/year",
                "Annualised portfolio volatility target for vol targeting."));
  add(B::number("gross_leverage_max", AT(gross_leverage_max), {0, 10, true}, "2.0", "x NAV",
                "Cap on the vol-targeting scaling; gross exposure / NAV limit on the final book."));
  add(B::number("net_leverage_max", AT(net_leverage_max), {0, 10, true}, "1.0", "x NAV",
                "|net exposure| / NAV limit on the final target book (enforced; unused in the "
                "original)."));
  add(B::number("rebalance_threshold_pct", AT(rebalance_threshold_pct), frac(), "0.02", "fraction",
                "Skip an order when |target weight - current weight| is below this."));
  add(B::number("hedge_budget_annual_pct", AT(hedge_budget_annual_pct), frac(), "0.025",
                "fraction of NAV/year",
                "Tail-hedge premium budget per calendar year, of NAV at 1 January."));
  add(B::number("max_drawdown_pct", AT(max_drawdown_pct), {0, 1, true}, "0.10", "fraction",
                "Drawdown magnitude at which regime = CRISIS and emergency de-risk fires."));
  add(B::integer("burn_in_days", AT(burn_in_days), {1, 1000}, "60", "sessions",
                 "Paper burn-in length before live is allowed."));

  // ---- sleeves ----
  add(B::section("sleeves", "Sleeve target weights (fractions of NAV); must sum to 1 (+/-1e-9)."));
  add(B::number("sleeves.core_index_rv", AT(sleeves.core_index_rv), frac(), kRequired, "fraction",
                "Core index relative value (long US index, short EU index). Original 0.35."));
  add(B::number("sleeves.sector_rv", AT(sleeves.sector_rv), frac(), kRequired, "fraction",
                "Sector relative value baskets. Original 0.25."));
  add(B::number("sleeves.single_name", AT(sleeves.single_name), frac(), kRequired, "fraction",
                "Single-name screen (US longs, EU shorts). Original 0.15."));
  add(B::number("sleeves.credit_carry", AT(sleeves.credit_carry), frac(), kRequired, "fraction",
                "Credit & carry (US credit long, EU credit short). Original 0.15."));
  add(B::number("sleeves.crisis_alpha", AT(sleeves.crisis_alpha), frac(), kRequired, "fraction",
                "Crisis alpha envelope (tail hedges). Original 0.05."));
  add(B::number("sleeves.cash_buffer", AT(sleeves.cash_buffer), frac(), kRequired, "fraction",
                "Cash kept unallocated. Original 0.05."));

  // ---- momentum ----
  add(B::section("momentum", "US/EU price-ratio trend signal (original §3.3.6)."));
  add(B::integer("momentum.short_window_days", AT(momentum.short_window_days), {2, 1000}, "50",
                 "sessions", "Short moving average of the US/EU ratio; < long_window_days."));
  add(B::integer("momentum.long_window_days", AT(momentum.long_window_days), {2, 2000}, "200",
                 "sessions", "Long moving average; also the minimum series length for a signal."));
  add(B::number("momentum.regime_reduce_factor", AT(momentum.regime_reduce_factor), frac(), "0.5",
                "factor", "Floor of the momentum exposure-reduction factor."));
  add(B::integer("momentum.slope_lookback_days", AT(momentum.slope_lookback_days), {1, 500}, "19",
                 "sessions", "Slope of the short MA = relative change over this many sessions."));

  // ---- crisis ----
  add(B::section("crisis", "Crisis regime trigger and crisis playbook (original §3.6.3)."));
  add(B::number("crisis.vix_threshold", AT(crisis.vix_threshold), pos(), "40", "VIX points",
                "VIX at/above which regime = CRISIS and the playbook adds hedges."));
  add(B::number("crisis.pnl_spike_threshold_pct", AT(crisis.pnl_spike_threshold_pct),
                {0, 1, true}, "0.10", "fraction",
                "Today's fund return at/above which profitable hedges are partly monetised."));
  add(B::number("crisis.crisis_redeploy_fraction", AT(crisis.crisis_redeploy_fraction), frac(),
                "0.6", "fraction", "Fraction of each profitable hedge sold on a P&L spike."));
  add(B::number("crisis.crisis_budget_fraction", AT(crisis.crisis_budget_fraction), frac(), "0.5",
                "fraction", "Share of the remaining hedge budget spent when VIX >= threshold."));
  add(B::number("crisis.crisis_vix_call_share", AT(crisis.crisis_vix_call_share), frac(), "0.6",
                "fraction", "Share of the crisis budget for VIX calls (rest: equity puts)."));

  // ---- risk ----
  add(B::section("risk", "Risk engine constants the original hard-coded (original §3.3)."));
  add(B::section("risk.regime", "Regime ladder thresholds besides the CRISIS ones."));
  add(B::number("risk.regime.vix_elevated", AT(risk.regime.vix_elevated), pos(), "25",
                "VIX points", "VIX at/above which regime = ELEVATED."));
  add(B::number("risk.regime.vix_recovery_max", AT(risk.regime.vix_recovery_max), pos(), "20",
                "VIX points", "RECOVERY requires VIX below this."));
  add(B::number("risk.regime.drawdown_elevated_pct", AT(risk.regime.drawdown_elevated_pct),
                neg_frac(), "-0.05", "fraction (negative)",
                "Drawdown at/below which regime = ELEVATED; RECOVERY needs DD >= this."));
  add(B::number("risk.regime.drawdown_normal_pct", AT(risk.regime.drawdown_normal_pct), neg_frac(),
                "-0.03", "fraction (negative)", "NORMAL requires drawdown above this."));
  add(B::number("risk.regime.vix_warning_level", AT(risk.regime.vix_warning_level), pos(), "30",
                "VIX points", "VIX above which the risk decision carries an 'Elevated VIX' warning."));
  add(B::number("risk.regime.vix_increase_hedges", AT(risk.regime.vix_increase_hedges), pos(), "25",
                "VIX points", "VIX above which the decision asks for more hedges."));
  add(B::number("risk.emergency_scaling", AT(risk.emergency_scaling), frac(), "0.25", "factor",
                "Scaling forced when drawdown <= -max_drawdown_pct (emergency de-risk)."));
  add(B::number("risk.crisis_reduce_factor", AT(risk.crisis_reduce_factor), frac(), "0.3",
                "factor", "Exposure reduction in CRISIS (applied once)."));
  add(B::number("risk.elevated_reduce_factor", AT(risk.elevated_reduce_factor), frac(), "0.75",
                "factor", "Exposure reduction in ELEVATED when momentum < threshold."));
  add(B::number("risk.elevated_momentum_threshold", AT(risk.elevated_momentum_threshold),
                between(-1, 1), "0.5", "signal",
                "ELEVATED reduction applies when momentum is below this."));
  add(B::integer("risk.var_window_days", AT(risk.var_window_days), {20, 5000}, "252", "sessions",
                 "Window for historical VaR / expected shortfall."));
  add(B::number("risk.nav_mismatch_halt_pct", AT(risk.nav_mismatch_halt_pct), {0, 1, true},
                "0.005", "fraction",
                "Reconciliation: broker NAV vs expected NAV difference that halts trading."));
  add(B::section("risk.vol_estimator", "Realized volatility estimator of the fund's returns."));
  add(B::enumeration("risk.vol_estimator.method", AT(risk.vol_estimator.method),
                     std::vector<std::pair<std::string, VolEstimator>>{
                         {"original_20_60", VolEstimator::kOriginal20_60},
                         {"ewma", VolEstimator::kEwma}},
                     "original_20_60",
                     "original_20_60: 20-day vol unless it exceeds switch_ratio x 60-day vol "
                     "(then 60-day); ewma: exponentially weighted with ewma_lambda."));
  add(B::integer("risk.vol_estimator.short_window_days", AT(risk.vol_estimator.short_window_days),
                 {2, 1000}, "20", "sessions", "Short window of original_20_60."));
  add(B::integer("risk.vol_estimator.long_window_days", AT(risk.vol_estimator.long_window_days),
                 {2, 2000}, "60", "sessions", "Long window of original_20_60; > short window."));
  add(B::number("risk.vol_estimator.switch_ratio", AT(risk.vol_estimator.switch_ratio),
                {1, 100}, "1.5", "ratio",
                "original_20_60 uses the long-window vol when short > ratio x long."));
  add(B::integer("risk.vol_estimator.min_observations", AT(risk.vol_estimator.min_observations),
                 {2, 1000}, "5", "returns", "Fewer returns than this -> the prior."));
  add(B::number("risk.vol_estimator.ewma_lambda", AT(risk.vol_estimator.ewma_lambda),
                {0, 1, true, true}, "0.94", "decay", "EWMA decay factor (RiskMetrics 0.94)."));
  add(B::number("risk.vol_estimator.prior_vol_annual", AT(risk.vol_estimator.prior_vol_annual),
                {0, 5, true}, "0.12", "fraction/year",
                "Prior volatility used with a short history (original: the target vol)."));
  add(B::integer("risk.vol_estimator.prior_days", AT(risk.vol_estimator.prior_days), {0, 1000},
                 "20", "returns", "History length over which the prior is blended out."));
  add(B::number("risk.vol_estimator.floor_vol_annual", AT(risk.vol_estimator.floor_vol_annual),
                {0, 5}, "0.04", "fraction/year", "Lower clamp of the estimate."));
  add(B::number("risk.vol_estimator.cap_vol_annual", AT(risk.vol_estimator.cap_vol_annual),
                {0, 5, true}, "0.60", "fraction/year", "Upper clamp of the estimate; > floor."));
  add(B::integer("risk.vol_estimator.trading_days_per_year",
                 AT(risk.vol_estimator.trading_days_per_year), {200, 366}, "252", "days",
                 "Annualisation factor (sqrt of it)."));
  add(B::section("risk.position_limits",
                 "Max |position value| per instrument by type, fraction of NAV (enforced pre-trade)."));
  add(B::number("risk.position_limits.etf_pct_nav", AT(risk.position_limits.etf_pct_nav), frac(),
                "0.15", "fraction of NAV", "ETF lines (instruments with etf: true)."));
  add(B::number("risk.position_limits.future_pct_nav", AT(risk.position_limits.future_pct_nav),
                frac(), "0.25", "fraction of NAV", "Futures, by notional (price x multiplier)."));
  add(B::number("risk.position_limits.option_pct_nav", AT(risk.position_limits.option_pct_nav),
                frac(), "0.05", "fraction of NAV", "Options, by premium value."));
  add(B::number("risk.position_limits.stock_pct_nav", AT(risk.position_limits.stock_pct_nav),
                frac(), "0.05", "fraction of NAV", "Single stocks."));
  add(B::section("risk.pre_trade", "Checks on every order before it is sent."));
  add(B::number("risk.pre_trade.max_order_notional_pct_nav",
                AT(risk.pre_trade.max_order_notional_pct_nav), {0, 10, true}, "0.20",
                "fraction of NAV", "Largest notional of one order."));
  add(B::number("risk.pre_trade.max_daily_turnover_pct_nav",
                AT(risk.pre_trade.max_daily_turnover_pct_nav), {0, 50, true}, "2.0",
                "fraction of NAV", "Sum of order notionals per trading day (the first day builds "
                "the whole book: up to ~1.7 x NAV at scaling 2)."));
  add(B::number("risk.pre_trade.price_collar_pct", AT(risk.pre_trade.price_collar_pct),
                {0, 1, true}, "0.05", "fraction",
                "Reject a limit price further than this from the last good price."));

  // ---- tail hedge ----
  add(B::section("tail_hedge", "Tail-hedge manager (original §3.6)."));
  add(B::section("tail_hedge.allocation", "Split of the hedge budget; must sum to 1."));
  add(B::number("tail_hedge.allocation.equity_puts", AT(tail_hedge.allocation.equity_puts), frac(),
                "0.40", "fraction", "Equity index puts."));
  add(B::number("tail_hedge.allocation.vix_calls", AT(tail_hedge.allocation.vix_calls), frac(),
                "0.20", "fraction", "VIX calls."));
  add(B::number("tail_hedge.allocation.credit_puts", AT(tail_hedge.allocation.credit_puts), frac(),
                "0.15", "fraction", "High-yield credit ETF puts."));
  add(B::number("tail_hedge.allocation.sovereign_spread",
                AT(tail_hedge.allocation.sovereign_spread), frac(), "0.15", "fraction",
                "Short OAT / long Bund futures spread."));
  add(B::number("tail_hedge.allocation.bank_puts", AT(tail_hedge.allocation.bank_puts), frac(),
                "0.10", "fraction", "European bank puts."));
  add(B::integer("tail_hedge.roll_dte_days", AT(tail_hedge.roll_dte_days), {0, 365}, "21", "days",
                 "Roll a hedge into a new contract when days to expiry <= this."));
  add(B::number("tail_hedge.target_coverage_of_remaining",
                AT(tail_hedge.target_coverage_of_remaining), frac(), "0.8", "fraction",
                "Premium targeted = this x remaining budget."));
  add(B::number("tail_hedge.gap_trigger_fraction", AT(tail_hedge.gap_trigger_fraction), frac(),
                "0.5", "fraction", "Buy a hedge type when its coverage < this x its target."));
  add(B::number("tail_hedge.realized_gain_recycle_fraction",
                AT(tail_hedge.realized_gain_recycle_fraction), frac(), "0.5", "fraction",
                "Share of realised hedge gains added back to the budget."));
  add(B::number("tail_hedge.vix_call_strike_multiple", AT(tail_hedge.vix_call_strike_multiple),
                {1, 10}, "1.5", "x VIX", "VIX call strike = max(min strike, this x VIX)."));
  add(B::number("tail_hedge.vix_call_min_strike", AT(tail_hedge.vix_call_min_strike), pos(), "30",
                "VIX points", "Lowest VIX call strike."));
  add(B::section("tail_hedge.premium_estimates",
                 "The original's premium guesses (original §3.6.2), for original-compatible sizing."));
  add(B::number("tail_hedge.premium_estimates.equity_put_pct_of_spot",
                AT(tail_hedge.premium_estimates.equity_put_pct_of_spot), frac(), "0.025",
                "fraction of spot", "Estimated equity put premium per unit of underlying."));
  add(B::number("tail_hedge.premium_estimates.credit_put_pct_of_spot",
                AT(tail_hedge.premium_estimates.credit_put_pct_of_spot), frac(), "0.02",
                "fraction of spot", "Estimated credit put premium."));
  add(B::number("tail_hedge.premium_estimates.bank_put_pct_of_spot",
                AT(tail_hedge.premium_estimates.bank_put_pct_of_spot), frac(), "0.03",
                "fraction of spot", "Estimated bank put premium."));
  add(B::number("tail_hedge.premium_estimates.vix_call_usd",
                AT(tail_hedge.premium_estimates.vix_call_usd), pos(), "2.0", "USD per unit",
                "Estimated VIX call premium (x100 per contract)."));
  add(B::number("tail_hedge.premium_estimates.sovereign_margin_per_pair_usd",
                AT(tail_hedge.premium_estimates.sovereign_margin_per_pair_usd), pos(), "5000",
                "USD", "Budget charged per OAT/Bund futures pair."));
  add(B::custom("tail_hedge.equity_puts", "map id -> weight", "{spy_etf: 0.6, fez_etf: 0.4}",
                "weights sum to 1", "fraction",
                "Option instruments for equity puts (crisis_alpha, sec_type OPT, right P).",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_weight_map(s.tail_hedge.equity_puts, n);
                },
                [](const Settings& s) { return write_weight_map(s.tail_hedge.equity_puts); }));
  add(B::custom("tail_hedge.vix_calls", "map id -> weight", "{vix_index: 1.0}", "weights sum to 1",
                "fraction", "Option instruments for VIX calls (right C).",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_weight_map(s.tail_hedge.vix_calls, n);
                },
                [](const Settings& s) { return write_weight_map(s.tail_hedge.vix_calls); }));
  add(B::custom("tail_hedge.credit_puts", "map id -> weight", "{hyg_etf: 1.0}", "weights sum to 1",
                "fraction", "Option instruments for credit puts.",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_weight_map(s.tail_hedge.credit_puts, n);
                },
                [](const Settings& s) { return write_weight_map(s.tail_hedge.credit_puts); }));
  add(B::custom("tail_hedge.bank_puts", "map id -> weight", "{eufn_etf: 1.0}", "weights sum to 1",
                "fraction", "Option instruments for bank puts.",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_weight_map(s.tail_hedge.bank_puts, n);
                },
                [](const Settings& s) { return write_weight_map(s.tail_hedge.bank_puts); }));
  add(id_field("tail_hedge.sovereign_short", AT(tail_hedge.sovereign_short), "france_oat",
               "Future sold in the sovereign spread hedge."));
  add(id_field("tail_hedge.sovereign_long", AT(tail_hedge.sovereign_long), "germany_bund",
               "Future bought in the sovereign spread hedge."));

  // ---- strategy ----
  add(B::section("strategy", "Sleeve construction (original §3.4)."));
  add(B::section("strategy.core_index_rv", "Core index relative value sleeve."));
  add(id_field("strategy.core_index_rv.us_long",
               AT(strategy.core_index_rv.us_long),
               "us_index_etf", "Long US index line."));
  add(id_field("strategy.core_index_rv.eu_short",
               AT(strategy.core_index_rv.eu_short),
               "eu_index_etf", "Short EU index line."));
  add(id_field("strategy.core_index_rv.fx_hedge",
               AT(strategy.core_index_rv.fx_hedge),
               "eurusd_micro", "EUR future sold to hedge the EUR notional of the short leg."));
  add(B::boolean("strategy.core_index_rv.fx_hedge_enabled",
                 AT(strategy.core_index_rv.fx_hedge_enabled), "true",
                 "Hedge the EUR leg with futures (the short EUR leg is partly its own hedge)."));
  add(B::section("strategy.sector_rv", "Sector relative value sleeve."));
  add(B::custom("strategy.sector_rv.us_long", "list of instrument ids",
                "[tech_xlk, tech_qqq, tech_smh, health_xlv, factor_qual]", "non-empty", "",
                "US long basket, equal weight.",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_id_list(s.strategy.sector_rv.us_long, n);
                },
                [](const Settings& s) { return write_id_list(s.strategy.sector_rv.us_long); }));
  add(B::custom("strategy.sector_rv.eu_short", "list of instrument ids",
                "[financials_eufn, value_ewg, value_ewu]", "non-empty", "",
                "EU short basket, equal weight.",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_id_list(s.strategy.sector_rv.eu_short, n);
                },
                [](const Settings& s) { return write_id_list(s.strategy.sector_rv.eu_short); }));
  add(B::boolean("strategy.sector_rv.redistribute_unusable",
                 AT(strategy.sector_rv.redistribute_unusable), "true",
                 "Re-weight a basket among its usable legs when a leg has no usable data."));
  add(B::section("strategy.single_name", "Single-name screen (original §3.5); the universe is "
                                         "every instrument with sleeve role single_name."));
  add(B::integer("strategy.single_name.n_long", AT(strategy.single_name.n_long), {0, 100}, "10",
                 "names", "Top-ranked US names held long."));
  add(B::integer("strategy.single_name.n_short", AT(strategy.single_name.n_short), {0, 100}, "10",
                 "names", "Top-ranked EU names held short."));
  add(B::number("strategy.single_name.min_market_cap_usd",
                AT(strategy.single_name.min_market_cap_usd), nonneg(), "50e9", "USD",
                "US long filter (needs fundamentals CSV)."));
  add(B::number("strategy.single_name.min_dollar_volume_usd",
                AT(strategy.single_name.min_dollar_volume_usd), nonneg(), "50e6", "USD/day",
                "US long filter: average volume x price."));
  add(B::integer("strategy.single_name.momentum_lookback_days",
                 AT(strategy.single_name.momentum_lookback_days), {22, 2000}, "252", "sessions",
                 "Momentum window (12 months)."));
  add(B::integer("strategy.single_name.momentum_skip_days",
                 AT(strategy.single_name.momentum_skip_days), {0, 250}, "21", "sessions",
                 "Most recent sessions skipped (12-minus-1-month momentum)."));
  add(B::string("strategy.single_name.fundamentals_csv", AT(strategy.single_name.fundamentals_csv),
                "\"\"", "path or empty",
                "Optional CSV of fundamentals (ROE, D/E ...); empty = price factors only."));
  add(id_field("strategy.single_name.fallback_short",
               AT(strategy.single_name.fallback_short),
               "financials_eufn", "Short line when the screen yields no shorts."));
  add(B::section("strategy.credit_carry", "Credit & carry sleeve."));
  add(B::number("strategy.credit_carry.us_long_share", AT(strategy.credit_carry.us_long_share),
                frac(), "0.70", "fraction of sleeve", "US credit long leg."));
  add(B::custom("strategy.credit_carry.us_long", "map id -> weight",
                "{ig_lqd: 0.40, hy_hyg: 0.25, loans_bkln: 0.20, bdc_arcc: 0.15}",
                "weights sum to 1", "fraction", "US credit long basket.",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_weight_map(s.strategy.credit_carry.us_long, n);
                },
                [](const Settings& s) { return write_weight_map(s.strategy.credit_carry.us_long); }));
  add(B::number("strategy.credit_carry.eu_short_share", AT(strategy.credit_carry.eu_short_share),
                frac(), "0.30", "fraction of sleeve",
                "EU credit short leg (placed, unlike the original)."));
  add(B::custom("strategy.credit_carry.eu_short", "map id -> weight", "{hy_ihyg: 1.0}",
                "weights sum to 1", "fraction", "EU credit short basket.",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_weight_map(s.strategy.credit_carry.eu_short, n);
                },
                [](const Settings& s) { return write_weight_map(s.strategy.credit_carry.eu_short); }));
  add(B::section("strategy.crisis_alpha", "Crisis alpha envelope."));
  add(B::number("strategy.crisis_alpha.stress_envelope_multiplier",
                AT(strategy.crisis_alpha.stress_envelope_multiplier), {1, 10}, "1.5", "x",
                "Envelope multiplier in ELEVATED/CRISIS."));

  // ---- execution ----
  add(B::section("execution", "Order planning and execution."));
  add(B::enumeration("execution.order_style", AT(execution.order_style),
                     std::vector<std::pair<std::string, OrderStyle>>{
                         {"marketable_limit", OrderStyle::kMarketableLimit},
                         {"market", OrderStyle::kMarket}},
                     "marketable_limit", "Marketable limit orders (default) or market orders."));
  add(B::number("execution.limit_offset_bps", AT(execution.limit_offset_bps), {0, 1000}, "10",
                "bps", "Marketable limit = last price +/- this (buy above, sell below)."));
  add(B::integer("execution.order_wait_seconds", AT(execution.order_wait_seconds), {1, 3600}, "30",
                 "seconds", "Wait for a fill before repricing (original: 30 s then abandon)."));
  add(B::integer("execution.max_reprice_attempts", AT(execution.max_reprice_attempts), {0, 20},
                 "3", "attempts", "Reprices before the order is cancelled at window end."));
  add(B::number("execution.min_trade_notional_usd", AT(execution.min_trade_notional_usd), nonneg(),
                "1000", "USD", "Skip orders below this notional."));
  add(B::number("execution.slippage_bps", AT(execution.slippage_bps), {0, 1000}, "5", "bps",
                "Simulated fill slippage (backtests, sim broker)."));
  add(B::integer("execution.session_open_buffer_minutes",
                 AT(execution.session_open_buffer_minutes), {0, 120}, "15", "minutes",
                 "No orders in the first minutes of the listing exchange's session."));
  add(B::integer("execution.session_close_buffer_minutes",
                 AT(execution.session_close_buffer_minutes), {0, 120}, "15", "minutes",
                 "No orders in the last minutes of the session."));
  add(B::section("execution.commission", "Commission model (amounts in USD)."));
  add(B::enumeration("execution.commission.model", AT(execution.commission.model),
                     std::vector<std::pair<std::string, CommissionModel>>{
                         {"ib_tiered", CommissionModel::kIbTiered},
                         {"fixed_bps", CommissionModel::kFixedBps}},
                     "ib_tiered", "IB tiered schedule or a flat bps of notional."));
  add(B::number("execution.commission.fixed_bps", AT(execution.commission.fixed_bps), {0, 1000},
                "2.0", "bps", "Commission of model fixed_bps."));
  add(B::number("execution.commission.stock_per_share_usd",
                AT(execution.commission.stock_per_share_usd), nonneg(), "0.0035", "USD/share",
                "IB tiered US stocks."));
  add(B::number("execution.commission.stock_min_per_order_usd",
                AT(execution.commission.stock_min_per_order_usd), nonneg(), "0.35", "USD",
                "IB tiered US stock minimum per order."));
  add(B::number("execution.commission.stock_max_pct_of_value",
                AT(execution.commission.stock_max_pct_of_value), frac(), "0.01", "fraction",
                "IB tiered US stock maximum per order."));
  add(B::number("execution.commission.eu_stock_pct_of_value",
                AT(execution.commission.eu_stock_pct_of_value), frac(), "0.0005", "fraction",
                "IB tiered European listings."));
  add(B::number("execution.commission.eu_stock_min_per_order_usd",
                AT(execution.commission.eu_stock_min_per_order_usd), nonneg(), "1.5", "USD",
                "Minimum per European order."));
  add(B::number("execution.commission.future_per_contract_usd",
                AT(execution.commission.future_per_contract_usd), nonneg(), "0.85",
                "USD/contract", "Futures."));
  add(B::number("execution.commission.option_per_contract_usd",
                AT(execution.commission.option_per_contract_usd), nonneg(), "0.65",
                "USD/contract", "Options."));
  add(B::number("execution.commission.fx_bps", AT(execution.commission.fx_bps), {0, 100}, "0.2",
                "bps", "FX conversions."));
  add(B::number("execution.commission.fx_min_per_order_usd",
                AT(execution.commission.fx_min_per_order_usd), nonneg(), "2.0", "USD",
                "FX minimum per order."));

  // ---- schedule ----
  add(B::section("schedule", "Daily run timing and IB maintenance windows (UTC)."));
  add(B::integer("schedule.run_hour_utc", AT(schedule.run_hour_utc), {0, 23}, "6", "hour (UTC)",
                 "Hour of the daily decision run; orders then wait for each listing's session."));
  add(B::integer("schedule.run_minute_utc", AT(schedule.run_minute_utc), {0, 59}, "0",
                 "minute (UTC)", "Minute of the daily decision run."));
  add(B::string("schedule.timezone", AT(schedule.timezone), "America/New_York", "IANA zone name",
                "Operator's display time zone (scheduling itself is UTC and per-exchange).",
                false));
  add(B::boolean("schedule.weekdays_only", AT(schedule.weekdays_only), "true",
                 "Run Monday-Friday only (plus exchange holiday calendars)."));
  {
    Field<Settings> list;
    list.path = "schedule.maintenance_windows";
    list.kind = FieldKind::kList;
    list.type = "list";
    list.default_yaml =
        "[{name: weekly_restart, days: [sun], start_utc: \"23:45\", end_utc: \"00:45\"}, "
        "{name: daily_disconnect, days: [mon, tue, wed, thu, fri], start_utc: \"22:00\", "
        "end_utc: \"22:15\"}]";
    list.doc = "IB maintenance windows that block order submission (SYSTEM.md §4 Scheduling).";
    list.enter = [](Settings& s, const std::string&, const Where&) {
      s.schedule.maintenance_windows.clear();
      return std::string{};
    };
    list.write = [](const Settings& s) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& w : s.schedule.maintenance_windows) {
        nlohmann::json days = nlohmann::json::array();
        for (unsigned d : w.iso_weekdays) days.push_back(kWeekdays[d - 1]);
        arr.push_back({{"name", w.name},
                       {"days", days},
                       {"start_utc", hhmm(w.start_minute_utc)},
                       {"end_utc", hhmm(w.end_minute_utc)}});
      }
      return arr;
    };
    add(list);
    Field<Settings> item;
    item.path = "schedule.maintenance_windows[]";
    item.kind = FieldKind::kSection;
    item.type = "map";
    item.doc = "One window.";
    item.enter = [](Settings& s, const std::string&, const Where&) {
      s.schedule.maintenance_windows.emplace_back();
      return std::string{};
    };
    add(item);
  }
  add(B::string("schedule.maintenance_windows[].name", AT(schedule.maintenance_windows.back().name),
                kRequired, "non-empty", "Window name (logs, run summary).", false));
  add(B::custom("schedule.maintenance_windows[].days", "list of weekdays", kRequired,
                "mon tue wed thu fri sat sun", "", "Days on which the window starts (UTC).",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_weekdays(s.schedule.maintenance_windows.back().iso_weekdays, n);
                }));
  add(B::custom("schedule.maintenance_windows[].start_utc", "time", kRequired, "00:00-23:59",
                "HH:MM UTC", "Start of the window.",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return parse_hhmm(n, s.schedule.maintenance_windows.back().start_minute_utc);
                }));
  add(B::custom("schedule.maintenance_windows[].end_utc", "time", kRequired, "00:00-23:59",
                "HH:MM UTC", "End of the window; earlier than start = ends the next day.",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return parse_hhmm(n, s.schedule.maintenance_windows.back().end_minute_utc);
                }));

  // ---- ibkr ----
  add(B::section("ibkr", "IB Gateway / ibsim connection."));
  add(B::string("ibkr.host", AT(ibkr.host), "127.0.0.1", "host name or address",
                "Gateway host (env IBKR_HOST; Docker: ibgateway).", false));
  add(B::integer("ibkr.port", AT(ibkr.port), {0, 65535}, "0", "TCP port",
                 "Gateway port override (env IBKR_PORT); 0 = the port of the mode below."));
  add(B::integer("ibkr.paper_port", AT(ibkr.paper_port), port(), "4002", "TCP port",
                 "Gateway port in paper mode."));
  add(B::integer("ibkr.live_port", AT(ibkr.live_port), port(), "4001", "TCP port",
                 "Gateway port in live mode."));
  add(B::integer("ibkr.sim_port", AT(ibkr.sim_port), port(), "4003", "TCP port",
                 "ibsim port in sim mode (loopback)."));
  add(B::integer("ibkr.client_id", AT(ibkr.client_id), {0, 999999}, "1", "",
                 "API client id of the engine's single connection."));
  add(B::integer("ibkr.timeout", AT(ibkr.timeout), {1, 600}, "30", "seconds",
                 "Connect and request timeout."));
  add(B::boolean("ibkr.readonly", AT(ibkr.readonly), "false",
                 "Read-only API session: the engine refuses to place orders."));
  add(B::integer("ibkr.startup_delay_seconds", AT(ibkr.startup_delay_seconds), {0, 3600}, "120",
                 "seconds", "Longest wait for the gateway API to become ready at start-up."));
  add(B::integer("ibkr.max_init_retries", AT(ibkr.max_init_retries), {0, 100}, "5", "attempts",
                 "Connection attempts before a run is declared failed."));
  add(B::integer("ibkr.init_retry_delay_seconds", AT(ibkr.init_retry_delay_seconds), {0, 3600},
                 "60", "seconds", "Delay between those attempts."));
  add(B::integer("ibkr.heartbeat_interval_seconds", AT(ibkr.heartbeat_interval_seconds), {1, 600},
                 "10", "seconds", "reqCurrentTime heartbeat period."));
  add(B::integer("ibkr.stall_timeout_seconds", AT(ibkr.stall_timeout_seconds), {1, 3600}, "30",
                 "seconds", "No activity for this long -> connection considered stalled."));
  add(B::integer("ibkr.heartbeat_fresh_seconds", AT(ibkr.heartbeat_fresh_seconds), {1, 3600}, "60",
                 "seconds", "Health: a heartbeat older than this is stale."));
  add(B::integer("ibkr.reconnect_delay_seconds", AT(ibkr.reconnect_delay_seconds), {0, 600}, "5",
                 "seconds", "First reconnect backoff (doubles, with jitter)."));
  add(B::integer("ibkr.max_reconnect_delay_seconds", AT(ibkr.max_reconnect_delay_seconds),
                 {1, 3600}, "120", "seconds", "Backoff cap."));
  add(B::integer("ibkr.max_reconnect_attempts", AT(ibkr.max_reconnect_attempts), {0, 1000}, "10",
                 "attempts", "Reconnect attempts before a critical alert (then keeps trying)."));
  add(B::integer("ibkr.max_messages_per_second", AT(ibkr.max_messages_per_second), {1, 50}, "45",
                 "messages/s", "Central pacing limiter (IB allows 50)."));

  // ---- database ----
  add(B::section("database", "State store. The PostgreSQL URL comes only from AF_DATABASE_URL."));
  add(B::enumeration("database.backend", AT(database.backend),
                     std::vector<std::pair<std::string, StateBackend>>{
                         {"sqlite", StateBackend::kSqlite}, {"postgres", StateBackend::kPostgres}},
                     "sqlite", "sqlite (embedded default) or postgres (production, required live)."));
  add(B::string("database.sqlite_path", AT(database.sqlite_path), "state/abstractfinance.sqlite",
                "path", "SQLite file (relative to the working directory).", false));
  add(B::string("database.host", AT(database.host), "localhost", "host",
                "PostgreSQL host (original key; informational when AF_DATABASE_URL is set).",
                false));
  add(B::integer("database.port", AT(database.port), port(), "5432", "TCP port",
                 "PostgreSQL port (original key)."));
  add(B::string("database.name", AT(database.name), "abstractfinance", "name",
                "PostgreSQL database name (original key).", false));

  // ---- monitoring ----
  add(B::section("monitoring", "Metrics and health endpoints."));
  add(B::integer("monitoring.prometheus_port", AT(monitoring.prometheus_port), port(), "9090",
                 "TCP port", "The Prometheus server's port (deployment stack)."));
  add(B::integer("monitoring.grafana_port", AT(monitoring.grafana_port), port(), "3000",
                 "TCP port", "Grafana's port (deployment stack)."));
  add(B::custom("monitoring.metrics_listen", "host:port", "\"127.0.0.1:8000\"", "host:port", "",
                "Engine /metrics listen address (loopback unless configured).",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_listen(s.monitoring.metrics_listen, n);
                },
                [](const Settings& s) { return nlohmann::json(s.monitoring.metrics_listen.str()); }));
  add(B::custom("monitoring.health_listen", "host:port", "\"127.0.0.1:8080\"", "host:port", "",
                "Engine /health and /ready listen address.",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_listen(s.monitoring.health_listen, n);
                },
                [](const Settings& s) { return nlohmann::json(s.monitoring.health_listen.str()); }));

  // ---- alerts ----
  add(B::section("alerts", "Telegram and e-mail alerts. Secrets come from the environment only."));
  add(B::boolean("alerts.enabled", AT(alerts.enabled), "true", "Master switch."));
  add(B::integer("alerts.max_delivery_attempts", AT(alerts.max_delivery_attempts), {1, 20}, "3",
                 "attempts", "Delivery attempts per alert and channel."));
  add(B::integer("alerts.retry_delay_seconds", AT(alerts.retry_delay_seconds), {0, 3600}, "30",
                 "seconds", "Delay between delivery attempts."));
  add(B::section("alerts.telegram", "Telegram Bot API (TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID)."));
  add(B::boolean("alerts.telegram.enabled", AT(alerts.telegram.enabled), "true",
                 "Telegram channel on (inactive, with a start-up warning, without token and chat id)."));
  add(B::section("alerts.email", "SMTP STARTTLS (EMAIL_* variables)."));
  add(B::boolean("alerts.email.enabled", AT(alerts.email.enabled), "false", "E-mail channel on."));
  add(B::string("alerts.email.smtp_host", AT(alerts.email.smtp_host), "\"\"", "host or empty",
                "SMTP server (env EMAIL_SMTP_HOST)."));
  add(B::integer("alerts.email.smtp_port", AT(alerts.email.smtp_port), port(), "587", "TCP port",
                 "SMTP port, STARTTLS (env EMAIL_SMTP_PORT)."));
  add(B::string("alerts.email.recipient", AT(alerts.email.recipient), "\"\"", "address or empty",
                "Recipient address (env EMAIL_RECIPIENT)."));
  add(B::string("alerts.email.sender", AT(alerts.email.sender), "\"\"", "address or empty",
                "From address; empty = the SMTP user name."));
  add(B::section("alerts.thresholds", "When the daily summary adds an alert."));
  add(B::number("alerts.thresholds.daily_loss_pct", AT(alerts.thresholds.daily_loss_pct),
                neg_frac(), "-0.03", "fraction", "Daily return at/below -> WARNING."));
  add(B::number("alerts.thresholds.daily_gain_pct", AT(alerts.thresholds.daily_gain_pct), frac(),
                "0.05", "fraction", "Daily return at/above -> INFO."));
  add(B::number("alerts.thresholds.hedge_budget_usage_pct",
                AT(alerts.thresholds.hedge_budget_usage_pct), {0, 10}, "0.90", "fraction",
                "Hedge budget usage at/above -> WARNING."));
  add(B::number("alerts.thresholds.drawdown_warning_pct",
                AT(alerts.thresholds.drawdown_warning_pct), neg_frac(), "-0.05", "fraction",
                "Drawdown at/below -> WARNING."));
  add(B::number("alerts.thresholds.drawdown_error_pct", AT(alerts.thresholds.drawdown_error_pct),
                neg_frac(), "-0.10", "fraction", "Drawdown at/below -> ERROR."));

  // ---- burn-in ----
  add(B::section("burn_in", "Paper burn-in gates (original §3.11)."));
  add(B::number("burn_in.min_sharpe", AT(burn_in.min_sharpe), between(-10, 10), "0.5", "ratio",
                "Minimum annualised Sharpe (risk-free backtest.risk_free_rate)."));
  add(B::number("burn_in.min_max_drawdown_pct", AT(burn_in.min_max_drawdown_pct), neg_frac(),
                "-0.15", "fraction", "Max drawdown must stay at/above this."));
  add(B::integer("burn_in.min_fills", AT(burn_in.min_fills), {0, 100000}, "50", "fills",
                 "Minimum fills during burn-in."));
  add(B::number("burn_in.max_rejection_rate", AT(burn_in.max_rejection_rate), frac(), "0.05",
                "fraction", "Broker rejections / orders sent, at most."));
  add(B::integer("burn_in.min_metric_days", AT(burn_in.min_metric_days), {1, 1000}, "20",
                 "sessions", "Fewer daily metrics -> 'insufficient data'."));

  // ---- portfolio ----
  add(B::section("portfolio", "The live book."));
  add(B::number("portfolio.new_book_initial_cash", AT(portfolio.new_book_initial_cash), pos(),
                "1000000", "USD",
                "Cash of a brand-new book in sim (ibsim account). paper/live use the broker's net "
                "liquidation, never backtest capital."));

  // ---- backtest ----
  add(B::section("backtest", "Backtests and Monte Carlo."));
  add(B::custom("backtest.start_date", "date", "\"2010-01-01\"", "YYYY-MM-DD", "",
                "First backtest day.",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_date(s.backtest.start_date, n);
                },
                [](const Settings& s) { return nlohmann::json(s.backtest.start_date.iso()); }));
  add(B::custom("backtest.end_date", "date or null", "null", "YYYY-MM-DD or null", "",
                "Last backtest day; null = last available data.",
                [](Settings& s, const YAML::Node& n, const Where&) -> std::string {
                  if (n.IsNull()) {
                    s.backtest.end_date.reset();
                    return {};
                  }
                  Date d;
                  std::string what = read_date(d, n);
                  if (what.empty()) s.backtest.end_date = d;
                  return what;
                },
                [](const Settings& s) {
                  return s.backtest.end_date ? nlohmann::json(s.backtest.end_date->iso())
                                             : nlohmann::json(nullptr);
                }));
  add(B::number("backtest.initial_capital", AT(backtest.initial_capital), pos(), "10000000", "USD",
                "Backtest and Monte Carlo capital only (never the live book)."));
  add(B::integer("backtest.monte_carlo_paths", AT(backtest.monte_carlo_paths), {1, 10000000},
                 "1000", "paths", "Default Monte Carlo paths (--paths)."));
  add(B::integer("backtest.monte_carlo_years", AT(backtest.monte_carlo_years), {1, 100}, "10",
                 "years", "Default Monte Carlo horizon (--years)."));
  add(B::number("backtest.risk_free_rate", AT(backtest.risk_free_rate), between(-0.1, 0.5), "0.02",
                "fraction/year", "Risk-free rate in Sharpe/Sortino."));
  add(B::enumeration("backtest.fill_model", AT(backtest.fill_model),
                     std::vector<std::pair<std::string, FillModel>>{
                         {"next_open", FillModel::kNextOpen}, {"same_close", FillModel::kSameClose}},
                     "next_open", "Simulated fill price: next session's open or today's close."));
  add(B::section("backtest.monte_carlo", "Monte Carlo defaults (command-line flags override)."));
  add(B::integer("backtest.monte_carlo.seed", AT(backtest.monte_carlo.seed), {0, 2147483647},
                 "42", "", "Seed (the original's 42)."));
  add(B::enumeration("backtest.monte_carlo.model", AT(backtest.monte_carlo.model),
                     std::vector<std::pair<std::string, MonteCarloModel>>{
                         {"spread", MonteCarloModel::kSpread},
                         {"strategy", MonteCarloModel::kStrategy}},
                     "spread", "spread = the original model; strategy = real decision code."));
  add(B::enumeration("backtest.monte_carlo.rng", AT(backtest.monte_carlo.rng),
                     std::vector<std::pair<std::string, MonteCarloRng>>{
                         {"numpy-legacy", MonteCarloRng::kNumpyLegacy},
                         {"fast", MonteCarloRng::kFast}},
                     "numpy-legacy", "numpy-legacy reproduces the original's numbers exactly."));
  add(B::integer("backtest.monte_carlo.threads", AT(backtest.monte_carlo.threads), {0, 1024}, "0",
                 "threads", "Worker threads; 0 = hardware concurrency. Results do not depend on it."));
  add(B::integer("backtest.monte_carlo.block_bootstrap_days",
                 AT(backtest.monte_carlo.block_bootstrap_days), {1, 1000}, "20", "sessions",
                 "Block length of the block bootstrap."));
  add(B::number("backtest.monte_carlo.significant_loss_pct",
                AT(backtest.monte_carlo.significant_loss_pct), neg_frac(), "-0.20", "fraction",
                "Final return below this counts as a significant loss."));

  // ---- quant assumptions ----
  add(B::section("quant_assumptions", "Monte Carlo spread model inputs (original §3.10.3)."));
  add(B::number("quant_assumptions.sp500_annual_return", AT(quant_assumptions.sp500_annual_return),
                between(-1, 1), "0.10", "fraction/year", "Drift of the US leg."));
  add(B::number("quant_assumptions.eurostoxx_annual_return",
                AT(quant_assumptions.eurostoxx_annual_return), between(-1, 1), "0.03",
                "fraction/year", "Drift of the EU leg."));
  add(B::number("quant_assumptions.index_volatility", AT(quant_assumptions.index_volatility),
                {0, 5, true}, "0.15", "fraction/year", "Annual volatility of each index."));
  add(B::number("quant_assumptions.correlation_us_eu", AT(quant_assumptions.correlation_us_eu),
                between(-1, 1), "0.82", "correlation", "US/EU correlation."));

  // ---- fx ----
  add(B::section("fx", "FX fallback chain: broker -> bar store -> this static table."));
  add(B::custom("fx.static_rates_as_of", "date", "\"2024-11-29\"", "YYYY-MM-DD", "",
                "Date of the static table (its age is reported with every fallback).",
                [](Settings& s, const YAML::Node& n, const Where&) {
                  return read_date(s.fx.static_rates_as_of, n);
                },
                [](const Settings& s) { return nlohmann::json(s.fx.static_rates_as_of.iso()); }));
  add(B::custom(
      "fx.static_rates_to_usd", "map currency -> number",
      "{EUR: 1.0547, GBP: 1.2699, CHF: 1.13353, JPY: 0.0066485}", "each > 0; USD implied 1",
      "USD per unit",
      "Last-resort rates (FRED H.10 noon rates of 2024-11-29, from the bundled data). Must cover "
      "every instrument currency.",
      [](Settings& s, const YAML::Node& n, const Where&) -> std::string {
        if (!n.IsMap()) return "expected a mapping CURRENCY: rate, got " + describe(n);
        s.fx.static_rates_to_usd.clear();
        for (const auto& kv : n) {
          Currency c{};
          std::string what = read_currency(c, kv.first);
          if (!what.empty()) return what;
          if (s.fx.static_rates_to_usd.count(c)) return "duplicate currency " + kv.first.Scalar();
          auto v = parse_number(kv.second, pos(), what);
          if (!v) return kv.first.Scalar() + ": " + what;
          if (c == Currency::USD && *v != 1.0) return "USD must be 1 if given";
          s.fx.static_rates_to_usd[c] = *v;
        }
        s.fx.static_rates_to_usd[Currency::USD] = 1.0;
        return {};
      },
      [](const Settings& s) {
        nlohmann::json j = nlohmann::json::object();
        for (const auto& [c, r] : s.fx.static_rates_to_usd) j[std::string(to_string(c))] = r;
        return j;
      }));
  add(B::integer("fx.max_rate_age_days", AT(fx.max_rate_age_days), {0, 3650}, "5", "days",
                 "Bar-store FX rates older than this fall through to the static table."));

  // ---- data quality ----
  add(B::section("data_quality", "Checks before any price is used (each failure is a flag)."));
  add(B::integer("data_quality.stale_sessions", AT(data_quality.stale_sessions), {1, 100}, "3",
                 "sessions", "No new bar for this many sessions -> stale."));
  add(B::number("data_quality.outlier_jump_pct", AT(data_quality.outlier_jump_pct), {0, 10, true},
                "0.25", "fraction", "|close/previous - 1| above this -> outlier."));
  add(B::number("data_quality.unit_jump_factor", AT(data_quality.unit_jump_factor), {2, 10000},
                "100", "ratio", "Price ratio of a unit confusion (GBX vs GBP)."));
  add(B::number("data_quality.unit_jump_tolerance_pct", AT(data_quality.unit_jump_tolerance_pct),
                {0, 1, false, true}, "0.2", "fraction",
                "Ratio within factor x (1 +/- tol), or its inverse -> unit jump."));
  add(B::integer("data_quality.min_history_days", AT(data_quality.min_history_days), {1, 10000},
                 "60", "sessions", "Fewer bars -> insufficient history."));
  add(B::integer("data_quality.vix_proxy_window_days", AT(data_quality.vix_proxy_window_days),
                 {2, 1000}, "20", "sessions",
                 "Window of the realized-vol VIX proxy (flagged as proxy)."));

  // ---- data ----
  add(B::section("data", "Local data locations."));
  add(B::string("data.dir", AT(data.dir), "data", "path", "Bundled CSVs and their provenance.",
                false));
  add(B::string("data.bar_store_path", AT(data.bar_store_path), "state/bars.sqlite", "path",
                "SQLite bar store.", false));
  add(B::integer("data.cache_ttl_seconds", AT(data.cache_ttl_seconds), {0, 86400}, "60", "seconds",
                 "In-process quote cache lifetime."));
  return f;
}

#undef AT

}  // namespace

const std::vector<Field<Settings>>& settings_fields() {
  static const std::vector<Field<Settings>> kFields = build();
  return kFields;
}

}  // namespace af::config::detail
