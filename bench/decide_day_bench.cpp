// execution::decide_day on bundled days, with a realistic book: positions and hedges built by
// stepping the decision over the previous year (planned orders booked at their reference price,
// hedge orders at their model premium) and a NAV history of ~2,300 points (as late in the full
// backtest). Run from the repository root (reads config/ and state/bars.sqlite; AF_ROOT overrides):
//   cmake --build build/release --target decide_day_bench && build/release/bench/decide_day_bench
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "execution/daily_decision.hpp"
#include "marketdata/bar_store.hpp"
#include "portfolio/portfolio.hpp"
#include "portfolio/portfolio_json.hpp"
#include "strategy/market_history.hpp"
#include "strategy/tail_hedge.hpp"

namespace {
using namespace af;

struct Setup {
  std::unique_ptr<config::Config> config;
  std::unique_ptr<strategy::MarketHistory> history;
};

const Setup& setup() {
  static const Setup s = [] {
    Setup out;
    const char* root_env = std::getenv("AF_ROOT");
    const std::string root = root_env ? root_env : ".";
    auto cfg = config::load_config(root + "/config", {});
    if (!cfg) throw std::runtime_error(cfg.error().message);
    out.config = std::make_unique<config::Config>(std::move(*cfg));
    auto store = marketdata::BarStore::open(root + "/state/bars.sqlite");
    if (!store) throw std::runtime_error(store.error().message);
    auto h = strategy::MarketHistory::load(*out.config, *store);
    if (!h) throw std::runtime_error(h.error().message);
    out.history = std::make_unique<strategy::MarketHistory>(std::move(*h));
    return out;
  }();
  return s;
}

// The book on `day` after a year of decisions, and that day's snapshot.
struct DayCase {
  portfolio::Portfolio book;
  std::vector<double> nav_values;
  strategy::MarketSnapshot snap;
};

DayCase build_case(Date day) {
  const Setup& s = setup();
  const config::Config& cfg = *s.config;
  DayCase c{portfolio::cash_only_book(1'000'000), {}, {}};
  // Old NAV history (a gentle drift), then a year of stepped decisions.
  const std::vector<Date> warm = s.history->trading_dates(day.add_days(-365), day.add_days(-1));
  double nav = 1'000'000;
  for (int i = 2000; i > 0; --i) {
    nav *= 1.0 + ((i * 7919) % 200 - 95) * 1e-4;
    c.book.record_nav(warm.front().add_days(-2 * i), nav);
    c.nav_values.push_back(nav);
  }
  for (Date t : warm) {
    const strategy::MarketSnapshot snap = s.history->snapshot(t);
    execution::DecisionInputs in;
    in.config = &cfg;
    in.market = &snap.view;
    in.us_eu_ratio = snap.us_eu_ratio;
    in.nav_history_usd = c.nav_values;
    auto d = execution::decide_day(c.book, in);
    if (!d) throw std::runtime_error(d.error().message);
    for (const auto& o : d->plan.orders) {
      if (o.option) continue;
      for (const auto& [sleeve, q] : o.allocation) {
        (void)c.book.apply_fill({o.instrument, sleeve, q, o.reference_price, {0.0, Currency::USD}}, cfg.instruments);
      }
    }
    (void)strategy::apply_hedge_fills(c.book.hedges(), d->hedges.orders);
    (void)strategy::apply_hedge_fills(c.book.hedges(), d->crisis.orders);
    c.book.record_nav(t, d->valuation.nav_usd);
    c.nav_values.push_back(d->valuation.nav_usd);
  }
  c.snap = s.history->snapshot(day);
  return c;
}

void run_day(benchmark::State& state, Date day) {
  const DayCase c = build_case(day);
  execution::DecisionInputs in;
  in.config = setup().config.get();
  in.market = &c.snap.view;
  in.us_eu_ratio = c.snap.us_eu_ratio;
  in.nav_history_usd = c.nav_values;
  for (auto _ : state) {
    auto d = execution::decide_day(c.book, in);
    benchmark::DoNotOptimize(d);
  }
}

void BM_DecideDay_2008_10_13(benchmark::State& state) { run_day(state, Date(2008, 10, 13)); }
BENCHMARK(BM_DecideDay_2008_10_13)->Unit(benchmark::kMicrosecond);
void BM_DecideDay_2012_06_29(benchmark::State& state) { run_day(state, Date(2012, 6, 29)); }
BENCHMARK(BM_DecideDay_2012_06_29)->Unit(benchmark::kMicrosecond);
void BM_DecideDay_2019_06_28(benchmark::State& state) { run_day(state, Date(2019, 6, 28)); }
BENCHMARK(BM_DecideDay_2019_06_28)->Unit(benchmark::kMicrosecond);

}  // namespace
