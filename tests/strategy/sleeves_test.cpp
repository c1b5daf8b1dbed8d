// Sleeve targets. Expected quantities are hand calculations written beside each assertion.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "config/config.hpp"
#include "strategy/sleeves.hpp"

namespace af::strategy {
namespace {

const Date kDay(2024, 3, 1);

class SleevesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cfg = config::load_config(std::string(AF_SOURCE_DIR) + "/config", {});
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    config_ = std::make_unique<config::Config>(std::move(*cfg));
    fx_.set_broker_rate(Currency::EUR, 1.10, kDay);
    fx_.set_broker_rate(Currency::GBP, 1.25, kDay);
    market_.as_of = kDay;
    market_.fx = &fx_;
    // Illustrative prices of original §3.4.11 (in each listing's price unit).
    market_.prices = {
        {InstrumentId("us_index_etf"), 600.0},  {InstrumentId("eu_index_etf"), 190.0},
        {InstrumentId("eurusd_micro"), 1.10},   {InstrumentId("tech_xlk"), 30.0},
        {InstrumentId("tech_qqq"), 1000.0},     {InstrumentId("tech_smh"), 50.0},
        {InstrumentId("health_xlv"), 10.0},     {InstrumentId("factor_qual"), 60.0},
        {InstrumentId("financials_eufn"), 20.0}, {InstrumentId("value_ewg"), 150.0},
        {InstrumentId("value_ewu"), 900.0 /* GBX */}, {InstrumentId("ig_lqd"), 100.0},
        {InstrumentId("hy_hyg"), 90.0},         {InstrumentId("loans_bkln"), 5.0},
        {InstrumentId("bdc_arcc"), 20.0},       {InstrumentId("hy_ihyg"), 8000.0 /* GBX */},
    };
  }

  StrategyOutput run(double scaling = 1.0) {
    StrategyInputs in;
    in.nav_usd = 1'000'000;
    in.scaling = scaling;
    in.market = &market_;
    return compute_targets(*config_, in);
  }

  static Quantity qty(const StrategyOutput& out, const char* id) {
    Quantity q = 0;
    for (const auto& l : out.all_lines()) {
      if (l.instrument == InstrumentId(id)) q += l.quantity;
    }
    return q;
  }
  static Quantity qty(const StrategyOutput& out, const char* id, config::Sleeve sleeve) {
    Quantity q = 0;
    for (const auto& l : out.all_lines()) {
      if (l.instrument == InstrumentId(id) && l.sleeve == sleeve) q += l.quantity;
    }
    return q;
  }

  std::unique_ptr<config::Config> config_;
  marketdata::FxRates fx_;
  MarketView market_;
};

TEST_F(SleevesTest, WorkedExampleOfOriginal3_4_11WithFxApplied) {
  // The original had no position limits; lift the ETF limit so the example's sizes stand.
  config_->settings.risk.position_limits.etf_pct_nav = 1.0;
  auto out = run();
  ASSERT_EQ(out.sleeves.size(), 6u);
  EXPECT_DOUBLE_EQ(out.sleeves[0].target_notional_usd, 350'000);  // 1e6 x 0.35 x 1.0
  // Core leg 175,000 USD. CSPX @ 600 USD: trunc(291.67) = 291.
  EXPECT_EQ(qty(out, "us_index_etf"), 291);
  // SXRT @ 190 EUR: 175,000 / 1.10 = 159,090.91 EUR / 190 = 837.3 -> -837 (the original, with
  // no FX, divided USD by EUR and got -921).
  EXPECT_EQ(qty(out, "eu_index_etf"), -837);
  // EUR hedge: 837 x 190 = 159,030 EUR / 12,500 per M6E = 12.7 -> -12.
  EXPECT_EQ(qty(out, "eurusd_micro"), -12);
  // Sector: 125,000 per leg. US 25,000 each: 833, 25, 500, 2500, 416.
  EXPECT_EQ(qty(out, "tech_xlk"), 833);
  EXPECT_EQ(qty(out, "tech_qqq"), 25);
  EXPECT_EQ(qty(out, "tech_smh"), 500);
  EXPECT_EQ(qty(out, "health_xlv"), 2500);
  EXPECT_EQ(qty(out, "factor_qual"), 416);
  // EU 41,666.67 USD each = 37,878.79 EUR: EXV1 @ 20 -> -1893; EXS1 @ 150 -> -252.
  EXPECT_EQ(qty(out, "financials_eufn", config::Sleeve::kSectorRv), -1893);
  // No single name has history here, so the single-name short leg falls back to EXV1
  // (settings strategy.single_name.fallback_short): 75,000 / 1.10 / 20 = 3409.1 -> -3409,
  // held in its own sleeve.
  EXPECT_EQ(qty(out, "financials_eufn", config::Sleeve::kSingleName), -3409);
  EXPECT_EQ(qty(out, "value_ewg"), -252);
  // IUKD @ 900 GBX = 9.00 GBP: 41,666.67 / 1.25 = 33,333.33 GBP / 9 = 3703.7 -> -3703
  // (the original divided by 900 and got 46: 100x too few).
  EXPECT_EQ(qty(out, "value_ewu"), -3703);
  // Credit 150,000: US long 105,000 = LQDE 42,000 / 100 = 420; IHYU 26,250 / 90 = 291;
  // FLOT 21,000 / 5 = 4200; ARCC 15,750 / 20 = 787.
  EXPECT_EQ(qty(out, "ig_lqd"), 420);
  EXPECT_EQ(qty(out, "hy_hyg"), 291);
  EXPECT_EQ(qty(out, "loans_bkln"), 4200);
  EXPECT_EQ(qty(out, "bdc_arcc"), 787);
  // EU short 45,000 USD placed (original defect 13): 36,000 GBP / 80.00 GBP = -450.
  EXPECT_EQ(qty(out, "hy_ihyg"), -450);
  // Crisis alpha envelope 50,000 and cash buffer 50,000; no positions.
  EXPECT_DOUBLE_EQ(out.sleeves[4].target_notional_usd, 50'000);
  EXPECT_TRUE(out.sleeves[4].lines.empty());
  EXPECT_TRUE(out.sleeves[5].lines.empty());
}

TEST_F(SleevesTest, LinesAreCappedAtTheirTypePositionLimitAndTheHedgeFollows) {
  auto out = run();  // ETF limit 15 % of 1,000,000 = 150,000 USD
  EXPECT_EQ(qty(out, "us_index_etf"), 250);   // 150,000 / 600
  // 150,000 / 1.10 = 136,363.6 EUR / 190 = 717.7 -> -717
  EXPECT_EQ(qty(out, "eu_index_etf"), -717);
  // Hedge from the capped leg: 717 x 190 = 136,230 EUR / 12,500 = 10.9 -> -10
  EXPECT_EQ(qty(out, "eurusd_micro"), -10);
  bool noted = false;
  for (const auto& n : out.sleeves[0].notes) noted |= n.find("position limit") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST_F(SleevesTest, NotionalMatchesQuantityTimesPriceInUsd) {
  auto out = run();
  for (const auto& l : out.all_lines()) {
    if (l.instrument == InstrumentId("value_ewu")) {
      // -3703 x 9.00 GBP x 1.25 = -41,658.75 USD.
      EXPECT_NEAR(l.notional_usd, -41'658.75, 1e-6);
    }
  }
}

TEST_F(SleevesTest, UnusableBasketLegIsReportedAndItsWeightRedistributed) {
  market_.unusable[InstrumentId("tech_qqq")] = "stale: close unchanged for 3 sessions";
  auto out = run();
  EXPECT_EQ(qty(out, "tech_qqq"), 0);
  // 125,000 / 4 = 31,250: IUIT @ 30 -> 1041.
  EXPECT_EQ(qty(out, "tech_xlk"), 1041);
  bool reported = false;
  for (const auto& s : out.skipped) {
    if (s.instrument == InstrumentId("tech_qqq")) {
      reported = true;
      EXPECT_EQ(s.reason_code, "unusable_data");
      EXPECT_NE(s.reason.find("stale"), std::string::npos);
    }
  }
  EXPECT_TRUE(reported);
}

TEST_F(SleevesTest, ScalingIsAppliedOnceToEverySleeveButTheEnvelopes) {
  auto out = run(0.25);  // an emergency de-risk: the risk decision's final scaling
  EXPECT_DOUBLE_EQ(out.sleeves[0].target_notional_usd, 87'500);  // 1e6 x 0.35 x 0.25
  // 43,750 / 600 = 72.9 -> 72 (not 0.075 x ...: the strategy never reduces again).
  EXPECT_EQ(qty(out, "us_index_etf"), 72);
  EXPECT_DOUBLE_EQ(out.sleeves[5].target_notional_usd, 50'000);
}

TEST_F(SleevesTest, MissingFxRateSkipsTheLegWithAReason) {
  marketdata::FxRates usd_only;  // no EUR/GBP source at all
  market_.fx = &usd_only;
  auto out = run();
  EXPECT_EQ(qty(out, "eu_index_etf"), 0);
  EXPECT_EQ(qty(out, "us_index_etf"), 250);  // capped at 15 % of NAV: 150,000 / 600
  bool reported = false;
  for (const auto& s : out.skipped) reported |= s.instrument == InstrumentId("eu_index_etf") && s.reason_code == "fx_unavailable";
  EXPECT_TRUE(reported);
}

TEST_F(SleevesTest, OriginalDefect11_SingleNamesAreRealInstrumentIds) {
  // Give every single-name candidate a rising or falling 300-day history (the view's spans point
  // into `histories`, which outlives the run).
  std::map<InstrumentId, std::vector<double>> histories;
  for (const config::Instrument* inst : config_->instruments.by_sleeve(config::Sleeve::kSingleName)) {
    std::vector<double>& closes = histories[inst->id];
    const bool us = inst->contract.currency == Currency::USD;
    for (int i = 0; i < 300; ++i) closes.push_back(100.0 * (us ? 1.0 + 0.001 * i : 1.0 - 0.001 * i));
    market_.closes[inst->id] = closes;
    market_.prices[inst->id] = closes.back();
  }
  auto out = run();
  ASSERT_EQ(out.screen->longs.size(), 10u);
  ASSERT_EQ(out.screen->shorts.size(), 10u);
  for (const auto& l : out.sleeves[2].lines) {
    EXPECT_TRUE(config_->instruments.contains(l.instrument)) << l.instrument.str();
  }
  EXPECT_FALSE(out.sleeves[2].lines.empty());
}

TEST_F(SleevesTest, UsesAPrecomputedScreenOfTheSameDayAndRefusesOneOfAnotherDay) {
  // No close history at all: screening here would select nobody (the sleeve would hold only the
  // fallback short). The caller's screen names one long and one short, so the single-name sleeve
  // must hold exactly those two.
  const auto names = config_->instruments.by_sleeve(config::Sleeve::kSingleName);
  const config::Instrument* us = nullptr;
  const config::Instrument* eu = nullptr;
  for (const config::Instrument* inst : names) {
    if (inst->contract.currency == Currency::USD && us == nullptr) us = inst;
    if (inst->contract.currency == Currency::EUR && eu == nullptr) eu = inst;
  }
  ASSERT_TRUE(us != nullptr && eu != nullptr);
  market_.prices[us->id] = 50.0;
  market_.prices[eu->id] = 40.0;
  const StrategyOutput own = run();
  EXPECT_TRUE(own.screen->longs.empty() && own.screen->shorts.empty()) << "without history the own screen selects nobody";

  auto screen = std::make_shared<ScreenResult>();
  screen->as_of = kDay;
  screen->longs.push_back({us->id, 0.9, {}});
  screen->shorts.push_back({eu->id, 0.8, {}});
  StrategyInputs in;
  in.nav_usd = 1'000'000;
  in.market = &market_;
  in.screen = screen;
  const StrategyOutput out = compute_targets(*config_, in);
  EXPECT_EQ(out.screen.get(), screen.get());
  std::vector<std::string> held;
  for (const auto& l : out.sleeves[2].lines) held.push_back(l.instrument.str() + (l.quantity > 0 ? "+" : "-"));
  std::sort(held.begin(), held.end());
  std::vector<std::string> expected = {us->id.str() + "+", eu->id.str() + "-"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(held, expected);

  screen->as_of = Date(2024, 3, 4);  // computed for another day: a caller bug, stopped loudly
  EXPECT_DEATH(compute_targets(*config_, in), "precomputed screen is for another day");
}

TEST(Screen, ScoresNothingOnShortHistoryInsteadOfANeutralHalf) {
  auto cfg = config::load_config(std::string(AF_SOURCE_DIR) + "/config", {});
  ASSERT_TRUE(cfg.ok());
  marketdata::FxRates fx;
  MarketView market;
  market.as_of = kDay;
  market.fx = &fx;
  const config::Instrument* first = cfg->instruments.by_sleeve(config::Sleeve::kSingleName).front();
  market.prices[first->id] = 10;
  const std::vector<double> history(251, 10.0);  // needs 253 for lookback 252
  market.closes[first->id] = history;
  auto r = run_screen(*cfg, market, nullptr);
  EXPECT_TRUE(r.longs.empty());
  EXPECT_TRUE(r.shorts.empty());
  bool reported = false;
  for (const auto& [id, why] : r.not_scored) reported |= id == first->id && why.find("251 closes") != std::string::npos;
  EXPECT_TRUE(reported);
}

// The screen computes low_vol only for names that can still be selected (bounds low_vol in
// [0, 1]). Reference: every name's factors by the full definition (written out here), sorted.
TEST(Screen, PrunedSelectionEqualsTheFullDefinition) {
  auto cfg = config::load_config(std::string(AF_SOURCE_DIR) + "/config", {});
  ASSERT_TRUE(cfg.ok());
  const auto& ss = cfg->settings.strategy.single_name;
  const int lookback = ss.momentum_lookback_days, skip = ss.momentum_skip_days;
  auto clip = [](double x) { return std::clamp(x, 0.0, 1.0); };
  struct Full {
    double m, lv, dd;
  };
  auto full = [&](const std::vector<double>& c) {
    const std::size_t n = c.size();
    double sum = 0, sum2 = 0, high = std::max(0.0, c[n - 1 - lookback]);
    for (std::size_t i = n - lookback; i < n; ++i) {
      const double r = c[i] / c[i - 1] - 1.0;
      sum += r;
      sum2 += r * r;
      high = std::max(high, c[i]);
    }
    const double var = (sum2 - sum * sum / lookback) / (lookback - 1.0);
    const double vol = std::sqrt(std::max(var, 0.0) * 252.0);
    return Full{clip((c[n - 1 - skip] / c[n - 1 - lookback] - 1.0 + 0.30) / 0.80), 1.0 - clip((vol - 0.10) / 0.50),
                clip(1.0 + (c[n - 1] / high - 1.0) / 0.5)};
  };
  for (int variant = 0; variant < 6; ++variant) {
    marketdata::FxRates fx;
    MarketView market;
    market.as_of = kDay;
    market.fx = &fx;
    std::map<InstrumentId, std::vector<double>> histories;
    std::mt19937_64 rng(1234 + variant);
    std::normal_distribution<double> step(0.0003, 0.01 + 0.01 * variant);
    int k = 0;
    for (const config::Instrument* inst : cfg->instruments.by_sleeve(config::Sleeve::kSingleName)) {
      std::vector<double> c(300 + k % 7);
      double p = 50.0 + k;
      for (double& x : c) x = p *= std::exp(step(rng) + (k % 5 - 2) * 0.0005 * variant);
      if (variant == 3 && k == 4) c[c.size() - 30] = 0.0;  // an unbounded window (no pruning bound)
      if (variant == 4 && k % 11 == 0) c.assign(c.begin(), c.begin() + 200);  // too short: not scored
      if (variant == 5) c = std::vector<double>(c.size(), 20.0 + k % 3);  // ties: broken by id
      histories[inst->id] = std::move(c);
      market.prices[inst->id] = histories[inst->id].back();
      ++k;
    }
    for (const auto& [id, c] : histories) market.closes[id] = c;
    auto r = run_screen(*cfg, market, nullptr);

    std::vector<std::pair<double, InstrumentId>> longs, shorts;
    std::map<InstrumentId, Full> factors;
    for (const config::Instrument* inst : cfg->instruments.by_sleeve(config::Sleeve::kSingleName)) {
      const auto& c = histories[inst->id];
      if (!inst->tradeable || static_cast<int>(c.size()) < lookback + 1) continue;
      const Full f = full(c);
      factors[inst->id] = f;
      if (inst->contract.currency == Currency::USD) {
        longs.push_back({0.5 * f.m + 0.25 * f.lv + 0.25 * f.dd, inst->id});
      } else {
        shorts.push_back({0.5 * (1.0 - f.m) + 0.25 * (1.0 - f.lv) + 0.25 * (1.0 - f.dd), inst->id});
      }
    }
    auto check = [&](std::vector<std::pair<double, InstrumentId>> expected, const std::vector<ScreenScore>& got, int n) {
      std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
      if (static_cast<int>(expected.size()) > n) expected.resize(n);
      ASSERT_EQ(got.size(), expected.size()) << "variant " << variant;
      for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].instrument, expected[i].second) << "variant " << variant << " rank " << i;
        EXPECT_EQ(got[i].composite, expected[i].first);
        const Full& f = factors[got[i].instrument];
        EXPECT_EQ(got[i].factors.momentum, f.m);
        EXPECT_EQ(got[i].factors.low_vol, f.lv);
        EXPECT_EQ(got[i].factors.drawdown, f.dd);
      }
    };
    check(longs, r.longs, ss.n_long);
    check(shorts, r.shorts, ss.n_short);
  }
}

TEST(Screen, FundamentalsCsvErrorsNameLineAndColumn) {
  auto cfg = config::load_config(std::string(AF_SOURCE_DIR) + "/config", {});
  ASSERT_TRUE(cfg.ok());
  const std::string header =
      "instrument,market_cap_usd,avg_dollar_volume_usd,roe,debt_to_equity,earnings_growth,revenue_growth,"
      "free_cash_flow_usd,operating_margin,sector\n";
  auto ok = parse_fundamentals_csv(header + "us_index_etf,1e12,,0.3,0.4,0.25,,1e9,0.2,Technology\n", "f.csv",
                                   cfg->instruments);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_DOUBLE_EQ(*ok->at(InstrumentId("us_index_etf")).debt_to_equity, 0.4);
  EXPECT_FALSE(ok->at(InstrumentId("us_index_etf")).avg_dollar_volume_usd.has_value());
  auto bad = parse_fundamentals_csv(header + "us_index_etf,big,,,,,,,,\n", "f.csv", cfg->instruments);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "f.csv:2: column market_cap_usd: expected a number, got 'big'");
}

}  // namespace
}  // namespace af::strategy
