// Metrics on a 13-year daily NAV series (≈ 3300 days, the size of a full historical backtest)
// with two benchmark legs, six sleeves and a trade list.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "backtest/metrics.hpp"

namespace {
using namespace af::backtest;

MetricsInput make_input(int days) {
  std::mt19937_64 engine(7);
  std::normal_distribution<double> normal(0.0003, 0.008);
  MetricsInput in;
  af::Date d(2000, 1, 3);
  double nav = 10'000'000.0;
  in.dates.push_back(d);
  in.nav.push_back(nav);
  in.sleeves.resize(6);
  for (int s = 0; s < 6; ++s) in.sleeves[static_cast<std::size_t>(s)].name = "sleeve" + std::to_string(s);
  for (int t = 0; t < days; ++t) {
    d = d.add_days(d.iso_weekday() == 5 ? 3 : 1);
    const double r = normal(engine);
    nav *= 1.0 + r;
    in.dates.push_back(d);
    in.nav.push_back(nav);
    in.us_leg_returns.push_back(normal(engine));
    in.eu_leg_returns.push_back(normal(engine));
    for (auto& s : in.sleeves) {
      s.returns.push_back(normal(engine));
      s.contributions.push_back(r / 6.0);
    }
    if (t % 5 == 0) in.trades.push_back({d, "SPY", 100'000.0, 25.0, t % 20 == 0});
  }
  return in;
}

void BM_ComputeMetrics(benchmark::State& state) {
  const MetricsInput in = make_input(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto m = compute_metrics(in);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ComputeMetrics)->Arg(252)->Arg(3300)->Unit(benchmark::kMicrosecond);

void BM_HistoricalVarEs(benchmark::State& state) {
  const MetricsInput in = make_input(3300);
  const auto r = daily_returns(in.nav);
  for (auto _ : state) {
    benchmark::DoNotOptimize(historical_var(r, 0.99));
    benchmark::DoNotOptimize(historical_es(r, 0.99));
  }
}
BENCHMARK(BM_HistoricalVarEs)->Unit(benchmark::kMicrosecond);

}  // namespace
