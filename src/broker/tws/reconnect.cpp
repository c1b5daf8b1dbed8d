#include "broker/tws/reconnect.hpp"

#include <algorithm>
#include <cmath>

#include "core/check.hpp"

namespace af::tws {

Backoff::Backoff(Options options, std::uint64_t seed) : options_(options), rng_(seed) {
  AF_CHECK(options_.initial_delay.count() > 0, "Backoff: initial_delay must be positive");
  AF_CHECK(options_.max_delay >= options_.initial_delay, "Backoff: max_delay < initial_delay");
  AF_CHECK(options_.multiplier >= 1.0, "Backoff: multiplier must be >= 1");
  AF_CHECK(options_.jitter >= 0.0 && options_.jitter <= 1.0, "Backoff: jitter must be in [0, 1]");
}

std::chrono::milliseconds Backoff::nominal_delay(int attempt) const {
  double ms = static_cast<double>(options_.initial_delay.count()) *
              std::pow(options_.multiplier, static_cast<double>(std::max(attempt, 0)));
  ms = std::min(ms, static_cast<double>(options_.max_delay.count()));
  return std::chrono::milliseconds{static_cast<std::int64_t>(ms)};
}

std::chrono::milliseconds Backoff::next_delay() {
  const auto nominal = nominal_delay(attempts_);
  ++attempts_;
  // u in [0, 1) from the top 53 bits: portable across standard libraries, unlike
  // std::uniform_real_distribution whose algorithm is implementation-defined.
  const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
  const double ms = static_cast<double>(nominal.count()) * (1.0 - options_.jitter * u);
  return std::chrono::milliseconds{static_cast<std::int64_t>(std::ceil(ms))};
}

}  // namespace af::tws
