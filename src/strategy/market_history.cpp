#include "strategy/market_history.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

#include <fmt/format.h>

#include "marketdata/readiness.hpp"

namespace af::strategy {
namespace {

// The VIX level instrument: symbol VIX, sec_type IND.
const config::Instrument* vix_instrument(const config::Config& cfg) {
  for (const auto& inst : cfg.instruments) {
    if (inst.contract.symbol == "VIX" && inst.contract.sec_type == config::SecType::kInd) return &inst;
  }
  return nullptr;
}

}  // namespace

Result<MarketHistory> MarketHistory::load(const config::Config& config, const marketdata::BarStore& store) {
  std::set<std::string> ids;
  for (const auto& inst : config.instruments) ids.insert(inst.data_series);
  for (Currency c : kAllCurrencies) {
    if (auto conv = marketdata::fx_series_for(c)) ids.insert(conv->series);
  }
  std::map<std::string, SeriesData> series;
  for (const auto& id : ids) {
    auto stored = store.read_series(id);
    if (!stored) return stored.error().with_context(fmt::format("reading series '{}' from {}", id, store.path()));
    if (!stored->has_value()) continue;  // absent: its instruments are reported unusable
    series.emplace(id, SeriesData{std::move((*stored)->info), std::move((*stored)->bars)});
  }
  return MarketHistory(config, std::move(series));
}

MarketHistory::MarketHistory(const config::Config& config, std::map<std::string, SeriesData> series)
    : config_(&config),
      series_(std::move(series)),
      fx_(std::make_unique<marketdata::FxRates>(marketdata::fx_options_from(config.settings.fx))),
      thresholds_(marketdata::thresholds_from(config.settings.data_quality)) {
  for (Currency c : kAllCurrencies) {
    auto conv = marketdata::fx_series_for(c);
    if (!conv) continue;
    auto it = series_.find(conv->series);
    if (it == series_.end()) continue;
    std::vector<std::pair<Date, double>> quotes;
    quotes.reserve(it->second.bars.size());
    for (const auto& b : it->second.bars) {
      if (std::isfinite(b.close) && b.close > 0) quotes.emplace_back(b.date, b.close);
    }
    fx_->set_store_history(c, std::move(quotes));
  }

  // Per instrument: its series, the quality index of (series, price unit) and the close array of
  // the series, each built once. The quality flags name the first instrument of a (series, unit)
  // pair in their sentences, as when the checks ran per day.
  std::map<std::pair<std::string, std::string>, std::size_t> quality_of;
  std::map<const SeriesData*, std::size_t> closes_of;
  instruments_.reserve(config.instruments.size());
  for (const auto& inst : config.instruments) {
    InstrumentData d;
    d.inst = &inst;
    auto it = series_.find(inst.data_series);
    if (it == series_.end()) {
      d.missing_reason = fmt::format("series '{}' is not in the bar store (run `abstractfinance data import`)",
                                     inst.data_series);
      instruments_.push_back(std::move(d));
      continue;
    }
    const SeriesData& sd = it->second;
    d.series = &sd;
    d.synthetic = sd.info.kind == marketdata::SeriesKind::kSynthetic;
    const auto key = std::make_pair(inst.data_series, std::string(inst.contract.price_unit.code()));
    auto q = quality_of.find(key);
    if (q == quality_of.end()) {
      marketdata::SeriesUnderCheck in{inst.id.str(), inst.data_series, &sd.bars, sd.info.unit, inst.contract.price_unit};
      quality_.emplace_back(std::move(in), thresholds_);
      q = quality_of.emplace(key, quality_.size() - 1).first;
    }
    d.quality = q->second;
    auto c = closes_of.find(&sd);
    if (c == closes_of.end()) {
      SeriesCloses sc;
      sc.finite.reserve(sd.bars.size());
      sc.finite_before.reserve(sd.bars.size() + 1);
      sc.finite_before.push_back(0);
      for (const auto& b : sd.bars) {
        if (std::isfinite(b.close)) sc.finite.push_back(b.close);
        sc.finite_before.push_back(static_cast<std::uint32_t>(sc.finite.size()));
      }
      if (sc.finite.size() == sd.bars.size()) sc.finite_before = {};  // bar i is finite[i]
      closes_.push_back(std::move(sc));
      c = closes_of.emplace(&sd, closes_.size() - 1).first;
    }
    d.closes = c->second;
    instruments_.push_back(std::move(d));
  }
  by_id_.resize(instruments_.size());
  for (std::size_t k = 0; k < by_id_.size(); ++k) by_id_[k] = k;
  std::sort(by_id_.begin(), by_id_.end(),
            [&](std::size_t a, std::size_t b) { return instruments_[a].inst->id < instruments_[b].inst->id; });
  if (const config::Instrument* vix = vix_instrument(config); vix != nullptr) {
    for (std::size_t i = 0; i < instruments_.size(); ++i) {
      if (instruments_[i].inst == vix) vix_ = i;
    }
  }

  // US/EU ratio in USD on every common date (bars have strictly increasing dates), where both
  // closes and both FX rates are usable; snapshot() takes the last ones up to its day.
  const auto& core = config.settings.strategy.core_index_rv;
  const SeriesData* us = series_of(core.us_long);
  const SeriesData* eu = series_of(core.eu_short);
  const config::Instrument* us_inst = config.instruments.find(core.us_long);
  const config::Instrument* eu_inst = config.instruments.find(core.eu_short);
  if (us && eu && us_inst && eu_inst) {
    std::size_t a = 0, b = 0;
    while (a < us->bars.size() && b < eu->bars.size()) {
      const auto& bu = us->bars[a];
      const auto& be = eu->bars[b];
      if (bu.date < be.date) { ++a; continue; }
      if (be.date < bu.date) { ++b; continue; }
      auto r = fx_->rate(eu_inst->contract.currency, bu.date);
      auto ru = fx_->rate(us_inst->contract.currency, bu.date);
      if (r && ru && std::isfinite(bu.close) && std::isfinite(be.close) && be.close > 0) {
        const double us_usd = us_inst->contract.price_unit.to_currency_units(bu.close) * ru->value;
        const double eu_usd = eu_inst->contract.price_unit.to_currency_units(be.close) * r->value;
        ratio_dates_.push_back(bu.date);
        ratio_.push_back(us_usd / eu_usd);
      }
      ++a;
      ++b;
    }
  }
}

const SeriesData* MarketHistory::series_of(const InstrumentId& id) const {
  const config::Instrument* inst = config_->instruments.find(id);
  if (inst == nullptr) return nullptr;
  auto it = series_.find(inst->data_series);
  return it == series_.end() ? nullptr : &it->second;
}

std::vector<Date> MarketHistory::trading_dates(Date from, Date to) const {
  std::vector<Date> out;
  const SeriesData* core = series_of(config_->settings.strategy.core_index_rv.us_long);
  if (core == nullptr) return out;
  for (const auto& b : core->bars) {
    if (b.date >= from && b.date <= to && std::isfinite(b.close)) out.push_back(b.date);
  }
  return out;
}

std::optional<Date> MarketHistory::last_date() const {
  const SeriesData* core = series_of(config_->settings.strategy.core_index_rv.us_long);
  if (core == nullptr || core->bars.empty()) return std::nullopt;
  return core->bars.back().date;
}

std::string_view MarketHistory::series_kind(const InstrumentId& id) const {
  auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id,
                             [&](std::size_t k, const InstrumentId& x) { return instruments_[k].inst->id < x; });
  if (it == by_id_.end() || !(instruments_[*it].inst->id == id) || instruments_[*it].series == nullptr) return "";
  return instruments_[*it].synthetic ? "synthetic" : "real";
}

std::vector<marketdata::QualityFlag> MarketHistory::quality_flags(Date as_of) const {
  std::vector<marketdata::QualityFlag> out;
  for (const InstrumentData& d : instruments_) {
    if (d.series == nullptr) continue;
    for (auto& f : quality_[d.quality].check(as_of)) {
      f.instrument = d.inst->id.str();
      out.push_back(std::move(f));
    }
  }
  return out;
}

MarketSnapshot MarketHistory::snapshot(Date as_of, int history_bars) const {
  MarketSnapshot s;
  s.view.as_of = as_of;
  s.view.fx = fx_.get();
  s.view.fx_usd_per_unit.reserve(std::size(kAllCurrencies));
  for (Currency c : kAllCurrencies) {
    if (auto r = fx_->rate(c, as_of)) s.view.fx_usd_per_unit.emplace(c, r->value);
  }
  // The per-instrument maps are filled in id order: each entry appended to its sorted sequence.
  decltype(s.view.prices)::sequence_type prices;
  decltype(s.view.closes)::sequence_type closes;
  decltype(s.view.unusable)::sequence_type unusable;
  prices.reserve(instruments_.size());
  closes.reserve(instruments_.size());
  unusable.reserve(instruments_.size());
  for (std::size_t k : by_id_) {
    const InstrumentData& d = instruments_[k];
    const config::Instrument& inst = *d.inst;
    if (d.series == nullptr) {
      unusable.emplace_back(inst.id, d.missing_reason);
      continue;
    }
    const marketdata::SeriesQualityIndex& quality = quality_[d.quality];
    std::optional<std::size_t> bar = quality.last_index(as_of);
    if (!bar || !quality.provably_clean(*bar, as_of)) {
      // Possibly blocked: the full checks decide. An unconfirmed jump blocks the price we would
      // trade on; a reference index that is never traded (VIX, the option underlyings)
      // legitimately jumps more than 25 % in a day, so for those the outlier flag stays a warning.
      const std::vector<marketdata::QualityFlag> flags = quality.check(as_of);
      auto blocking = std::find_if(flags.begin(), flags.end(), [&](const auto& f) {
        if (f.severity != marketdata::Severity::kBlocking) return false;
        return inst.tradeable || f.check != marketdata::QualityCheck::kOutlierJump;
      });
      if (blocking != flags.end()) {
        // "<check>: <reason>", appended (the same text as fmt "{}: {}", without the format parse).
        const std::string_view check = marketdata::to_string(blocking->check);
        std::string why;
        why.reserve(check.size() + 2 + blocking->reason.size());
        why.append(check).append(": ").append(blocking->reason);
        unusable.emplace_back(inst.id, std::move(why));
        continue;
      }
      if (!bar) {
        unusable.emplace_back(inst.id, fmt::format("no bar of '{}' on or before {}", inst.data_series, as_of.iso()));
        continue;
      }
    }
    const SeriesData& sd = *d.series;
    const std::size_t idx = *bar;
    prices.emplace_back(inst.id, sd.bars[idx].close);
    // The last history_bars bars up to as_of, their finite closes.
    const SeriesCloses& sc = closes_[d.closes];
    const std::size_t first = idx + 1 > static_cast<std::size_t>(history_bars) ? idx + 1 - history_bars : 0;
    const std::size_t lo = sc.finite_before.empty() ? first : sc.finite_before[first];
    const std::size_t hi = sc.finite_before.empty() ? idx + 1 : sc.finite_before[idx + 1];
    closes.emplace_back(inst.id, std::span<const double>(sc.finite.data() + lo, hi - lo));
  }
  s.view.prices.adopt_sequence(boost::container::ordered_unique_range, std::move(prices));
  s.view.closes.adopt_sequence(boost::container::ordered_unique_range, std::move(closes));
  s.view.unusable.adopt_sequence(boost::container::ordered_unique_range, std::move(unusable));
  // VIX: the index series when usable; a synthetic series is a realized-vol proxy (flagged).
  if (vix_) {
    const InstrumentData& d = instruments_[*vix_];
    if (auto p = s.view.price(d.inst->id)) {
      s.view.vix = *p;
      s.view.vix_is_proxy = d.synthetic;
    }
  }
  // US/EU ratio in USD on common dates (momentum input): the last `want` values up to as_of.
  const std::size_t want =
      static_cast<std::size_t>(std::max(history_bars, config_->settings.momentum.long_window_days + 60));
  const std::size_t end = static_cast<std::size_t>(
      std::upper_bound(ratio_dates_.begin(), ratio_dates_.end(), as_of) - ratio_dates_.begin());
  const std::size_t begin = end > want ? end - want : 0;
  s.us_eu_ratio = std::span<const double>(ratio_.data() + begin, end - begin);
  return s;
}

}  // namespace af::strategy
