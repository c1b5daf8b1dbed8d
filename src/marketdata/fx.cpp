#include "marketdata/fx.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "marketdata/bar_store.hpp"

namespace af::marketdata {

std::string_view to_string(FxSource source) noexcept {
  switch (source) {
    case FxSource::kIdentity: return "identity";
    case FxSource::kBroker: return "broker";
    case FxSource::kBarStore: return "bar_store";
    case FxSource::kStaticTable: return "static_table";
  }
  return "unknown";
}

std::optional<FxSeriesConvention> fx_series_for(Currency c) noexcept {
  switch (c) {
    case Currency::EUR: return FxSeriesConvention{"eurusd", true};
    case Currency::GBP: return FxSeriesConvention{"gbpusd", true};
    case Currency::CHF: return FxSeriesConvention{"usdchf", false};
    case Currency::JPY: return FxSeriesConvention{"usdjpy", false};
    case Currency::USD: return std::nullopt;
  }
  return std::nullopt;
}

FxRates::FxRates(FxOptions options) : options_(std::move(options)) {}

Result<FxRates> FxRates::from_store(const BarStore& store, FxOptions options) {
  FxRates rates(std::move(options));
  for (Currency c : kAllCurrencies) {
    auto conv = fx_series_for(c);
    if (!conv) continue;
    AF_ASSIGN_OR_RETURN(auto summary, store.summary(conv->series));
    if (!summary) continue;
    AF_ASSIGN_OR_RETURN(Bars bars, store.read_all(conv->series));
    std::vector<std::pair<Date, double>> quotes;
    quotes.reserve(bars.size());
    for (const Bar& b : bars) quotes.emplace_back(b.date, b.close);
    rates.set_store_history(c, std::move(quotes));
  }
  return rates;
}

void FxRates::set_store_history(Currency c, std::vector<std::pair<Date, double>> raw_quotes) {
  store_[c] = std::move(raw_quotes);
}

void FxRates::set_broker_rate(Currency c, double usd_per_unit, Date as_of) { broker_[c] = {usd_per_unit, as_of}; }

Result<FxRate> FxRates::rate(Currency c, Date date) const {
  FxRate r;
  r.from = c;
  r.to = Currency::USD;
  if (c == Currency::USD) {
    r.as_of = date;
    r.age_days = 0;
    return r;
  }
  std::vector<std::string> tried;
  auto usable = [](double v) { return std::isfinite(v) && v > 0.0; };

  // 1. broker
  if (auto it = broker_.find(c); it != broker_.end()) {
    const auto& [value, as_of] = it->second;
    const int age = as_of.days_until(date);
    if (as_of <= date && age <= options_.max_age_days && usable(value)) {
      r.value = value;
      r.source = FxSource::kBroker;
      r.as_of = as_of;
      r.age_days = age;
      r.detail = fmt::format("broker {}USD {}", to_string(c), value);
      return r;
    }
    tried.push_back(fmt::format("broker value of {} is {} days old or unusable", as_of.iso(), age));
  } else {
    tried.push_back("no broker value");
  }

  // 2. bar store: the last usable quote on or before `date`
  auto conv = fx_series_for(c);
  if (auto it = store_.find(c); it != store_.end() && conv) {
    const auto& quotes = it->second;
    auto pos = std::upper_bound(quotes.begin(), quotes.end(), date,
                                [](Date d, const std::pair<Date, double>& q) { return d < q.first; });
    while (pos != quotes.begin() && !usable(std::prev(pos)->second)) --pos;  // skip NaN rows, never use them
    if (pos != quotes.begin()) {
      const auto& [as_of, raw] = *std::prev(pos);
      const int age = as_of.days_until(date);
      if (age <= options_.max_age_days) {
        r.value = conv->usd_is_quote ? raw : 1.0 / raw;
        r.source = FxSource::kBarStore;
        r.as_of = as_of;
        r.age_days = age;
        r.detail = conv->usd_is_quote
                       ? fmt::format("bar store {} {} USD per {}", conv->series, raw, to_string(c))
                       : fmt::format("bar store {} {} {} per USD, inverted", conv->series, raw, to_string(c));
        return r;
      }
      tried.push_back(fmt::format("bar store {} last value {} is {} days old", conv->series, as_of.iso(), age));
    } else {
      tried.push_back(fmt::format("bar store {} has no value on or before {}", conv->series, date.iso()));
    }
  } else {
    tried.push_back(fmt::format("bar store has no {} series", conv ? conv->series : std::string("FX")));
  }

  // 3. static table
  for (const StaticFxRate& s : options_.static_table) {
    if (s.currency == c && usable(s.usd_per_unit)) {
      r.value = s.usd_per_unit;
      r.source = FxSource::kStaticTable;
      r.as_of = options_.static_table_as_of;
      if (options_.static_table_as_of) r.age_days = options_.static_table_as_of->days_until(date);
      r.detail = fmt::format("static table {}USD {} (fallback: {})", to_string(c), s.usd_per_unit,
                             fmt::join(tried, "; "));
      return r;
    }
  }
  return Error{ErrorCode::kDataQuality,
               fmt::format("no {}USD rate for {}: {}; no static fallback in settings. Import FX data (data import "
                           "--bundled) or add the rate to the static FX table",
                           to_string(c), date.iso(), fmt::join(tried, "; "))};
}

Result<std::pair<Money, FxRate>> FxRates::to_base(Money amount, Date date) const {
  AF_ASSIGN_OR_RETURN(FxRate r, rate(amount.currency, date));
  return std::pair<Money, FxRate>{Money{amount.amount * r.value, Currency::USD}, r};
}

Result<std::pair<Money, FxRate>> FxRates::value_in_base(Price price, double quantity, double multiplier,
                                                        Date date) const {
  Money local = price.to_currency() * (quantity * multiplier);
  return to_base(local, date);
}

}  // namespace af::marketdata
