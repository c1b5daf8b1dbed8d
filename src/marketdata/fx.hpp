// marketdata/fx.hpp — FX rates to the base currency (USD) with a fallback chain.
//
// rate(c, date) answers "how many USD is one unit of currency c worth on `date`", trying in order:
//   1. broker   a value the broker supplied (set_broker_rate), dated on or before `date`, at most
//               max_age_days old;
//   2. store    the bar store series (eurusd, gbpusd, usdchf, usdjpy) at or before `date`, at most
//               max_age_days old;
//   3. static   the static table from settings (last resort; its age counts from its as-of date
//               when the table has one).
// Every FxRate carries its source, the date of the value used and its age in days, so a fallback
// is visible (flagged) wherever the rate is used. Nothing is guessed: no source -> an error.
//
// Quote conventions of the store series (FRED H.10): eurusd and gbpusd are USD per EUR/GBP;
// usdchf and usdjpy are CHF/JPY per USD and are inverted here.
// GBX (pence) is a quote unit, not a currency: prices go through Price::to_currency() (core
// QuoteUnit, the one place GBX -> GBP happens) before any FX conversion.
// Thread-safety: const methods are safe to share after set-up; set_broker_rate is not.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/currency.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace af::marketdata {

class BarStore;

enum class FxSource { kIdentity, kBroker, kBarStore, kStaticTable };
std::string_view to_string(FxSource source) noexcept;

struct FxRate {
  Currency from = Currency::USD;
  Currency to = Currency::USD;    // always the base currency (USD)
  double value = 1.0;             // units of `to` per one unit of `from`
  FxSource source = FxSource::kIdentity;
  std::optional<Date> as_of;      // date of the value used (nullopt: static table without a date)
  std::optional<int> age_days;    // requested date minus as_of, in calendar days
  std::string detail;             // e.g. "bar store usdchf 0.8806 CHF per USD, inverted"
};

// One row of the static table: USD per unit of `currency`.
struct StaticFxRate {
  Currency currency;
  double usd_per_unit;
};

struct FxOptions {
  int max_age_days = 7;                     // older broker/store values fall through to the next source
  std::vector<StaticFxRate> static_table;   // from settings; may be empty
  std::optional<Date> static_table_as_of;   // when the static values were taken, if known
};

// The store series name and convention for a currency (eurusd: USD per EUR; usdchf: CHF per USD).
struct FxSeriesConvention {
  std::string series;
  bool usd_is_quote;  // true: value is USD per unit of the currency; false: currency per USD (invert)
};
std::optional<FxSeriesConvention> fx_series_for(Currency c) noexcept;

class FxRates {
 public:
  explicit FxRates(FxOptions options = {});

  // Loads the FX series (eurusd, gbpusd, usdchf, usdjpy) from the store; absent series are skipped
  // (their currencies then fall through to the static table).
  static Result<FxRates> from_store(const BarStore& store, FxOptions options);

  // History of a store series as (date, raw quote in the file's convention), ascending dates.
  void set_store_history(Currency c, std::vector<std::pair<Date, double>> raw_quotes);
  // A rate supplied by the broker: USD per one unit of `c`, observed on `as_of`.
  void set_broker_rate(Currency c, double usd_per_unit, Date as_of);

  Currency base() const noexcept { return Currency::USD; }
  // USD per unit of `c` on `date` through the fallback chain.
  Result<FxRate> rate(Currency c, Date date) const;
  // `amount` in USD; also returns the rate used.
  Result<std::pair<Money, FxRate>> to_base(Money amount, Date date) const;
  // Value in USD of `quantity` units of a price (times a contract multiplier): the price is first
  // turned into currency units by its QuoteUnit (GBX -> GBP there, nowhere else).
  Result<std::pair<Money, FxRate>> value_in_base(Price price, double quantity, double multiplier, Date date) const;

 private:
  FxOptions options_;
  std::map<Currency, std::pair<double, Date>> broker_;
  std::map<Currency, std::vector<std::pair<Date, double>>> store_;
};

}  // namespace af::marketdata
