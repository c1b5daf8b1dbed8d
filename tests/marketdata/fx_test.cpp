// FX conversion to USD: hand-computed values, quote conventions, fallback chain order and age.
#include <gtest/gtest.h>

#include "marketdata/bar_store.hpp"
#include "marketdata/fx.hpp"

namespace af::marketdata {
namespace {

FxRates rates_with_store() {
  FxOptions opt;
  opt.max_age_days = 5;
  opt.static_table = {{Currency::EUR, 1.05}, {Currency::GBP, 1.27}, {Currency::CHF, 1.13}, {Currency::JPY, 0.0066}};
  opt.static_table_as_of = Date(2024, 11, 29);
  FxRates fx(opt);
  // Raw quotes in the FRED conventions: eurusd/gbpusd USD per unit; usdchf/usdjpy units per USD.
  fx.set_store_history(Currency::EUR, {{Date(2024, 3, 1), 1.08}, {Date(2024, 3, 4), 1.10}});
  fx.set_store_history(Currency::GBP, {{Date(2024, 3, 4), 1.25}});
  fx.set_store_history(Currency::CHF, {{Date(2024, 3, 4), 0.80}});
  fx.set_store_history(Currency::JPY, {{Date(2024, 3, 4), 150.0}});
  return fx;
}

TEST(Fx, GbxPriceToUsdGoesThroughQuoteUnitOnce) {
  // 2150 GBX = 21.50 GBP; at GBPUSD 1.25 that is 26.875 USD.
  FxRates fx = rates_with_store();
  Price p{2150.0, QuoteUnit::gbx()};
  EXPECT_DOUBLE_EQ(p.to_currency().amount, 21.5);
  EXPECT_EQ(p.to_currency().currency, Currency::GBP);
  auto v = fx.value_in_base(p, 1.0, 1.0, Date(2024, 3, 4));
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_DOUBLE_EQ(v->first.amount, 26.875);
  EXPECT_EQ(v->first.currency, Currency::USD);
  // 400 shares: 400 x 26.875 = 10,750 USD.
  EXPECT_DOUBLE_EQ(fx.value_in_base(p, 400.0, 1.0, Date(2024, 3, 4))->first.amount, 10750.0);
}

TEST(Fx, EurUsesEurusdDirectly) {
  // 1,000 EUR at 1.10 USD per EUR = 1,100 USD; a future with multiplier 10 at 4,900 points,
  // 2 contracts = 98,000 EUR = 107,800 USD.
  FxRates fx = rates_with_store();
  auto m = fx.to_base(Money{1000.0, Currency::EUR}, Date(2024, 3, 4));
  ASSERT_TRUE(m.ok());
  EXPECT_DOUBLE_EQ(m->first.amount, 1100.0);
  auto fut = fx.value_in_base(Price{4900.0, QuoteUnit::major(Currency::EUR)}, 2.0, 10.0, Date(2024, 3, 4));
  EXPECT_NEAR(fut->first.amount, 107800.0, 1e-6);
}

TEST(Fx, ChfAndJpyAreInverted) {
  // USDCHF 0.80 CHF per USD -> 1 CHF = 1.25 USD; USDJPY 150 -> 1 JPY = 1/150 USD.
  FxRates fx = rates_with_store();
  auto chf = fx.rate(Currency::CHF, Date(2024, 3, 4));
  ASSERT_TRUE(chf.ok());
  EXPECT_DOUBLE_EQ(chf->value, 1.25);
  EXPECT_NE(chf->detail.find("inverted"), std::string::npos);
  EXPECT_DOUBLE_EQ(fx.to_base(Money{800.0, Currency::CHF}, Date(2024, 3, 4))->first.amount, 1000.0);
  EXPECT_DOUBLE_EQ(fx.to_base(Money{15000.0, Currency::JPY}, Date(2024, 3, 4))->first.amount, 100.0);
}

TEST(Fx, UsdIsIdentity) {
  FxRates fx;
  auto r = fx.rate(Currency::USD, Date(2024, 3, 4));
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->value, 1.0);
  EXPECT_EQ(r->source, FxSource::kIdentity);
}

TEST(Fx, FallbackChainBrokerThenStoreThenStatic) {
  FxRates fx = rates_with_store();
  // Store: on Sunday 2024-03-03 the last quote is Friday 03-01 (1.08), 2 days old.
  auto store = fx.rate(Currency::EUR, Date(2024, 3, 3));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->source, FxSource::kBarStore);
  EXPECT_DOUBLE_EQ(store->value, 1.08);
  EXPECT_EQ(*store->as_of, Date(2024, 3, 1));
  EXPECT_EQ(*store->age_days, 2);

  // Broker value beats the store.
  fx.set_broker_rate(Currency::EUR, 1.0950, Date(2024, 3, 4));
  auto broker = fx.rate(Currency::EUR, Date(2024, 3, 4));
  EXPECT_EQ(broker->source, FxSource::kBroker);
  EXPECT_DOUBLE_EQ(broker->value, 1.0950);
  EXPECT_EQ(*broker->age_days, 0);
  // ... but not for an earlier date (the broker value is from the future there).
  EXPECT_EQ(fx.rate(Currency::EUR, Date(2024, 3, 3))->source, FxSource::kBarStore);

  // Store too old (last quote 03-04, asked 03-15: 11 days > 5) -> static table, age from its date.
  auto stat = fx.rate(Currency::GBP, Date(2024, 3, 15));
  ASSERT_TRUE(stat.ok());
  EXPECT_EQ(stat->source, FxSource::kStaticTable);
  EXPECT_DOUBLE_EQ(stat->value, 1.27);
  EXPECT_EQ(*stat->as_of, Date(2024, 11, 29));
  EXPECT_NE(stat->detail.find("11 days old"), std::string::npos) << stat->detail;

  // Broker too old also falls through: broker 03-04, asked 03-12 (8 days) -> store is 8 days old
  // too -> static.
  EXPECT_EQ(fx.rate(Currency::EUR, Date(2024, 3, 12))->source, FxSource::kStaticTable);
  // 5 days is still fine.
  EXPECT_EQ(fx.rate(Currency::EUR, Date(2024, 3, 9))->source, FxSource::kBroker);
}

TEST(Fx, NoSourceAtAllIsAnErrorNotAGuess) {
  FxRates fx;  // no broker, no store, no static table
  auto r = fx.rate(Currency::EUR, Date(2024, 3, 4));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kDataQuality);
  EXPECT_NE(r.error().message.find("EURUSD"), std::string::npos);
  EXPECT_NE(r.error().message.find("static FX table"), std::string::npos);
}

TEST(Fx, NaNQuotesInTheStoreAreSkipped) {
  FxRates fx;
  fx.set_store_history(Currency::EUR, {{Date(2024, 3, 1), 1.08}, {Date(2024, 3, 4), kNoValue}});
  auto r = fx.rate(Currency::EUR, Date(2024, 3, 4));
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->value, 1.08);
  EXPECT_EQ(*r->age_days, 3);
}

TEST(Fx, LoadsConventionsFromTheBarStore) {
  auto store = BarStore::open(":memory:");
  ASSERT_TRUE(store.ok());
  const Timestamp t{};
  ASSERT_TRUE(store->upsert_series({"usdchf", SeriesKind::kReal, QuoteUnit::major(Currency::CHF), "fx.csv", ""}, t).ok());
  Bars chf = {Bar::close_only(Date(2024, 11, 29), 0.8822)};
  ASSERT_TRUE(store->upsert_bars("usdchf", chf).ok());
  auto fx = FxRates::from_store(*store, FxOptions{});
  ASSERT_TRUE(fx.ok());
  auto r = fx->rate(Currency::CHF, Date(2024, 11, 29));
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->value, 1.0 / 0.8822);
  EXPECT_EQ(r->source, FxSource::kBarStore);
  EXPECT_FALSE(fx->rate(Currency::EUR, Date(2024, 11, 29)).ok());  // no eurusd, no static table
}

}  // namespace
}  // namespace af::marketdata
