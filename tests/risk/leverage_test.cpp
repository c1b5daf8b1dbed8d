#include "risk/leverage.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace af::risk {
namespace {

using Book = std::map<InstrumentId, double>;
const InstrumentId kA{"a_long"};
const InstrumentId kB{"b_short"};
const InstrumentId kC{"c_long"};

TEST(RiskLeverage, WithinLimitsIsUnchanged) {
  const Book book = {{kA, 120.0}, {kB, -60.0}};  // gross 180 <= 200, net 60 <= 100 on NAV 100
  const auto r = enforce_leverage_limits(book, 100.0, LeverageLimits{});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->changed());
  EXPECT_TRUE(r->actions.empty());
  EXPECT_EQ(r->exposures_usd, book);
}

TEST(RiskLeverage, GrossOnlyScalesEverything) {
  // NAV 100: gross 150 + 100 = 250 > 200 -> × 0.8 -> 120 / −80; net 40.
  const auto r = enforce_leverage_limits({{kA, 150.0}, {kB, -100.0}}, 100.0, LeverageLimits{});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->exposures_usd.at(kA), 120.0, 1e-12);
  EXPECT_NEAR(r->exposures_usd.at(kB), -80.0, 1e-12);
  EXPECT_NEAR(r->gross_after_usd, 200.0, 1e-9);
  EXPECT_NEAR(r->net_after_usd, 40.0, 1e-9);
  EXPECT_EQ(r->actions.size(), 1u);
}

TEST(RiskLeverage, NetOnlyScalesTheDominantSide) {
  // NAV 100: net 150 − 20 = 130 > 100 -> longs × (100 + 20)/150 = 0.8 -> 120; shorts untouched.
  const auto r = enforce_leverage_limits({{kA, 150.0}, {kB, -20.0}}, 100.0, LeverageLimits{});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->exposures_usd.at(kA), 120.0, 1e-12);
  EXPECT_DOUBLE_EQ(r->exposures_usd.at(kB), -20.0);
  EXPECT_NEAR(r->net_after_usd, 100.0, 1e-9);
  EXPECT_NEAR(r->long_scale, 0.8, 1e-12);
  EXPECT_DOUBLE_EQ(r->short_scale, 1.0);
}

TEST(RiskLeverage, NetShortScalesShorts) {
  // NAV 100: net 20 − 150 = −130 -> shorts × (100 + 20)/150 = 0.8 -> −120.
  const auto r = enforce_leverage_limits({{kA, 20.0}, {kB, -150.0}}, 100.0, LeverageLimits{});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->exposures_usd.at(kB), -120.0, 1e-12);
  EXPECT_NEAR(r->net_after_usd, -100.0, 1e-9);
}

TEST(RiskLeverage, GrossAndNetBothBinding) {
  // NAV 100, longs 200 + 100 = 300, shorts 100: net 200 > 100 -> longs × (100 + 100)/300 = 2/3
  //   -> a 133.33, c 66.67; gross 200 + 100 = 300 > 200 -> all × 2/3
  //   -> a 88.89, c 44.44, b −66.67; gross 200, net 66.67.
  const auto r = enforce_leverage_limits({{kA, 200.0}, {kB, -100.0}, {kC, 100.0}}, 100.0,
                                         LeverageLimits{});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->exposures_usd.at(kA), 200.0 * 4.0 / 9.0, 1e-9);
  EXPECT_NEAR(r->exposures_usd.at(kC), 100.0 * 4.0 / 9.0, 1e-9);
  EXPECT_NEAR(r->exposures_usd.at(kB), -100.0 * 2.0 / 3.0, 1e-9);
  EXPECT_NEAR(r->gross_after_usd, 200.0, 1e-9);
  EXPECT_NEAR(r->net_after_usd, 200.0 / 3.0, 1e-9);
  EXPECT_NEAR(r->long_scale, 4.0 / 9.0, 1e-12);
  EXPECT_NEAR(r->short_scale, 2.0 / 3.0, 1e-12);
  ASSERT_EQ(r->actions.size(), 2u);
  EXPECT_NE(r->actions[0].find("net long"), std::string::npos) << r->actions[0];
  EXPECT_NE(r->actions[1].find("gross"), std::string::npos) << r->actions[1];
  EXPECT_DOUBLE_EQ(r->gross_before_usd, 400.0);
  EXPECT_DOUBLE_EQ(r->net_before_usd, 200.0);
}

TEST(RiskLeverage, RandomBooksEndWithinBothLimits) {
  // Property over 2,000 seeded random books: after enforcement gross <= gross_max × NAV and
  // |net| <= net_max × NAV (up to 1e-12 relative), no exposure changes sign or grows, and a book
  // already within the limits is returned unchanged.
  std::mt19937_64 rng(20240601);
  std::uniform_real_distribution<double> exposure(-3e6, 3e6);
  std::uniform_real_distribution<double> nav_dist(1e5, 2e6);
  std::uniform_real_distribution<double> limit_dist(0.1, 3.0);
  std::uniform_int_distribution<int> size_dist(1, 12);
  for (int trial = 0; trial < 2000; ++trial) {
    Book book;
    const int n = size_dist(rng);
    for (int i = 0; i < n; ++i) {
      std::string id = "i";
      id += std::to_string(i);
      book[InstrumentId(id)] = exposure(rng);
    }
    const double nav = nav_dist(rng);
    const LeverageLimits limits{limit_dist(rng), limit_dist(rng)};
    const auto r = enforce_leverage_limits(book, nav, limits);
    ASSERT_TRUE(r.ok());
    EXPECT_LE(r->gross_after_usd, limits.gross_max * nav * (1 + 1e-12)) << "trial " << trial;
    EXPECT_LE(std::abs(r->net_after_usd), limits.net_max * nav * (1 + 1e-12)) << "trial " << trial;
    for (const auto& [id, before] : book) {
      const double after = r->exposures_usd.at(id);
      EXPECT_GE(after * before, 0.0);
      EXPECT_LE(std::abs(after), std::abs(before) * (1 + 1e-12));
    }
    const bool within = r->gross_before_usd <= limits.gross_max * nav &&
                        std::abs(r->net_before_usd) <= limits.net_max * nav;
    if (within) {
      EXPECT_EQ(r->exposures_usd, book);
    }
  }
}

TEST(RiskLeverage, BadInputsAreErrors) {
  EXPECT_FALSE(enforce_leverage_limits({{kA, 1.0}}, 0.0, LeverageLimits{}).ok());
  const auto nan = enforce_leverage_limits(
      {{kA, std::numeric_limits<double>::quiet_NaN()}}, 100.0, LeverageLimits{});
  ASSERT_FALSE(nan.ok());
  EXPECT_NE(nan.error().message.find("a_long"), std::string::npos);
  EXPECT_EQ(nan.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace af::risk
