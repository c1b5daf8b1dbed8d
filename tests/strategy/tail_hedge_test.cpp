// Tail hedges (SYSTEM.md §4; original §3.6, §7 items 9, 10, 19). Every expected number is a
// hand calculation or an independent computation written next to it (the Black–Scholes values
// were computed with the closed form N(d1), N(d2) in Python's math.erf, not with this code).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "marketdata/calendar.hpp"
#include "portfolio/portfolio.hpp"
#include "strategy/option_contract.hpp"
#include "strategy/tail_hedge.hpp"

namespace af::strategy {
namespace {

using config::ExpiryRule;
using config::Instrument;
using config::OptionRight;
using config::SecType;
using marketdata::Exchange;
using portfolio::HedgeBook;

Instrument underlying(const std::string& id, const std::string& symbol, SecType type,
                      const std::string& exchange, const std::string& primary) {
  Instrument i;
  i.id = InstrumentId(id);
  i.tradeable = false;
  i.contract.symbol = symbol;
  i.contract.sec_type = type;
  i.contract.exchange = exchange;
  i.contract.primary_exchange = primary;
  return i;
}

Instrument option(const std::string& id, const std::string& symbol, const std::string& exchange,
                  const std::string& under, OptionRight right, int tenor, double otm, double tick,
                  ExpiryRule rule = ExpiryRule::kThirdFriday, Currency ccy = Currency::USD,
                  double multiplier = 100) {
  Instrument i;
  i.id = InstrumentId(id);
  i.sleeves = {config::Sleeve::kCrisisAlpha};
  i.contract.symbol = symbol;
  i.contract.sec_type = SecType::kOpt;
  i.contract.exchange = exchange;
  i.contract.currency = ccy;
  i.contract.price_unit = QuoteUnit::major(ccy);
  i.contract.multiplier = multiplier;
  i.contract.trading_class = symbol == "ESTX50" ? "OESX" : symbol;
  i.contract.tick_size = tick;
  i.option = config::OptionSpec{InstrumentId(under), right, tenor, otm, rule};
  return i;
}

Instrument future(const std::string& id, const std::string& symbol) {
  Instrument i;
  i.id = InstrumentId(id);
  i.sleeves = {config::Sleeve::kCrisisAlpha};
  i.contract.symbol = symbol;
  i.contract.sec_type = SecType::kFut;
  i.contract.exchange = "EUREX";
  i.contract.currency = Currency::EUR;
  i.contract.price_unit = QuoteUnit::major(Currency::EUR);
  i.contract.multiplier = 1000;
  i.future = config::FutureSpec{};
  return i;
}

// The fund's tail-hedge universe as in config/instruments.yaml.
config::Config make_config() {
  config::Config c;
  c.instruments = config::InstrumentUniverse({
      underlying("spx", "SPX", SecType::kInd, "CBOE", ""),
      underlying("spy", "SPY", SecType::kStk, "SMART", "ARCA"),
      underlying("sx5e", "ESTX50", SecType::kInd, "EUREX", ""),
      underlying("fez", "FEZ", SecType::kStk, "SMART", "ARCA"),
      underlying("vix", "VIX", SecType::kInd, "CBOE", ""),
      underlying("hyg", "HYG", SecType::kStk, "SMART", "ARCA"),
      underlying("eufn", "EUFN", SecType::kStk, "SMART", "NASDAQ"),
      option("spx_index", "SPX", "CBOE", "spx", OptionRight::kPut, 90, 0.15, 0.05),
      option("spy_etf", "SPY", "SMART", "spy", OptionRight::kPut, 90, 0.15, 0.01),
      option("sx5e_index", "ESTX50", "EUREX", "sx5e", OptionRight::kPut, 90, 0.15, 0.1,
             ExpiryRule::kThirdFriday, Currency::EUR, 10),
      option("fez_etf", "FEZ", "SMART", "fez", OptionRight::kPut, 90, 0.15, 0.01),
      option("vix_index", "VIX", "CBOE", "vix", OptionRight::kCall, 60, 0.5, 0.05,
             ExpiryRule::kThirtyDaysBeforeNextThirdFriday),
      option("hyg_etf", "HYG", "SMART", "hyg", OptionRight::kPut, 90, 0.10, 0.01),
      option("eufn_etf", "EUFN", "SMART", "eufn", OptionRight::kPut, 90, 0.20, 0.01),
      future("france_oat", "OAT"),
      future("germany_bund", "GBL"),
  });
  auto& th = c.settings.tail_hedge;
  th.equity_puts = {{InstrumentId("spy_etf"), 0.6}, {InstrumentId("fez_etf"), 0.4}};
  th.vix_calls = {{InstrumentId("vix_index"), 1.0}};
  th.credit_puts = {{InstrumentId("hyg_etf"), 1.0}};
  th.bank_puts = {{InstrumentId("eufn_etf"), 1.0}};
  th.sovereign_short = InstrumentId("france_oat");
  th.sovereign_long = InstrumentId("germany_bund");
  return c;
}

const Date kDay(2024, 6, 3);  // Monday

// The original's example prices (§3.6.2): SPY 450, FEZ 48, HYG 75, EUFN 20; VIX 20. No close
// history, so no volatility: the premium-estimate fallback applies.
MarketView example_market(Date as_of = kDay) {
  MarketView m;
  m.as_of = as_of;
  m.prices = {{InstrumentId("spy"), 450.0}, {InstrumentId("fez"), 48.0}, {InstrumentId("vix"), 20.0},
              {InstrumentId("hyg"), 75.0},  {InstrumentId("eufn"), 20.0}, {InstrumentId("france_oat"), 120.0},
              {InstrumentId("germany_bund"), 130.0}};
  m.vix = 20.0;
  return m;
}

TailHedgeInputs inputs(Date as_of, double nav) { return TailHedgeInputs{as_of, nav, nav, false, 0.0, {}}; }

const HedgeOrder* find_order(const std::vector<HedgeOrder>& orders, const std::string& instrument,
                             HedgeOrderKind kind) {
  for (const auto& o : orders) {
    if (o.hedge.instrument.str() == instrument && o.kind == kind) return &o;
  }
  return nullptr;
}

// --- contracts ---------------------------------------------------------------------------------

TEST(TailHedgeContract, ThirdFridayAndHolidayAdjustedExpiries) {
  EXPECT_EQ(third_friday(2024, 6), Date(2024, 6, 21));  // June 2024 starts on a Saturday
  EXPECT_EQ(third_friday(2024, 3), Date(2024, 3, 15));  // March 2024 starts on a Friday
  // Good Friday 2025 is the third Friday of April: the options expire on Thursday 17 April.
  EXPECT_EQ(listed_expiry(ExpiryRule::kThirdFriday, 2025, 4, Exchange::kNyse), Date(2025, 4, 17));
  // VIX June 2024: third Friday of July is 19 July, minus 30 days = Wednesday 19 June, which is
  // Juneteenth -> Tuesday 18 June 2024 (the actual Cboe settlement date).
  EXPECT_EQ(listed_expiry(ExpiryRule::kThirtyDaysBeforeNextThirdFriday, 2024, 6, Exchange::kCboe),
            Date(2024, 6, 18));
  // VIX July 2024: 16 August - 30 days = Wednesday 17 July 2024.
  EXPECT_EQ(listed_expiry(ExpiryRule::kThirtyDaysBeforeNextThirdFriday, 2024, 7, Exchange::kCboe),
            Date(2024, 7, 17));
}

TEST(TailHedgeContract, ExpiryNearestTheTargetTenor) {
  // 2024-06-03 + 90 days = 2024-09-01: third Fridays 16 Aug (16 days before) and 20 Sep (19 after)
  // -> 16 Aug.
  EXPECT_EQ(select_expiry(ExpiryRule::kThirdFriday, Exchange::kNyse, kDay, 90, 21), Date(2024, 8, 16));
  // 2024-06-03 + 60 = 2024-08-02: VIX expiries 17 Jul (16 before) and 21 Aug (19 after) -> 17 Jul.
  EXPECT_EQ(select_expiry(ExpiryRule::kThirtyDaysBeforeNextThirdFriday, Exchange::kCboe, kDay, 60, 21),
            Date(2024, 7, 17));
  // A minimum DTE excludes near expiries: as of 2024-06-10, tenor 10 would pick 21 Jun (11 days)
  // but with min 21 days the next listed expiry 19 Jul is chosen.
  EXPECT_EQ(select_expiry(ExpiryRule::kThirdFriday, Exchange::kNyse, Date(2024, 6, 10), 10, 21),
            Date(2024, 7, 19));
}

TEST(TailHedgeContract, StrikesRoundToTheListedGrid) {
  const auto cfg = make_config();
  const auto& u = cfg.instruments;
  // SPY 450 x 0.85 = 382.5 -> grid 1 -> 383 (half rounds away from zero).
  auto spy = build_option_contract(u, u.at(InstrumentId("spy_etf")), 450.0, kDay);
  ASSERT_TRUE(spy.ok()) << spy.error().message;
  EXPECT_DOUBLE_EQ(spy->strike, 383.0);
  EXPECT_EQ(spy->right, OptionRight::kPut);
  EXPECT_EQ(spy->expiry, Date(2024, 8, 16));
  // SPX 5012 x 0.85 = 4260.2 -> grid 5 -> 4260.
  auto spx = build_option_contract(u, u.at(InstrumentId("spx_index")), 5012.0, kDay);
  ASSERT_TRUE(spx.ok());
  EXPECT_DOUBLE_EQ(spx->strike, 4260.0);
  // SX5E 4934 x 0.85 = 4193.9 -> grid 50 -> 4200; Eurex calendar.
  auto sx5e = build_option_contract(u, u.at(InstrumentId("sx5e_index")), 4934.0, kDay);
  ASSERT_TRUE(sx5e.ok());
  EXPECT_DOUBLE_EQ(sx5e->strike, 4200.0);
  EXPECT_EQ(sx5e->calendar, Exchange::kEurex);
  // VIX 22.3: max(30, 1.5 x 22.3 = 33.45) -> 33, a call.
  auto vix = build_option_contract(u, u.at(InstrumentId("vix_index")), 22.3, kDay,
                                   StrikeRule{1.5, 30.0});
  ASSERT_TRUE(vix.ok());
  EXPECT_DOUBLE_EQ(vix->strike, 33.0);
  EXPECT_EQ(vix->right, OptionRight::kCall);
  // VIX 15: 1.5 x 15 = 22.5 < 30 -> 30.
  auto vix_low = build_option_contract(u, u.at(InstrumentId("vix_index")), 15.0, kDay, StrikeRule{1.5, 30.0});
  ASSERT_TRUE(vix_low.ok());
  EXPECT_DOUBLE_EQ(vix_low->strike, 30.0);
  EXPECT_EQ(hedge_id(portfolio::HedgeType::kEquityPut, *spy), "equity_put:spy_etf:2024-08-16:383P");
}

TEST(TailHedgeContract, UnknownStrikeGridIsAnErrorNotAGuess) {
  auto cfg = make_config();
  Instrument odd = option("odd_etf", "ODD", "CBOE", "spy", OptionRight::kPut, 90, 0.1, 0.01);
  auto c = build_option_contract(cfg.instruments, odd, 100.0, kDay);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("no strike grid"), std::string::npos);
}

TEST(TailHedgeContract, EveryConfiguredOptionLineBuildsAContract) {
  auto cfg = config::load_config(std::string(AF_SOURCE_DIR) + "/config", {});
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  int lines = 0;
  for (const auto* list : {&cfg->settings.tail_hedge.equity_puts, &cfg->settings.tail_hedge.vix_calls,
                           &cfg->settings.tail_hedge.credit_puts, &cfg->settings.tail_hedge.bank_puts}) {
    for (const auto& w : *list) {
      const Instrument& line = cfg->instruments.at(w.id);
      auto c = build_option_contract(cfg->instruments, line, 100.0, kDay);
      ASSERT_TRUE(c.ok()) << w.id << ": " << c.error().message;
      EXPECT_TRUE(marketdata::is_trading_day(c->calendar, c->expiry)) << w.id;
      ++lines;
    }
  }
  EXPECT_GE(lines, 5);
}

// --- pricing -----------------------------------------------------------------------------------

TEST(TailHedgePricing, BlackScholesMatchesHullTextbookExample) {
  // Hull, Options, Futures and Other Derivatives, Example 15.6: S=42, K=40, r=10 %, sigma=20 %,
  // T=0.5 -> c = 4.76, p = 0.81 (closed form: 4.7594, 0.8086).
  EXPECT_NEAR(black_scholes_price(OptionRight::kCall, 42, 40, 0.5, 0.10, 0.20), 4.7594, 1e-4);
  EXPECT_NEAR(black_scholes_price(OptionRight::kPut, 42, 40, 0.5, 0.10, 0.20), 0.8086, 1e-4);
  // Expired: intrinsic.
  EXPECT_NEAR(black_scholes_price(OptionRight::kPut, 35, 40, 0.0, 0.10, 0.20), 5.0, 1e-12);
}

TEST(TailHedgePricing, RealizedVolatilityByHand) {
  // Closes 100, 101, 100, 101, ... (21 closes): 20 log returns of +-ln(1.01) = +-0.0099503, mean 0,
  // sample sd = 0.0099503 x sqrt(20/19) = 0.0102088; x sqrt(252) = 0.162060.
  std::vector<double> closes;
  for (int i = 0; i < 21; ++i) closes.push_back(i % 2 == 0 ? 100.0 : 101.0);
  auto v = realized_vol_annual(closes, 63, 20);
  ASSERT_TRUE(v.has_value());
  EXPECT_NEAR(*v, 0.162060, 1e-6);
  closes.pop_back();  // 19 returns < 20 -> no estimate
  EXPECT_FALSE(realized_vol_annual(closes, 63, 20).has_value());
}

TEST(TailHedgePricing, SizingUsesBlackScholesWhenVolatilityIsKnown) {
  auto cfg = make_config();
  HedgeBook book;
  MarketView m = example_market();
  TailHedgeInputs in = inputs(kDay, 1'000'000);
  in.pricing.implied_vols = {{InstrumentId("spy"), 0.20}};
  HedgePlan plan = ensure_tail_hedges(book, m, cfg, in);
  const HedgeOrder* spy = find_order(plan.orders, "spy_etf", HedgeOrderKind::kOpen);
  ASSERT_NE(spy, nullptr);
  // Put S=450, K=383, T=74/365, r=2 %, sigma=20 % -> 0.486819 per share, 48.68 per contract;
  // SPY budget 0.6 x 8000 = 4800 -> floor(4800 / 48.68) = 98 contracts.
  EXPECT_EQ(spy->price_source, PriceSource::kBlackScholesImplied);
  EXPECT_NEAR(spy->model_price, 0.486819, 1e-5);
  EXPECT_DOUBLE_EQ(spy->quantity, 98.0);
  EXPECT_DOUBLE_EQ(spy->limit_price, 0.49);  // buy limit rounded up to the 0.01 tick
  // FEZ has no vol: flagged fallback.
  const HedgeOrder* fez = find_order(plan.orders, "fez_etf", HedgeOrderKind::kOpen);
  ASSERT_NE(fez, nullptr);
  EXPECT_EQ(fez->price_source, PriceSource::kEstimateFallback);
  EXPECT_NE(fez->reason.find("FALLBACK"), std::string::npos);
}

// --- ensure: the original example, split, no double buying ---------------------------------------

TEST(TailHedgeEnsure, OriginalExampleAtOneMillionWithPremiumEstimateFallback) {
  // Original §3.6.2 example: NAV 1M, no hedges: budget 2.5 % = 25,000 remaining, target coverage
  // 0.8 x 25,000 = 20,000 -> equity 8,000 (SPY 60 % = 4,800 / (450 x 2.5 % x 100 = 1,125) = 4;
  // FEZ 40 % = 3,200 / (48 x 2.5 % x 100 = 120) = 26), VIX 4,000 / 200 = 20, HYG 3,000 /
  // (75 x 2 % x 100 = 150) = 20, sovereign 3,000 / 5,000 = 0 pairs, EUFN 2,000 / (20 x 3 % x 100
  // = 60) = 33.
  auto cfg = make_config();
  HedgeBook book;
  HedgePlan plan = ensure_tail_hedges(book, example_market(), cfg, inputs(kDay, 1'000'000));
  EXPECT_TRUE(plan.budget_reset);
  EXPECT_DOUBLE_EQ(plan.budget.total_usd(), 25'000.0);
  EXPECT_DOUBLE_EQ(plan.target_coverage_usd, 20'000.0);
  struct Want {
    const char* id;
    double qty;
    double premium;
    double strike;
  } want[] = {{"spy_etf", 4, 4'500, 383},  // 450 x 0.85 = 382.5 -> 383
              {"fez_etf", 26, 3'120, 41},  // 48 x 0.85 = 40.8 -> 41
              {"vix_index", 20, 4'000, 30},  // max(30, 1.5 x 20)
              {"hyg_etf", 20, 3'000, 68},  // 75 x 0.9 = 67.5 -> 68
              {"eufn_etf", 33, 1'980, 16}};  // 20 x 0.8
  ASSERT_EQ(plan.orders.size(), 5u);
  for (const Want& w : want) {
    const HedgeOrder* o = find_order(plan.orders, w.id, HedgeOrderKind::kOpen);
    ASSERT_NE(o, nullptr) << w.id;
    EXPECT_EQ(o->side, HedgeOrderSide::kBuy);
    EXPECT_DOUBLE_EQ(o->quantity, w.qty) << w.id;
    EXPECT_NEAR(o->premium_usd, w.premium, 1e-9) << w.id;
    EXPECT_DOUBLE_EQ(*o->hedge.strike, w.strike) << w.id;
    EXPECT_EQ(o->price_source, PriceSource::kEstimateFallback) << w.id;
  }
  // Sovereign: 3,000 < 5,000 margin per pair -> reported, not ordered.
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_EQ(plan.skipped[0].type, HedgeType::kSovereignSpread);
  EXPECT_EQ(plan.skipped[0].reason_code, "rounds_to_zero");
  EXPECT_NEAR(plan.planned_buy_premium_usd, 16'600.0, 1e-9);  // 4500+3120+4000+3000+1980
}

TEST(TailHedgeEnsure, BudgetSplitFortyTwentyFifteenFifteenTen) {
  auto cfg = make_config();
  HedgeBook book;
  HedgePlan plan = ensure_tail_hedges(book, example_market(), cfg, inputs(kDay, 1'000'000));
  // Target coverage 20,000 x {0.40, 0.20, 0.15, 0.15, 0.10}.
  EXPECT_NEAR(plan.target_usd.at(HedgeType::kEquityPut), 8'000.0, 1e-9);
  EXPECT_NEAR(plan.target_usd.at(HedgeType::kVixCall), 4'000.0, 1e-9);
  EXPECT_NEAR(plan.target_usd.at(HedgeType::kCreditPut), 3'000.0, 1e-9);
  EXPECT_NEAR(plan.target_usd.at(HedgeType::kSovereignSpread), 3'000.0, 1e-9);
  EXPECT_NEAR(plan.target_usd.at(HedgeType::kBankPut), 2'000.0, 1e-9);
  // No type spends more than its share.
  std::map<HedgeType, double> spent;
  for (const auto& o : plan.orders) spent[o.hedge.type] += o.premium_usd;
  for (const auto& [t, v] : spent) EXPECT_LE(v, plan.target_usd.at(t) + 1e-9) << to_string(t);
}

TEST(TailHedgeEnsure, NothingIsBoughtTwice) {
  auto cfg = make_config();
  HedgeBook book;
  const MarketView m = example_market();
  HedgePlan day1 = ensure_tail_hedges(book, m, cfg, inputs(kDay, 1'000'000));
  ASSERT_EQ(day1.orders.size(), 5u);
  ASSERT_TRUE(apply_hedge_fills(book, day1.orders).ok());
  EXPECT_NEAR(book.budget().used_ytd_usd, 16'600.0, 1e-9);
  // Same day again, and the next day: remaining 8,400 -> target 6,720; equity coverage 7,620 >=
  // 0.5 x 2,688 etc.: no purchase for any covered type.
  for (Date d : {kDay, kDay.add_days(1)}) {
    HedgePlan again = ensure_tail_hedges(book, example_market(d), cfg, inputs(d, 1'000'000));
    EXPECT_TRUE(again.orders.empty()) << d;
    EXPECT_FALSE(again.budget_reset);
  }
}

TEST(TailHedgeEnsure, OriginalDefect10_HedgePurchasesAreRecorded) {
  // At NAV 10M the original re-sent SELL 6 OAT + BUY 6 Bund every day (nothing recorded):
  // budget 250,000, target 200,000, sovereign 15 % = 30,000 / 5,000 = 6 pairs.
  auto cfg = make_config();
  HedgeBook book;
  HedgePlan day1 = ensure_tail_hedges(book, example_market(), cfg, inputs(kDay, 10'000'000));
  const HedgeOrder* oat = find_order(day1.orders, "france_oat", HedgeOrderKind::kOpen);
  const HedgeOrder* bund = find_order(day1.orders, "germany_bund", HedgeOrderKind::kOpen);
  ASSERT_NE(oat, nullptr);
  ASSERT_NE(bund, nullptr);
  EXPECT_EQ(oat->side, HedgeOrderSide::kSell);
  EXPECT_EQ(bund->side, HedgeOrderSide::kBuy);
  EXPECT_DOUBLE_EQ(oat->quantity, 6.0);
  EXPECT_DOUBLE_EQ(bund->quantity, 6.0);
  ASSERT_TRUE(apply_hedge_fills(book, day1.orders).ok());
  // Recorded: the budget is charged and the hedge book holds every line.
  EXPECT_NEAR(book.budget().used_ytd_usd, day1.planned_buy_premium_usd, 1e-6);
  EXPECT_GT(book.budget().used_ytd_usd, 0.0);
  EXPECT_EQ(book.active().size(), day1.orders.size());
  ASSERT_NE(book.find("sovereign_spread:france_oat:front:short"), nullptr);
  EXPECT_DOUBLE_EQ(book.find("sovereign_spread:france_oat:front:short")->quantity, -6.0);
  EXPECT_NEAR(book.coverage_usd(HedgeType::kSovereignSpread), 30'000.0, 1e-9);
  // Day 2: nothing re-sent.
  const Date d2 = kDay.add_days(1);
  HedgePlan day2 = ensure_tail_hedges(book, example_market(d2), cfg, inputs(d2, 10'000'000));
  EXPECT_EQ(find_order(day2.orders, "france_oat", HedgeOrderKind::kOpen), nullptr);
  EXPECT_TRUE(day2.orders.empty());
}

TEST(TailHedgeEnsure, OriginalDefect09_OptionHedgesAreExecutableContracts) {
  auto cfg = make_config();
  HedgeBook book;
  HedgePlan plan = ensure_tail_hedges(book, example_market(), cfg, inputs(kDay, 1'000'000));
  ASSERT_FALSE(plan.orders.empty());
  for (const auto& o : plan.orders) {
    const Instrument* line = cfg.instruments.find(o.hedge.instrument);
    ASSERT_NE(line, nullptr) << o.hedge.instrument << " is not a configured instrument";
    ASSERT_TRUE(line->option.has_value()) << o.hedge.instrument;
    ASSERT_TRUE(o.hedge.strike && o.hedge.expiry && o.hedge.right) << o.hedge.hedge_id;
    EXPECT_EQ(o.hedge.underlying, line->option->underlying);
    auto grid = strike_grid(*line);
    ASSERT_TRUE(grid.ok());
    EXPECT_DOUBLE_EQ(std::fmod(*o.hedge.strike, *grid), 0.0) << o.hedge.hedge_id;
    EXPECT_GT(kDay.days_until(*o.hedge.expiry), cfg.settings.tail_hedge.roll_dte_days);
    EXPECT_GT(o.limit_price, 0.0);
  }
  const HedgeOrder* spy = find_order(plan.orders, "spy_etf", HedgeOrderKind::kOpen);
  ASSERT_NE(spy, nullptr);
  EXPECT_EQ(spy->hedge.hedge_id, "equity_put:spy_etf:2024-08-16:383P");
  const HedgeOrder* vix = find_order(plan.orders, "vix_index", HedgeOrderKind::kOpen);
  ASSERT_NE(vix, nullptr);
  EXPECT_EQ(vix->hedge.hedge_id, "vix_call:vix_index:2024-07-17:30C");
}

TEST(TailHedgeEnsure, UnusableUnderlyingSkipsTheLineWithAReason) {
  auto cfg = make_config();
  HedgeBook book;
  MarketView m = example_market();
  m.unusable[InstrumentId("hyg")] = "stale: last close 2024-05-20";
  HedgePlan plan = ensure_tail_hedges(book, m, cfg, inputs(kDay, 1'000'000));
  EXPECT_EQ(find_order(plan.orders, "hyg_etf", HedgeOrderKind::kOpen), nullptr);
  auto it = std::find_if(plan.skipped.begin(), plan.skipped.end(),
                         [](const HedgeSkip& s) { return s.instrument.str() == "hyg_etf"; });
  ASSERT_NE(it, plan.skipped.end());
  EXPECT_EQ(it->reason_code, "unusable_data");
  EXPECT_NE(it->reason.find("stale: last close 2024-05-20"), std::string::npos);
  EXPECT_NE(find_order(plan.orders, "spy_etf", HedgeOrderKind::kOpen), nullptr);  // others go ahead
}

// A book holding 4 SPY puts 383 Aug-16 bought for 4,500 on 2024-06-03.
HedgeBook book_with_spy_puts(const config::Config& cfg) {
  HedgeBook book;
  book.roll_budget_year(kDay, 1'000'000, 0.025, 0.5);
  auto spy = build_option_contract(cfg.instruments, cfg.instruments.at(InstrumentId("spy_etf")), 450.0, kDay);
  if (!spy.ok()) {
    ADD_FAILURE() << "SPY option contract: " << spy.error().message;
    return book;
  }
  book.record_purchase(make_option_hedge(HedgeType::kEquityPut, *spy, 4, kDay), 4'500.0);
  return book;
}

TEST(TailHedgeEnsure, RollAtTwentyOneDaysPicksANewContract) {
  auto cfg = make_config();
  HedgeBook book = book_with_spy_puts(cfg);

  TailHedgeInputs in = inputs(Date(2024, 7, 25), 1'000'000);
  in.pricing.implied_vols = {{InstrumentId("spy"), 0.20}};
  // 2024-07-25: 22 days to 16 Aug -> no roll.
  MarketView m25 = example_market(Date(2024, 7, 25));
  m25.prices[InstrumentId("spy")] = 500.0;
  HedgePlan no_roll = ensure_tail_hedges(book, m25, cfg, in);
  EXPECT_EQ(find_order(no_roll.orders, "spy_etf", HedgeOrderKind::kRollClose), nullptr);

  // 2024-07-26: 21 days -> roll. New contract: 2024-07-26 + 90 = 24 Oct -> third Friday 18 Oct
  // (6 days before; 15 Nov is 22 after); strike 500 x 0.85 = 425.
  in.as_of = Date(2024, 7, 26);
  MarketView m26 = example_market(in.as_of);
  m26.prices[InstrumentId("spy")] = 500.0;
  HedgePlan plan = ensure_tail_hedges(book, m26, cfg, in);
  const HedgeOrder* close = find_order(plan.orders, "spy_etf", HedgeOrderKind::kRollClose);
  const HedgeOrder* open = find_order(plan.orders, "spy_etf", HedgeOrderKind::kRollOpen);
  ASSERT_NE(close, nullptr);
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(close->hedge.hedge_id, "equity_put:spy_etf:2024-08-16:383P");
  EXPECT_EQ(close->side, HedgeOrderSide::kSell);
  EXPECT_DOUBLE_EQ(close->quantity, 4.0);
  EXPECT_EQ(open->hedge.hedge_id, "equity_put:spy_etf:2024-10-18:425P");
  // Put S=500, K=425, T=84/365, r=2 %, sigma=20 % -> 0.727608 per share = 72.76 per contract;
  // the replacement re-spends the old premium 4,500 -> floor(4500 / 72.76) = 61 contracts.
  EXPECT_NEAR(open->model_price, 0.727608, 1e-5);
  EXPECT_DOUBLE_EQ(open->quantity, 61.0);
  // Roll orders come first: close, then the new contract.
  EXPECT_EQ(plan.orders[0].kind, HedgeOrderKind::kRollClose);
  EXPECT_EQ(plan.orders[1].kind, HedgeOrderKind::kRollOpen);

  ASSERT_TRUE(apply_hedge_fills(book, plan.orders).ok());
  EXPECT_FALSE(book.find("equity_put:spy_etf:2024-08-16:383P")->active);
  EXPECT_TRUE(book.find("equity_put:spy_etf:2024-10-18:425P")->active);
  HedgePlan after = ensure_tail_hedges(book, m26, cfg, in);
  EXPECT_EQ(find_order(after.orders, "spy_etf", HedgeOrderKind::kRollClose), nullptr);
  EXPECT_EQ(find_order(after.orders, "spy_etf", HedgeOrderKind::kRollOpen), nullptr);
}

// Regression (found by the backtest hedge test): when a roll's close does not go through (e.g.
// rejected by a pre-trade check) but its replacement fills, the old hedge is marked replaced and
// later days retry the close only: a second replacement would double the coverage and drain
// the budget day after day.
TEST(TailHedgeEnsure, RollWhoseCloseFailedRetriesTheCloseButNeverBuysASecondReplacement) {
  auto cfg = make_config();
  HedgeBook book = book_with_spy_puts(cfg);
  TailHedgeInputs in = inputs(Date(2024, 7, 26), 1'000'000);
  in.pricing.implied_vols = {{InstrumentId("spy"), 0.20}};
  MarketView m = example_market(in.as_of);
  m.prices[InstrumentId("spy")] = 500.0;
  HedgePlan plan = ensure_tail_hedges(book, m, cfg, in);
  const HedgeOrder* close = find_order(plan.orders, "spy_etf", HedgeOrderKind::kRollClose);
  const HedgeOrder* open = find_order(plan.orders, "spy_etf", HedgeOrderKind::kRollOpen);
  ASSERT_NE(close, nullptr);
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->replaces, "equity_put:spy_etf:2024-08-16:383P");
  // Only the replacement fills.
  ASSERT_TRUE(apply_hedge_fill(book, *open, open->quantity, open->premium_usd).ok());
  const portfolio::Hedge* old = book.find("equity_put:spy_etf:2024-08-16:383P");
  ASSERT_TRUE(old->active);
  EXPECT_TRUE(old->replaced);
  const double used = book.budget().used_ytd_usd;
  // Next day: the close again, no second replacement, no gap fill for equity puts (the
  // replacement's premium is the coverage).
  in.as_of = Date(2024, 7, 29);
  MarketView m2 = example_market(in.as_of);
  m2.prices[InstrumentId("spy")] = 500.0;
  HedgePlan next = ensure_tail_hedges(book, m2, cfg, in);
  EXPECT_NE(find_order(next.orders, "spy_etf", HedgeOrderKind::kRollClose), nullptr);
  EXPECT_EQ(find_order(next.orders, "spy_etf", HedgeOrderKind::kRollOpen), nullptr);
  for (const auto& o : next.orders) {
    EXPECT_FALSE(o.kind == HedgeOrderKind::kOpen && o.hedge.type == HedgeType::kEquityPut) << o.reason;
  }
  EXPECT_DOUBLE_EQ(book.budget().used_ytd_usd, used);
}

TEST(TailHedgeEnsure, ExpiredHedgeIsClosedAtIntrinsicAndReplaced) {
  auto cfg = make_config();
  HedgeBook book;
  book.roll_budget_year(Date(2024, 1, 2), 1'000'000, 0.025, 0.5);
  auto vix = build_option_contract(cfg.instruments, cfg.instruments.at(InstrumentId("vix_index")), 20.0, kDay,
                                   StrikeRule{1.5, 30.0});
  ASSERT_TRUE(vix.ok());
  ASSERT_EQ(vix->expiry, Date(2024, 7, 17));
  book.record_purchase(make_option_hedge(HedgeType::kVixCall, *vix, 20, kDay), 4'000.0);
  // 2024-07-26, nine days after expiry, VIX 34: intrinsic of the 30 call = 4 per unit.
  const Date d(2024, 7, 26);
  MarketView m = example_market(d);
  m.prices[InstrumentId("vix")] = 34.0;
  HedgePlan plan = ensure_tail_hedges(book, m, cfg, inputs(d, 1'000'000));
  const HedgeOrder* close = find_order(plan.orders, "vix_index", HedgeOrderKind::kRollClose);
  ASSERT_NE(close, nullptr);
  EXPECT_EQ(close->price_source, PriceSource::kIntrinsic);
  EXPECT_DOUBLE_EQ(close->model_price, 4.0);
  EXPECT_NEAR(close->premium_usd, 20 * 4.0 * 100, 1e-9);  // 8,000 USD settlement value
  // Replacement: strike max(30, 1.5 x 34 = 51) = 51; 2024-07-26 + 60 = 24 Sep -> VIX expiries
  // 18 Sep (Oct 18 - 30; 6 days before) and 16 Oct (22 after) -> 2024-09-18. Fallback premium
  // 200 per contract; re-spends 4,000 -> 20 contracts.
  const HedgeOrder* open = find_order(plan.orders, "vix_index", HedgeOrderKind::kRollOpen);
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->hedge.hedge_id, "vix_call:vix_index:2024-09-18:51C");
  EXPECT_DOUBLE_EQ(open->quantity, 20.0);
}

TEST(TailHedgeEnsure, BudgetResetsOnFirstJanuaryFromLastNavOfPreviousYear) {
  auto cfg = make_config();
  HedgeBook book;
  book.roll_budget_year(Date(2024, 1, 2), 1'000'000, 0.025, 0.5);
  book.budget().used_ytd_usd = 20'000;
  book.budget().realized_gains_ytd_usd = 4'000;
  const std::map<Date, double> history{{Date(2024, 12, 30), 1'150'000},
                                       {Date(2024, 12, 31), 1'200'000},
                                       {Date(2025, 1, 2), 1'250'000}};
  const Date d(2025, 1, 2);
  const double start = nav_at_year_start(history, d, 1'250'000);
  EXPECT_DOUBLE_EQ(start, 1'200'000);  // last NAV of 2024
  TailHedgeInputs in{d, 1'250'000, start, false, 0.0, {}};
  HedgePlan plan = ensure_tail_hedges(book, example_market(d), cfg, in);
  EXPECT_TRUE(plan.budget_reset);
  EXPECT_EQ(plan.budget.year, 2025);
  EXPECT_DOUBLE_EQ(plan.budget.total_usd(), 30'000.0);  // 2.5 % x 1,200,000
  EXPECT_DOUBLE_EQ(plan.budget.used_ytd_usd, 0.0);
  EXPECT_DOUBLE_EQ(plan.budget.realized_gains_ytd_usd, 0.0);
  // A later day in the same year does not reset.
  HedgePlan next = ensure_tail_hedges(book, example_market(d.add_days(1)), cfg,
                                      TailHedgeInputs{d.add_days(1), 1'250'000, start, false, 0.0, {}});
  EXPECT_FALSE(next.budget_reset);
  // A brand-new book: today's NAV.
  EXPECT_DOUBLE_EQ(nav_at_year_start({}, d, 777.0), 777.0);
}

TEST(TailHedgeEnsure, IncreaseHedgesFillsAnyGap) {
  // After day 1 of the example, equity coverage 7,620 vs target 2,688 is covered either way; a
  // fresh type below target but above half of it is bought only when the risk decision asks.
  auto cfg = make_config();
  HedgeBook book;
  book.roll_budget_year(kDay, 1'000'000, 0.025, 0.5);
  portfolio::Hedge eufn;
  eufn.hedge_id = "bank_put:eufn_etf:2024-08-16:16P";
  eufn.type = HedgeType::kBankPut;
  eufn.instrument = InstrumentId("eufn_etf");
  eufn.quantity = 20;
  book.record_purchase(eufn, 1'200.0);
  // remaining 23,800 -> target 19,040; bank 10 % = 1,904; coverage 1,200 >= 0.5 x 1,904 = 952.
  HedgePlan calm = ensure_tail_hedges(book, example_market(), cfg, inputs(kDay, 1'000'000));
  EXPECT_EQ(find_order(calm.orders, "eufn_etf", HedgeOrderKind::kOpen), nullptr);
  TailHedgeInputs in = inputs(kDay, 1'000'000);
  in.increase_hedges = true;
  HedgePlan stressed = ensure_tail_hedges(book, example_market(), cfg, in);
  const HedgeOrder* o = find_order(stressed.orders, "eufn_etf", HedgeOrderKind::kOpen);
  ASSERT_NE(o, nullptr);
  // gap 1,904 - 1,200 = 704 -> floor(704 / 60) = 11 contracts.
  EXPECT_DOUBLE_EQ(o->quantity, 11.0);
}

// --- crisis playbook ---------------------------------------------------------------------------

TEST(TailHedgeCrisis, OriginalDefect19_CrisisPlaybookUsesTodaysReturn) {
  auto cfg = make_config();
  HedgeBook book = book_with_spy_puts(cfg);
  // NAV history: flat until yesterday; today the fund is up 12 % (crash, hedges pay).
  portfolio::Portfolio fund;
  fund.record_nav(Date(2024, 6, 3), 1'000'000);
  fund.record_nav(Date(2024, 6, 4), 1'000'000);
  const Date today(2024, 6, 5);
  const double nav_today = 1'120'000;
  const double yesterdays_recorded_return = fund.daily_returns().back();  // what the original used
  EXPECT_DOUBLE_EQ(yesterdays_recorded_return, 0.0);
  const double r = todays_return(nav_today, fund.nav_history().rbegin()->second);
  EXPECT_NEAR(r, 0.12, 1e-12);

  MarketView m = example_market(today);
  m.prices[InstrumentId("spy")] = 300.0;
  m.vix = 35.0;
  TailHedgeInputs in = inputs(today, nav_today);
  in.pricing.implied_vols = {{InstrumentId("spy"), 0.30}};

  // With yesterday's return the original did nothing on the day of the spike.
  EXPECT_EQ(run_crisis_playbook(book, m, cfg, in, yesterdays_recorded_return).type, CrisisActionType::kNone);

  CrisisAction a = run_crisis_playbook(book, m, cfg, in, r);
  EXPECT_EQ(a.type, CrisisActionType::kRealizeHedges);
  EXPECT_EQ(a.instruction, RebalanceInstruction::kIncreaseCoreExposure);
  EXPECT_EQ(a.urgency, "urgent");
  ASSERT_EQ(a.orders.size(), 1u);
  const HedgeOrder& o = a.orders[0];
  EXPECT_EQ(o.kind, HedgeOrderKind::kRealize);
  EXPECT_EQ(o.side, HedgeOrderSide::kSell);
  EXPECT_DOUBLE_EQ(o.quantity, 2.0);  // floor(4 x 0.6)
  // Put S=300, K=383, T=72/365, r=2 %, sigma=30 % -> 82.128656 per share = 8,212.87 per contract;
  // proceeds 2 x 8,212.87 = 16,425.73; cost of the sold half 2,250 -> gain 14,175.73.
  EXPECT_NEAR(o.model_price, 82.128656, 1e-4);
  EXPECT_NEAR(o.premium_usd, 16'425.73, 0.01);
  EXPECT_NEAR(a.expected_realized_gain_usd, 14'175.73, 0.01);

  // Recording the sale recycles 50 % of the gain: remaining = 25,000 - 4,500 + 0.5 x 14,175.73.
  ASSERT_TRUE(apply_hedge_fills(book, a.orders).ok());
  EXPECT_NEAR(book.budget().realized_gains_ytd_usd, 14'175.73, 0.01);
  EXPECT_NEAR(book.budget().remaining_usd(), 27'587.86, 0.01);
  EXPECT_DOUBLE_EQ(book.find("equity_put:spy_etf:2024-08-16:383P")->quantity, 2.0);

  // The day after a spike with a flat day: the original would act again on the stale +12 %.
  EXPECT_EQ(run_crisis_playbook(book, m, cfg, in, todays_return(1'120'000, 1'120'000)).type,
            CrisisActionType::kNone);
}

TEST(TailHedgeCrisis, VixCrisisSpendsHalfTheRemainingBudgetSixtyFortyCallsPuts) {
  auto cfg = make_config();
  HedgeBook book;
  book.roll_budget_year(kDay, 1'000'000, 0.025, 0.5);
  MarketView m = example_market();
  m.vix = 45.0;
  m.prices[InstrumentId("vix")] = 45.0;
  CrisisAction a = run_crisis_playbook(book, m, cfg, inputs(kDay, 1'000'000), 0.01);
  EXPECT_EQ(a.type, CrisisActionType::kIncreaseHedges);
  EXPECT_EQ(a.instruction, RebalanceInstruction::kReduceExposure);
  EXPECT_EQ(a.urgency, "immediate");
  // Crisis budget 0.5 x 25,000 = 12,500: VIX calls 7,500, equity puts 5,000.
  // VIX call strike max(30, 1.5 x 45 = 67.5) -> 68; premium estimate 200 -> floor(7500/200) = 37.
  const HedgeOrder* vix = find_order(a.orders, "vix_index", HedgeOrderKind::kCrisisOpen);
  ASSERT_NE(vix, nullptr);
  EXPECT_DOUBLE_EQ(vix->quantity, 37.0);
  EXPECT_DOUBLE_EQ(*vix->hedge.strike, 68.0);
  // SPY 0.6 x 5,000 = 3,000 / 1,125 = 2; FEZ 2,000 / 120 = 16.
  const HedgeOrder* spy = find_order(a.orders, "spy_etf", HedgeOrderKind::kCrisisOpen);
  const HedgeOrder* fez = find_order(a.orders, "fez_etf", HedgeOrderKind::kCrisisOpen);
  ASSERT_NE(spy, nullptr);
  ASSERT_NE(fez, nullptr);
  EXPECT_DOUBLE_EQ(spy->quantity, 2.0);
  EXPECT_DOUBLE_EQ(fez->quantity, 16.0);
  EXPECT_EQ(a.orders.size(), 3u);
  // Pending purchases not yet recorded reduce what the playbook may spend.
  TailHedgeInputs in = inputs(kDay, 1'000'000);
  in.pending_premium_usd = 25'000;
  CrisisAction none_left = run_crisis_playbook(book, m, cfg, in, 0.01);
  EXPECT_TRUE(none_left.orders.empty());
  EXPECT_NE(none_left.reason.find("no hedge budget"), std::string::npos);
}

TEST(TailHedgeCrisis, SpikeHasPriorityAndCalmDaysHold) {
  auto cfg = make_config();
  HedgeBook book = book_with_spy_puts(cfg);
  MarketView m = example_market(Date(2024, 6, 5));
  m.vix = 50.0;
  TailHedgeInputs in = inputs(Date(2024, 6, 5), 1'000'000);
  EXPECT_EQ(run_crisis_playbook(book, m, cfg, in, 0.10).type, CrisisActionType::kRealizeHedges);  // >= 10 %
  m.vix = 39.99;
  CrisisAction calm = run_crisis_playbook(book, m, cfg, in, 0.0999);
  EXPECT_EQ(calm.type, CrisisActionType::kNone);
  EXPECT_EQ(calm.instruction, RebalanceInstruction::kHold);
  EXPECT_TRUE(calm.orders.empty());
  const nlohmann::json j = to_json(calm);
  EXPECT_EQ(j.at("rebalance_instruction"), "hold");
}

// --- summary -----------------------------------------------------------------------------------

TEST(TailHedgeSummary, CountsPremiumValueAndBudget) {
  auto cfg = make_config();
  HedgeBook book;
  HedgePlan plan = ensure_tail_hedges(book, example_market(), cfg, inputs(kDay, 1'000'000));
  ASSERT_TRUE(apply_hedge_fills(book, plan.orders).ok());
  const portfolio::Hedge* put = book.find("equity_put:spy_etf:2024-08-16:383P");
  ASSERT_NE(put, nullptr);
  book.mark(*put, 5'000.0);
  HedgeSummary s = hedge_summary(book);
  EXPECT_EQ(s.active_count, 5);
  EXPECT_NEAR(s.premium_usd, 16'600.0, 1e-9);
  EXPECT_NEAR(s.value_usd, 5'000.0, 1e-9);             // only SPY is marked
  EXPECT_NEAR(s.pnl_usd, 5'000.0 - 16'600.0, 1e-9);
  ASSERT_EQ(s.by_type.size(), 5u);
  EXPECT_EQ(s.by_type[0].type, HedgeType::kEquityPut);
  EXPECT_EQ(s.by_type[0].count, 2);
  EXPECT_NEAR(s.by_type[0].premium_usd, 7'620.0, 1e-9);  // 4,500 + 3,120
  EXPECT_NEAR(s.by_type[0].pnl_usd, 5'000.0 - 7'620.0, 1e-9);
  EXPECT_EQ(s.by_type[3].count, 0);                     // sovereign: none
  EXPECT_NEAR(s.budget_annual_usd, 25'000.0, 1e-9);
  EXPECT_NEAR(s.budget_used_usd, 16'600.0, 1e-9);
  EXPECT_NEAR(s.budget_remaining_usd, 8'400.0, 1e-9);
  EXPECT_NEAR(s.budget_usage, 0.664, 1e-12);
  const nlohmann::json j = to_json(s);
  EXPECT_EQ(j.at("active_count"), 5);
}

TEST(TailHedgeSummary, MarkHedgesValuesOptionsByBlackScholes) {
  auto cfg = make_config();
  HedgeBook book = book_with_spy_puts(cfg);
  MarketView m = example_market(Date(2024, 6, 5));
  m.prices[InstrumentId("spy")] = 300.0;
  HedgePricingInputs p;
  p.implied_vols = {{InstrumentId("spy"), 0.30}};
  EXPECT_TRUE(mark_hedges(book, m, cfg, p).empty());
  // 4 contracts x 8,212.87 (see the crisis test) = 32,851.46.
  EXPECT_NEAR(book.find("equity_put:spy_etf:2024-08-16:383P")->current_value_usd, 32'851.46, 0.01);
  // No volatility: the book mark stays, with a note.
  EXPECT_EQ(mark_hedges(book, example_market(Date(2024, 6, 5)), cfg, HedgePricingInputs{}).size(), 1u);
}

}  // namespace
}  // namespace af::strategy
