// The full-strategy Monte Carlo: path calibration checked against sums written out here, the
// bootstrap's block structure, the Gaussian model's moments, the simulated bars, determinism across
// thread counts, each path equal to a plain backtest of its market, and the fan chart drawn in
// headless Chromium. Market: the constructed three-instrument set (three_instruments.hpp).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <random>

#include <nlohmann/json.hpp>

#include "backtest/backtest.hpp"
#include "backtest/path_generator.hpp"
#include "backtest/strategy_monte_carlo.hpp"
#include "backtest/strategy_monte_carlo_report.hpp"
#include "headless_chromium.hpp"
#include "three_instruments.hpp"

namespace af::backtest {
namespace {

constexpr int kRandomDays = 260;

class BacktestStrategyMonteCarlo : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg_ = testing::three_config();
    dates_ = testing::weekdays_ending(Date(2023, 12, 29), 70 + kRandomDays);
    std::mt19937 rng(11);
    std::normal_distribution<double> n01(0.0, 1.0);
    double us = 100, eu = 50, fx = 1.25;
    for (int i = 0; i < kRandomDays; ++i) {
      const double common = n01(rng);
      us *= std::exp(0.0003 + 0.010 * common);
      eu *= std::exp(0.008 * (0.6 * common + 0.8 * n01(rng)));
      fx *= std::exp(0.004 * n01(rng));
      days_.push_back({us, us, eu, eu, fx, fx});
    }
    series_ = testing::three_series(dates_, days_);
    history_ = std::make_unique<strategy::MarketHistory>(*cfg_, series_);
  }

  std::unique_ptr<config::Config> cfg_;
  std::vector<Date> dates_;
  std::vector<testing::DayPrices> days_;
  std::map<std::string, strategy::SeriesData> series_;
  std::unique_ptr<strategy::MarketHistory> history_;
};

TEST_F(BacktestStrategyMonteCarlo, CalibrationRowsMeanAndCovarianceMatchTheirDefinitions) {
  auto cal = calibrate_paths(*cfg_, *history_, PathModelOptions{});
  ASSERT_TRUE(cal.ok()) << cal.error().message;
  // Series ascending; all three are live on the last date.
  ASSERT_EQ(cal->simulated, (std::vector<std::string>{"eu", "eurusd", "us"}));
  EXPECT_TRUE(cal->frozen.empty());
  EXPECT_EQ(cal->start, dates_.back());
  // Every date has a bar in every series: one row per date after the first.
  ASSERT_EQ(cal->rows, dates_.size() - 1);
  EXPECT_EQ(cal->rows_from, dates_[1]);
  EXPECT_EQ(cal->rows_to, dates_.back());
  const std::size_t n = 3;
  std::vector<std::vector<double>> x(n);
  for (std::size_t s = 0; s < n; ++s) {
    const auto& bars = series_.at(cal->simulated[s]).bars;
    for (std::size_t i = 1; i < bars.size(); ++i) x[s].push_back(std::log(bars[i].close / bars[i - 1].close));
  }
  for (std::size_t r = 0; r < cal->rows; r += 37) {
    for (std::size_t s = 0; s < n; ++s) EXPECT_DOUBLE_EQ(cal->log_returns[r * n + s], x[s][r]) << r << "," << s;
  }
  // Mean and sample covariance by their definitions.
  std::vector<double> mu(n, 0.0);
  for (std::size_t s = 0; s < n; ++s) {
    for (double v : x[s]) mu[s] += v;
    mu[s] /= static_cast<double>(cal->rows);
    EXPECT_NEAR(cal->mean(static_cast<Eigen::Index>(s)), mu[s], 1e-15);
  }
  const Eigen::MatrixXd sigma = cal->factor * cal->factor.transpose();
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      double c = 0.0;
      for (std::size_t r = 0; r < cal->rows; ++r) c += (x[a][r] - mu[a]) * (x[b][r] - mu[b]);
      c /= static_cast<double>(cal->rows - 1);
      EXPECT_NEAR(sigma(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)), c, 1e-12 * std::max(1e-6, std::abs(c)) + 1e-16);
    }
  }
  EXPECT_FALSE(cal->covariance_clipped);
}

TEST_F(BacktestStrategyMonteCarlo, MissingBarIsAZeroReturnThenTheCombinedMove) {
  // Drop the EU bar of one date: forward fill gives 0 that day and the two-day move the next.
  const std::size_t k = 150;
  auto series = series_;
  auto& eu = series.at("eu").bars;
  const double before = eu[k - 1].close, after = eu[k + 1].close;
  eu.erase(eu.begin() + static_cast<std::ptrdiff_t>(k));
  const strategy::MarketHistory history(*cfg_, series);
  auto cal = calibrate_paths(*cfg_, history, PathModelOptions{});
  ASSERT_TRUE(cal.ok()) << cal.error().message;
  const std::size_t col = 0;  // "eu"
  EXPECT_EQ(cal->log_returns[(k - 1) * 3 + col], 0.0);  // row r is the return into dates_[r + 1]
  EXPECT_DOUBLE_EQ(cal->log_returns[k * 3 + col], std::log(after / before));
}

TEST_F(BacktestStrategyMonteCarlo, SeriesWithoutRecentDataIsFrozenAndItsInstrumentUnusable) {
  auto series = series_;
  auto& eu = series.at("eu").bars;
  eu.resize(eu.size() - 10);  // ends two weeks before the start
  const strategy::MarketHistory history(*cfg_, series);
  auto cal = calibrate_paths(*cfg_, history, PathModelOptions{});
  ASSERT_TRUE(cal.ok()) << cal.error().message;
  EXPECT_EQ(cal->frozen, std::vector<std::string>{"eu"});
  EXPECT_EQ(cal->simulated, (std::vector<std::string>{"eurusd", "us"}));
  const auto dates = simulated_dates(cal->start, 20);
  std::vector<double> r;
  simulate_log_returns(*cal, 1, 0, 20, r);
  const strategy::MarketHistory market(*cfg_, simulated_market(history, *cal, r, dates));
  EXPECT_EQ(market.series().at("eu").bars.back().date, eu.back().date);
  const auto snap = market.snapshot(dates[10]);
  EXPECT_TRUE(snap.view.unusable.count(InstrumentId("eu_etf")));
  EXPECT_TRUE(snap.view.price(InstrumentId("us_etf")).has_value());
}

TEST_F(BacktestStrategyMonteCarlo, BootstrapCopiesWholeRealDaysInBlocks) {
  PathModelOptions opt;
  opt.block_days = 7;
  auto cal = calibrate_paths(*cfg_, *history_, opt);
  ASSERT_TRUE(cal.ok()) << cal.error().message;
  const int days = 100;
  std::vector<double> r;
  simulate_log_returns(*cal, 42, 3, days, r);
  ASSERT_EQ(r.size(), static_cast<std::size_t>(days) * 3);
  // Each block of 7 simulated days (the last one cut at 100) is 7 consecutive real rows.
  // (The constructed history repeats rows, so a block may match at several places: any will do.)
  for (int t = 0; t < days; t += 7) {
    const int len = std::min(7, days - t);
    bool found = false;
    for (std::size_t k = 0; k + static_cast<std::size_t>(len) <= cal->rows && !found; ++k) {
      found = std::equal(r.begin() + t * 3, r.begin() + (t + len) * 3,
                         cal->log_returns.begin() + static_cast<long>(k * 3));
    }
    EXPECT_TRUE(found) << "simulated days " << t << ".." << t + len - 1 << " are not consecutive real days";
  }
  // Another path draws other blocks; the same (seed, path) the same ones.
  std::vector<double> other, again;
  simulate_log_returns(*cal, 42, 4, days, other);
  simulate_log_returns(*cal, 42, 3, days, again);
  EXPECT_NE(r, other);
  EXPECT_EQ(r, again);
}

TEST_F(BacktestStrategyMonteCarlo, GaussianPathsHaveTheCalibratedMeanAndCovariance) {
  PathModelOptions opt;
  opt.model = PathModel::kGaussian;
  auto cal = calibrate_paths(*cfg_, *history_, opt);
  ASSERT_TRUE(cal.ok()) << cal.error().message;
  const int days = 40000;
  std::vector<double> r;
  simulate_log_returns(*cal, 7, 0, days, r);
  const Eigen::MatrixXd sigma = cal->factor * cal->factor.transpose();
  for (Eigen::Index a = 0; a < 3; ++a) {
    double m = 0.0;
    for (int t = 0; t < days; ++t) m += r[static_cast<std::size_t>(t) * 3 + static_cast<std::size_t>(a)];
    m /= days;
    // Within 5 standard errors of the calibrated mean.
    EXPECT_NEAR(m, cal->mean(a), 5 * std::sqrt(sigma(a, a) / days)) << "series " << a;
    for (Eigen::Index b = 0; b < 3; ++b) {
      double c = 0.0;
      for (int t = 0; t < days; ++t) {
        c += (r[static_cast<std::size_t>(t) * 3 + static_cast<std::size_t>(a)] - cal->mean(a)) *
             (r[static_cast<std::size_t>(t) * 3 + static_cast<std::size_t>(b)] - cal->mean(b));
      }
      c /= days;
      // Correlations within 0.03 (the standard error of a correlation at n = 40 000 is < 0.005).
      const double corr = c / std::sqrt(sigma(a, a) * sigma(b, b));
      EXPECT_NEAR(corr, sigma(a, b) / std::sqrt(sigma(a, a) * sigma(b, b)), 0.03) << a << "," << b;
    }
  }
}

TEST_F(BacktestStrategyMonteCarlo, SimulatedBarsContinueFromTheLastRealClose) {
  auto cal = calibrate_paths(*cfg_, *history_, PathModelOptions{});
  ASSERT_TRUE(cal.ok()) << cal.error().message;
  const auto dates = simulated_dates(cal->start, 10);
  // Weekdays after Friday 2023-12-29.
  EXPECT_EQ(dates.front(), Date(2024, 1, 1));
  EXPECT_EQ(dates[5], Date(2024, 1, 8));
  std::vector<double> r;
  simulate_log_returns(*cal, 5, 2, 10, r);
  const auto market = simulated_market(*history_, *cal, r, dates);
  const auto& us = market.at("us").bars;
  ASSERT_EQ(us.size(), static_cast<std::size_t>(std::min<int>(cal->options.warmup_bars, static_cast<int>(dates_.size()))) + 10);
  const std::size_t first = us.size() - 10;
  EXPECT_EQ(us[first - 1].date, dates_.back());
  EXPECT_DOUBLE_EQ(us[first - 1].close, days_.back().us_close);
  double close = days_.back().us_close;
  for (std::size_t t = 0; t < 10; ++t) {
    const auto& b = us[first + t];
    EXPECT_EQ(b.date, dates[t]);
    EXPECT_DOUBLE_EQ(b.open, close);
    close *= std::exp(r[t * 3 + 2]);  // column 2 = "us"
    EXPECT_DOUBLE_EQ(b.close, close);
    EXPECT_EQ(b.high, std::max(b.open, b.close));
    EXPECT_EQ(b.low, std::min(b.open, b.close));
  }
  EXPECT_EQ(market.at("us").info.kind, marketdata::SeriesKind::kReal);
}

TEST_F(BacktestStrategyMonteCarlo, SameSeedSameNumbersWithOneOrThreeThreads) {
  StrategyMonteCarloConfig run;
  run.paths = 5;
  run.years = 1;
  run.seed = 2024;
  run.threads = 1;
  auto one = run_strategy_monte_carlo(*cfg_, *history_, run);
  ASSERT_TRUE(one.ok()) << one.error().message;
  run.threads = 3;
  auto three = run_strategy_monte_carlo(*cfg_, *history_, run);
  ASSERT_TRUE(three.ok()) << three.error().message;
  ASSERT_EQ(one->paths.size(), 5u);
  EXPECT_EQ(one->failed_paths, 0);
  for (std::size_t p = 0; p < 5; ++p) {
    EXPECT_TRUE(one->paths[p].ok) << one->paths[p].error;
    EXPECT_EQ(one->paths[p].final_return, three->paths[p].final_return) << p;
    EXPECT_EQ(one->paths[p].max_drawdown, three->paths[p].max_drawdown) << p;
    EXPECT_EQ(one->paths[p].orders_filled, three->paths[p].orders_filled) << p;
    EXPECT_GT(one->paths[p].orders_filled, 0) << "the strategy traded";
  }
  EXPECT_EQ(one->fan.p50, three->fan.p50);
  EXPECT_EQ(one->final_return.p50, three->final_return.p50);
  EXPECT_NE(one->paths[0].final_return, one->paths[1].final_return) << "paths must differ";
  // The JSON states the run.
  const auto j = strategy_monte_carlo_json(*one);
  EXPECT_EQ(j.at("model"), "strategy");
  EXPECT_EQ(j.at("days_per_path"), 252);
  EXPECT_EQ(j.at("path_model").at("model"), "bootstrap");
  EXPECT_EQ(j.at("final_return").at("count"), 5);
}

TEST_F(BacktestStrategyMonteCarlo, EachPathIsThePlainBacktestOfItsSimulatedMarket) {
  StrategyMonteCarloConfig run;
  run.paths = 3;
  run.years = 1;
  run.seed = 99;
  run.path_model.model = PathModel::kGaussian;
  auto mc = run_strategy_monte_carlo(*cfg_, *history_, run);
  ASSERT_TRUE(mc.ok()) << mc.error().message;
  auto cal = calibrate_paths(*cfg_, *history_, run.path_model);
  ASSERT_TRUE(cal.ok());
  const std::uint64_t p = 2;
  std::vector<double> r;
  simulate_log_returns(*cal, run.seed, p, 252, r);
  const auto dates = simulated_dates(cal->start, 252);
  const strategy::MarketHistory market(*cfg_, simulated_market(*history_, *cal, r, dates));
  auto bt = run_backtest(*cfg_, market, backtest_options_from(cfg_->settings, dates.front(), dates.back()));
  ASSERT_TRUE(bt.ok()) << bt.error().message;
  ASSERT_EQ(bt->days.size(), 252u);
  const double final_return = bt->days.back().nav_usd / cfg_->settings.backtest.initial_capital - 1.0;
  EXPECT_NEAR(mc->paths[p].final_return, final_return, 1e-12);
  double peak = cfg_->settings.backtest.initial_capital, dd = 0.0;
  for (const auto& d : bt->days) {
    peak = std::max(peak, d.nav_usd);
    dd = std::min(dd, d.nav_usd / peak - 1.0);
  }
  EXPECT_NEAR(mc->paths[p].max_drawdown, dd, 1e-12);
  // CAGR over exactly one year of 252 days equals the final return.
  EXPECT_NEAR(mc->paths[p].cagr, final_return, 1e-12);
  EXPECT_NEAR(mc->fan.p50.back(), [&] {
    std::vector<double> f;
    for (const auto& x : mc->paths) f.push_back(1.0 + x.final_return);
    std::sort(f.begin(), f.end());
    return f[1];
  }(), 1e-12);
}

TEST_F(BacktestStrategyMonteCarlo, InvalidRunsAreActionableErrors) {
  StrategyMonteCarloConfig run;
  run.paths = 0;
  auto r = run_strategy_monte_carlo(*cfg_, *history_, run);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("--paths"), std::string::npos);
  // Too little history to calibrate: 30 dates.
  std::map<std::string, strategy::SeriesData> short_series = series_;
  for (auto& [id, s] : short_series) s.bars.erase(s.bars.begin(), s.bars.end() - 30);
  const strategy::MarketHistory short_history(*cfg_, short_series);
  auto cal = calibrate_paths(*cfg_, short_history, PathModelOptions{});
  ASSERT_FALSE(cal.ok());
  EXPECT_NE(cal.error().message.find("too little common history"), std::string::npos) << cal.error().message;
  EXPECT_FALSE(parse_path_model("normal").ok());
}

TEST_F(BacktestStrategyMonteCarlo, FanChartDrawsInHeadlessChromium) {
  const std::string chromium = testing::find_chromium();
  ASSERT_FALSE(chromium.empty()) << "chromium is not installed (Debian package chromium; scripts/setup.sh)";
  StrategyMonteCarloConfig run;
  run.paths = 4;
  run.years = 1;
  run.threads = 2;
  auto mc = run_strategy_monte_carlo(*cfg_, *history_, run);
  ASSERT_TRUE(mc.ok()) << mc.error().message;
  char tmpl[] = "/tmp/af-fan-test-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::filesystem::path dir = tmpl;
  ASSERT_TRUE(write_strategy_monte_carlo_report(dir, *mc).ok());
  for (const char* f : {"fan_chart.html", "summary.json", "paths.csv", "fan.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
  }
  // fan.csv: header + one row per simulated day; paths.csv: header + one row per path.
  const std::string fan = testing::read_file(dir / "fan.csv");
  EXPECT_EQ(std::count(fan.begin(), fan.end(), '\n'), 253);
  EXPECT_EQ(fan.rfind(kFanCsvHeader, 0), 0u);
  const std::string paths = testing::read_file(dir / "paths.csv");
  EXPECT_EQ(std::count(paths.begin(), paths.end(), '\n'), 5);
  const std::string html = testing::read_file(dir / "fan_chart.html");
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_NE(html.find("Chart.js v"), std::string::npos) << "Chart.js is not inlined";

  const testing::RenderedPage page = testing::render_in_chromium(chromium, dir / "fan_chart.html", dir);
  ASSERT_EQ(page.status, 0) << page.chromium_stderr;
  EXPECT_EQ(page.canvases, 3);
  EXPECT_EQ(page.drawn, 3) << (page.not_drawn.empty() ? "" : page.not_drawn.front());
  EXPECT_NE(page.dom.find("Charts drawn: 3/3"), std::string::npos);
  ASSERT_TRUE(page.errors_div_found);
  EXPECT_EQ(page.script_errors, "");
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace af::backtest
