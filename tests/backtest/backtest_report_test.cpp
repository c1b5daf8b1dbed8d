// The HTML tear sheet renders in a real browser: headless Chromium (Debian package chromium)
// loads report.html from disk with the network off, runs the inlined Chart.js, and every chart
// marks its canvas data-drawn="1" once pixels were painted. Chromium missing = test FAILS.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

#include "backtest/backtest.hpp"
#include "backtest/report.hpp"
#include "headless_chromium.hpp"
#include "three_instruments.hpp"

namespace af::backtest {
namespace {

using testing::find_chromium;
using testing::read_file;

class BacktestReport : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/af-report-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    cfg_ = testing::three_config();
    // 70 history days and ~14 months of random-walk prices: drawdowns, monthly rows, rebalances.
    const int kDays = 300;
    dates_ = testing::weekdays_ending(Date(2023, 12, 29), 70 + kDays);
    std::mt19937 rng(5);
    std::normal_distribution<double> n01(0.0, 1.0);
    double us = 100, eu = 50, fx = 1.25;
    std::vector<testing::DayPrices> days;
    for (int i = 0; i < kDays; ++i) {
      const double uo = us * (1 + 0.002 * n01(rng)), eo = eu * (1 + 0.002 * n01(rng)), fo = fx * (1 + 0.001 * n01(rng));
      us = uo * (1 + 0.011 * n01(rng) + 0.0004);
      eu = eo * (1 + 0.012 * n01(rng));
      fx = fo * (1 + 0.004 * n01(rng));
      days.push_back({uo, us, eo, eu, fo, fx});
    }
    history_ = std::make_unique<strategy::MarketHistory>(*cfg_, testing::three_series(dates_, days));
  }
  void TearDown() override {
    std::error_code ec;
    if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_;
  std::unique_ptr<config::Config> cfg_;
  std::vector<Date> dates_;
  std::unique_ptr<strategy::MarketHistory> history_;
};

TEST_F(BacktestReport, EveryChartDrawsInHeadlessChromium) {
  const std::string chromium = find_chromium();
  ASSERT_FALSE(chromium.empty()) << "chromium is not installed (Debian package chromium; scripts/setup.sh)";

  auto r = run_backtest(*cfg_, *history_, backtest_options_from(cfg_->settings, dates_[70], dates_.back()));
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto m = backtest_metrics(*r, 0.02);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_TRUE(write_backtest_report(dir_, *r, *m).ok());
  for (const char* f : {"report.html", "metrics.json", "equity.csv", "trades.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_ / f)) << f;
  }

  // Self-contained: no external script, stylesheet or image.
  const std::string html = read_file(dir_ / "report.html");
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("Chart.js v"), std::string::npos) << "Chart.js is not inlined";
  EXPECT_NE(html.find(">real<"), std::string::npos) << "the data-source table does not say real/synthetic";

  const testing::RenderedPage page = testing::render_in_chromium(chromium, dir_ / "report.html", dir_);
  ASSERT_EQ(page.status, 0) << "chromium failed (" << page.status << "): " << page.chromium_stderr;
  ASSERT_FALSE(page.dom.empty()) << page.chromium_stderr;

  // Every canvas of the page carries data-drawn="1".
  EXPECT_EQ(page.canvases, 8) << "the page should have 8 charts";
  EXPECT_EQ(page.drawn, page.canvases) << "charts not drawn: " << (page.not_drawn.empty() ? "" : page.not_drawn.front());
  EXPECT_NE(page.dom.find("Charts drawn: 8/8"), std::string::npos);
  // No script error was reported by the page.
  ASSERT_TRUE(page.errors_div_found);
  EXPECT_EQ(page.script_errors, "") << "script errors in the page";
}

}  // namespace
}  // namespace af::backtest
