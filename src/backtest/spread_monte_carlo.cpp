#include "backtest/spread_monte_carlo.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include <boost/random/normal_distribution.hpp>

#include "backtest/numpy_legacy_rng.hpp"
#include "backtest/statistics.hpp"

namespace af::backtest {
namespace {

struct PathOutcome {
  double final_return;
  double max_drawdown;
};

// Streams one path's daily returns (from `next_return`) into its final return and max drawdown.
// Drawdown: the peak starts at day 1's equity. Within a stretch with a fixed peak P the smallest
// (E − P) / P is reached at the smallest E (rounding is monotone), so tracking the trough gives
// exactly min_t (E_t − P_t) / P_t without a division per day.
template <class NextReturn>
inline PathOutcome simulate_path(int days, NextReturn&& next_return) {
  double equity = 1.0 + next_return();
  double peak = equity;
  double trough = equity;
  double max_drawdown = 0.0;
  for (int t = 1; t < days; ++t) {
    equity *= 1.0 + next_return();
    if (equity > peak) {
      max_drawdown = std::min(max_drawdown, (trough - peak) / peak);
      peak = trough = equity;
    } else if (equity < trough) {
      trough = equity;
    }
  }
  max_drawdown = std::min(max_drawdown, (trough - peak) / peak);
  return {equity - 1.0, max_drawdown};
}

// splitmix64 (Steele, Lea, Flood 2014): decorrelates the per-path seeds of the fast generator.
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Runs body(first, last) over [0, n) split into `threads` contiguous ranges.
template <class Body>
void parallel_ranges(int n, int threads, Body&& body) {
  threads = std::max(1, std::min(threads, n));
  if (threads == 1) {
    body(0, n);
    return;
  }
  std::vector<std::jthread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    const int first = static_cast<int>(static_cast<long>(n) * i / threads);
    const int last = static_cast<int>(static_cast<long>(n) * (i + 1) / threads);
    workers.emplace_back([&body, first, last] { body(first, last); });
  }
}

void run_legacy(const SpreadDailyParams& daily, const SpreadMonteCarloConfig& config, int days,
                SpreadMonteCarloResult& out) {
  NumpyLegacyRandomState rng(static_cast<std::uint32_t>(config.seed));
  // numpy: r = normal(loc, scale, (N, D)) − drag, consumed row-major (path by path).
  for (int path = 0; path < config.paths; ++path) {
    const PathOutcome o = simulate_path(days, [&] { return rng.normal(daily.loc, daily.scale) - daily.drag; });
    out.final_returns[static_cast<std::size_t>(path)] = o.final_return;
    out.max_drawdowns[static_cast<std::size_t>(path)] = o.max_drawdown;
  }
}

void run_fast(const SpreadDailyParams& daily, const SpreadMonteCarloConfig& config, int days,
              SpreadMonteCarloResult& out) {
  parallel_ranges(config.paths, config.threads, [&](int first, int last) {
    boost::random::normal_distribution<double> normal(daily.loc, daily.scale);
    for (int path = first; path < last; ++path) {
      // Each path owns its stream, so results do not depend on how paths are split over threads.
      std::mt19937_64 engine(splitmix64(config.seed ^ splitmix64(static_cast<std::uint64_t>(path))));
      normal.reset();
      const PathOutcome o = simulate_path(days, [&] { return normal(engine) - daily.drag; });
      out.final_returns[static_cast<std::size_t>(path)] = o.final_return;
      out.max_drawdowns[static_cast<std::size_t>(path)] = o.max_drawdown;
    }
  });
}

Error invalid(std::string message) { return Error{ErrorCode::kInvalidArgument, std::move(message)}; }

}  // namespace

std::string_view to_string(SpreadRng rng) {
  return rng == SpreadRng::numpy_legacy ? "numpy-legacy" : "fast";
}

Result<SpreadRng> parse_spread_rng(std::string_view text) {
  if (text == "numpy-legacy") return SpreadRng::numpy_legacy;
  if (text == "fast") return SpreadRng::fast;
  return invalid("unknown --rng `" + std::string(text) + "`: use numpy-legacy or fast");
}

SpreadDailyParams spread_daily_params(const SpreadModelParams& p) {
  // Same operation order as the original (numpy float64).
  const double days = static_cast<double>(p.trading_days_per_year);
  const double mu_d = (p.us_annual_return - p.eu_annual_return) / days;
  const double sigma_idx = p.index_annual_volatility / std::sqrt(days);
  const double sigma_spread = sigma_idx * std::sqrt(2.0 * (1.0 - p.correlation_us_eu));
  return {mu_d - sigma_spread * sigma_spread / 2.0, sigma_spread, p.hedge_budget_annual_pct / days};
}

SpreadMonteCarloSummary summarize_spread_paths(const std::vector<double>& final_returns,
                                               const std::vector<double>& max_drawdowns) {
  SpreadMonteCarloSummary s;
  if (final_returns.empty()) return s;
  std::vector<double> sorted = final_returns;
  std::sort(sorted.begin(), sorted.end());
  s.median_final_return = percentile_linear_sorted(sorted, 50);
  s.mean_final_return = mean(final_returns);
  s.std_final_return = stddev(final_returns, 0);
  s.p10_final_return = percentile_linear_sorted(sorted, 10);
  s.p25_final_return = percentile_linear_sorted(sorted, 25);
  s.p75_final_return = percentile_linear_sorted(sorted, 75);
  s.p90_final_return = percentile_linear_sorted(sorted, 90);
  const double n = static_cast<double>(sorted.size());
  s.prob_loss = static_cast<double>(std::count_if(sorted.begin(), sorted.end(), [](double r) { return r < 0.0; })) / n;
  s.prob_significant_loss =
      static_cast<double>(std::count_if(sorted.begin(), sorted.end(), [](double r) { return r < -0.20; })) / n;
  if (!max_drawdowns.empty()) {
    s.median_max_drawdown = percentile_linear(max_drawdowns, 50);
    s.worst_max_drawdown = *std::min_element(max_drawdowns.begin(), max_drawdowns.end());
  }
  return s;
}

Result<SpreadMonteCarloResult> run_spread_monte_carlo(const SpreadModelParams& params,
                                                      const SpreadMonteCarloConfig& config) {
  if (config.paths < 1) return invalid("--paths must be at least 1, got " + std::to_string(config.paths));
  if (config.years < 1 || config.years > 200)
    return invalid("--years must be between 1 and 200, got " + std::to_string(config.years));
  if (config.threads < 1) return invalid("--threads must be at least 1, got " + std::to_string(config.threads));
  if (config.rng == SpreadRng::numpy_legacy && config.seed > 0xFFFFFFFFULL)
    return invalid("--seed must be between 0 and 4294967295 with --rng numpy-legacy (numpy's limit), got " +
                   std::to_string(config.seed));
  if (!(params.correlation_us_eu >= -1.0 && params.correlation_us_eu <= 1.0))
    return invalid("correlation_us_eu must be in [-1, 1], got " + std::to_string(params.correlation_us_eu));
  if (!(params.index_annual_volatility >= 0.0))
    return invalid("index_volatility must be non-negative, got " + std::to_string(params.index_annual_volatility));
  if (params.trading_days_per_year < 1) return invalid("trading_days_per_year must be at least 1");

  SpreadMonteCarloResult out;
  out.params = params;
  out.config = config;
  out.days = params.trading_days_per_year * config.years;
  out.final_returns.assign(static_cast<std::size_t>(config.paths), 0.0);
  out.max_drawdowns.assign(static_cast<std::size_t>(config.paths), 0.0);
  const SpreadDailyParams daily = spread_daily_params(params);
  if (config.rng == SpreadRng::numpy_legacy) {
    run_legacy(daily, config, out.days, out);
  } else {
    run_fast(daily, config, out.days, out);
  }
  out.summary = summarize_spread_paths(out.final_returns, out.max_drawdowns);
  return out;
}

}  // namespace af::backtest
