// marketdata/packed_bars.hpp — the column-wise binary form of a whole series (the bar store's
// `series_packed` copy, docs/DATA.md §2).
//
// Why: reading a series row by row through SQLite costs ~240 ns a bar (VDBE steps, six column
// reads, parsing the TEXT date); the backtest reads ~737k bars at start-up. One blob per series,
// decoded by plain loads, costs a few ns a bar.
//
// Layout (format kPackedBarsFormat, little-endian, no padding):
//   uint32 column_mask                   bit 0 open, 1 high, 2 low, 3 close, 4 volume: the column
//                                        is present; an absent column is NaN in every bar
//   int32  day[n]                        Date::serial() of each bar, strictly increasing
//   double value[n] per present column   in the bit order above; NaN = NULL in the bars table
// n is not in the blob: the store keeps it beside it, and a blob whose size does not match n and
// the mask (or whose days do not increase) is rejected, never half-read.
//
//   std::string blob = encode_packed_bars(bars);
//   std::optional<Bars> back = decode_packed_bars(blob.data(), blob.size(), bars.size());  // == bars
//
// Values keep their exact bits (NaN included), so a decoded series equals the bars encoded.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/date.hpp"
#include "marketdata/bar.hpp"

namespace af::marketdata {

// Bumped whenever the layout above changes; rows of another version are ignored (bars rows used).
inline constexpr int kPackedBarsFormat = 1;

// The blob of `bars` (which must have strictly increasing dates).
std::string encode_packed_bars(const Bars& bars);

// The bars of a blob holding `n` bars, or nullopt when the blob is not a valid one for `n`.
std::optional<Bars> decode_packed_bars(const void* blob, std::size_t size, std::int64_t n);

// Only the bars with from <= date <= to (ascending), found by binary search on the days; nullopt
// when the blob is not valid for `n`.
std::optional<Bars> decode_packed_bars(const void* blob, std::size_t size, std::int64_t n, Date from, Date to);

}  // namespace af::marketdata
