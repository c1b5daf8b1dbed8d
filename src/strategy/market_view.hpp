// strategy/market_view.hpp — what the decision code may read about markets on one day.
//
// Built by the caller (plan command, backtest, live engine) from the bar store and the quality
// checks *up to and including* `as_of` only (no look-ahead). Pure data; no I/O.
//   * prices: the last good close of each usable instrument, in the instrument's price unit
//     (GBX for the GBP LSE lines).
//   * closes: close history (oldest first, ending at as_of) for screens and option pricing. The
//     spans do not own the closes: the builder of the view keeps them alive as long as the view
//     (MarketHistory::snapshot points them into the MarketHistory's per-series arrays).
//   * unusable: instruments whose data failed a blocking quality check, with the reason; the
//     strategy reports them and never trades them (no substitute values).
// The per-instrument containers are sorted flat maps (boost::container::flat_map: the interface
// and id order of std::map, one contiguous array): a view is built once a day by appending in id
// order and read by binary search, without one allocation per entry. Inserting into a built view
// (tests) works as with std::map, in O(size).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/container/flat_map.hpp>

#include "core/currency.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "core/types.hpp"
#include "marketdata/fx.hpp"

namespace af::strategy {

struct MarketView {
  Date as_of;
  boost::container::flat_map<InstrumentId, double> prices;
  boost::container::flat_map<InstrumentId, std::span<const double>> closes;
  boost::container::flat_map<InstrumentId, std::string> unusable;
  const marketdata::FxRates* fx = nullptr;  // required
  // USD per unit of each currency on as_of (the value of fx->rate(c, as_of)) when the builder of
  // the view computed them once (MarketHistory::snapshot does); read through usd_per_unit().
  boost::container::flat_map<Currency, double> fx_usd_per_unit;
  std::optional<double> vix;                // index level, when known
  bool vix_is_proxy = false;

  // Price if the instrument is usable and priced, else nullopt.
  std::optional<double> price(const InstrumentId& id) const {
    if (unusable.count(id)) return std::nullopt;
    auto it = prices.find(id);
    if (it == prices.end() || !(it->second > 0)) return std::nullopt;
    return it->second;
  }
  // USD per unit of `c` on as_of: the precomputed value, else fx->rate(c, as_of) (with its error
  // when no source has a rate).
  Result<double> usd_per_unit(Currency c) const {
    if (auto it = fx_usd_per_unit.find(c); it != fx_usd_per_unit.end()) return it->second;
    auto r = fx->rate(c, as_of);
    if (!r) return r.error();
    return r->value;
  }
  // Why an instrument cannot be used ("no price on 2012-06-29" when simply absent).
  std::string why_unusable(const InstrumentId& id) const {
    if (auto it = unusable.find(id); it != unusable.end()) return it->second;
    return "no price on " + as_of.iso();
  }
};

}  // namespace af::strategy
