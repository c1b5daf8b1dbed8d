#include <gtest/gtest.h>
#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/clock.hpp"
#include "core/currency.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace af {
namespace {

TEST(QuoteUnit, GbxIsOneHundredthOfAPound) {
  // 2150 pence = 21.50 pounds (hand computation).
  Price p{2150.0, QuoteUnit::gbx()};
  Money m = p.to_currency();
  EXPECT_EQ(m.currency, Currency::GBP);
  EXPECT_DOUBLE_EQ(m.amount, 21.50);
  EXPECT_DOUBLE_EQ(QuoteUnit::gbx().from_currency_units(21.50), 2150.0);
  EXPECT_DOUBLE_EQ(QuoteUnit::major(Currency::GBP).to_currency_units(21.50), 21.50);
}

TEST(QuoteUnit, ParsesCodesAndRejectsGbxAsCurrency) {
  EXPECT_EQ(*parse_quote_unit("GBX"), QuoteUnit::gbx());
  EXPECT_EQ(*parse_quote_unit("EUR"), QuoteUnit::major(Currency::EUR));
  EXPECT_FALSE(parse_currency("GBX").ok());
  EXPECT_NE(parse_currency("GBX").error().message.find("quote unit"), std::string::npos);
  EXPECT_FALSE(parse_quote_unit("XYZ").ok());
}

TEST(Money, AddsSameCurrency) {
  Money a{100.0, Currency::EUR}, b{25.5, Currency::EUR};
  EXPECT_DOUBLE_EQ((a + b).amount, 125.5);
  EXPECT_DOUBLE_EQ((a - b).amount, 74.5);
}

TEST(MoneyDeathTest, AddingDifferentCurrenciesAborts) {
  Money a{100.0, Currency::EUR}, b{1.0, Currency::USD};
  EXPECT_DEATH({ auto c = a + b; (void)c; }, "different currencies");
}

TEST(Date, ParsesIsoAndRejectsInvalidDays) {
  auto d = Date::parse("2024-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->year(), 2024);
  EXPECT_EQ(d->iso(), "2024-02-29");
  EXPECT_EQ(d->iso_weekday(), 4u);  // 29 Feb 2024 was a Thursday
  EXPECT_FALSE(Date::parse("2023-02-29").ok());
  EXPECT_FALSE(Date::parse("2023-2-1").ok());
  EXPECT_FALSE(Date::parse("abcd-ef-gh").ok());
  EXPECT_EQ(Date(2024, 1, 1).days_until(Date(2024, 12, 31)), 365);
}

TEST(Date, IsoIsZeroPaddedForEveryYear) {
  EXPECT_EQ(Date(1970, 1, 1).iso(), "1970-01-01");
  EXPECT_EQ(Date(2000, 12, 31).iso(), "2000-12-31");
  EXPECT_EQ(Date(5, 3, 9).iso(), "0005-03-09");
  EXPECT_EQ(Date(987, 10, 20).iso(), "0987-10-20");
  EXPECT_EQ(Date(9999, 12, 31).iso(), "9999-12-31");
  EXPECT_EQ(Date(10000, 1, 2).iso(), "10000-01-02");
  EXPECT_EQ(Date(-1, 1, 2).iso(), "-001-01-02");
  // Every day of a range matches the fmt spelling.
  for (Date d(1999, 1, 1); d < Date(2001, 3, 1); d = d.add_days(1)) {
    EXPECT_EQ(d.iso(), fmt::format("{:04d}-{:02d}-{:02d}", d.year(), d.month(), d.day()));
  }
}

TEST(Result, CarriesValueOrError) {
  Result<int> good = 5;
  Result<int> bad = Error{ErrorCode::kConfig, "x"};
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(*good, 5);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(exit_code_for(bad.error()), 2);
  EXPECT_EQ(exit_code_for(Error{ErrorCode::kRefused, ""}), 3);
  EXPECT_EQ(exit_code_for(Error{ErrorCode::kIo, ""}), 1);
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(ManualClock, MovesOnlyWhenAdvanced) {
  ManualClock clock(Timestamp{std::chrono::seconds{1'700'000'000}});
  auto t0 = clock.now();
  auto s0 = clock.steady_now();
  EXPECT_EQ(clock.now(), t0);
  clock.advance(std::chrono::milliseconds{1500});
  EXPECT_EQ(clock.now() - t0, std::chrono::microseconds{1'500'000});
  EXPECT_EQ(clock.steady_now() - s0, std::chrono::microseconds{1'500'000});
  EXPECT_EQ(to_iso(Timestamp{std::chrono::seconds{0}}), "1970-01-01T00:00:00.000000Z");
}

}  // namespace
}  // namespace af

namespace af {
namespace {

// Interned ids (types.hpp) must behave exactly as the strings they replace: the same order, the
// same equality and the same hash as std::string, including texts that share their first 8
// characters (decided past the prefix) and texts that are prefixes of one another.
TEST(InstrumentIdTest, OrdersComparesAndHashesExactlyAsItsText) {
  std::vector<std::string> texts = {"", "a", "ab", "abcdefgh", "abcdefghi", "abcdefgha", "abcdefg",
                                    "us_index_etf", "us_index_etf_2", "us_index", "eu_index_fut", "\xff", "\x7f"};
  std::mt19937 rng(7);
  const std::string alphabet = "ab_z";
  for (int i = 0; i < 300; ++i) {
    std::string t = (i % 3 == 0) ? "sn_us_lo" : "";  // a shared 8-character prefix
    const int len = static_cast<int>(rng() % 12);
    for (int k = 0; k < len; ++k) t += alphabet[rng() % alphabet.size()];
    texts.push_back(t);
  }
  for (const auto& a : texts) {
    const InstrumentId ia(a);
    EXPECT_EQ(ia.str(), a);
    EXPECT_EQ(std::hash<InstrumentId>{}(ia), std::hash<std::string>{}(a));
    for (const auto& b : texts) {
      const InstrumentId ib(b);
      EXPECT_EQ(ia == ib, a == b) << a << " vs " << b;
      EXPECT_EQ(ia < ib, a < b) << a << " vs " << b;
      EXPECT_EQ(ia > ib, a > b) << a << " vs " << b;
    }
  }
  EXPECT_EQ(InstrumentId(), InstrumentId(""));
  EXPECT_TRUE(InstrumentId().empty());
  EXPECT_FALSE(InstrumentId("x").empty());
}

TEST(InstrumentIdTest, ExistingFindsOnlyIdsAlreadyBuiltAndAddsNothing) {
  EXPECT_EQ(InstrumentId::existing("never_built_id_7f3a"), std::nullopt);
  EXPECT_EQ(InstrumentId::existing("never_built_id_7f3a"), std::nullopt);  // the lookup added nothing
  const InstrumentId built("built_id_7f3a");
  ASSERT_TRUE(InstrumentId::existing("built_id_7f3a").has_value());
  EXPECT_EQ(*InstrumentId::existing("built_id_7f3a"), built);
}

TEST(InstrumentIdTest, TheSameTextInternedOnSeveralThreadsGivesOneId) {
  std::vector<std::vector<InstrumentId>> made(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < made.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) made[t].push_back(InstrumentId("concurrent_" + std::to_string(i)));
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t t = 1; t < made.size(); ++t) {
    for (int i = 0; i < 200; ++i) {
      EXPECT_EQ(made[t][i], made[0][i]);
      EXPECT_EQ(&made[t][i].str(), &made[0][i].str());  // one stored text
    }
  }
}

}  // namespace
}  // namespace af
