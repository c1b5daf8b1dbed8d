// backtest/numpy_legacy_rng.hpp — bit-exact replica of numpy's legacy `RandomState` generator,
// limited to what the original's Monte Carlo used (original-system.md §3.10.3):
//   * MT19937 seeded with init_genrand(seed) (numpy: `np.random.seed(int)` → mt19937_seed);
//   * uniform doubles in [0, 1) built from two 32-bit draws a, b:
//       ((a >> 5) * 67108864 + (b >> 6)) / 2^53            (numpy: legacy_double)
//   * standard normals by the Marsaglia polar method with one cached value: a call that finds
//     no cached value draws (x1, x2) until 0 < r2 = x1² + x2² < 1, returns f·x2 and caches f·x1,
//     f = sqrt(−2 ln r2 / r2)                               (numpy: legacy_gauss)
//   * normal(loc, scale) = loc + scale · gauss()            (numpy: legacy_normal)
// The engine is std::mt19937: its `seed(uint32)` is exactly init_genrand and its outputs are the
// reference MT19937 32-bit stream, so no hand-written twister is needed.
// Not thread-safe (one object per thread); the stream is inherently sequential.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>

#include "backtest/mt19937_block.hpp"

namespace af::backtest {

class NumpyLegacyRandomState {
 public:
  explicit NumpyLegacyRandomState(std::uint32_t seed) : engine_(seed) {}

  // One 32-bit MT19937 output.
  std::uint32_t next_uint32() { return static_cast<std::uint32_t>(engine_()); }

  // Uniform in [0, 1) with 53 random bits (numpy legacy_double / random_sample).
  double next_double() {
    const std::uint32_t a = next_uint32() >> 5;
    const std::uint32_t b = next_uint32() >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  // One accepted polar pair: x1, x2 in (−1, 1), r2 = x1² + x2² in (0, 1). Exposed so that a
  // caller can split the (sequential) draws from the (parallelisable) log/sqrt step.
  struct PolarPair {
    double x1;
    double x2;
    double r2;
  };
  PolarPair next_polar_pair() {
    double x1, x2, r2;
    do {
      x1 = 2.0 * next_double() - 1.0;
      x2 = 2.0 * next_double() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    return {x1, x2, r2};
  }
  static double polar_factor(double r2) { return std::sqrt(-2.0 * std::log(r2) / r2); }

  // Standard normal, numpy legacy_gauss (including the cached second value).
  double gauss() {
    if (has_gauss_) {
      has_gauss_ = false;
      return gauss_;
    }
    const PolarPair p = next_polar_pair();
    const double f = polar_factor(p.r2);
    gauss_ = f * p.x1;
    has_gauss_ = true;
    return f * p.x2;
  }

  // numpy legacy_normal: loc + scale * gauss().
  double normal(double loc, double scale) { return loc + scale * gauss(); }

 private:
  std::mt19937 engine_;
  double gauss_ = 0.0;
  bool has_gauss_ = false;
};

// The same accepted polar pairs as NumpyLegacyRandomState::next_polar_pair, produced in bulk
// from Mt19937Block. Every candidate consumes exactly four 32-bit words whether or not it is
// accepted, so a 624-word block holds 156 candidates evaluated without branches. The k-th
// accepted pair yields normals 2k (f·x2) and 2k+1 (f·x1) of numpy's legacy stream.
// Not thread-safe; sequential by nature.
class NumpyLegacyPolarStream {
 public:
  struct Pair {
    double x1;
    double x2;
  };
  explicit NumpyLegacyPolarStream(std::uint32_t seed) : engine_(seed) {}

  // Writes the next out.size() accepted pairs.
  void fill(std::span<Pair> out) {
    std::size_t written = 0;
    while (written < out.size()) {
      if (read_ == count_) refill();
      const std::size_t take = std::min(out.size() - written, count_ - read_);
      std::copy_n(&accepted_[read_], take, out.begin() + static_cast<std::ptrdiff_t>(written));
      read_ += take;
      written += take;
    }
  }

  // f·x2 and f·x1 for a pair (r2 recomputed exactly as numpy computes it).
  static double factor(const Pair& p) {
    return NumpyLegacyRandomState::polar_factor(p.x1 * p.x1 + p.x2 * p.x2);
  }

 private:
  static constexpr int kCandidates = Mt19937Block::kStateWords / 4;

  void refill() {
    engine_.next_block(words_);
    // Vectorisable pass. The shifted words fit in 27 and 26 bits, so converting them as signed
    // 32-bit integers is exact (and maps to a packed SSE2 conversion).
    for (int i = 0; i < kCandidates; ++i) {
      const std::uint32_t* w = &words_[4 * i];
      const double u1 = (static_cast<std::int32_t>(w[0] >> 5) * 67108864.0 + static_cast<std::int32_t>(w[1] >> 6)) /
                        9007199254740992.0;
      const double u2 = (static_cast<std::int32_t>(w[2] >> 5) * 67108864.0 + static_cast<std::int32_t>(w[3] >> 6)) /
                        9007199254740992.0;
      x1_[i] = 2.0 * u1 - 1.0;
      x2_[i] = 2.0 * u2 - 1.0;
      r2_[i] = x1_[i] * x1_[i] + x2_[i] * x2_[i];
    }
    std::size_t n = 0;
    for (int i = 0; i < kCandidates; ++i) {
      accepted_[n] = {x1_[i], x2_[i]};  // branch-free compaction
      n += static_cast<std::size_t>(r2_[i] < 1.0 && r2_[i] != 0.0);
    }
    count_ = n;
    read_ = 0;
  }

  Mt19937Block engine_;
  alignas(64) std::uint32_t words_[Mt19937Block::kStateWords];
  double x1_[kCandidates], x2_[kCandidates], r2_[kCandidates];
  Pair accepted_[kCandidates];
  std::size_t count_ = 0;
  std::size_t read_ = 0;
};

}  // namespace af::backtest
