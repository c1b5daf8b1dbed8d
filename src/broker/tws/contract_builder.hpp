// broker/tws/contract_builder.hpp — IB contracts from instruments.yaml (the one place).
//
// Fixes original §2.5: stocks/ETFs route SMART with their primary (listing) exchange and always
// carry a currency; futures use real listed months of their cycle and roll before expiry;
// options are complete contracts (underlying symbol, expiry, strike, right, multiplier).
//
// Futures expiry rules — the last trading day of a contract month, per config::ExpiryRule
// (instruments.yaml names the rule for each product; the arithmetic lives only here):
//   kThirdFriday                          third Friday of the month
//                                         (CME ES/MES, Eurex FESX, Euronext FCE, equity options)
//   kTwoBusinessDaysBeforeThirdWednesday  two business days before the third Wednesday
//                                         (CME FX futures 6E, M6E)
//   kTwoBusinessDaysBeforeTenth           two business days before the delivery day, which is the
//                                         10th calendar day or the next business day after it
//                                         (Eurex bond futures FGBL, FOAT, FBTP)
//   kThirtyDaysBeforeNextThirdFriday      30 calendar days before the third Friday of the
//                                         FOLLOWING month, moved to the business day before if
//                                         that is not a business day (CFE VX, Eurex FVS, VIX options)
// Business days here are Monday-Friday: exchange holidays are not applied (the gateway's
// contract details carry the exact date; qualify() compares them and reports a mismatch).
//
// Front contract: the first listed month (quarterly H/M/U/Z or monthly) whose last trading day is
// MORE than roll_business_days_before_expiry business days after the as-of date. So with N = 5 the
// position rolls into the next contract 5 business days before expiry.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "broker/tws/messages.hpp"
#include "config/instruments.hpp"
#include "core/date.hpp"
#include "core/result.hpp"

namespace af::tws {

// Last trading day of the contract month (year, month) under `rule`.
Date last_trading_day(config::ExpiryRule rule, int year, unsigned month);

// Business days d with from < d <= to (negative if to < from). Monday-Friday.
int business_days_between(Date from, Date to);
// `d` moved back by n business days (n >= 0), Monday-Friday.
Date subtract_business_days(Date d, int n);

struct FuturesMonth {
  int year = 0;
  unsigned month = 0;
  Date last_trading_day;
  std::string contract_month() const;  // "YYYYMM", IB's lastTradeDateOrContractMonth
};

// The contract to hold on `as_of` (see the front-contract rule above).
FuturesMonth front_future(const config::FutureSpec& spec, Date as_of);

// The IB contract for a STK/ETF, FUT (front month at as_of), CASH or IND instrument.
// OPT instruments need build_option_contract. Fails (kConfig) on an instrument that cannot be
// expressed (e.g. FUT without a future spec).
Result<Contract> build_contract(const config::Instrument& instrument, Date as_of);

// A complete option contract of an OPT instrument: its option spec names the underlying; the
// expiry, strike and right are chosen by the caller (tail-hedge sizing).
Result<Contract> build_option_contract(const config::Instrument& option_instrument, Date expiry,
                                       double strike, config::OptionRight right);

// IB's text for the config types ("STK", "FUT" ...; "C"/"P").
std::string ib_sec_type(config::SecType type);
std::string ib_right(config::OptionRight right);

}  // namespace af::tws
