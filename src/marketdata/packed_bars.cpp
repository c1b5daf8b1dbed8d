#include "marketdata/packed_bars.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace af::marketdata {

static_assert(std::endian::native == std::endian::little,
              "packed bars are stored little-endian; add byte swapping for this platform");

namespace {

constexpr int kColumns = 5;
constexpr std::uint32_t kAllColumns = (1u << kColumns) - 1;
constexpr double Bar::*kColumnMembers[kColumns] = {&Bar::open, &Bar::high, &Bar::low, &Bar::close, &Bar::volume};
constexpr std::size_t kHeaderBytes = sizeof(std::uint32_t);

// Where each part of a validated blob starts. An absent column reads a single NaN with stride 0,
// so the decode loop has no branch per value.
struct PackedView {
  std::size_t n = 0;
  const unsigned char* days = nullptr;
  const unsigned char* column[kColumns] = {};
  std::size_t stride[kColumns] = {};

  int day(std::size_t i) const {
    std::int32_t d;
    std::memcpy(&d, days + i * sizeof d, sizeof d);
    return d;
  }
  double value(int c, std::size_t i) const {
    double v;
    std::memcpy(&v, column[c] + i * stride[c], sizeof v);
    return v;
  }
};

const double kAbsent = kNoValue;

std::optional<PackedView> view_of(const void* blob, std::size_t size, std::int64_t n) {
  if (blob == nullptr || n < 0 || size < kHeaderBytes) return std::nullopt;
  const auto* bytes = static_cast<const unsigned char*>(blob);
  std::uint32_t mask;
  std::memcpy(&mask, bytes, sizeof mask);
  if ((mask & ~kAllColumns) != 0) return std::nullopt;
  // n <= size keeps the products below from overflowing.
  if (static_cast<std::uint64_t>(n) > size) return std::nullopt;
  const std::size_t count = static_cast<std::size_t>(n);
  const std::size_t present = static_cast<std::size_t>(std::popcount(mask));
  if (size != kHeaderBytes + count * sizeof(std::int32_t) + present * count * sizeof(double)) return std::nullopt;
  PackedView v;
  v.n = count;
  v.days = bytes + kHeaderBytes;
  const unsigned char* next = v.days + count * sizeof(std::int32_t);
  for (int c = 0; c < kColumns; ++c) {
    if ((mask >> c) & 1u) {
      v.column[c] = next;
      v.stride[c] = sizeof(double);
      next += count * sizeof(double);
    } else {
      v.column[c] = reinterpret_cast<const unsigned char*>(&kAbsent);
      v.stride[c] = 0;
    }
  }
  for (std::size_t i = 1; i < count; ++i) {
    if (!(v.day(i - 1) < v.day(i))) return std::nullopt;  // the store's invariant: strictly increasing
  }
  return v;
}

Bars decode_rows(const PackedView& v, std::size_t begin, std::size_t end) {
  Bars out;
  out.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) {
    Bar b;
    b.date = Date::from_serial(v.day(i));
    b.open = v.value(0, i);
    b.high = v.value(1, i);
    b.low = v.value(2, i);
    b.close = v.value(3, i);
    b.volume = v.value(4, i);
    out.push_back(b);
  }
  return out;
}

}  // namespace

std::string encode_packed_bars(const Bars& bars) {
  const std::size_t n = bars.size();
  std::uint32_t mask = 0;
  for (int c = 0; c < kColumns; ++c) {
    const bool any = std::any_of(bars.begin(), bars.end(), [&](const Bar& b) { return !std::isnan(b.*kColumnMembers[c]); });
    if (any) mask |= 1u << c;
  }
  const std::size_t present = static_cast<std::size_t>(std::popcount(mask));
  std::string blob(kHeaderBytes + n * sizeof(std::int32_t) + present * n * sizeof(double), '\0');
  char* out = blob.data();
  std::memcpy(out, &mask, sizeof mask);
  out += kHeaderBytes;
  for (const Bar& b : bars) {
    const std::int32_t day = b.date.serial();
    std::memcpy(out, &day, sizeof day);
    out += sizeof day;
  }
  for (int c = 0; c < kColumns; ++c) {
    if (((mask >> c) & 1u) == 0) continue;
    for (const Bar& b : bars) {
      std::memcpy(out, &(b.*kColumnMembers[c]), sizeof(double));
      out += sizeof(double);
    }
  }
  return blob;
}

std::optional<Bars> decode_packed_bars(const void* blob, std::size_t size, std::int64_t n) {
  auto v = view_of(blob, size, n);
  if (!v) return std::nullopt;
  return decode_rows(*v, 0, v->n);
}

std::optional<Bars> decode_packed_bars(const void* blob, std::size_t size, std::int64_t n, Date from, Date to) {
  auto v = view_of(blob, size, n);
  if (!v) return std::nullopt;
  // The first bar for which `before(day)` is false (days strictly increase).
  auto partition_point = [&](auto before) {
    std::size_t lo = 0, hi = v->n;
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (before(v->day(mid))) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const int first = from.serial(), last = to.serial();
  const std::size_t begin = partition_point([&](int day) { return day < first; });
  const std::size_t end = std::max(begin, partition_point([&](int day) { return day <= last; }));
  return decode_rows(*v, begin, end);
}

}  // namespace af::marketdata
