#include "strategy/market_history.hpp"

#include <algorithm>
#include <cmath>
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
    auto summary = store.summary(id);
    if (!summary) return summary.error().with_context(fmt::format("reading series '{}' from {}", id, store.path()));
    if (!summary->has_value()) continue;  // absent: its instruments are reported unusable
    auto bars = store.read_all(id);
    if (!bars) return bars.error().with_context(fmt::format("reading series '{}' from {}", id, store.path()));
    series.emplace(id, SeriesData{(*summary)->info, std::move(*bars)});
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

MarketSnapshot MarketHistory::snapshot(Date as_of, int history_bars) const {
  MarketSnapshot s;
  s.view.as_of = as_of;
  s.view.fx = fx_.get();
  // Quality results per (series, expected unit): several instruments share a series.
  std::map<std::pair<std::string, std::string>, std::vector<marketdata::QualityFlag>> checked;
  for (const auto& inst : config_->instruments) {
    auto it = series_.find(inst.data_series);
    if (it == series_.end()) {
      s.view.unusable[inst.id] = fmt::format("series '{}' is not in the bar store (run `abstractfinance data import`)",
                                             inst.data_series);
      continue;
    }
    const SeriesData& sd = it->second;
    const auto key = std::make_pair(inst.data_series, std::string(inst.contract.price_unit.code()));
    auto found = checked.find(key);
    if (found == checked.end()) {
      marketdata::SeriesUnderCheck in{inst.id.str(), inst.data_series, &sd.bars, sd.info.unit, inst.contract.price_unit};
      found = checked.emplace(key, marketdata::check_series(in, as_of, thresholds_)).first;
    }
    const auto& flags = found->second;
    for (auto f : flags) {
      f.instrument = inst.id.str();
      s.flags.push_back(std::move(f));
    }
    // An unconfirmed jump blocks the price we would trade on; a reference index that is never
    // traded (VIX, the option underlyings) legitimately jumps more than 25 % in a day, so for
    // those the outlier flag stays a warning.
    auto blocking = std::find_if(flags.begin(), flags.end(), [&](const auto& f) {
      if (f.severity != marketdata::Severity::kBlocking) return false;
      return inst.tradeable || f.check != marketdata::QualityCheck::kOutlierJump;
    });
    if (blocking != flags.end()) {
      s.view.unusable[inst.id] = fmt::format("{}: {}", marketdata::to_string(blocking->check), blocking->reason);
      continue;
    }
    auto idx = marketdata::index_at_or_before(sd.bars, as_of);
    if (!idx) {
      s.view.unusable[inst.id] = fmt::format("no bar of '{}' on or before {}", inst.data_series, as_of.iso());
      continue;
    }
    s.view.prices[inst.id] = sd.bars[*idx].close;
    s.series_kind[inst.id] = sd.info.kind == marketdata::SeriesKind::kSynthetic ? "synthetic" : "real";
    std::vector<double> closes;
    const std::size_t first = *idx + 1 > static_cast<std::size_t>(history_bars) ? *idx + 1 - history_bars : 0;
    closes.reserve(*idx + 1 - first);
    for (std::size_t i = first; i <= *idx; ++i) {
      if (std::isfinite(sd.bars[i].close)) closes.push_back(sd.bars[i].close);
    }
    s.view.closes[inst.id] = std::move(closes);
  }
  // VIX: the index series when usable; a synthetic series is a realized-vol proxy (flagged).
  if (const config::Instrument* vix = vix_instrument(*config_); vix != nullptr) {
    if (auto p = s.view.price(vix->id)) {
      s.view.vix = *p;
      s.view.vix_is_proxy = s.series_kind[vix->id] == "synthetic";
    }
  }
  // US/EU ratio in USD on common dates (momentum input).
  const auto& core = config_->settings.strategy.core_index_rv;
  const SeriesData* us = series_of(core.us_long);
  const SeriesData* eu = series_of(core.eu_short);
  const config::Instrument* us_inst = config_->instruments.find(core.us_long);
  const config::Instrument* eu_inst = config_->instruments.find(core.eu_short);
  if (us && eu && us_inst && eu_inst) {
    const std::size_t want = static_cast<std::size_t>(std::max(history_bars, config_->settings.momentum.long_window_days + 60));
    std::vector<double> rev;
    auto iu = marketdata::index_at_or_before(us->bars, as_of);
    auto ie = marketdata::index_at_or_before(eu->bars, as_of);
    if (iu && ie) {
      std::ptrdiff_t a = static_cast<std::ptrdiff_t>(*iu), b = static_cast<std::ptrdiff_t>(*ie);
      while (a >= 0 && b >= 0 && rev.size() < want) {
        const auto& bu = us->bars[static_cast<std::size_t>(a)];
        const auto& be = eu->bars[static_cast<std::size_t>(b)];
        if (bu.date > be.date) { --a; continue; }
        if (be.date > bu.date) { --b; continue; }
        auto r = fx_->rate(eu_inst->contract.currency, bu.date);
        auto ru = fx_->rate(us_inst->contract.currency, bu.date);
        if (r && ru && std::isfinite(bu.close) && std::isfinite(be.close) && be.close > 0) {
          const double us_usd = us_inst->contract.price_unit.to_currency_units(bu.close) * ru->value;
          const double eu_usd = eu_inst->contract.price_unit.to_currency_units(be.close) * r->value;
          rev.push_back(us_usd / eu_usd);
        }
        --a;
        --b;
      }
    }
    s.us_eu_ratio.assign(rev.rbegin(), rev.rend());
  }
  return s;
}

}  // namespace af::strategy
