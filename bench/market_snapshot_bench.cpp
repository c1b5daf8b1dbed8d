// The per-day market snapshot of the backtest day loop on the bundled bar store (state/bars.sqlite
// and config/ of the source tree): MarketHistory::snapshot, the snapshot's destruction and
// Portfolio::value on the day's prices, over the trading days 2000-01-03 .. 2020-04-17.
// Run: cmake --build build/release --target market_snapshot_bench &&
//      build/release/bench/market_snapshot_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "config/config.hpp"
#include "marketdata/bar_store.hpp"
#include "portfolio/portfolio.hpp"
#include "strategy/market_history.hpp"

namespace {
using namespace af;

struct Bundle {
  std::unique_ptr<config::Config> config;
  std::optional<strategy::MarketHistory> history;
  std::vector<Date> dates;
};

// Loaded once: config/ and state/bars.sqlite of the source tree (this file is bench/<name>.cpp).
const Bundle& bundle() {
  static const Bundle b = [] {
    Bundle out;
    const std::filesystem::path root = std::filesystem::path(__FILE__).parent_path().parent_path();
    auto cfg = config::load_config((root / "config").string(), {});
    if (!cfg) {
      std::fprintf(stderr, "config: %s\n", cfg.error().message.c_str());
      std::exit(1);
    }
    out.config = std::make_unique<config::Config>(std::move(*cfg));
    auto store = marketdata::BarStore::open((root / "state" / "bars.sqlite").string());
    if (!store) {
      std::fprintf(stderr, "store: %s\n", store.error().message.c_str());
      std::exit(1);
    }
    auto history = strategy::MarketHistory::load(*out.config, *store);
    if (!history) {
      std::fprintf(stderr, "history: %s\n", history.error().message.c_str());
      std::exit(1);
    }
    out.history.emplace(std::move(*history));
    out.dates = out.history->trading_dates(Date(2000, 1, 3), Date(2020, 4, 17));
    return out;
  }();
  return b;
}

// snapshot() of every trading day in turn, destroyed at once (as in the backtest loop).
void BM_SnapshotPerDay(benchmark::State& state) {
  const Bundle& b = bundle();
  std::size_t day = 0;
  for (auto _ : state) {
    strategy::MarketSnapshot s = b.history->snapshot(b.dates[day]);
    benchmark::DoNotOptimize(s.view.prices.size());
    if (++day == b.dates.size()) day = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SnapshotPerDay);

// Portfolio::value on a day's prices for a book holding every non-option instrument priced on
// 2010-06-30 (one position per instrument, in its first sleeve).
void BM_PortfolioValuePerDay(benchmark::State& state) {
  const Bundle& b = bundle();
  const strategy::MarketSnapshot held_day = b.history->snapshot(Date(2010, 6, 30));
  portfolio::Portfolio book;
  book.set_cash(Currency::USD, 1e6);
  for (const auto& [id, price] : held_day.view.prices) {
    const config::Instrument& inst = b.config->instruments.at(id);
    if (inst.contract.sec_type == config::SecType::kOpt) continue;
    book.set_position(portfolio::Position{id, portfolio::default_sleeve(inst), 10.0, price, price, 0.0});
  }
  std::vector<strategy::MarketSnapshot> days;
  for (std::size_t i = 0; i < b.dates.size(); i += 97) days.push_back(b.history->snapshot(b.dates[i]));
  std::size_t day = 0;
  for (auto _ : state) {
    const auto& s = days[day];
    auto v = book.value(s.view.as_of, s.view.prices, b.config->instruments, b.history->fx());
    benchmark::DoNotOptimize(v.ok());
    if (++day == days.size()) day = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PortfolioValuePerDay);

}  // namespace
