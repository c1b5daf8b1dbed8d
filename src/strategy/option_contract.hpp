// strategy/option_contract.hpp — executable option contracts for the tail-hedge book and their
// Black–Scholes price (SYSTEM.md §4 Tail hedges; original §7 item 9 fixed: every option hedge is
// a real contract with underlying, listed expiry, strike on the listed grid and right).
//
// Expiry. The listed expiry of a contract month follows the option spec's expiry_rule:
//   third_friday                          third Friday of the month (equity/ETF/index options);
//   thirty_days_before_next_third_friday  VIX: the Wednesday 30 days before the third Friday of
//                                         the *following* month (if that Friday is a holiday,
//                                         30 days before the trading day preceding it);
//   two_business_days_before_third_wednesday, two_business_days_before_tenth (futures rules,
//                                         provided for completeness).
// A listed expiry that falls on a holiday of the listing exchange moves to the previous trading
// day (marketdata/calendar.hpp), e.g. Good Friday 2025-04-18 -> Thursday 2025-04-17, and the VIX
// June 2024 expiry Wednesday 2024-06-19 (Juneteenth) -> Tuesday 2024-06-18.
// The contract chosen is the listed monthly expiry nearest to as_of + target_tenor_days among
// those more than `min_days_to_expiry` days away (ties: the later one).
//
// Strike. spot x (1 - otm_pct) for puts, spot x (1 + otm_pct) for calls (or an explicit
// multiple, e.g. the VIX rule max(30, 1.5 x VIX)), rounded to the nearest point of the listed
// strike grid, in the underlying's price unit. Grid per trading class (strike_grid()):
//   SPY, FEZ, HYG, JNK, EUFN (US ETF options)   1.0   (whole-dollar strikes are always listed)
//   SPX (CBOE index options)                    5.0
//   OESX / ESTX50 (Eurex EURO STOXX 50)         50.0  (25-point strikes exist only near the
//                                                      money and for short expiries)
//   VIX (CBOE)                                  1.0
// An unknown class is an error naming it (add it to the table rather than guessing).
//
// Pricing. Black–Scholes through QuantLib's blackFormula on the forward S e^{(r-q)T}, discounted
// at e^{-rT}; T in years = calendar days / 365. Volatility: implied when supplied, else realized
// volatility of the underlying's closes (log returns, sample standard deviation x sqrt(252),
// over the last `window` returns). Black–Scholes on the VIX spot is a sizing approximation (VIX
// options settle on a forward that is not the spot); it is documented, not hidden.
//
// Pure; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "config/instruments.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "core/types.hpp"
#include "marketdata/calendar.hpp"
#include "portfolio/hedge_book.hpp"

namespace af::strategy {

// Listed expiry of contract month (year, month) under `rule` on `exchange`'s calendar.
// Pure; recent answers are memoised per thread.
Date listed_expiry(config::ExpiryRule rule, int year, unsigned month,
                   marketdata::Exchange exchange);

// Third Friday of a month (calendar date, before any holiday adjustment).
Date third_friday(int year, unsigned month);

// The listed expiry nearest to as_of + tenor_days among those more than min_days_to_expiry
// days after as_of (ties: the later one).
Date select_expiry(config::ExpiryRule rule, marketdata::Exchange exchange, Date as_of,
                   int tenor_days, int min_days_to_expiry);

// Strike grid of an option line (see the table above); error for an unknown trading class.
Result<double> strike_grid(const config::Instrument& option);

// Nearest grid point (halves round away from zero); `grid` > 0.
double round_to_grid(double value, double grid);

// The exchange whose holidays govern an option's expiry: the contract's exchange, else its
// primary exchange, else the underlying's (exchange, primary); SMART alone is not a venue.
Result<marketdata::Exchange> expiry_calendar(const config::InstrumentUniverse& universe,
                                             const config::Instrument& option);

// How the strike is placed relative to spot.
struct StrikeRule {
  std::optional<double> spot_multiple;  // strike = spot x multiple (overrides 1 -/+ otm_pct)
  std::optional<double> min_strike;     // floor on the strike before grid rounding
};

struct OptionContract {
  InstrumentId instrument;  // option line id in instruments.yaml ("spy_etf")
  InstrumentId underlying;  // its underlying ("spy")
  config::OptionRight right = config::OptionRight::kPut;
  Date expiry;
  double strike = 0.0;       // underlying price unit, on the grid
  double strike_grid = 1.0;
  double multiplier = 100.0;  // contract.multiplier
  Currency currency = Currency::USD;
  marketdata::Exchange calendar = marketdata::Exchange::kCboe;
};

// Builds the contract for option line `option` when its underlying trades at `spot` on `as_of`.
// Errors: the instrument has no option spec, unknown grid, no expiry calendar, spot <= 0.
Result<OptionContract> build_option_contract(const config::InstrumentUniverse& universe,
                                             const config::Instrument& option, double spot,
                                             Date as_of, const StrikeRule& rule = {},
                                             int min_days_to_expiry = 0);

// "<type>:<instrument>:<expiry>:<strike><right>", e.g. "equity_put:spy_etf:2024-09-20:383P".
std::string hedge_id(portfolio::HedgeType type, const OptionContract& contract);

// The Hedge record for `contracts` (signed) of `contract`; premium fields left at zero.
portfolio::Hedge make_option_hedge(portfolio::HedgeType type, const OptionContract& contract,
                                   Quantity contracts, Date opened);

// Black–Scholes price per unit of underlying (multiply by the contract multiplier for one
// contract). years <= 0 or vol <= 0 -> discounted intrinsic value on the forward.
// Preconditions: spot > 0, strike > 0 (AF_CHECK).
double black_scholes_price(config::OptionRight right, double spot, double strike, double years,
                           double rate, double vol, double dividend_yield = 0.0);

// Annualised realized volatility of `closes` (oldest first) over the last `window` log returns;
// nullopt when fewer than `min_returns` usable returns (non-positive closes are not usable).
// Pure; the last few results are memoised per thread, keyed by the bits of the closes used.
std::optional<double> realized_vol_annual(std::span<const double> closes, int window = 63,
                                          int min_returns = 20, int periods_per_year = 252);

}  // namespace af::strategy
