#include "marketdata/bar.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace af::marketdata {

std::string_view to_string(SeriesKind kind) noexcept {
  return kind == SeriesKind::kSynthetic ? "synthetic" : "real";
}

Result<SeriesKind> parse_series_kind(std::string_view text) {
  if (text == "real") return SeriesKind::kReal;
  if (text == "synthetic") return SeriesKind::kSynthetic;
  return Error{ErrorCode::kInvalidArgument, fmt::format("unknown series kind '{}' (expected real or synthetic)", text)};
}

std::optional<std::size_t> index_at_or_before(const Bars& bars, Date d) {
  auto it = std::upper_bound(bars.begin(), bars.end(), d, [](Date x, const Bar& b) { return x < b.date; });
  if (it == bars.begin()) return std::nullopt;
  return static_cast<std::size_t>(std::distance(bars.begin(), it) - 1);
}

}  // namespace af::marketdata
