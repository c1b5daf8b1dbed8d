// marketdata/synthetic.hpp — deterministic synthetic series calibrated on real proxies.
//
// For instruments without a real series (no Euro Stoxx 50, no sector ETFs, no credit lines in the
// bundled data), data/catalog.yaml gives a recipe and this generates the bars. Synthetic bars are
// stored with SeriesKind::kSynthetic and shown as synthetic everywhere (docs/DATA.md).
//
// Factor model, per segment of dates with a real `driver` series:
//   r_t = drift/252 + beta * d_t + sigma_idio * e_t,   log returns on a Mon-Fri date grid
//   d_t = log(P_driver(t) / P_driver(t-1)), prices at or before each grid date (holiday -> 0)
//   sigma = vol_ratio * vol(d over the segment) * vol_multiplier     (calibrate)
//         = vol_annual / sqrt(252)  or  times * vol(series window)    (explicit)
//   rho   = corr(target, reference) * corr_multiplier                (calibrate) or explicit rho
//   beta  = rho * sigma / vol(d),  sigma_idio = sigma * sqrt(1 - rho^2)
// so the series has volatility sigma and correlation rho with its driver. e_t are standard
// normals from mt19937_64 seeded with FNV-1a(series id). Open = previous close; high/low extend
// the open-close range by |N(0, 0.3 sigma)|. Close-only calibration series use same-day log returns
// on the dates both series have.
//
// Realized-vol proxy (VIX-like, flagged as a proxy): level_t = scale * 100 * sqrt(252 * v_t), where
// v_t is the EWMA variance of `source` log returns with lambda = 1 - 2/(window_days + 1), and
// scale = mean(level_reference close) / mean(raw proxy) over the reference's dates. No randomness.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "marketdata/bar.hpp"
#include "marketdata/catalog.hpp"

namespace af::marketdata {

// Looks up a series already loaded (real) or generated earlier (synthetic). nullptr: unknown.
using SeriesLookup = std::function<const Bars*(const std::string& id)>;

// What the generator measured and used, per segment (for docs, reports and tests).
struct SegmentCalibration {
  std::string driver;
  Date from;
  Date to;
  double rho = 0.0;              // correlation with the driver's returns
  double vol_annual = 0.0;       // total volatility of the synthetic log returns
  double driver_vol_annual = 0.0;
  double beta = 0.0;
  std::string basis;             // "calibrated: dax vs smi 1991-07-01..1998-08-14" / "explicit"
};

struct SyntheticResult {
  Bars bars;
  std::vector<SegmentCalibration> segments;
  double proxy_scale = 0.0;      // realized-vol proxy only
};

// 64-bit FNV-1a of the text (the seed of a series' random stream).
std::uint64_t fnv1a64(std::string_view text) noexcept;

// Every Monday..Friday from `from` to `to` inclusive.
std::vector<Date> weekday_grid(Date from, Date to);

// Annualised (x sqrt(252)) sample standard deviation and Pearson correlation of same-day log
// returns of a (or the equal-weight average of several) against b over [from, to].
struct PairStats {
  int n = 0;
  double vol_a = 0.0;
  double vol_b = 0.0;
  double corr = 0.0;
};
Result<PairStats> pair_stats(const std::vector<const Bars*>& a, const Bars& b, Date from, Date to);

Result<SyntheticResult> generate_synthetic(const CatalogSeries& series, const SeriesLookup& lookup);

}  // namespace af::marketdata
