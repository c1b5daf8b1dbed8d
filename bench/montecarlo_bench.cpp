// Kernels of the spread Monte Carlo (docs/METRICS.md): the numpy-compatible generator pieces and
// whole runs of 1000 paths × 2520 days with each generator.
#include <benchmark/benchmark.h>

#include <vector>

#include "backtest/mt19937_block.hpp"
#include "backtest/numpy_legacy_rng.hpp"
#include "backtest/spread_monte_carlo.hpp"

namespace {
using namespace af::backtest;

void BM_StdMt19937Words(benchmark::State& state) {
  std::mt19937 engine(42);
  for (auto _ : state) {
    std::uint32_t acc = 0;
    for (int i = 0; i < Mt19937Block::kStateWords; ++i) acc += static_cast<std::uint32_t>(engine());
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(state.iterations() * Mt19937Block::kStateWords);
}
BENCHMARK(BM_StdMt19937Words);

void BM_BlockMt19937Words(benchmark::State& state) {
  Mt19937Block engine(42);
  std::uint32_t words[Mt19937Block::kStateWords];
  for (auto _ : state) {
    engine.next_block(words);
    benchmark::DoNotOptimize(words);
  }
  state.SetItemsProcessed(state.iterations() * Mt19937Block::kStateWords);
}
BENCHMARK(BM_BlockMt19937Words);

void BM_LegacyGaussScalar(benchmark::State& state) {
  NumpyLegacyRandomState rng(42);
  for (auto _ : state) benchmark::DoNotOptimize(rng.gauss());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LegacyGaussScalar);

void BM_LegacyPolarPairsBulk(benchmark::State& state) {
  NumpyLegacyPolarStream stream(42);
  std::vector<NumpyLegacyPolarStream::Pair> pairs(1260);  // one 10-year path
  for (auto _ : state) {
    stream.fill(pairs);
    benchmark::DoNotOptimize(pairs.data());
  }
  state.SetItemsProcessed(state.iterations() * 2 * 1260);  // normals' worth of pairs
}
BENCHMARK(BM_LegacyPolarPairsBulk);

void BM_SpreadMonteCarlo(benchmark::State& state, SpreadRng rng) {
  SpreadMonteCarloConfig config;
  config.paths = 1000;
  config.years = 10;
  config.seed = 42;
  config.rng = rng;
  config.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto result = run_spread_monte_carlo({}, config);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations() * 1000 * 2520);  // path-days
}
BENCHMARK_CAPTURE(BM_SpreadMonteCarlo, numpy_legacy, SpreadRng::numpy_legacy)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SpreadMonteCarlo, fast, SpreadRng::fast)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
