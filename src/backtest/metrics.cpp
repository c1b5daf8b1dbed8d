#include "backtest/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "backtest/statistics.hpp"

namespace af::backtest {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Error invalid(const std::string& message) {
  return Error{ErrorCode::kInvalidArgument, "metrics: " + message};
}

double ratio_or_nan(double numerator, double denominator) {
  return denominator > 0.0 ? numerator / denominator : kNaN;
}

// Central moment of order k (population).
double central_moment(const std::vector<double>& x, double m, int k) {
  double s = 0.0;
  for (double v : x) s += std::pow(v - m, k);
  return s / static_cast<double>(x.size());
}

double covariance(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = mean(x), my = mean(y);
  double s = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) s += (x[i] - mx) * (y[i] - my);
  return s / static_cast<double>(x.size() - 1);
}

void compute_drawdowns(const MetricsInput& in, PerformanceMetrics& m) {
  const auto& nav = in.nav;
  m.drawdown_series.assign(nav.size(), 0.0);
  double peak = nav[0];
  std::size_t peak_index = 0;
  std::optional<DrawdownEpisode> open;
  double open_trough_nav = 0.0;
  int under_water = 0;
  for (std::size_t t = 0; t < nav.size(); ++t) {
    if (nav[t] >= peak) {
      if (open) {
        open->recovery = in.dates[t];
        m.drawdown_episodes.push_back(*open);
        open.reset();
      }
      peak = nav[t];
      peak_index = t;
      continue;
    }
    m.drawdown_series[t] = nav[t] / peak - 1.0;
    ++under_water;
    if (!open) {
      open = DrawdownEpisode{in.dates[peak_index], in.dates[t], std::nullopt, 0.0, 0};
      open_trough_nav = nav[t];
      open->depth = m.drawdown_series[t];
    }
    ++open->length_days;
    if (nav[t] < open_trough_nav) {
      open_trough_nav = nav[t];
      open->trough = in.dates[t];
      open->depth = m.drawdown_series[t];
    }
  }
  if (open) m.drawdown_episodes.push_back(*open);

  m.max_drawdown_peak = m.max_drawdown_trough = in.dates[0];
  double depth_sum = 0.0;
  for (const auto& e : m.drawdown_episodes) {
    depth_sum += e.depth;
    m.longest_drawdown_days = std::max(m.longest_drawdown_days, e.length_days);
    if (e.depth < m.max_drawdown) {
      m.max_drawdown = e.depth;
      m.max_drawdown_peak = e.peak;
      m.max_drawdown_trough = e.trough;
      m.max_drawdown_recovery = e.recovery;
    }
  }
  if (!m.drawdown_episodes.empty()) m.average_drawdown = depth_sum / static_cast<double>(m.drawdown_episodes.size());
  m.time_under_water = static_cast<double>(under_water) / static_cast<double>(nav.size() - 1);
}

void compute_months(const MetricsInput& in, PerformanceMetrics& m) {
  const auto& nav = in.nav;
  double base = nav[0];
  for (std::size_t t = 1; t < nav.size(); ++t) {
    const bool last_of_month = t + 1 == nav.size() || in.dates[t + 1].month() != in.dates[t].month() ||
                               in.dates[t + 1].year() != in.dates[t].year();
    if (!last_of_month) continue;
    m.monthly_returns.push_back({in.dates[t].year(), in.dates[t].month(), nav[t] / base - 1.0});
    base = nav[t];
  }
  const auto by_value = [](const MonthlyReturn& a, const MonthlyReturn& b) { return a.value < b.value; };
  m.best_month = *std::max_element(m.monthly_returns.begin(), m.monthly_returns.end(), by_value);
  m.worst_month = *std::min_element(m.monthly_returns.begin(), m.monthly_returns.end(), by_value);
}

}  // namespace

std::vector<double> daily_returns(const std::vector<double>& nav) {
  std::vector<double> r;
  if (nav.size() < 2) return r;
  r.reserve(nav.size() - 1);
  for (std::size_t t = 1; t < nav.size(); ++t) r.push_back(nav[t] / nav[t - 1] - 1.0);
  return r;
}

double historical_var(const std::vector<double>& returns, double confidence) {
  if (returns.empty()) return kNaN;
  return -percentile_linear(returns, 100.0 * (1.0 - confidence));
}

double historical_es(const std::vector<double>& returns, double confidence) {
  if (returns.empty()) return kNaN;
  const double threshold = percentile_linear(returns, 100.0 * (1.0 - confidence));
  double sum = 0.0;
  int count = 0;
  for (double r : returns) {
    if (r <= threshold) {
      sum += r;
      ++count;
    }
  }
  return -sum / count;  // count ≥ 1: the minimum is always ≤ the percentile
}

double skewness(const std::vector<double>& x) {
  if (x.size() < 2) return kNaN;
  const double m = mean(x);
  const double m2 = central_moment(x, m, 2);
  return m2 > 0.0 ? central_moment(x, m, 3) / std::pow(m2, 1.5) : kNaN;
}

double excess_kurtosis(const std::vector<double>& x) {
  if (x.size() < 2) return kNaN;
  const double m = mean(x);
  const double m2 = central_moment(x, m, 2);
  return m2 > 0.0 ? central_moment(x, m, 4) / (m2 * m2) - 3.0 : kNaN;
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 2) return kNaN;
  const double sx = stddev(x, 1), sy = stddev(y, 1);
  return (sx > 0.0 && sy > 0.0) ? covariance(x, y) / (sx * sy) : kNaN;
}

double beta(const std::vector<double>& y, const std::vector<double>& x) {
  if (x.size() != y.size() || x.size() < 2) return kNaN;
  const double vx = covariance(x, x);
  return vx > 0.0 ? covariance(y, x) / vx : kNaN;
}

Result<PerformanceMetrics> compute_metrics(const MetricsInput& in, const MetricsConventions& conv) {
  if (in.nav.size() < 2) return invalid("need at least 2 NAV points (start and one day), got " + std::to_string(in.nav.size()));
  if (in.dates.size() != in.nav.size())
    return invalid("dates and nav differ in length (" + std::to_string(in.dates.size()) + " vs " +
                   std::to_string(in.nav.size()) + ")");
  if (conv.periods_per_year < 1) return invalid("periods_per_year must be positive");
  for (std::size_t t = 0; t < in.nav.size(); ++t) {
    if (!(in.nav[t] > 0.0) || !std::isfinite(in.nav[t]))
      return invalid("nav[" + std::to_string(t) + "] (" + in.dates[t].iso() + ") must be positive and finite");
    if (t > 0 && !(in.dates[t - 1] < in.dates[t]))
      return invalid("dates must be strictly ascending; " + in.dates[t].iso() + " follows " + in.dates[t - 1].iso());
  }
  const std::size_t n = in.nav.size() - 1;
  auto check_aligned = [&](const std::vector<double>& v, const std::string& what) -> Status {
    if (!v.empty() && v.size() != n)
      return invalid(what + " must have one value per daily return (" + std::to_string(n) + "), got " +
                     std::to_string(v.size()));
    return ok_status();
  };
  AF_RETURN_IF_ERROR(check_aligned(in.us_leg_returns, "us_leg_returns"));
  AF_RETURN_IF_ERROR(check_aligned(in.eu_leg_returns, "eu_leg_returns"));
  for (const auto& s : in.sleeves) {
    AF_RETURN_IF_ERROR(check_aligned(s.returns, "sleeve " + s.name + " returns"));
    AF_RETURN_IF_ERROR(check_aligned(s.contributions, "sleeve " + s.name + " contributions"));
  }

  PerformanceMetrics m;
  const double ppy = conv.periods_per_year;
  const double rf = conv.risk_free_rate;
  const std::vector<double> r = daily_returns(in.nav);
  m.start = in.dates.front();
  m.end = in.dates.back();
  m.trading_days = static_cast<int>(n);
  m.years = static_cast<double>(n) / ppy;

  // Returns
  m.total_return = in.nav.back() / in.nav.front() - 1.0;
  m.cagr = std::pow(1.0 + m.total_return, 1.0 / m.years) - 1.0;
  m.annual_return_arithmetic = mean(r) * ppy;
  m.volatility = n >= 2 ? stddev(r, 1) * std::sqrt(ppy) : kNaN;
  m.sharpe = ratio_or_nan(m.cagr - rf, m.volatility);
  double downside_ss = 0.0;
  for (double v : r) downside_ss += std::min(v, 0.0) * std::min(v, 0.0);
  m.downside_deviation = std::sqrt(downside_ss / static_cast<double>(n)) * std::sqrt(ppy);
  m.sortino = ratio_or_nan(m.cagr - rf, m.downside_deviation);

  // Drawdowns
  compute_drawdowns(in, m);
  m.calmar = ratio_or_nan(m.cagr, -m.max_drawdown);

  // Tails
  m.var_95 = historical_var(r, 0.95);
  m.var_99 = historical_var(r, 0.99);
  m.es_95 = historical_es(r, 0.95);
  m.es_99 = historical_es(r, 0.99);
  m.skew = skewness(r);
  m.excess_kurtosis = excess_kurtosis(r);

  // Trading
  double gains = 0.0, losses = 0.0;
  int up_days = 0;
  for (std::size_t t = 0; t < n; ++t) {
    const double pnl = in.nav[t + 1] - in.nav[t];
    if (pnl > 0) gains += pnl; else losses -= pnl;
    up_days += r[t] > 0.0;
  }
  m.hit_rate = static_cast<double>(up_days) / static_cast<double>(n);
  m.profit_factor = ratio_or_nan(gains, losses);
  const auto best = std::max_element(r.begin(), r.end());
  const auto worst = std::min_element(r.begin(), r.end());
  m.best_day = {in.dates[static_cast<std::size_t>(best - r.begin()) + 1], *best};
  m.worst_day = {in.dates[static_cast<std::size_t>(worst - r.begin()) + 1], *worst};
  compute_months(in, m);
  const double mean_nav = mean(in.nav);
  for (const auto& tr : in.trades) {
    m.traded_notional += std::abs(tr.notional);
    m.costs += tr.cost;
    if (tr.hedge_premium) m.hedge_spend += std::abs(tr.notional);
  }
  m.turnover_annual = m.traded_notional / mean_nav / m.years;
  m.costs_annual_pct_nav = m.costs / mean_nav / m.years;
  m.hedge_spend_annual_pct_nav = m.hedge_spend / mean_nav / m.years;

  // Sleeves (original §3.10.2 conventions) and benchmark legs
  for (const auto& s : in.sleeves) {
    SleeveMetrics sm;
    sm.name = s.name;
    if (!s.returns.empty()) {
      double growth = 1.0;
      for (double v : s.returns) growth *= 1.0 + v;
      sm.total_return = growth - 1.0;
      sm.annual_return = std::pow(growth, ppy / static_cast<double>(n)) - 1.0;
      sm.volatility = n >= 2 ? stddev(s.returns, 1) * std::sqrt(ppy) : kNaN;
      sm.sharpe = ratio_or_nan(sm.annual_return - rf, sm.volatility);
    }
    for (double c : s.contributions) sm.contribution += c;
    m.sleeves.push_back(std::move(sm));
  }
  if (!in.us_leg_returns.empty()) m.us_leg = LegMetrics{beta(r, in.us_leg_returns), correlation(r, in.us_leg_returns)};
  if (!in.eu_leg_returns.empty()) m.eu_leg = LegMetrics{beta(r, in.eu_leg_returns), correlation(r, in.eu_leg_returns)};
  return m;
}

}  // namespace af::backtest
