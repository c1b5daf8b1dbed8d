#include "backtest/spread_monte_carlo.hpp"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <random>
#include <thread>

#include <boost/random/normal_distribution.hpp>

#include "backtest/fast_rng.hpp"
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
    if (equity > peak) [[unlikely]] {
      max_drawdown = std::min(max_drawdown, (trough - peak) / peak);
      peak = trough = equity;
    } else {
      trough = std::min(trough, equity);
    }
  }
  max_drawdown = std::min(max_drawdown, (trough - peak) / peak);
  return {equity - 1.0, max_drawdown};
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

// Legacy generator, bit-compatible with numpy. The pair stream is sequential; turning pairs into
// normals (log, sqrt) and paths into outcomes is not. Paths are processed in chunks: while the
// other threads simulate chunk c from one buffer, thread 0 first draws chunk c+1's pairs into the
// other buffer and then joins in. Each path's outcome depends only on its own normals, so the
// result is the same for any thread count.
void run_legacy(const SpreadDailyParams& daily, const SpreadMonteCarloConfig& config, int days,
                SpreadMonteCarloResult& out) {
  using Pair = NumpyLegacyPolarStream::Pair;
  constexpr long kChunkPaths = 32;  // even, so every chunk starts on a pair boundary
  const long paths = config.paths;
  const long d = days;
  const long chunks = (paths + kChunkPaths - 1) / kChunkPaths;
  const int threads = static_cast<int>(std::min<long>(config.threads, kChunkPaths));

  NumpyLegacyPolarStream stream(static_cast<std::uint32_t>(config.seed));
  std::vector<Pair> buffers[2];
  const std::size_t max_pairs = static_cast<std::size_t>((kChunkPaths * d + 1) / 2);
  buffers[0].resize(max_pairs);
  if (chunks > 1) buffers[1].resize(max_pairs);
  auto chunk_first = [&](long c) { return c * kChunkPaths; };
  auto chunk_last = [&](long c) { return std::min(paths, (c + 1) * kChunkPaths); };
  // Normals [first·D, last·D) are pairs [first·D/2, ceil(last·D/2)).
  auto produce = [&](long c) {
    const long pair_begin = chunk_first(c) * d / 2;
    const long pair_end = (chunk_last(c) * d + 1) / 2;
    stream.fill(std::span<Pair>(buffers[c % 2]).first(static_cast<std::size_t>(pair_end - pair_begin)));
  };
  // Per-thread scratch for one path: its pairs' r2, then log(r2), then its D normals.
  struct Scratch {
    std::vector<double> r2, log_r2, normals;
  };
  auto make_scratch = [&] {
    const auto pairs_per_path = static_cast<std::size_t>(d / 2 + 2);
    return Scratch{std::vector<double>(pairs_per_path), std::vector<double>(pairs_per_path),
                   std::vector<double>(2 * pairs_per_path)};
  };
  auto simulate = [&](long c, long path, Scratch& s) {
    // Chunk-local normal index of the path's first day; the chunk starts on a pair boundary.
    const long first_normal = (path - chunk_first(c)) * d;
    const long first_pair = first_normal / 2;
    const long pair_count = (first_normal + d + 1) / 2 - first_pair;
    const Pair* pairs = buffers[c % 2].data() + first_pair;
    double* r2 = s.r2.data();
    double* log_r2 = s.log_r2.data();
    double* z = s.normals.data();
    // Split so that everything but log vectorises; sqrt and / are correctly rounded either way.
    for (long i = 0; i < pair_count; ++i) r2[i] = pairs[i].x1 * pairs[i].x1 + pairs[i].x2 * pairs[i].x2;
    for (long i = 0; i < pair_count; ++i) log_r2[i] = std::log(r2[i]);
    for (long i = 0; i < pair_count; ++i) {
      const double f = std::sqrt(-2.0 * log_r2[i] / r2[i]);
      z[2 * i] = f * pairs[i].x2;  // numpy returns f·x2 first and caches f·x1
      z[2 * i + 1] = f * pairs[i].x1;
    }
    const double* day_normal = z + (first_normal % 2);
    long t = 0;
    // numpy: r = normal(loc, scale) − drag with normal = loc + scale · z.
    const PathOutcome o =
        simulate_path(days, [&] { return (daily.loc + daily.scale * day_normal[t++]) - daily.drag; });
    out.final_returns[static_cast<std::size_t>(path)] = o.final_return;
    out.max_drawdowns[static_cast<std::size_t>(path)] = o.max_drawdown;
  };

  if (threads == 1) {
    Scratch scratch = make_scratch();
    for (long c = 0; c < chunks; ++c) {
      produce(c);
      for (long path = chunk_first(c); path < chunk_last(c); ++path) simulate(c, path, scratch);
    }
    return;
  }
  produce(0);
  std::atomic<long> next_path{0};
  long current_chunk = 0;
  std::barrier sync(threads, [&]() noexcept {
    ++current_chunk;
    next_path.store(chunk_first(current_chunk), std::memory_order_relaxed);
  });
  auto worker = [&](int id) {
    Scratch scratch = make_scratch();
    for (long c = 0; c < chunks; ++c) {
      if (id == 0 && c + 1 < chunks) produce(c + 1);
      for (long path = next_path.fetch_add(1); path < chunk_last(c); path = next_path.fetch_add(1))
        simulate(c, path, scratch);
      sync.arrive_and_wait();
    }
  };
  std::vector<std::jthread> workers;
  for (int id = 1; id < threads; ++id) workers.emplace_back(worker, id);
  worker(0);
}

// Fast generator: each path owns a xoshiro256++ stream (seed, path) and draws Boost.Random's
// ziggurat normals, so paths can be spread over threads in any way with the same result.
void run_fast(const SpreadDailyParams& daily, const SpreadMonteCarloConfig& config, int days,
              SpreadMonteCarloResult& out) {
  parallel_ranges(config.paths, config.threads, [&](int first, int last) {
    boost::random::normal_distribution<double> normal(daily.loc, daily.scale);
    for (int path = first; path < last; ++path) {
      Xoshiro256pp engine(config.seed, static_cast<std::uint64_t>(path));
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
                                               const std::vector<double>& max_drawdowns,
                                               double significant_loss_return) {
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
      static_cast<double>(std::count_if(sorted.begin(), sorted.end(), [&](double r) { return r < significant_loss_return; })) / n;
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
  out.summary = summarize_spread_paths(out.final_returns, out.max_drawdowns, config.significant_loss_return);
  return out;
}

}  // namespace af::backtest
