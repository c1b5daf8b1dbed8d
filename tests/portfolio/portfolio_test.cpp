// Portfolio accounting: every expected number is a hand calculation written next to it.
#include <gtest/gtest.h>

#include "portfolio/portfolio.hpp"
#include "portfolio/portfolio_json.hpp"

namespace af::portfolio {
namespace {

using config::Instrument;
using config::SecType;

Instrument make(const std::string& id, SecType type, Currency ccy, QuoteUnit unit, double mult,
                Sleeve sleeve) {
  Instrument i;
  i.id = InstrumentId(id);
  i.sleeves = {sleeve};
  i.contract.symbol = id;
  i.contract.sec_type = type;
  i.contract.currency = ccy;
  i.contract.price_unit = unit;
  i.contract.multiplier = mult;
  return i;
}

config::InstrumentUniverse universe() {
  return config::InstrumentUniverse({
      make("us_etf", SecType::kStk, Currency::USD, QuoteUnit::major(Currency::USD), 1, Sleeve::kCoreIndexRv),
      make("eu_etf", SecType::kStk, Currency::EUR, QuoteUnit::major(Currency::EUR), 1, Sleeve::kCoreIndexRv),
      make("uk_etf", SecType::kStk, Currency::GBP, QuoteUnit::gbx(), 1, Sleeve::kSectorRv),
      make("es_fut", SecType::kFut, Currency::USD, QuoteUnit::major(Currency::USD), 50, Sleeve::kCoreIndexRv),
      make("fesx_fut", SecType::kFut, Currency::EUR, QuoteUnit::major(Currency::EUR), 10, Sleeve::kCoreIndexRv),
  });
}

const Date kDay(2024, 3, 1);

marketdata::FxRates fx() {
  marketdata::FxRates rates;
  rates.set_broker_rate(Currency::EUR, 1.10, kDay);
  rates.set_broker_rate(Currency::GBP, 1.25, kDay);
  return rates;
}

TEST(Portfolio, NavConvertsEveryCurrencyAndPenceOnce) {
  auto u = universe();
  Portfolio book;
  book.set_cash(Currency::USD, 100'000);
  book.set_cash(Currency::EUR, 50'000);
  book.set_position({InstrumentId("eu_etf"), Sleeve::kCoreIndexRv, 100, 40.0, std::nullopt, 0});
  book.set_position({InstrumentId("uk_etf"), Sleeve::kSectorRv, 1000, 2100.0, std::nullopt, 0});
  auto v = book.value(kDay, {{InstrumentId("eu_etf"), 40.0}, {InstrumentId("uk_etf"), 2150.0}}, u, fx());
  ASSERT_TRUE(v.ok()) << v.error().message;
  // 100000 + 50000 x 1.10 + 100 x 40 x 1.10 + 1000 x 2150 GBX (= 21.50 GBP) x 1.25
  // = 100000 + 55000 + 4400 + 26875 = 186275
  EXPECT_NEAR(v->nav_usd, 186'275.0, 1e-6);
  EXPECT_NEAR(v->cash_usd, 155'000.0, 1e-6);
  EXPECT_EQ(v->fx_used.size(), 2u);
}

TEST(Portfolio, FutureAddsOpenPnlToNavAndFullNotionalToExposure) {
  auto u = universe();
  Portfolio book;
  book.set_cash(Currency::USD, 10'000);
  book.set_position({InstrumentId("es_fut"), Sleeve::kCoreIndexRv, 2, 4000.0, std::nullopt, 0});
  auto v = book.value(kDay, {{InstrumentId("es_fut"), 4010.0}}, u, fx());
  ASSERT_TRUE(v.ok());
  // open P&L = 2 x (4010 - 4000) x 50 = 1000 -> NAV 11000; exposure 2 x 4010 x 50 = 401000.
  EXPECT_NEAR(v->nav_usd, 11'000.0, 1e-9);
  EXPECT_NEAR(v->gross_exposure_usd, 401'000.0, 1e-9);
  EXPECT_NEAR(v->sleeves[0].long_usd, 401'000.0, 1e-9);
  EXPECT_NEAR(v->sleeves[0].weight, 401'000.0 / 11'000.0, 1e-12);
}

TEST(Portfolio, StockFillChangesNavOnlyByCommission) {
  auto u = universe();
  Portfolio book;
  book.set_cash(Currency::USD, 50'000);
  auto before = book.value(kDay, {}, u, fx());
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(book.apply_fill({InstrumentId("uk_etf"), Sleeve::kSectorRv, 300, 2150.0, {1.5, Currency::USD}}, u).ok());
  // Cash: GBP -300 x 21.50 = -6450 GBP; USD -1.5 commission.
  EXPECT_NEAR(book.cash(Currency::GBP), -6'450.0, 1e-9);
  EXPECT_NEAR(book.cash(Currency::USD), 49'998.5, 1e-9);
  auto after = book.value(kDay, {{InstrumentId("uk_etf"), 2150.0}}, u, fx());
  ASSERT_TRUE(after.ok());
  EXPECT_NEAR(after->nav_usd - before->nav_usd, -1.5, 1e-9);
}

TEST(Portfolio, FutureFillMovesNoCashButCommission) {
  auto u = universe();
  Portfolio book;
  book.set_cash(Currency::EUR, 20'000);
  ASSERT_TRUE(book.apply_fill({InstrumentId("fesx_fut"), Sleeve::kCoreIndexRv, -3, 4500.0, {6.0, Currency::EUR}}, u).ok());
  EXPECT_NEAR(book.cash(Currency::EUR), 19'994.0, 1e-9);
  // Close 1 at 4400: realised (4400 - 4500) x (-1) x 10 = +1000 EUR settled into cash.
  ASSERT_TRUE(book.apply_fill({InstrumentId("fesx_fut"), Sleeve::kCoreIndexRv, 1, 4400.0, {2.0, Currency::EUR}}, u).ok());
  EXPECT_NEAR(book.cash(Currency::EUR), 19'994.0 + 1'000.0 - 2.0, 1e-9);
  EXPECT_EQ(book.quantity(InstrumentId("fesx_fut")), -2);
}

TEST(Portfolio, ReducingRealisesPnlAtAveragePrice) {
  auto u = universe();
  Portfolio book;
  ASSERT_TRUE(book.apply_fill({InstrumentId("us_etf"), Sleeve::kCoreIndexRv, 100, 10.0, {0, Currency::USD}}, u).ok());
  ASSERT_TRUE(book.apply_fill({InstrumentId("us_etf"), Sleeve::kCoreIndexRv, 100, 12.0, {0, Currency::USD}}, u).ok());
  // avg = (100 x 10 + 100 x 12) / 200 = 11; sell 50 @ 13 -> realised 50 x 2 = 100.
  ASSERT_TRUE(book.apply_fill({InstrumentId("us_etf"), Sleeve::kCoreIndexRv, -50, 13.0, {0, Currency::USD}}, u).ok());
  const auto& p = book.positions().at({InstrumentId("us_etf"), Sleeve::kCoreIndexRv});
  EXPECT_DOUBLE_EQ(p.avg_price, 11.0);
  EXPECT_DOUBLE_EQ(p.realized_pnl_local, 100.0);
  EXPECT_DOUBLE_EQ(p.quantity, 150.0);
  // Cash: -1000 - 1200 + 650 = -1550.
  EXPECT_DOUBLE_EQ(book.cash(Currency::USD), -1'550.0);
}

TEST(Portfolio, BrokerSyncReplacesNeverMerges) {
  auto u = universe();
  Portfolio book;
  book.set_position({InstrumentId("us_etf"), Sleeve::kCoreIndexRv, 100, 10.0, 10.0, 0});
  book.set_position({InstrumentId("eu_etf"), Sleeve::kCoreIndexRv, -50, 40.0, 40.0, 0});
  auto changes = book.replace_from_broker({{InstrumentId("us_etf"), 80, 10.0}}, u);
  EXPECT_EQ(book.quantity(InstrumentId("us_etf")), 80);   // replaced, not 180
  EXPECT_EQ(book.quantity(InstrumentId("eu_etf")), 0);    // closed at the broker: gone
  EXPECT_EQ(book.positions().size(), 1u);
  EXPECT_EQ(changes.size(), 2u);
  // Syncing again with the same broker view changes nothing (idempotent).
  EXPECT_TRUE(book.replace_from_broker({{InstrumentId("us_etf"), 80, 10.0}}, u).empty());
  EXPECT_EQ(book.quantity(InstrumentId("us_etf")), 80);
}

TEST(Portfolio, MissingMarkUsesLastMarkFlaggedAndNeverMarkedIsAnError) {
  auto u = universe();
  Portfolio book;
  book.set_position({InstrumentId("us_etf"), Sleeve::kCoreIndexRv, 10, 10.0, 11.0, 0});
  auto v = book.value(kDay, {}, u, fx());
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->positions[0].stale_mark);
  EXPECT_NEAR(v->nav_usd, 110.0, 1e-12);
  EXPECT_FALSE(v->warnings.empty());
  book.set_position({InstrumentId("eu_etf"), Sleeve::kCoreIndexRv, 10, 40.0, std::nullopt, 0});
  auto bad = book.value(kDay, {}, u, fx());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("eu_etf"), std::string::npos);
}

// Marks are matched to positions by instrument, also with marks for instruments the book does not
// hold, several sleeves of one instrument and positions without a mark today.
TEST(Portfolio, EachPositionTakesTheMarkOfItsInstrument) {
  auto u = universe();
  Portfolio book;
  book.set_position({InstrumentId("us_etf"), Sleeve::kCoreIndexRv, 10, 10.0, 9.0, 0});
  book.set_position({InstrumentId("us_etf"), Sleeve::kSectorRv, -4, 10.0, 9.0, 0});
  book.set_position({InstrumentId("eu_etf"), Sleeve::kCoreIndexRv, 5, 40.0, 39.0, 0});  // no mark today
  book.set_position({InstrumentId("uk_etf"), Sleeve::kSectorRv, 100, 2100.0, 2000.0, 0});
  const Marks marks{{InstrumentId("aaa_not_held"), 1.0}, {InstrumentId("es_fut"), 4000.0},
                    {InstrumentId("uk_etf"), 2200.0}, {InstrumentId("us_etf"), 12.0},
                    {InstrumentId("zzz_not_held"), 2.0}};
  auto v = book.value(kDay, marks, u, fx());
  ASSERT_TRUE(v.ok()) << v.error().message;
  ASSERT_EQ(v->positions.size(), 4u);  // (instrument, sleeve) order
  EXPECT_EQ(v->positions[0].key.instrument, InstrumentId("eu_etf"));
  EXPECT_EQ(v->positions[0].mark, 39.0);
  EXPECT_TRUE(v->positions[0].stale_mark);
  EXPECT_EQ(v->positions[1].key.instrument, InstrumentId("uk_etf"));
  EXPECT_EQ(v->positions[1].mark, 2200.0);
  EXPECT_FALSE(v->positions[1].stale_mark);
  EXPECT_EQ(v->positions[2].key, (PositionKey{InstrumentId("us_etf"), Sleeve::kCoreIndexRv}));
  EXPECT_EQ(v->positions[2].mark, 12.0);
  EXPECT_EQ(v->positions[3].key, (PositionKey{InstrumentId("us_etf"), Sleeve::kSectorRv}));
  EXPECT_EQ(v->positions[3].mark, 12.0);
  EXPECT_FALSE(v->positions[3].stale_mark);
  // 5 x 39 x 1.10 + 100 x 22.00 GBP x 1.25 + (10 - 4) x 12 = 214.5 + 2750 + 72 = 3036.5
  EXPECT_NEAR(v->nav_usd, 3036.5, 1e-9);
  // Sleeves: core 10 x 12 + 214.5 long; sector 2750 long, 4 x 12 short.
  EXPECT_NEAR(v->sleeves[0].long_usd, 334.5, 1e-9);
  EXPECT_NEAR(v->sleeves[1].long_usd, 2750.0, 1e-9);
  EXPECT_NEAR(v->sleeves[1].short_usd, 48.0, 1e-9);
  EXPECT_EQ(v->warnings.size(), 1u);  // eu_etf's stale mark
}

TEST(Portfolio, PnlDailyMtdYtdInMoneyAndReturnUnderDistinctNames) {
  Portfolio book;
  book.record_nav(Date(2023, 12, 29), 100.0);
  book.record_nav(Date(2024, 1, 2), 101.0);
  book.record_nav(Date(2024, 1, 31), 105.0);
  book.record_nav(Date(2024, 2, 1), 103.0);
  auto s = book.pnl(Date(2024, 2, 1));
  ASSERT_TRUE(s.has_value());
  EXPECT_DOUBLE_EQ(*s->daily_pnl_usd, -2.0);
  EXPECT_NEAR(*s->daily_return, 103.0 / 105.0 - 1.0, 1e-15);
  EXPECT_DOUBLE_EQ(*s->mtd_pnl_usd, -2.0);   // vs 31 Jan
  EXPECT_DOUBLE_EQ(*s->ytd_pnl_usd, 3.0);    // vs 29 Dec 2023
  EXPECT_NEAR(*s->ytd_return, 0.03, 1e-15);
  EXPECT_NEAR(s->current_drawdown, (103.0 - 105.0) / 105.0, 1e-15);
  EXPECT_NEAR(s->max_drawdown, (103.0 - 105.0) / 105.0, 1e-15);
  // First entry: no previous day, no previous month/year.
  auto first = book.pnl(Date(2023, 12, 29));
  EXPECT_FALSE(first->daily_pnl_usd.has_value());
  EXPECT_FALSE(first->ytd_return.has_value());
}

TEST(HedgeBook, BudgetRecordsPurchasesRecyclesHalfOfGainsAndResetsOnFirstJanuary) {
  HedgeBook hb;
  EXPECT_TRUE(hb.roll_budget_year(Date(2024, 3, 1), 1'000'000, 0.025, 0.5));
  EXPECT_DOUBLE_EQ(hb.budget().total_usd(), 25'000.0);
  Hedge h;
  h.hedge_id = "equity_put:spy_etf:2024-06-21:430P";
  h.type = HedgeType::kEquityPut;
  h.instrument = InstrumentId("spy_etf");
  h.quantity = 4;
  h.opened = Date(2024, 3, 1);
  hb.record_purchase(h, 8'000.0);
  EXPECT_DOUBLE_EQ(hb.budget().used_ytd_usd, 8'000.0);
  EXPECT_DOUBLE_EQ(hb.coverage_usd(HedgeType::kEquityPut), 8'000.0);
  // Buying the same contract again adds to it; nothing is bought twice by accident.
  hb.record_purchase(h, 2'000.0);
  EXPECT_EQ(hb.active().size(), 1u);
  EXPECT_DOUBLE_EQ(hb.active()[0]->quantity, 8.0);
  // Sell 4 of 8 for 9000: cost 5000 (half of 10000) -> gain 4000, half recycled.
  ASSERT_TRUE(hb.record_sale(h.hedge_id, 4, 9'000.0).ok());
  // remaining = 25000 - 10000 + 0.5 x 4000 = 17000
  EXPECT_DOUBLE_EQ(hb.budget().remaining_usd(), 17'000.0);
  EXPECT_NEAR(hb.budget().usage(), 10'000.0 / 25'000.0, 1e-15);
  EXPECT_FALSE(hb.roll_budget_year(Date(2024, 12, 31), 2'000'000, 0.025, 0.5));
  EXPECT_TRUE(hb.roll_budget_year(Date(2025, 1, 2), 1'200'000, 0.025, 0.5));
  EXPECT_DOUBLE_EQ(hb.budget().used_ytd_usd, 0.0);
  EXPECT_DOUBLE_EQ(hb.budget().total_usd(), 30'000.0);
  EXPECT_EQ(hb.active().size(), 1u);  // the hedge itself survives the year change
}

// Marking an entry marks exactly that entry, even where an id appears twice (a restored file may
// hold a closed and an active hedge of one id); an entry of another book is a loud stop.
TEST(HedgeBook, MarkingAnEntryMarksThatEntryOnly) {
  Hedge closed;
  closed.hedge_id = "put:spy";
  closed.instrument = InstrumentId("spy_etf");
  closed.active = false;
  closed.current_value_usd = 10.0;
  Hedge open = closed;
  open.active = true;
  open.quantity = 3;
  HedgeBook hb;
  hb.restore({closed, open}, HedgeBudget{});
  ASSERT_EQ(hb.active().size(), 1u);
  hb.mark(*hb.active()[0], 4'200.0);
  EXPECT_DOUBLE_EQ(hb.hedges()[1].current_value_usd, 4'200.0);
  EXPECT_DOUBLE_EQ(hb.hedges()[0].current_value_usd, 10.0);  // the closed one is untouched
  HedgeBook other;
  other.restore({open}, HedgeBudget{});
  EXPECT_DEATH(hb.mark(other.hedges()[0], 1.0), "not an entry of this book");
}

TEST(HedgeBook, ActiveOnlyKeepsTheActiveHedgesInOrderAndTheBudget) {
  HedgeBook hb;
  hb.roll_budget_year(Date(2024, 3, 1), 1'000'000, 0.025, 0.5);
  auto hedge = [](const char* id, HedgeType type) {
    Hedge h;
    h.hedge_id = id;
    h.type = type;
    h.instrument = InstrumentId("spy_etf");
    h.quantity = 2;
    h.opened = Date(2024, 3, 1);
    return h;
  };
  hb.record_purchase(hedge("a", HedgeType::kEquityPut), 1'000.0);
  hb.record_purchase(hedge("b", HedgeType::kVixCall), 2'000.0);
  hb.record_purchase(hedge("c", HedgeType::kEquityPut), 3'000.0);
  ASSERT_TRUE(hb.record_sale("b", 2, 500.0).ok());  // closed: history only
  ASSERT_NE(hb.find("c"), nullptr);
  hb.mark(*hb.find("c"), 3'500.0);

  const HedgeBook active = hb.active_only();
  ASSERT_EQ(active.hedges().size(), 2u);
  EXPECT_EQ(active.hedges()[0].hedge_id, "a");
  EXPECT_EQ(active.hedges()[1].hedge_id, "c");
  EXPECT_DOUBLE_EQ(active.hedges()[1].current_value_usd, 3'500.0);
  // Budget: 6000 used (1000 + 2000 + 3000), no realised gain (sold b at a loss).
  EXPECT_DOUBLE_EQ(active.budget().used_ytd_usd, 6'000.0);
  EXPECT_DOUBLE_EQ(active.budget().remaining_usd(), 25'000.0 - 6'000.0);
  EXPECT_DOUBLE_EQ(active.coverage_usd(HedgeType::kEquityPut), 4'000.0);
  EXPECT_DOUBLE_EQ(active.coverage_usd(HedgeType::kVixCall), 0.0);
  EXPECT_EQ(hb.hedges().size(), 3u);  // the original keeps its history
}

TEST(PortfolioJson, RoundTripsAndNamesThePathOfBadInput) {
  auto u = universe();
  const char* text = R"({
    "positions": [{"instrument": "uk_etf", "sleeve": "sector_rv", "quantity": 300, "avg_price": 2100, "mark": 2150}],
    "cash": {"USD": 1000, "GBP": -50},
    "nav_history": {"2024-02-29": 1000.0, "2024-03-01": 1010.0},
    "hedge_book": {"budget": {"year": 2024, "annual_pct": 0.025, "nav_at_year_start_usd": 1000,
                              "used_ytd_usd": 5}, "hedges": []}
  })";
  auto book = portfolio_from_json_text(text, "book.json", u);
  ASSERT_TRUE(book.ok()) << book.error().message;
  EXPECT_EQ(book->quantity(InstrumentId("uk_etf"), Sleeve::kSectorRv), 300);
  EXPECT_DOUBLE_EQ(book->cash(Currency::GBP), -50);
  auto again = portfolio_from_json_text(portfolio_to_json(*book).dump(), "round.json", u);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(portfolio_to_json(*again), portfolio_to_json(*book));

  auto bad = portfolio_from_json_text(R"({"positions": [{"instrument": "us_etf", "quantity": "ten"}]})", "book.json", u);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "book.json: positions[0].quantity: expected a number, got \"ten\"");
  auto unknown = portfolio_from_json_text(R"({"positions": [{"instrument": "nope", "quantity": 1}]})", "b.json", u);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("positions[0].instrument: unknown instrument 'nope'"), std::string::npos);
  auto gbx = portfolio_from_json_text(R"({"cash": {"GBX": 5}})", "b.json", u);
  ASSERT_FALSE(gbx.ok());
  EXPECT_NE(gbx.error().message.find("cash.GBX"), std::string::npos);
}

}  // namespace
}  // namespace af::portfolio
