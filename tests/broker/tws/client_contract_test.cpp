// Contract building (futures expiry rules, front month, SMART + primary exchange, options) and
// the GBX/GBP price boundary of the IB adapter. Expected dates are from exchange calendars
// (hand-checked against a 2026 calendar, noted per case).
#include <gtest/gtest.h>

#include "broker/tws/contract_builder.hpp"
#include "broker/tws/ib_broker.hpp"

namespace af::tws {
namespace {

using config::ExpiryRule;

TEST(ClientContract, ThirdFridayRule) {
  // March 2026: Fridays 6, 13, 20 -> ES/FESX March 2026 expire 2026-03-20.
  EXPECT_EQ(last_trading_day(ExpiryRule::kThirdFriday, 2026, 3), Date(2026, 3, 20));
  // June 2026: Fridays 5, 12, 19.
  EXPECT_EQ(last_trading_day(ExpiryRule::kThirdFriday, 2026, 6), Date(2026, 6, 19));
}

TEST(ClientContract, FxFuturesTwoBusinessDaysBeforeThirdWednesday) {
  // March 2026: third Wednesday = 18th; two business days before = Monday 16th.
  EXPECT_EQ(last_trading_day(ExpiryRule::kTwoBusinessDaysBeforeThirdWednesday, 2026, 3),
            Date(2026, 3, 16));
  // June 2026: third Wednesday = 17th -> Monday 15th.
  EXPECT_EQ(last_trading_day(ExpiryRule::kTwoBusinessDaysBeforeThirdWednesday, 2026, 6),
            Date(2026, 6, 15));
  // September 2026: third Wednesday = 16th -> Monday 14th.
  EXPECT_EQ(last_trading_day(ExpiryRule::kTwoBusinessDaysBeforeThirdWednesday, 2026, 9),
            Date(2026, 9, 14));
}

TEST(ClientContract, EurexBondTwoBusinessDaysBeforeTheTenth) {
  // March 2026: the 10th is a Tuesday -> Friday 6th.
  EXPECT_EQ(last_trading_day(ExpiryRule::kTwoBusinessDaysBeforeTenth, 2026, 3), Date(2026, 3, 6));
  // June 2026: the 10th is a Wednesday -> Monday 8th.
  EXPECT_EQ(last_trading_day(ExpiryRule::kTwoBusinessDaysBeforeTenth, 2026, 6), Date(2026, 6, 8));
  // January 2026: the 10th is a Saturday -> delivery Monday 12th -> Thursday 8th.
  EXPECT_EQ(last_trading_day(ExpiryRule::kTwoBusinessDaysBeforeTenth, 2026, 1), Date(2026, 1, 8));
}

TEST(ClientContract, VixThirtyDaysBeforeNextMonthsThirdFriday) {
  // VX January 2026: third Friday of February 2026 = 20th; minus 30 days = Wednesday Jan 21.
  EXPECT_EQ(last_trading_day(ExpiryRule::kThirtyDaysBeforeNextThirdFriday, 2026, 1),
            Date(2026, 1, 21));
  // VX December 2026: third Friday of January 2027 = 15th; minus 30 days = Wednesday Dec 16.
  EXPECT_EQ(last_trading_day(ExpiryRule::kThirtyDaysBeforeNextThirdFriday, 2026, 12),
            Date(2026, 12, 16));
}

TEST(ClientContract, FrontQuarterlyContractRollsNBusinessDaysBeforeExpiry) {
  config::FutureSpec es{config::ExpiryCycle::kQuarterly, ExpiryRule::kThirdFriday, 5};
  // 2026-03-12 (Thu): business days to 03-20 = 13,16,17,18,19,20 = 6 > 5 -> still March.
  EXPECT_EQ(front_future(es, Date(2026, 3, 12)).contract_month(), "202603");
  // 2026-03-13 (Fri): 16..20 = 5, not > 5 -> June.
  EXPECT_EQ(front_future(es, Date(2026, 3, 13)).contract_month(), "202606");
  // Never a non-quarterly month (original defect: "this month if day <= 15").
  EXPECT_EQ(front_future(es, Date(2026, 1, 5)).contract_month(), "202603");
  // December rolls into March of the next year.
  EXPECT_EQ(front_future(es, Date(2026, 12, 15)).contract_month(), "202703");
}

TEST(ClientContract, FrontMonthlyContract) {
  config::FutureSpec vx{config::ExpiryCycle::kMonthly, ExpiryRule::kThirtyDaysBeforeNextThirdFriday, 3};
  // Jan 2026 VX expires Jan 21; on Jan 16 (Fri) business days 19,20,21 = 3, not > 3 -> February.
  EXPECT_EQ(front_future(vx, Date(2026, 1, 16)).contract_month(), "202602");
  EXPECT_EQ(front_future(vx, Date(2026, 1, 15)).contract_month(), "202601");
}

config::Instrument stock(std::string id, std::string symbol, std::string primary, Currency ccy,
                         QuoteUnit unit) {
  config::Instrument i;
  i.id = InstrumentId(std::move(id));
  i.contract.symbol = std::move(symbol);
  i.contract.sec_type = config::SecType::kStk;
  i.contract.exchange = "SMART";
  i.contract.primary_exchange = std::move(primary);
  i.contract.currency = ccy;
  i.contract.price_unit = unit;
  return i;
}

TEST(ClientContract, StockRoutesSmartWithPrimaryExchangeAndCurrency) {
  auto i = stock("value_ewu", "IUKD", "LSEETF", Currency::GBP, QuoteUnit::gbx());
  auto c = build_contract(i, Date(2026, 1, 5));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->symbol, "IUKD");
  EXPECT_EQ(c->sec_type, "STK");
  EXPECT_EQ(c->exchange, "SMART");
  EXPECT_EQ(c->primary_exchange, "LSEETF");
  EXPECT_EQ(c->currency, "GBP");
  i.contract.primary_exchange.clear();
  auto bad = build_contract(i, Date(2026, 1, 5));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kConfig);
}

TEST(ClientContract, FutureCarriesRealMonthMultiplierAndCurrency) {
  config::Instrument i;
  i.id = InstrumentId("eurusd_micro");
  i.contract.symbol = "M6E";
  i.contract.sec_type = config::SecType::kFut;
  i.contract.exchange = "CME";
  i.contract.currency = Currency::USD;
  i.contract.multiplier = 12500;
  i.future = config::FutureSpec{config::ExpiryCycle::kQuarterly,
                                ExpiryRule::kTwoBusinessDaysBeforeThirdWednesday, 5};
  auto c = build_contract(i, Date(2026, 3, 9));  // Mar LTD 16th: 10..16 = 5 -> June
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->last_trade_date_or_contract_month, "202606");
  EXPECT_EQ(c->multiplier, "12500");
  EXPECT_EQ(c->currency, "USD");
}

TEST(ClientContract, OptionIsACompleteContract) {
  config::Instrument i;
  i.id = InstrumentId("spy_put");
  i.contract.symbol = "SPY";
  i.contract.sec_type = config::SecType::kOpt;
  i.contract.exchange = "SMART";
  i.contract.currency = Currency::USD;
  i.contract.multiplier = 100;
  auto c = build_option_contract(i, Date(2026, 6, 19), 450.0, config::OptionRight::kPut);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->sec_type, "OPT");
  EXPECT_EQ(c->last_trade_date_or_contract_month, "20260619");
  EXPECT_EQ(c->strike, 450.0);
  EXPECT_EQ(c->right, "P");
  EXPECT_EQ(c->multiplier, "100");
  EXPECT_FALSE(build_contract(i, Date(2026, 1, 5)).ok());
  EXPECT_FALSE(build_option_contract(i, Date(2026, 6, 19), 0.0, config::OptionRight::kPut).ok());
}

TEST(ClientContract, PriceBoundaryConvertsGbpToGbxOnce) {
  // 21.50 GBP sent for a pence-quoted line goes out as 2150 (GBX).
  auto wire = IbBroker::to_wire_price(Price{21.50, QuoteUnit::major(Currency::GBP)}, QuoteUnit::gbx());
  ASSERT_TRUE(wire.ok());
  EXPECT_DOUBLE_EQ(*wire, 2150.0);
  // Already in GBX: unchanged.
  EXPECT_DOUBLE_EQ(*IbBroker::to_wire_price(Price{2150.0, QuoteUnit::gbx()}, QuoteUnit::gbx()),
                   2150.0);
  // GBX price for a GBP-quoted line: 2150 GBX -> 21.5 GBP.
  EXPECT_DOUBLE_EQ(*IbBroker::to_wire_price(Price{2150.0, QuoteUnit::gbx()},
                                            QuoteUnit::major(Currency::GBP)),
                   21.5);
  auto mismatch =
      IbBroker::to_wire_price(Price{100.0, QuoteUnit::major(Currency::USD)}, QuoteUnit::gbx());
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code, ErrorCode::kInvalidArgument);
}

TEST(ClientContract, ParsesIbTimeFormats) {
  const auto utc = [](int y, unsigned m, unsigned d, int hh, int mm, int ss) {
    return Timestamp{std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::hours{hh} +
                     std::chrono::minutes{mm} + std::chrono::seconds{ss}};
  };
  EXPECT_EQ(parse_ib_time("20230224  12:04:56"), utc(2023, 2, 24, 12, 4, 56));
  EXPECT_EQ(parse_ib_time("20240105-15:30:00"), utc(2024, 1, 5, 15, 30, 0));
  EXPECT_EQ(parse_ib_time("20240105"), utc(2024, 1, 5, 0, 0, 0));
  // US/Eastern in January is UTC-5.
  EXPECT_EQ(parse_ib_time("20240105 10:00:00 US/Eastern"), utc(2024, 1, 5, 15, 0, 0));
  EXPECT_EQ(parse_ib_time("1704467400"), utc(2024, 1, 5, 15, 10, 0));
  EXPECT_FALSE(parse_ib_time("garbage").has_value());
  EXPECT_FALSE(parse_ib_time("20240105 10:00:00 Not/AZone").has_value());
}

}  // namespace
}  // namespace af::tws
