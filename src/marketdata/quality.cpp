#include "marketdata/quality.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

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

namespace {
// Weekdays among the days before `d` counted from Monday 1970-01-05 (negative before it).
long long weekdays_before(Date d) noexcept {
  const long long x = static_cast<long long>(d.serial()) - 4;  // serial 4 = Monday 1970-01-05
  const long long weeks = (x >= 0 ? x : x - 6) / 7;            // floor division
  const long long rem = x - 7 * weeks;                         // 0 (Monday) .. 6 (Sunday)
  return 5 * weeks + std::min<long long>(rem, 5);
}
}  // namespace

int weekday_sessions_between(Date from, Date to) noexcept {
  if (!(from < to)) return 0;
  // Weekdays in (from, to] = weekdays before to+1 minus weekdays before from+1 (O(1)).
  return static_cast<int>(weekdays_before(to.add_days(1)) - weekdays_before(from.add_days(1)));
}

bool has_blocking_flag(const std::vector<QualityFlag>& flags) noexcept {
  return std::any_of(flags.begin(), flags.end(), [](const QualityFlag& f) { return f.severity == Severity::kBlocking; });
}

namespace {

// The individual checks, shared by check_series and SeriesQualityIndex so that both produce the
// same flags (and the same sentences) by construction.

const Bars& bars_of(const SeriesUnderCheck& in) {
  static const Bars kEmpty;
  return in.bars ? *in.bars : kEmpty;
}

QualityFlag make_flag(const SeriesUnderCheck& in, QualityCheck c, Severity s, std::optional<Date> d,
                      std::string reason) {
  return QualityFlag{c, s, in.instrument, in.series, d, std::move(reason)};
}

std::optional<QualityFlag> unit_flag(const SeriesUnderCheck& in) {
  if (!in.expected_unit || *in.expected_unit == in.series_unit) return std::nullopt;
  return make_flag(in, QualityCheck::kUnit, Severity::kBlocking, std::nullopt,
                   fmt::format("series {} is quoted in {} but instrument {} is priced in {}; fix the instrument's "
                               "data_series or re-import the series with --unit {}",
                               in.series, in.series_unit.code(), in.instrument, in.expected_unit->code(),
                               in.expected_unit->code()));
}

QualityFlag no_bar_flag(const SeriesUnderCheck& in, Date as_of) {
  const Bars& bars = bars_of(in);
  return make_flag(in, QualityCheck::kMissing, Severity::kBlocking, std::nullopt,
                   bars.empty() ? fmt::format("series {} has no bars; import it (abstractfinance data import)", in.series)
                                : fmt::format("series {} has no bar on or before {} (first bar {})", in.series,
                                              as_of.iso(), bars.front().date.iso()));
}

std::optional<QualityFlag> age_flag(const SeriesUnderCheck& in, const Bar& last, Date as_of,
                                    const QualityThresholds& t) {
  const int age = weekday_sessions_between(last.date, as_of);
  if (age <= t.max_age_sessions) return std::nullopt;
  return make_flag(in, QualityCheck::kMissing, Severity::kBlocking, last.date,
                   fmt::format("no bar for {} since {}: {} sessions old at {} (limit {}); refresh the data (data "
                               "import/fetch)",
                               in.series, last.date.iso(), age, as_of.iso(), t.max_age_sessions));
}

// The gap between bar i-1 and bar i (i >= 1), when it exceeds the limit.
std::optional<QualityFlag> gap_flag(const SeriesUnderCheck& in, std::size_t i, const QualityThresholds& t) {
  const Bars& bars = bars_of(in);
  const int gap = weekday_sessions_between(bars[i - 1].date, bars[i].date) - 1;
  if (gap <= t.max_gap_sessions) return std::nullopt;
  return make_flag(in, QualityCheck::kMissing, Severity::kWarning, bars[i].date,
                   fmt::format("{} missing sessions in {} between {} and {} (limit {})", gap, in.series,
                               bars[i - 1].date.iso(), bars[i].date.iso(), t.max_gap_sessions));
}

// How bar i's close compares with the previous bar (the bar before a window counts too).
enum class CloseKind {
  kNaN,          // the close is NaN
  kNonPositive,  // the close is <= 0
  kNoPrevious,   // no usable previous close to compare with
  kCompared,     // compared with a usable previous close (jump and stale checks apply)
};

[[gnu::always_inline]] inline CloseKind close_kind(const Bars& bars, std::size_t i) {
  const Bar& b = bars[i];
  if (std::isnan(b.close)) return CloseKind::kNaN;
  if (b.close <= 0.0) return CloseKind::kNonPositive;
  if (i == 0 || std::isnan(bars[i - 1].close) || bars[i - 1].close <= 0.0) return CloseKind::kNoPrevious;
  return CloseKind::kCompared;
}

// Which close flag bar i raises, if any (the decision of close_flag, without the sentence).
enum class CloseFlag { kNone, kNaN, kNonPositive, kUnitJump, kOutlierJump };

// The ratio bounds of the jump checks, computed once per series by SeriesQualityIndex (the
// compiler cannot hoist them out of its loop itself: the flag-building calls might change t).
struct JumpBounds {
  double lo, hi, inv_hi, inv_lo, outlier_abs_return;
  explicit JumpBounds(const QualityThresholds& t)
      : lo(t.unit_jump_factor * (1.0 - t.unit_jump_tolerance)),
        hi(t.unit_jump_factor * (1.0 + t.unit_jump_tolerance)),
        inv_hi(1.0 / hi),
        inv_lo(1.0 / lo),
        outlier_abs_return(t.outlier_abs_return) {}
};

[[gnu::always_inline]] inline CloseFlag close_flag_kind(const Bars& bars, std::size_t i, const JumpBounds& b) {
  switch (close_kind(bars, i)) {
    case CloseKind::kNaN: return CloseFlag::kNaN;
    case CloseKind::kNonPositive: return CloseFlag::kNonPositive;
    case CloseKind::kNoPrevious: return CloseFlag::kNone;
    case CloseKind::kCompared: break;
  }
  const double ratio = bars[i].close / bars[i - 1].close;
  const bool up100 = ratio >= b.lo && ratio <= b.hi;
  const bool down100 = ratio >= b.inv_hi && ratio <= b.inv_lo;
  if (up100 || down100) return CloseFlag::kUnitJump;
  if (std::fabs(ratio - 1.0) > b.outlier_abs_return) return CloseFlag::kOutlierJump;
  return CloseFlag::kNone;
}

[[gnu::always_inline]] inline CloseFlag close_flag_kind(const Bars& bars, std::size_t i,
                                                       const QualityThresholds& t) {
  return close_flag_kind(bars, i, JumpBounds(t));
}

// The NaN, non-positive, unit-jump or outlier-jump flag of bar i (is_last: the as-of bar).
std::optional<QualityFlag> close_flag(const SeriesUnderCheck& in, std::size_t i, bool is_last,
                                      const QualityThresholds& t) {
  const Bars& bars = bars_of(in);
  const Bar& b = bars[i];
  switch (close_flag_kind(bars, i, t)) {
    case CloseFlag::kNone: return std::nullopt;
    case CloseFlag::kNaN:
      return make_flag(in, QualityCheck::kNaN, Severity::kBlocking, b.date,
                       fmt::format("close of {} on {} is NaN in the source; correct the source file and re-import",
                                   in.series, b.date.iso()));
    case CloseFlag::kNonPositive:
      return make_flag(in, QualityCheck::kNonPositive, Severity::kBlocking, b.date,
                       fmt::format("close of {} on {} is {} (must be > 0); correct the source and re-import",
                                   in.series, b.date.iso(), b.close));
    case CloseFlag::kUnitJump: {
      const Bar& prev = bars[i - 1];
      const double ratio = b.close / prev.close;
      return make_flag(in, QualityCheck::kUnitJump, Severity::kBlocking, b.date,
                       fmt::format("{} moved from {} to {} on {} (x{:.4g}): looks like a pence/pound (GBX/GBP) "
                                   "unit mix-up; import the series in one unit (--unit GBX for pence)",
                                   in.series, prev.close, b.close, b.date.iso(), ratio));
    }
    case CloseFlag::kOutlierJump: {
      const Bar& prev = bars[i - 1];
      const double ratio = b.close / prev.close;
      return make_flag(in, QualityCheck::kOutlierJump, is_last ? Severity::kBlocking : Severity::kWarning, b.date,
                       fmt::format("{} return of {:+.1f}% on {} ({} -> {}) exceeds the {:.0f}% outlier limit{}",
                                   in.series, (ratio - 1.0) * 100.0, b.date.iso(), prev.close, b.close,
                                   t.outlier_abs_return * 100.0,
                                   is_last ? "; confirm the price before trading on it" : ""));
    }
  }
  return std::nullopt;
}

// A run of `run` unchanged closes ending at bar i (the caller checked the limit and the run end).
QualityFlag stale_flag(const SeriesUnderCheck& in, std::size_t i, std::size_t run, bool is_last,
                       const QualityThresholds& t) {
  const Bars& bars = bars_of(in);
  const Bar& b = bars[i];
  const Date since = bars[i - run].date;
  return make_flag(in, QualityCheck::kStale, is_last ? Severity::kBlocking : Severity::kWarning, b.date,
                   fmt::format("close of {} unchanged at {} for {} sessions ({} .. {}) (limit {})", in.series,
                               b.close, run, since.iso(), b.date.iso(), t.stale_sessions));
}

std::size_t stale_limit(const QualityThresholds& t) { return static_cast<std::size_t>(std::max(1, t.stale_sessions)); }

std::optional<QualityFlag> history_flag(const SeriesUnderCheck& in, const Bar& last, Date as_of,
                                        std::size_t usable_bars, const QualityThresholds& t) {
  if (usable_bars >= static_cast<std::size_t>(std::max(0, t.min_history_bars))) return std::nullopt;
  return make_flag(in, QualityCheck::kHistory, Severity::kBlocking, last.date,
                   fmt::format("only {} usable bars of {} up to {} (at least {} needed for the estimators)",
                               usable_bars, in.series, as_of.iso(), t.min_history_bars));
}

bool usable_close(const Bar& b) { return std::isfinite(b.close) && b.close > 0.0; }

// Undated flags first, then by date, then by check; ties keep the order of the checks.
void sort_flags(std::vector<QualityFlag>& flags) {
  std::stable_sort(flags.begin(), flags.end(), [](const QualityFlag& a, const QualityFlag& b) {
    if (a.date != b.date) return !a.date || (b.date && *a.date < *b.date);
    return static_cast<int>(a.check) < static_cast<int>(b.check);
  });
}

// First bar of the window that ends with the bar before `end`.
std::size_t window_begin(std::size_t end, const QualityThresholds& t) {
  const std::size_t lookback = static_cast<std::size_t>(std::max(1, t.lookback_sessions));
  return end > lookback ? end - lookback : 0;
}

}  // namespace

std::vector<QualityFlag> check_series(const SeriesUnderCheck& in, Date as_of, const QualityThresholds& t) {
  std::vector<QualityFlag> flags;
  auto add = [&](std::optional<QualityFlag> f) {
    if (f) flags.push_back(std::move(*f));
  };
  const Bars& bars = bars_of(in);

  add(unit_flag(in));
  auto last_index = index_at_or_before(bars, as_of);
  if (!last_index) {
    flags.push_back(no_bar_flag(in, as_of));
    return flags;
  }
  const std::size_t end = *last_index + 1;  // one past the as-of bar
  const std::size_t begin = window_begin(end, t);
  const Bar& last = bars[end - 1];
  add(age_flag(in, last, as_of, t));

  std::size_t stale_run = 0;  // consecutive bars whose close equals the previous close
  for (std::size_t i = begin; i < end; ++i) {
    const Bar& b = bars[i];
    const bool is_last = (i + 1 == end);
    if (i > begin) add(gap_flag(in, i, t));
    add(close_flag(in, i, is_last, t));
    if (close_kind(bars, i) != CloseKind::kCompared) {
      stale_run = 0;
      continue;
    }
    stale_run = (b.close == bars[i - 1].close) ? stale_run + 1 : 0;
    const bool run_ends_here = is_last || (i + 1 < end && bars[i + 1].close != b.close);
    if (stale_run >= stale_limit(t) && run_ends_here) flags.push_back(stale_flag(in, i, stale_run, is_last, t));
  }
  const std::size_t usable_bars = static_cast<std::size_t>(
      std::count_if(bars.begin() + static_cast<std::ptrdiff_t>(begin), bars.begin() + static_cast<std::ptrdiff_t>(end),
                    usable_close));
  add(history_flag(in, last, as_of, usable_bars, t));
  sort_flags(flags);
  return flags;
}

// --- SeriesQualityIndex ------------------------------------------------------------------------
//
// Per bar i the window-independent results are computed once:
//   * the gap flag between bars i-1 and i (reported when i-1 is inside the window);
//   * the close flag as a non-as-of bar (NaN, non-positive, unit jump, outlier warning);
//   * run_at(i), the number of consecutive unchanged closes ending at i counted from the start of
//     the series. check_series counts the run from the window start, so its run at i is
//     min(run_at(i), i - begin + 1) (both reset on the same bars; induction over i);
//   * the stale warning of a non-as-of bar, for its whole run (re-worded per query only when the
//     window start cuts the run);
//   * the bars whose close is not usable, so that a window's usable count is its size minus those.
// The last two are kept sparse (only bars with a run, only unusable bars: few in real data) rather
// than one entry per bar: a start-up cost of every data command, in memory written and faulted in.
// The as-of bar (severity and sentences differ) and stale runs cut by the window start are
// evaluated per query, with the same functions as check_series.

namespace {

// The clean-through dates of SeriesQualityIndex::provably_clean. Each condition mirrors a
// blocking flag of check_series and is never narrower than it:
//   unit (blocking): the series' unit differs from the instrument's price unit;
//   missing, age (blocking): weekday sessions from the as-of bar to as_of above max_age_sessions;
//   nan / non_positive (blocking on any bar of the window): the close is not finite and positive;
//   unit_jump (blocking on any bar of the window): close/previous close in the GBX/GBP band,
//     whatever the previous close (the check compares only with a usable one);
//   outlier_jump (blocking on the as-of bar only): |close/previous - 1| not within the limit,
//     NaN ratios included;
//   stale (blocking on the as-of bar only): equal consecutive closes counted from the series
//     start, which is at least the check's run (it counts only usable closes, from the window);
//   history (blocking): usable closes in the window (the check's window: the last
//     lookback_sessions bars up to the as-of bar) below min_history_bars.
// Everything but the age depends on the as-of bar only; the age limit becomes the last clean date:
// weekday_sessions_between(from, to) is unchanged when both move by 7 days, so the largest
// allowed offset depends on the weekday of the bar only (one table of 7 offsets).
std::vector<std::int32_t> clean_through_dates(const SeriesUnderCheck& in, const QualityThresholds& t) {
  const Bars& bars = bars_of(in);
  const std::size_t n = bars.size();
  std::vector<std::int32_t> clean_through(n, std::numeric_limits<std::int32_t>::min());
  if (unit_flag(in) || t.max_age_sessions < 0) return clean_through;
  const JumpBounds jump(t);
  const std::size_t stale_min = stale_limit(t);
  const std::size_t lookback = static_cast<std::size_t>(std::max(1, t.lookback_sessions));
  const std::size_t min_usable = static_cast<std::size_t>(std::max(0, t.min_history_bars));
  // One pass; the window of bar i is bars (i - lookback, i], counted by adding bar i and dropping
  // bar i - lookback (its bits kept in `kinds`).
  constexpr std::uint8_t kHard = 1, kUsable = 2;
  std::vector<std::uint8_t> kinds(n);
  std::size_t hard_in_window = 0, usable_in_window = 0, run = 0;
  std::array<int, 7> max_offset;  // by serial mod 7: days after the bar still within the age limit
  max_offset.fill(-1);
  for (std::size_t i = 0; i < n; ++i) {
    const double c = bars[i].close;
    const bool usable = usable_close(bars[i]);
    bool unit_jump = false, outlier = false;
    if (i > 0) {
      const double ratio = c / bars[i - 1].close;
      unit_jump = (ratio >= jump.lo && ratio <= jump.hi) || (ratio >= jump.inv_hi && ratio <= jump.inv_lo);
      outlier = !(std::fabs(ratio - 1.0) <= t.outlier_abs_return);
      run = c == bars[i - 1].close ? run + 1 : 0;
    }
    kinds[i] = static_cast<std::uint8_t>(((!usable || unit_jump) ? kHard : 0) | (usable ? kUsable : 0));
    hard_in_window += (kinds[i] & kHard) ? 1 : 0;
    usable_in_window += (kinds[i] & kUsable) ? 1 : 0;
    if (i >= lookback) {
      hard_in_window -= (kinds[i - lookback] & kHard) ? 1 : 0;
      usable_in_window -= (kinds[i - lookback] & kUsable) ? 1 : 0;
    }
    if (outlier || run >= stale_min || hard_in_window != 0 || usable_in_window < min_usable) continue;
    const Date d = bars[i].date;
    int& k = max_offset[static_cast<std::size_t>(((d.serial() % 7) + 7) % 7)];
    if (k < 0) {
      k = 0;
      while (weekday_sessions_between(d, d.add_days(k + 1)) <= t.max_age_sessions) ++k;
    }
    clean_through[i] = d.serial() + k;
  }
  return clean_through;
}

}  // namespace

SeriesQualityIndex::SeriesQualityIndex(SeriesUnderCheck input, const QualityThresholds& thresholds)
    : in_(std::move(input)), t_(thresholds), unit_flag_(unit_flag(in_)), clean_through_(clean_through_dates(in_, t_)) {
  const Bars& bars = bars_of(in_);
  const std::size_t n = bars.size();
  // One pass over the bars (a start-up cost of every data command: ~0.7M bars, streamed from
  // memory once instead of three times). Per bar, in this order: its serial, the usable count,
  // its run of unchanged closes, then its flags, which need only bars i-1, i and i+1.
  serials_.resize(n);
  std::uint32_t run = 0;  // run_at(i) of the bar being looked at
  const int max_gap = t_.max_gap_sessions;
  const std::size_t stale_min = stale_limit(t_);
  constexpr std::size_t kPrefetchBars = 64;
  const JumpBounds bounds(t_);
  for (std::size_t i = 0; i < n; ++i) {
    // The bars are usually cold (just read from the store, ~35 MB for the bundled data) and this
    // loop is too branchy for the hardware prefetcher to run far enough ahead on its own.
    if (i + kPrefetchBars < n) __builtin_prefetch(&bars[i + kPrefetchBars]);
    serials_[i] = bars[i].date.serial();
    if (!usable_close(bars[i])) unusable_.push_back(static_cast<std::uint32_t>(i));
    const CloseKind kind = close_kind(bars, i);
    run = (kind == CloseKind::kCompared && bars[i].close == bars[i - 1].close) ? run + 1 : 0;
    if (run > 0) runs_.emplace_back(static_cast<std::uint32_t>(i), run);
    // Most bars raise nothing: decide that without building flags. A gap flag needs more than
    // max_gap missing weekdays, so at least max_gap + 2 calendar days between ascending bars
    // (weekday_sessions_between(a, b) <= b - a); the close flag by its own decision function;
    // a stale warning needs a run of at least stale_min (run > 0 only for compared closes).
    const int calendar_step = i > 0 ? serials_[i] - serials_[i - 1] : 0;
    const bool may_gap = i > 0 && !(calendar_step >= 1 && calendar_step - 1 <= max_gap);
    const bool may_close = close_flag_kind(bars, i, bounds) != CloseFlag::kNone;
    const bool may_stale = run >= stale_min && i + 1 < n;
    if (!may_gap && !may_close && !may_stale) continue;
    BarFlags f;
    f.bar = i;
    if (i > 0) f.gap = gap_flag(in_, i, t_);
    f.close = close_flag(in_, i, /*is_last=*/false, t_);
    // A stale warning needs the run to end here while the next bar is still inside the window.
    if (kind == CloseKind::kCompared && run >= stale_min && i + 1 < n && bars[i + 1].close != bars[i].close) {
      f.stale = stale_flag(in_, i, run, /*is_last=*/false, t_);
      f.run = run;
    }
    if (f.gap || f.close || f.stale) flagged_.push_back(std::move(f));
  }
}

std::size_t SeriesQualityIndex::run_at(std::size_t i) const {
  auto it = std::lower_bound(runs_.begin(), runs_.end(), i,
                             [](const std::pair<std::uint32_t, std::uint32_t>& r, std::size_t bar) { return r.first < bar; });
  return it != runs_.end() && it->first == i ? it->second : 0;
}

std::size_t SeriesQualityIndex::usable_in(std::size_t begin, std::size_t end) const {
  const auto first = std::lower_bound(unusable_.begin(), unusable_.end(), begin);
  const auto last = std::lower_bound(first, unusable_.end(), end);
  return (end - begin) - static_cast<std::size_t>(last - first);
}

std::optional<std::size_t> SeriesQualityIndex::last_index(Date as_of) const {
  const int d = as_of.serial();
  const std::size_t n = serials_.size();
  if (n == 0 || d < serials_.front()) return std::nullopt;
  if (d >= serials_.back()) return n - 1;
  // Here serials_[0] <= d < serials_[n-1]. Guess by the date's position in the series' span,
  // then widen a bracket [lo, hi] with serials_[lo] <= d < serials_[hi] by doubling steps.
  const double position = static_cast<double>(d - serials_.front()) / (serials_.back() - serials_.front());
  const std::size_t guess = std::min(n - 2, static_cast<std::size_t>(position * static_cast<double>(n - 1)));
  std::size_t lo = guess, hi = guess + 1;
  if (serials_[guess] <= d) {
    for (std::size_t step = 1; serials_[hi] <= d; step *= 2) {
      lo = hi;
      hi = std::min(n - 1, hi + step);
    }
  } else {
    hi = guess;
    lo = guess - 1;  // guess > 0: serials_[0] <= d
    for (std::size_t step = 1; serials_[lo] > d; step *= 2) {
      hi = lo;
      lo = lo > step ? lo - step : 0;
    }
  }
  const auto first = serials_.begin() + static_cast<std::ptrdiff_t>(lo);
  const auto last = serials_.begin() + static_cast<std::ptrdiff_t>(hi) + 1;
  return static_cast<std::size_t>(std::upper_bound(first, last, d) - serials_.begin()) - 1;
}

std::vector<QualityFlag> SeriesQualityIndex::check(Date as_of) const {
  std::vector<QualityFlag> flags;
  const Bars& bars = bars_of(in_);
  if (unit_flag_) flags.push_back(*unit_flag_);
  auto last_index = this->last_index(as_of);
  if (!last_index) {
    flags.push_back(no_bar_flag(in_, as_of));
    return flags;
  }
  const std::size_t end = *last_index + 1;
  const std::size_t begin = window_begin(end, t_);
  const std::size_t last_i = end - 1;
  const Bar& last = bars[last_i];
  if (auto f = age_flag(in_, last, as_of, t_)) flags.push_back(std::move(*f));

  auto stale_run = [&](std::size_t i) { return std::min<std::size_t>(run_at(i), i - begin + 1); };
  // Bars before the as-of bar: the precomputed results.
  auto it = std::lower_bound(flagged_.begin(), flagged_.end(), begin,
                             [](const BarFlags& f, std::size_t i) { return f.bar < i; });
  for (; it != flagged_.end() && it->bar < last_i; ++it) {
    const std::size_t i = it->bar;
    if (i > begin && it->gap) flags.push_back(*it->gap);
    if (it->close) flags.push_back(*it->close);
    if (it->stale) {
      const std::size_t run = std::min<std::size_t>(it->run, i - begin + 1);  // stale_run(i)
      if (run == it->run) {
        flags.push_back(*it->stale);
      } else if (run >= stale_limit(t_)) {  // the window cuts the run: a shorter one is reported
        flags.push_back(stale_flag(in_, i, run, /*is_last=*/false, t_));
      }
    }
  }
  // The as-of bar.
  if (last_i > begin) {
    if (auto f = gap_flag(in_, last_i, t_)) flags.push_back(std::move(*f));
  }
  if (auto f = close_flag(in_, last_i, /*is_last=*/true, t_)) flags.push_back(std::move(*f));
  if (close_kind(bars, last_i) == CloseKind::kCompared) {
    const std::size_t run = stale_run(last_i);
    if (run >= stale_limit(t_)) flags.push_back(stale_flag(in_, last_i, run, /*is_last=*/true, t_));
  }
  if (auto f = history_flag(in_, last, as_of, usable_in(begin, end), t_)) {
    flags.push_back(std::move(*f));
  }
  if (flags.size() > 1) sort_flags(flags);
  return flags;
}

}  // namespace af::marketdata
