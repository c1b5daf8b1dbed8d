#include "backtest/strategy_monte_carlo.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "backtest/backtest.hpp"
#include "backtest/metrics.hpp"
#include "backtest/statistics.hpp"

namespace af::backtest {

Distribution distribution_of(const std::vector<double>& values) {
  std::vector<double> x;
  x.reserve(values.size());
  for (double v : values) {
    if (std::isfinite(v)) x.push_back(v);
  }
  Distribution d;
  d.count = x.size();
  if (x.empty()) return d;
  std::sort(x.begin(), x.end());
  d.mean = mean(x);
  d.std = stddev(x, 1);
  d.min = x.front();
  d.max = x.back();
  d.p5 = percentile_linear_sorted(x, 5);
  d.p10 = percentile_linear_sorted(x, 10);
  d.p25 = percentile_linear_sorted(x, 25);
  d.p50 = percentile_linear_sorted(x, 50);
  d.p75 = percentile_linear_sorted(x, 75);
  d.p90 = percentile_linear_sorted(x, 90);
  d.p95 = percentile_linear_sorted(x, 95);
  return d;
}

namespace {

struct PathOutput {
  StrategyPathResult result;
  std::vector<double> equity;  // NAV / initial capital per simulated date (empty when failed)
};

PathOutput run_path(const config::Config& config, const strategy::MarketHistory& history,
                    const PathCalibration& cal, const std::vector<Date>& dates, const StrategyMonteCarloConfig& run,
                    std::uint64_t path, std::vector<double>& returns_scratch) {
  PathOutput out;
  simulate_log_returns(cal, run.seed, path, static_cast<int>(dates.size()), returns_scratch);
  const strategy::MarketHistory market(config, simulated_market(history, cal, returns_scratch, dates));
  BacktestOptions options = backtest_options_from(config.settings, dates.front(), dates.back());
  options.prefetch_snapshots = false;  // the worker threads already use the cores
  options.record_details = false;      // only NAV and fill counts are read below
  auto bt = run_backtest(config, market, options);
  if (!bt) {
    out.result.error = bt.error().message;
    return out;
  }
  MetricsInput in;
  in.dates.reserve(bt->days.size() + 1);
  in.nav.reserve(bt->days.size() + 1);
  in.dates.push_back(cal.start);
  in.nav.push_back(bt->initial_capital);
  out.equity.reserve(bt->days.size());
  for (const auto& d : bt->days) {
    in.dates.push_back(d.date);
    in.nav.push_back(d.nav_usd);
    out.equity.push_back(d.nav_usd / bt->initial_capital);
  }
  auto m = compute_metrics(in, MetricsConventions{run.trading_days_per_year, config.settings.backtest.risk_free_rate});
  if (!m) {
    out.result.error = m.error().message;
    out.equity.clear();
    return out;
  }
  out.result.ok = true;
  out.result.final_return = m->total_return;
  out.result.cagr = m->cagr;
  out.result.volatility = m->volatility;
  out.result.sharpe = m->sharpe;
  out.result.max_drawdown = m->max_drawdown;
  for (const auto& d : bt->days) out.result.orders_filled += d.orders_filled;
  return out;
}

}  // namespace

Result<StrategyMonteCarloResult> run_strategy_monte_carlo(const config::Config& config,
                                                          const strategy::MarketHistory& history,
                                                          const StrategyMonteCarloConfig& run) {
  if (run.paths < 1) return Error{ErrorCode::kInvalidArgument, fmt::format("--paths {} must be at least 1", run.paths)};
  if (run.years < 1) return Error{ErrorCode::kInvalidArgument, fmt::format("--years {} must be at least 1", run.years)};
  if (run.threads < 1) return Error{ErrorCode::kInvalidArgument, fmt::format("--threads {} must be at least 1", run.threads)};
  if (run.trading_days_per_year < 1) return Error{ErrorCode::kInvalidArgument, "trading days per year must be positive"};
  AF_ASSIGN_OR_RETURN(PathCalibration cal, calibrate_paths(config, history, run.path_model));

  StrategyMonteCarloResult result;
  result.config = run;
  result.config.on_progress = nullptr;
  result.initial_capital = config.settings.backtest.initial_capital;
  result.risk_free_rate = config.settings.backtest.risk_free_rate;
  result.dates = simulated_dates(cal.start, run.years * run.trading_days_per_year);
  const std::size_t paths = static_cast<std::size_t>(run.paths);
  const std::size_t days = result.dates.size();
  result.paths.resize(paths);
  std::vector<double> equity(paths * days, std::nan(""));  // path-major

  std::atomic<std::size_t> next{0};
  std::mutex progress_mu;
  std::size_t done = 0;
  auto worker = [&] {
    std::vector<double> scratch;
    for (std::size_t p = next++; p < paths; p = next++) {
      PathOutput o = run_path(config, history, cal, result.dates, run, p, scratch);
      result.paths[p] = std::move(o.result);
      if (o.equity.size() == days) std::copy(o.equity.begin(), o.equity.end(), equity.begin() + static_cast<std::ptrdiff_t>(p * days));
      if (run.on_progress) {
        std::lock_guard<std::mutex> lock(progress_mu);
        run.on_progress(++done, paths);
      }
    }
  };
  const int threads = std::min<int>(run.threads, run.paths);
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    for (int i = 0; i < threads; ++i) pool.emplace_back(worker);
  }

  std::vector<double> finals, cagrs, sharpes, dds, vols;
  for (const auto& p : result.paths) {
    if (!p.ok) {
      ++result.failed_paths;
      continue;
    }
    finals.push_back(p.final_return);
    cagrs.push_back(p.cagr);
    sharpes.push_back(p.sharpe);
    dds.push_back(p.max_drawdown);
    vols.push_back(p.volatility);
  }
  result.final_return = distribution_of(finals);
  result.cagr = distribution_of(cagrs);
  result.sharpe = distribution_of(sharpes);
  result.max_drawdown = distribution_of(dds);
  result.volatility = distribution_of(vols);
  if (!finals.empty()) {
    const double n = static_cast<double>(finals.size());
    result.prob_loss = static_cast<double>(std::count_if(finals.begin(), finals.end(), [](double r) { return r < 0; })) / n;
    result.prob_significant_loss =
        static_cast<double>(std::count_if(finals.begin(), finals.end(),
                                          [&](double r) { return r < run.significant_loss_return; })) / n;
  }
  // Fan bands over the successful paths.
  std::vector<double> column;
  column.reserve(paths);
  for (auto* band : {&result.fan.p5, &result.fan.p25, &result.fan.p50, &result.fan.p75, &result.fan.p95}) band->reserve(days);
  for (std::size_t t = 0; t < days; ++t) {
    column.clear();
    for (std::size_t p = 0; p < paths; ++p) {
      if (result.paths[p].ok) column.push_back(equity[p * days + t]);
    }
    if (column.empty()) break;
    std::sort(column.begin(), column.end());
    result.fan.p5.push_back(percentile_linear_sorted(column, 5));
    result.fan.p25.push_back(percentile_linear_sorted(column, 25));
    result.fan.p50.push_back(percentile_linear_sorted(column, 50));
    result.fan.p75.push_back(percentile_linear_sorted(column, 75));
    result.fan.p95.push_back(percentile_linear_sorted(column, 95));
  }
  cal.log_returns.clear();
  cal.log_returns.shrink_to_fit();
  result.calibration = std::move(cal);
  return result;
}

}  // namespace af::backtest
