// Known-answer tests of the numpy-compatible generator. Expected values come from outside the
// code: the C++ standard's MT19937 check value and numpy's published outputs for seed 42
// (`np.random.seed(42); np.random.random_sample()` and `np.random.randn(4)`).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "backtest/mt19937_block.hpp"
#include "backtest/numpy_legacy_rng.hpp"

namespace af::backtest {
namespace {

TEST(BacktestNumpyLegacyRng, StdMt19937IsTheReferenceEngine) {
  // [rand.predef]: the 10000th output of a default-constructed mt19937 (seed 5489) is 4123659995.
  NumpyLegacyRandomState rng(5489);
  std::uint32_t x = 0;
  for (int i = 0; i < 10000; ++i) x = rng.next_uint32();
  EXPECT_EQ(x, 4123659995u);
}

TEST(BacktestNumpyLegacyRng, BlockEngineMatchesStdMt19937) {
  // Same check value, then a long stretch compared word for word with std::mt19937.
  Mt19937Block block(5489);
  std::uint32_t words[Mt19937Block::kStateWords];
  std::vector<std::uint32_t> stream;
  while (stream.size() < 10000) {
    block.next_block(words);
    stream.insert(stream.end(), std::begin(words), std::end(words));
  }
  EXPECT_EQ(stream[9999], 4123659995u);
  for (std::uint32_t seed : {0u, 42u, 4294967295u}) {
    Mt19937Block b(seed);
    std::mt19937 ref(seed);
    int mismatches = 0;
    for (int blk = 0; blk < 50; ++blk) {
      b.next_block(words);
      for (std::uint32_t w : words) mismatches += (w != ref());
    }
    EXPECT_EQ(mismatches, 0) << "seed " << seed;
  }
}

TEST(BacktestNumpyLegacyRng, RandomSampleMatchesNumpySeed42) {
  NumpyLegacyRandomState rng(42);
  // np.random.seed(42); np.random.random_sample(3)
  EXPECT_DOUBLE_EQ(rng.next_double(), 0.3745401188473625);
  EXPECT_DOUBLE_EQ(rng.next_double(), 0.9507143064099162);
  EXPECT_DOUBLE_EQ(rng.next_double(), 0.7319939418114051);
}

TEST(BacktestNumpyLegacyRng, GaussMatchesNumpyRandnSeed42) {
  NumpyLegacyRandomState rng(42);
  // np.random.seed(42); np.random.randn(4) — the polar method returns f·x2 first, then f·x1.
  EXPECT_NEAR(rng.gauss(), 0.4967141530112327, 1e-15);
  EXPECT_NEAR(rng.gauss(), -0.13826430117118466, 1e-15);
  EXPECT_NEAR(rng.gauss(), 0.6476885381006925, 1e-15);
  EXPECT_NEAR(rng.gauss(), 1.5230298564080254, 1e-15);
}

TEST(BacktestNumpyLegacyRng, NormalIsLocPlusScaleTimesGauss) {
  NumpyLegacyRandomState a(7), b(7);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(a.normal(0.5, 2.0), 0.5 + 2.0 * b.gauss());
}

TEST(BacktestNumpyLegacyRng, PolarStreamMatchesScalarReference) {
  // The bulk stream must give exactly the scalar generator's accepted pairs, in order.
  NumpyLegacyPolarStream stream(42);
  NumpyLegacyRandomState ref(42);
  std::vector<NumpyLegacyPolarStream::Pair> pairs(5000);
  // Uneven fill sizes exercise the carry-over between 624-word blocks.
  std::size_t done = 0;
  for (std::size_t chunk : {1u, 77u, 155u, 156u, 157u, 1000u}) {
    stream.fill(std::span(pairs).subspan(done, chunk));
    done += chunk;
  }
  stream.fill(std::span(pairs).subspan(done));
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto p = ref.next_polar_pair();
    ASSERT_EQ(pairs[i].x1, p.x1) << "pair " << i;
    ASSERT_EQ(pairs[i].x2, p.x2) << "pair " << i;
  }
}

}  // namespace
}  // namespace af::backtest
