// core/currency.hpp — ISO currencies and price quote units.
//
// A Currency is what money is counted in. A QuoteUnit is what a *price* is quoted in: the
// currency itself, or its minor unit (GBX = pence, 1/100 GBP, used by LSE listings). Prices
// carry their QuoteUnit; conversion to currency units happens in exactly one place:
// QuoteUnit::to_currency_units / from_currency_units below (used by the FX layer and the
// broker boundary).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace af {

enum class Currency : std::uint8_t { USD, EUR, GBP, CHF, JPY };

inline constexpr Currency kAllCurrencies[] = {Currency::USD, Currency::EUR, Currency::GBP,
                                              Currency::CHF, Currency::JPY};

std::string_view to_string(Currency c) noexcept;
// Parses an ISO code ("USD"). "GBX" is a quote unit, not a currency: use parse_quote_unit.
Result<Currency> parse_currency(std::string_view code);

class QuoteUnit {
 public:
  // Prices quoted in whole units of `c` (USD, EUR, GBP ...).
  static constexpr QuoteUnit major(Currency c) noexcept { return QuoteUnit(c, false); }
  // Prices quoted in pence sterling (1 GBX = 0.01 GBP).
  static constexpr QuoteUnit gbx() noexcept { return QuoteUnit(Currency::GBP, true); }

  constexpr Currency currency() const noexcept { return currency_; }
  constexpr bool is_minor() const noexcept { return minor_; }
  // Currency units per one quote unit: 1.0, or 0.01 for GBX.
  constexpr double currency_units_per_quote_unit() const noexcept { return minor_ ? 0.01 : 1.0; }
  // The one place where GBX <-> GBP is converted.
  constexpr double to_currency_units(double price_in_quote_unit) const noexcept {
    return price_in_quote_unit * currency_units_per_quote_unit();
  }
  constexpr double from_currency_units(double price_in_currency) const noexcept {
    return minor_ ? price_in_currency * 100.0 : price_in_currency;
  }

  std::string_view code() const noexcept;  // "USD", "GBX", ...
  friend constexpr bool operator==(QuoteUnit a, QuoteUnit b) noexcept {
    return a.currency_ == b.currency_ && a.minor_ == b.minor_;
  }

 private:
  constexpr QuoteUnit(Currency c, bool minor) noexcept : currency_(c), minor_(minor) {}
  Currency currency_;
  bool minor_;
};

// Parses "USD", "EUR", "GBP", "CHF", "JPY" or "GBX".
Result<QuoteUnit> parse_quote_unit(std::string_view code);

}  // namespace af
