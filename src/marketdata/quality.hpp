// marketdata/quality.hpp — data-quality checks run before any price is used.
//
// Pure functions over one series (its bars up to the as-of date) and thresholds from settings.
// Each failure is a QualityFlag {check, instrument, series, date, reason}; later stages (risk,
// strategy, order planning, run summary) read the flags. A Blocking flag makes the instrument
// unusable for that run: its orders are skipped and reported. Nothing here ever replaces a value.
//
// Checks (the window = the last `lookback_sessions` bars on or before as-of):
//   missing       no bar at all; last bar older than max_age_sessions weekday sessions at as-of
//                 (blocking); a gap of more than max_gap_sessions sessions inside the window
//                 (warning)
//   nan           a bar whose close is NaN (blocking)
//   non_positive  close <= 0 (blocking)
//   stale         the close unchanged for >= stale_sessions consecutive bars: blocking when the
//                 run reaches the as-of bar, warning when it ended earlier in the window
//   outlier_jump  |close/prev - 1| > outlier_abs_return: blocking on the as-of bar (unconfirmed
//                 jump in the price we would trade on), warning earlier
//   unit_jump     close/prev within 100 x (1 +/- tol) or its reciprocal: the GBX/GBP
//                 mix-up (original defect §7.6); blocking anywhere in the window; replaces the
//                 outlier flag for that bar
//   unit          the series' quote unit differs from the instrument's price unit (blocking)
//   history       fewer than min_history_bars bars in the window (blocking: estimators need them)
// "Sessions" are counted as weekdays (Mon-Fri); exchange holidays make a gap one session longer,
// which the default thresholds tolerate.
// check_series answers one as-of date in O(window); SeriesQualityIndex answers every as-of date of
// one series (a backtest, a simulated path) with the same flags after one O(bars) pass.
// Thread-safety: pure functions; a SeriesQualityIndex is immutable after construction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/currency.hpp"
#include "core/date.hpp"
#include "marketdata/bar.hpp"

namespace af::marketdata {

enum class QualityCheck { kMissing, kNaN, kNonPositive, kStale, kOutlierJump, kUnitJump, kUnit, kHistory };
std::string_view to_string(QualityCheck check) noexcept;

enum class Severity { kWarning, kBlocking };
std::string_view to_string(Severity severity) noexcept;

struct QualityFlag {
  QualityCheck check = QualityCheck::kMissing;
  Severity severity = Severity::kBlocking;
  std::string instrument;  // instrument id (or the series id when checked without an instrument)
  std::string series;      // data series id
  std::optional<Date> date;  // the bar concerned (nullopt: no bar at all)
  std::string reason;      // complete sentence an operator can act on
};

// Defaults equal the settings defaults (config data_quality.*); readiness.hpp maps settings here.
struct QualityThresholds {
  int lookback_sessions = 260;          // bars examined before as-of (about one year)
  int max_age_sessions = 3;             // the newest bar may be at most this many sessions old
  int max_gap_sessions = 5;             // larger gaps between bars inside the window are flagged
  int stale_sessions = 3;               // this many consecutive unchanged closes = stale
  double outlier_abs_return = 0.25;     // |simple daily return| above this = outlier jump
  double unit_jump_factor = 100.0;      // GBX/GBP: 1 GBP = 100 GBX
  double unit_jump_tolerance = 0.2;     // ratio within factor x (1 +/- tol), or its reciprocal
  int min_history_bars = 60;            // fewer usable bars in the window = insufficient history
};

// Weekday sessions strictly after `from` up to and including `to` (0 when to <= from).
int weekday_sessions_between(Date from, Date to) noexcept;

struct SeriesUnderCheck {
  std::string instrument;                  // instrument id used in the flags
  std::string series;                      // data series id
  const Bars* bars = nullptr;              // whole series, ascending (bars after as_of ignored)
  QuoteUnit series_unit = QuoteUnit::major(Currency::USD);
  std::optional<QuoteUnit> expected_unit;  // the instrument's price unit, when known
};

// Runs every check. Flags are ordered by date (undated first), then by check.
std::vector<QualityFlag> check_series(const SeriesUnderCheck& input, Date as_of, const QualityThresholds& t);

bool has_blocking_flag(const std::vector<QualityFlag>& flags) noexcept;

// check_series of one series for any as-of date, precomputed:
//   SeriesQualityIndex index(input, thresholds);        // O(bars), once per series
//   std::vector<QualityFlag> flags = index.check(as_of); // == check_series(input, as_of, thresholds)
// The per-bar results (gaps, NaN and non-positive closes, jumps, runs of unchanged closes, unusable
// closes) are computed once, in one pass; check() assembles one window in O(log bars + flags in
// the window). Memory: 4 bytes a bar plus entries for the few flagged, unusable or repeated bars.
// `input.bars` must outlive the index and must not change. Thread-safety: immutable after
// construction; check() is const and safe to call from several threads.
class SeriesQualityIndex {
 public:
  SeriesQualityIndex(SeriesUnderCheck input, const QualityThresholds& thresholds);

  std::vector<QualityFlag> check(Date as_of) const;
  // index_at_or_before(*input().bars, as_of), found by interpolation on the bar dates (O(1) for
  // a daily series instead of a binary search over the bars).
  std::optional<std::size_t> last_index(Date as_of) const;
  const SeriesUnderCheck& input() const noexcept { return in_; }
  // A conservative screen: true when check(as_of) provably has no blocking flag, with `bar` the
  // as-of bar (last_index(as_of)). False means "not proved": run check(). One 4-byte read.
  // Per bar i as the as-of bar, the index keeps the last date up to which none of these holds:
  //   unit mismatch; the last bar older than max_age_sessions at as_of;
  //   in the window, a close that is not finite and positive or a GBX/GBP-sized jump;
  //   on the as-of bar a jump beyond the outlier limit or a run of unchanged closes reaching
  //   stale_sessions (counted from the series start: never shorter than the window's run);
  //   fewer usable closes in the window than min_history_bars.
  // Each blocking flag of check() implies one of them (the converse need not hold): a new
  // blocking check needs its condition here too (tests/strategy/market_history_test.cpp compares
  // snapshots with check_series on every day of a series full of defects).
  bool provably_clean(std::size_t bar, Date as_of) const { return as_of.serial() <= clean_through_[bar]; }

 private:
  // Window-independent flags of one bar (as a bar before the as-of bar).
  struct BarFlags {
    std::size_t bar = 0;
    std::optional<QualityFlag> gap;    // missing sessions between the previous bar and this one
    std::optional<QualityFlag> close;  // nan | non_positive | unit_jump | outlier_jump (warning)
    std::optional<QualityFlag> stale;  // a run of unchanged closes ends here (whole run, warning)
    std::uint32_t run = 0;             // with `stale`: the length of that run
  };
  // Unchanged closes ending at bar i, counted from bar 0 (0 for most bars).
  std::size_t run_at(std::size_t i) const;
  // Usable closes among bars [begin, end).
  std::size_t usable_in(std::size_t begin, std::size_t end) const;

  SeriesUnderCheck in_;
  QualityThresholds t_;
  std::optional<QualityFlag> unit_flag_;
  std::vector<int> serials_;                  // Date::serial() of each bar
  // (bar, run_at(bar)) for the bars with a non-zero run, ascending: sparse, few in real data.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> runs_;
  std::vector<std::uint32_t> unusable_;       // bars whose close is NaN or <= 0, ascending
  std::vector<BarFlags> flagged_;             // bars with any flag, ascending
  std::vector<std::int32_t> clean_through_;   // per bar: see provably_clean (INT32_MIN: never)
};

}  // namespace af::marketdata
