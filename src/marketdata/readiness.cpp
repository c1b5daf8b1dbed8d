#include "marketdata/readiness.hpp"

#include <algorithm>
#include <set>
#include <type_traits>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace af::marketdata {

QualityThresholds thresholds_from(const config::DataQualitySettings& s) {
  QualityThresholds t;
  t.stale_sessions = s.stale_sessions;
  t.max_age_sessions = s.stale_sessions;  // "no new bar for this many sessions" (settings doc)
  t.outlier_abs_return = s.outlier_jump_pct;
  t.unit_jump_factor = s.unit_jump_factor;
  t.unit_jump_tolerance = s.unit_jump_tolerance_pct;
  t.min_history_bars = s.min_history_days;
  return t;
}

FxOptions fx_options_from(const config::FxSettings& s) {
  FxOptions o;
  o.max_age_days = s.max_rate_age_days;
  for (const auto& [c, v] : s.static_rates_to_usd) o.static_table.push_back({c, v});
  o.static_table_as_of = s.static_rates_as_of;
  return o;
}

std::vector<SleeveReadiness> sleeve_requirements(const config::Config& config) {
  const auto& st = config.settings;
  std::vector<SleeveReadiness> out;
  auto ids = [](const auto& list) {
    std::vector<std::string> v;
    for (const auto& x : list) {
      if constexpr (std::is_same_v<std::decay_t<decltype(x)>, config::WeightedInstrument>) {
        v.push_back(x.id.str());
      } else {
        v.push_back(x.str());
      }
    }
    return v;
  };
  for (config::Sleeve s : config::kAllSleeves) {
    SleeveReadiness r;
    r.sleeve = std::string(config::to_string(s));
    r.weight = st.sleeves.weight(s);
    r.enabled = r.weight > 0.0;
    auto add = [&](std::string name, bool all, std::vector<std::string> members) {
      if (!members.empty()) r.requirements.push_back({std::move(name), all, std::move(members), false});
    };
    switch (s) {
      case config::Sleeve::kCoreIndexRv: {
        const auto& c = st.strategy.core_index_rv;
        add("us_long", true, {c.us_long.str()});
        add("eu_short", true, {c.eu_short.str()});
        if (c.fx_hedge_enabled) add("fx_hedge", true, {c.fx_hedge.str()});
        break;
      }
      case config::Sleeve::kSectorRv: {
        const auto& c = st.strategy.sector_rv;
        add("us_long", !c.redistribute_unusable, ids(c.us_long));
        add("eu_short", !c.redistribute_unusable, ids(c.eu_short));
        break;
      }
      case config::Sleeve::kSingleName: {
        std::vector<std::string> members;
        for (const auto* i : config.instruments.by_sleeve(s)) members.push_back(i->id.str());
        add("universe", false, members);
        break;
      }
      case config::Sleeve::kCreditCarry: {
        const auto& c = st.strategy.credit_carry;
        if (c.us_long_share > 0) add("us_long", false, ids(c.us_long));
        if (c.eu_short_share > 0) add("eu_short", false, ids(c.eu_short));
        break;
      }
      case config::Sleeve::kCrisisAlpha: {
        const auto& h = st.tail_hedge;
        if (h.allocation.equity_puts > 0) add("equity_puts", false, ids(h.equity_puts));
        if (h.allocation.vix_calls > 0) add("vix_calls", false, ids(h.vix_calls));
        if (h.allocation.credit_puts > 0) add("credit_puts", false, ids(h.credit_puts));
        if (h.allocation.bank_puts > 0) add("bank_puts", false, ids(h.bank_puts));
        if (h.allocation.sovereign_spread > 0) {
          add("sovereign_spread", true, {h.sovereign_short.str(), h.sovereign_long.str()});
        }
        break;
      }
      case config::Sleeve::kCashBuffer: break;
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<DataCheckReport> check_data(const config::Config& config, const BarStore& store, std::optional<Date> as_of) {
  DataCheckReport report;
  report.sleeves = sleeve_requirements(config);

  // Which enabled sleeves need each instrument.
  std::map<std::string, std::vector<std::string>> needed_by;
  for (const auto& s : report.sleeves) {
    if (!s.enabled) continue;
    for (const auto& req : s.requirements) {
      for (const auto& m : req.members) {
        auto& v = needed_by[m];
        if (std::find(v.begin(), v.end(), s.sleeve) == v.end()) v.push_back(s.sleeve);
      }
    }
  }

  // Store summaries of every series referenced by the configuration.
  std::map<std::string, std::optional<SeriesSummary>> summaries;
  for (const auto& ins : config.instruments) {
    if (summaries.count(ins.data_series)) continue;
    AF_ASSIGN_OR_RETURN(summaries[ins.data_series], store.summary(ins.data_series));
  }

  // Default as-of.
  if (as_of) {
    report.as_of = *as_of;
    report.as_of_basis = "given (--as-of)";
  } else {
    std::set<std::string> basis_series;
    std::string basis_name;
    for (const auto& s : report.sleeves) {
      if (s.sleeve == "core_index_rv" && s.enabled) {
        for (const auto& req : s.requirements) {
          for (const auto& m : req.members) {
            if (const auto* i = config.instruments.find(InstrumentId(m))) basis_series.insert(i->data_series);
          }
        }
        basis_name = "core_index_rv";
      }
    }
    if (basis_series.empty()) {
      for (const auto& [id, _] : needed_by) {
        if (const auto* i = config.instruments.find(InstrumentId(id))) basis_series.insert(i->data_series);
      }
      basis_name = "all needed";
    }
    std::optional<Date> common;
    for (const auto& id : basis_series) {
      const auto& sum = summaries[id];
      if (!sum || !sum->last) continue;  // reported as missing below
      common = common ? std::min(*common, *sum->last) : *sum->last;
    }
    if (!common) {
      return Error{ErrorCode::kDataQuality,
                   fmt::format("the bar store {} holds none of the series the {} sleeve(s) need; run `abstractfinance "
                               "data import --bundled` or give --as-of",
                               store.path(), basis_name)};
    }
    report.as_of = *common;
    report.as_of_basis = fmt::format("latest date with a bar in every {} series ({})", basis_name,
                                     fmt::format("{}", fmt::join(basis_series, ", ")));
  }

  const QualityThresholds thresholds = thresholds_from(config.settings.data_quality);
  std::map<std::string, Bars> bars_cache;
  std::map<std::string, bool> usable;
  std::set<Currency> currencies;
  for (const auto& ins : config.instruments) {
    InstrumentReadiness r;
    r.instrument = ins.id.str();
    r.series = ins.data_series;
    r.price_unit = ins.contract.price_unit;
    if (auto it = needed_by.find(r.instrument); it != needed_by.end()) r.needed_by = it->second;
    const auto& sum = summaries[ins.data_series];
    if (!sum) {
      r.flags.push_back(QualityFlag{QualityCheck::kMissing, Severity::kBlocking, r.instrument, r.series, std::nullopt,
                                    fmt::format("series {} is not in the bar store {}; run `abstractfinance data "
                                                "import --bundled` or import a CSV for it",
                                                r.series, store.path())});
    } else {
      r.kind = sum->info.kind;
      auto cached = bars_cache.find(r.series);
      if (cached == bars_cache.end()) {
        AF_ASSIGN_OR_RETURN(Bars b, store.read_all(r.series));
        cached = bars_cache.emplace(r.series, std::move(b)).first;
      }
      const Bars& bars = cached->second;
      if (auto i = index_at_or_before(bars, report.as_of)) r.last_bar = bars[*i];
      SeriesUnderCheck in{r.instrument, r.series, &bars, sum->info.unit, ins.contract.price_unit};
      r.flags = check_series(in, report.as_of, thresholds);
    }
    r.usable = !has_blocking_flag(r.flags);
    usable[r.instrument] = r.usable;
    if (!r.needed_by.empty()) currencies.insert(ins.contract.currency);
    report.instruments.push_back(std::move(r));
  }

  for (auto& s : report.sleeves) {
    for (auto& req : s.requirements) {
      const auto n_usable = std::count_if(req.members.begin(), req.members.end(),
                                          [&](const std::string& m) { return usable.count(m) && usable[m]; });
      req.met = req.all ? n_usable == static_cast<long>(req.members.size()) : n_usable > 0;
      if (!req.met) s.usable = false;
    }
    if (s.enabled && !s.usable) report.ok = false;
  }

  AF_ASSIGN_OR_RETURN(FxRates fx, FxRates::from_store(store, fx_options_from(config.settings.fx)));
  for (Currency c : currencies) {
    if (c == Currency::USD) continue;
    FxReadiness f;
    f.currency = c;
    auto r = fx.rate(c, report.as_of);
    if (r) {
      f.rate = *r;
    } else {
      f.error = r.error().message;
      report.ok = false;
    }
    report.fx.push_back(std::move(f));
  }
  return report;
}

}  // namespace af::marketdata
