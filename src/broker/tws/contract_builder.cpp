#include "broker/tws/contract_builder.hpp"

#include <fmt/format.h>

#include "core/check.hpp"

namespace af::tws {
namespace {

bool is_business_day(Date d) { return !d.is_weekend(); }

// The n-th (1-based) given ISO weekday (1 = Monday ... 7 = Sunday) of a month.
Date nth_weekday(int year, unsigned month, unsigned iso_weekday, int n) {
  const Date first(year, month, 1);
  const int offset = (static_cast<int>(iso_weekday) - static_cast<int>(first.iso_weekday()) + 7) % 7;
  return first.add_days(offset + 7 * (n - 1));
}

Date previous_business_day_or_same(Date d) {
  while (!is_business_day(d)) d = d.add_days(-1);
  return d;
}

std::string format_multiplier(double m) { return fmt::format("{}", m); }

std::vector<unsigned> listed_months(config::ExpiryCycle cycle) {
  if (cycle == config::ExpiryCycle::kQuarterly) return {3, 6, 9, 12};
  return {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
}

}  // namespace

std::string ib_sec_type(config::SecType type) {
  switch (type) {
    case config::SecType::kStk: return "STK";
    case config::SecType::kFut: return "FUT";
    case config::SecType::kCash: return "CASH";
    case config::SecType::kOpt: return "OPT";
    case config::SecType::kInd: return "IND";
  }
  return "STK";
}

std::string ib_right(config::OptionRight right) {
  return right == config::OptionRight::kCall ? "C" : "P";
}

Date subtract_business_days(Date d, int n) {
  AF_CHECK(n >= 0, "subtract_business_days: n must be >= 0");
  while (n > 0) {
    d = d.add_days(-1);
    if (is_business_day(d)) --n;
  }
  return d;
}

int business_days_between(Date from, Date to) {
  if (to < from) return -business_days_between(to, from);
  int n = 0;
  for (Date d = from.add_days(1); d <= to; d = d.add_days(1)) {
    if (is_business_day(d)) ++n;
  }
  return n;
}

Date last_trading_day(config::ExpiryRule rule, int year, unsigned month) {
  constexpr unsigned kWednesday = 3, kFriday = 5;
  switch (rule) {
    case config::ExpiryRule::kThirdFriday:
      return nth_weekday(year, month, kFriday, 3);
    case config::ExpiryRule::kTwoBusinessDaysBeforeThirdWednesday:
      return subtract_business_days(nth_weekday(year, month, kWednesday, 3), 2);
    case config::ExpiryRule::kTwoBusinessDaysBeforeTenth: {
      Date delivery(year, month, 10);
      while (!is_business_day(delivery)) delivery = delivery.add_days(1);
      return subtract_business_days(delivery, 2);
    }
    case config::ExpiryRule::kThirtyDaysBeforeNextThirdFriday: {
      const int next_year = month == 12 ? year + 1 : year;
      const unsigned next_month = month == 12 ? 1 : month + 1;
      return previous_business_day_or_same(
          nth_weekday(next_year, next_month, kFriday, 3).add_days(-30));
    }
  }
  AF_CHECK(false, "last_trading_day: unknown expiry rule");
  return Date{};
}

std::string FuturesMonth::contract_month() const { return fmt::format("{:04d}{:02d}", year, month); }

FuturesMonth front_future(const config::FutureSpec& spec, Date as_of) {
  const auto months = listed_months(spec.expiry_cycle);
  int year = as_of.year();
  // Walk listed months from the as-of month on; at most two years ahead is always enough.
  for (int step = 0; step < 24 * 2; ++step) {
    const int y = year + step / 12;
    const unsigned m = static_cast<unsigned>(step % 12) + 1;
    if (y == as_of.year() && m < as_of.month()) continue;
    bool listed = false;
    for (unsigned lm : months) listed = listed || lm == m;
    if (!listed) continue;
    const Date ltd = last_trading_day(spec.expiry_rule, y, m);
    if (business_days_between(as_of, ltd) > spec.roll_business_days_before_expiry) {
      return FuturesMonth{y, m, ltd};
    }
  }
  AF_CHECK(false, "front_future: no contract within two years (impossible for listed cycles)");
  return {};
}

Result<Contract> build_contract(const config::Instrument& instrument, Date as_of) {
  const auto& bc = instrument.contract;
  Contract c;
  c.symbol = bc.symbol;
  c.sec_type = ib_sec_type(bc.sec_type);
  c.exchange = bc.exchange;
  c.currency = std::string(to_string(bc.currency));
  c.trading_class = bc.trading_class;
  const std::string where = "instrument " + instrument.id.str();
  switch (bc.sec_type) {
    case config::SecType::kStk:
      // SMART routing needs the listing venue to be unambiguous (original §2.5 fix).
      if (bc.exchange == "SMART" && bc.primary_exchange.empty()) {
        return Error{ErrorCode::kConfig, where + ": SMART-routed stock needs contract.primary_exchange "
                                                 "(e.g. LSEETF, IBIS, NASDAQ) in instruments.yaml"};
      }
      c.primary_exchange = bc.primary_exchange;
      break;
    case config::SecType::kFut: {
      if (!instrument.future) {
        return Error{ErrorCode::kConfig, where + ": FUT without a futures spec (expiry cycle, "
                                                 "expiry rule, roll days) in instruments.yaml"};
      }
      c.last_trade_date_or_contract_month = front_future(*instrument.future, as_of).contract_month();
      c.multiplier = format_multiplier(bc.multiplier);
      break;
    }
    case config::SecType::kCash:
    case config::SecType::kInd:
      break;
    case config::SecType::kOpt:
      return Error{ErrorCode::kInvalidArgument,
                   where + ": an option needs expiry, strike and right; use build_option_contract"};
  }
  return c;
}

Result<Contract> build_option_contract(const config::Instrument& option_instrument, Date expiry,
                                       double strike, config::OptionRight right) {
  const auto& bc = option_instrument.contract;
  const std::string where = "instrument " + option_instrument.id.str();
  if (bc.sec_type != config::SecType::kOpt) {
    return Error{ErrorCode::kInvalidArgument, where + ": not an option (sec_type " +
                                                  ib_sec_type(bc.sec_type) + ")"};
  }
  if (!(strike > 0.0)) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("{}: option strike must be positive, got {}", where, strike)};
  }
  Contract c;
  c.symbol = bc.symbol;  // the underlying's IB symbol ("SPX", "SPY", "ESTX50")
  c.sec_type = "OPT";
  c.exchange = bc.exchange;
  c.currency = std::string(to_string(bc.currency));
  c.trading_class = bc.trading_class;
  c.multiplier = format_multiplier(bc.multiplier);
  c.last_trade_date_or_contract_month =
      fmt::format("{:04d}{:02d}{:02d}", expiry.year(), expiry.month(), expiry.day());
  c.strike = strike;
  c.right = ib_right(right);
  return c;
}

}  // namespace af::tws
