#include "marketdata/quality.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace af::marketdata {

std::string_view to_string(QualityCheck check) noexcept {
  switch (check) {
    case QualityCheck::kMissing: return "missing";
    case QualityCheck::kNaN: return "nan";
    case QualityCheck::kNonPositive: return "non_positive";
    case QualityCheck::kStale: return "stale";
    case QualityCheck::kOutlierJump: return "outlier_jump";
    case QualityCheck::kUnitJump: return "unit_jump";
    case QualityCheck::kUnit: return "unit";
    case QualityCheck::kHistory: return "history";
  }
  return "unknown";
}

std::string_view to_string(Severity severity) noexcept {
  return severity == Severity::kBlocking ? "blocking" : "warning";
}

int weekday_sessions_between(Date from, Date to) noexcept {
  if (!(from < to)) return 0;
  // Count whole weeks, then the remainder day by day (at most 6 iterations).
  int days = from.days_until(to);
  int sessions = (days / 7) * 5;
  Date d = from.add_days((days / 7) * 7);
  while (d < to) {
    d = d.add_days(1);
    if (!d.is_weekend()) ++sessions;
  }
  return sessions;
}

bool has_blocking_flag(const std::vector<QualityFlag>& flags) noexcept {
  return std::any_of(flags.begin(), flags.end(), [](const QualityFlag& f) { return f.severity == Severity::kBlocking; });
}

std::vector<QualityFlag> check_series(const SeriesUnderCheck& in, Date as_of, const QualityThresholds& t) {
  std::vector<QualityFlag> flags;
  auto flag = [&](QualityCheck c, Severity s, std::optional<Date> d, std::string reason) {
    flags.push_back(QualityFlag{c, s, in.instrument, in.series, d, std::move(reason)});
  };
  static const Bars kEmpty;
  const Bars& bars = in.bars ? *in.bars : kEmpty;

  if (in.expected_unit && !(*in.expected_unit == in.series_unit)) {
    flag(QualityCheck::kUnit, Severity::kBlocking, std::nullopt,
         fmt::format("series {} is quoted in {} but instrument {} is priced in {}; fix the instrument's data_series "
                     "or re-import the series with --unit {}",
                     in.series, in.series_unit.code(), in.instrument, in.expected_unit->code(),
                     in.expected_unit->code()));
  }

  auto last_index = index_at_or_before(bars, as_of);
  if (!last_index) {
    flag(QualityCheck::kMissing, Severity::kBlocking, std::nullopt,
         bars.empty() ? fmt::format("series {} has no bars; import it (abstractfinance data import)", in.series)
                      : fmt::format("series {} has no bar on or before {} (first bar {})", in.series, as_of.iso(),
                                    bars.front().date.iso()));
    return flags;
  }
  const std::size_t end = *last_index + 1;  // one past the as-of bar
  const std::size_t lookback = static_cast<std::size_t>(std::max(1, t.lookback_sessions));
  const std::size_t begin = end > lookback ? end - lookback : 0;
  const Bar& last = bars[end - 1];

  const int age = weekday_sessions_between(last.date, as_of);
  if (age > t.max_age_sessions) {
    flag(QualityCheck::kMissing, Severity::kBlocking, last.date,
         fmt::format("no bar for {} since {}: {} sessions old at {} (limit {}); refresh the data (data import/fetch)",
                     in.series, last.date.iso(), age, as_of.iso(), t.max_age_sessions));
  }

  std::size_t stale_run = 0;  // consecutive bars whose close equals the previous close
  for (std::size_t i = begin; i < end; ++i) {
    const Bar& b = bars[i];
    const bool is_last = (i + 1 == end);
    if (i > begin) {
      int gap = weekday_sessions_between(bars[i - 1].date, b.date) - 1;
      if (gap > t.max_gap_sessions) {
        flag(QualityCheck::kMissing, Severity::kWarning, b.date,
             fmt::format("{} missing sessions in {} between {} and {} (limit {})", gap, in.series,
                         bars[i - 1].date.iso(), b.date.iso(), t.max_gap_sessions));
      }
    }
    if (std::isnan(b.close)) {
      flag(QualityCheck::kNaN, Severity::kBlocking, b.date,
           fmt::format("close of {} on {} is NaN in the source; correct the source file and re-import", in.series,
                       b.date.iso()));
      stale_run = 0;
      continue;
    }
    if (b.close <= 0.0) {
      flag(QualityCheck::kNonPositive, Severity::kBlocking, b.date,
           fmt::format("close of {} on {} is {} (must be > 0); correct the source and re-import", in.series,
                       b.date.iso(), b.close));
      stale_run = 0;
      continue;
    }
    // Compare with the previous bar when it is a usable price.
    const Bar* prev = i > 0 ? &bars[i - 1] : nullptr;  // the bar before the window counts too
    if (prev == nullptr || std::isnan(prev->close) || prev->close <= 0.0) {
      stale_run = 0;
      continue;
    }
    const double ratio = b.close / prev->close;
    const double lo = t.unit_jump_factor * (1.0 - t.unit_jump_tolerance);
    const double hi = t.unit_jump_factor * (1.0 + t.unit_jump_tolerance);
    const bool up100 = ratio >= lo && ratio <= hi;
    const bool down100 = ratio >= 1.0 / hi && ratio <= 1.0 / lo;
    if (up100 || down100) {
      flag(QualityCheck::kUnitJump, Severity::kBlocking, b.date,
           fmt::format("{} moved from {} to {} on {} (x{:.4g}): looks like a pence/pound (GBX/GBP) unit mix-up; "
                       "import the series in one unit (--unit GBX for pence)",
                       in.series, prev->close, b.close, b.date.iso(), ratio));
    } else if (std::fabs(ratio - 1.0) > t.outlier_abs_return) {
      flag(QualityCheck::kOutlierJump, is_last ? Severity::kBlocking : Severity::kWarning, b.date,
           fmt::format("{} return of {:+.1f}% on {} ({} -> {}) exceeds the {:.0f}% outlier limit{}", in.series,
                       (ratio - 1.0) * 100.0, b.date.iso(), prev->close, b.close, t.outlier_abs_return * 100.0,
                       is_last ? "; confirm the price before trading on it" : ""));
    }
    stale_run = (b.close == prev->close) ? stale_run + 1 : 0;
    const bool run_ends_here = is_last || (i + 1 < end && bars[i + 1].close != b.close);
    if (stale_run >= static_cast<std::size_t>(std::max(1, t.stale_sessions)) && run_ends_here) {
      const Date since = bars[i - stale_run].date;
      flag(QualityCheck::kStale, is_last ? Severity::kBlocking : Severity::kWarning, b.date,
           fmt::format("close of {} unchanged at {} for {} sessions ({} .. {}) (limit {})", in.series, b.close,
                       stale_run, since.iso(), b.date.iso(), t.stale_sessions));
    }
  }
  const std::size_t usable_bars = static_cast<std::size_t>(std::count_if(
      bars.begin() + static_cast<std::ptrdiff_t>(begin), bars.begin() + static_cast<std::ptrdiff_t>(end),
      [](const Bar& b) { return std::isfinite(b.close) && b.close > 0.0; }));
  if (usable_bars < static_cast<std::size_t>(std::max(0, t.min_history_bars))) {
    flag(QualityCheck::kHistory, Severity::kBlocking, last.date,
         fmt::format("only {} usable bars of {} up to {} (at least {} needed for the estimators)", usable_bars,
                     in.series, as_of.iso(), t.min_history_bars));
  }
  std::stable_sort(flags.begin(), flags.end(), [](const QualityFlag& a, const QualityFlag& b) {
    if (a.date != b.date) return !a.date || (b.date && *a.date < *b.date);
    return static_cast<int>(a.check) < static_cast<int>(b.check);
  });
  return flags;
}

}  // namespace af::marketdata
