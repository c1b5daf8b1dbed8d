// backtest/metrics.hpp — performance metrics of a daily NAV series (historical backtests, Monte
// Carlo paths, the live book's history). Pure functions; thread-safe; no I/O.
//
// Every formula and convention is in docs/METRICS.md. The essentials:
//   * Input: N + 1 NAV points (the first is the starting capital) → N daily returns
//     r_t = NAV_t / NAV_{t−1} − 1. Years = N / periods_per_year (252).
//   * Standard deviations are sample (ddof = 1); higher moments are population (scipy defaults).
//   * Drawdowns are ≤ 0 (−0.12 = 12 % below the running peak, peak includes NAV_0).
//   * VaR and ES are positive loss fractions (VaR95 = 0.02 means a 2 % daily loss).
//   * A metric that is undefined for the data (e.g. Sharpe with zero volatility) is NaN (JSON null).
// Units: returns and drawdowns are fractions; money (costs, hedge spend, turnover notional) is in
// the NAV's currency.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"

namespace af::backtest {

struct MetricsConventions {
  int periods_per_year = 252;   // annualisation
  double risk_free_rate = 0.02; // annual, subtracted from CAGR in Sharpe/Sortino (settings backtest.risk_free_rate)
};

// One executed trade (or one day's aggregate), for the trading metrics.
struct TradeRecord {
  Date date;
  std::string instrument;
  double notional = 0;  // |quantity × price| traded, ≥ 0, NAV currency
  double cost = 0;      // commissions + slippage + fees, ≥ 0, NAV currency
  bool hedge_premium = false;  // a tail-hedge purchase: its notional is premium spent
};

// A sleeve's daily series, aligned with the portfolio's returns (N values).
struct SleeveSeries {
  std::string name;
  std::vector<double> returns;        // sleeve return on its own capital, per day
  std::vector<double> contributions;  // sleeve P&L / NAV_{t−1}, per day (sums to ≈ portfolio return)
};

struct MetricsInput {
  std::vector<Date> dates;  // N + 1 ascending dates; dates[0] is the starting point
  std::vector<double> nav;  // N + 1 positive NAV values
  // Optional benchmark legs: daily returns aligned with the portfolio's returns (N values each).
  std::vector<double> us_leg_returns;
  std::vector<double> eu_leg_returns;
  std::vector<SleeveSeries> sleeves;
  std::vector<TradeRecord> trades;
};

struct DrawdownEpisode {
  Date peak;                    // last date at the running peak before the fall
  Date trough;                  // date of the lowest NAV of the episode
  std::optional<Date> recovery; // first date back at or above the peak NAV; none if not yet
  double depth = 0;             // NAV_trough / NAV_peak − 1 (≤ 0)
  int length_days = 0;          // trading days under water (dd < 0) in the episode
};

struct DatedValue {
  Date date;
  double value = 0;
};

struct MonthlyReturn {
  int year = 0;
  unsigned month = 0;  // 1..12
  double value = 0;    // NAV at month's last point / NAV at previous month's last point − 1
};

struct SleeveMetrics {
  std::string name;
  double total_return = 0;   // Π(1 + r) − 1
  double annual_return = 0;  // (1 + total)^(252/N) − 1
  double volatility = 0;     // sample std × √252
  double sharpe = 0;         // (annual_return − rf) / volatility
  double contribution = 0;   // Σ contributions (fraction of NAV)
};

struct LegMetrics {
  double beta = 0;         // cov(r, leg) / var(leg)
  double correlation = 0;  // Pearson
};

struct PerformanceMetrics {
  Date start, end;
  int trading_days = 0;  // N returns
  double years = 0;      // N / 252
  // Returns
  double total_return = 0;
  double cagr = 0;               // (1 + total)^(1/years) − 1 ("annual return" of the original)
  double annual_return_arithmetic = 0;  // mean daily return × 252
  double volatility = 0;         // sample std × √252
  double sharpe = 0;             // (cagr − rf) / volatility
  double sortino = 0;            // (cagr − rf) / downside deviation
  double downside_deviation = 0; // √(Σ min(r, 0)² / N) × √252
  double calmar = 0;             // cagr / |max_drawdown|
  // Drawdowns
  double max_drawdown = 0;  // ≤ 0
  Date max_drawdown_peak, max_drawdown_trough;
  std::optional<Date> max_drawdown_recovery;
  double average_drawdown = 0;  // mean episode depth (≤ 0), 0 without episodes
  int longest_drawdown_days = 0;
  double time_under_water = 0;  // share of days with dd < 0
  std::vector<DrawdownEpisode> drawdown_episodes;
  std::vector<double> drawdown_series;  // N + 1 values, dd at each date
  // Tails (positive losses)
  double var_95 = 0, var_99 = 0;
  double es_95 = 0, es_99 = 0;
  double skew = 0;
  double excess_kurtosis = 0;
  // Trading
  double hit_rate = 0;        // share of days with r > 0
  double profit_factor = 0;   // Σ daily gains / |Σ daily losses| (currency P&L)
  DatedValue best_day, worst_day;
  MonthlyReturn best_month, worst_month;
  std::vector<MonthlyReturn> monthly_returns;
  double traded_notional = 0;
  double turnover_annual = 0;  // traded notional / mean NAV / years
  double costs = 0;
  double costs_annual_pct_nav = 0;  // costs / mean NAV / years
  double hedge_spend = 0;
  double hedge_spend_annual_pct_nav = 0;
  // Attribution and benchmark legs
  std::vector<SleeveMetrics> sleeves;
  std::optional<LegMetrics> us_leg, eu_leg;
};

// Daily simple returns of a NAV series (N + 1 values → N returns).
std::vector<double> daily_returns(const std::vector<double>& nav);

// Validates the input (lengths, ascending dates, positive NAV, at least 2 points) and computes
// every metric. Error{kInvalidArgument} names the offending field.
Result<PerformanceMetrics> compute_metrics(const MetricsInput& input,
                                           const MetricsConventions& conventions = {});

// Building blocks (also used by reports and the Monte Carlo):
// Historical VaR at `confidence` (0.95): −percentile_linear(r, 100·(1 − confidence)).
double historical_var(const std::vector<double>& returns, double confidence);
// Expected shortfall: −mean of the returns ≤ the (1 − confidence) percentile.
double historical_es(const std::vector<double>& returns, double confidence);
double skewness(const std::vector<double>& x);         // population: m3 / m2^1.5
double excess_kurtosis(const std::vector<double>& x);  // population: m4 / m2² − 3
double correlation(const std::vector<double>& x, const std::vector<double>& y);
double beta(const std::vector<double>& y, const std::vector<double>& x);  // cov(y, x) / var(x)

}  // namespace af::backtest
