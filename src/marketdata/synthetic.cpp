#include "marketdata/synthetic.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <random>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace af::marketdata {

namespace {

constexpr double kSessionsPerYear = 252.0;

// Standard normals from mt19937_64 by the Box-Muller transform. Written by hand because
// std::normal_distribution's algorithm is implementation-defined: the bundled series must be
// the same bytes with any standard library. (mt19937_64's output sequence is fixed by the
// standard.)
class NormalStream {
 public:
  explicit NormalStream(std::uint64_t seed) : engine_(seed) {}
  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = uniform_open();
    double u2 = uniform_open();
    double radius = std::sqrt(-2.0 * std::log(u1));
    double angle = 2.0 * std::numbers::pi * u2;
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  // Uniform in (0, 1): 53 random bits, offset by half a step so 0 never occurs.
  double uniform_open() { return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53; }
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// Close at or before d (NaN when none or not usable).
double close_at_or_before(const Bars& bars, Date d) {
  auto i = index_at_or_before(bars, d);
  while (i && !(std::isfinite(bars[*i].close) && bars[*i].close > 0.0)) {
    if (*i == 0) return kNoValue;
    i = *i - 1;
  }
  return i ? bars[*i].close : kNoValue;
}

// Same-day log returns of a series, keyed by date (consecutive usable bars).
std::map<Date, double> log_returns(const Bars& bars, Date from, Date to) {
  std::map<Date, double> out;
  for (std::size_t i = 1; i < bars.size(); ++i) {
    const Bar& a = bars[i - 1];
    const Bar& b = bars[i];
    if (b.date < from || to < b.date) continue;
    if (std::isfinite(a.close) && std::isfinite(b.close) && a.close > 0.0 && b.close > 0.0) {
      out[b.date] = std::log(b.close / a.close);
    }
  }
  return out;
}

struct Moments {
  double mean_a = 0, mean_b = 0, sd_a = 0, sd_b = 0, corr = 0;
  int n = 0;
};

Moments moments(const std::vector<double>& a, const std::vector<double>& b) {
  Moments m;
  m.n = static_cast<int>(a.size());
  if (m.n < 2) return m;
  for (std::size_t i = 0; i < a.size(); ++i) {
    m.mean_a += a[i];
    m.mean_b += b[i];
  }
  m.mean_a /= m.n;
  m.mean_b /= m.n;
  double saa = 0, sbb = 0, sab = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    saa += (a[i] - m.mean_a) * (a[i] - m.mean_a);
    sbb += (b[i] - m.mean_b) * (b[i] - m.mean_b);
    sab += (a[i] - m.mean_a) * (b[i] - m.mean_b);
  }
  m.sd_a = std::sqrt(saa / (m.n - 1));
  m.sd_b = std::sqrt(sbb / (m.n - 1));
  m.corr = (saa > 0 && sbb > 0) ? sab / std::sqrt(saa * sbb) : 0.0;
  return m;
}

double sample_sd(const std::vector<double>& x) {
  if (x.size() < 2) return 0.0;
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

Result<const Bars*> need(const SeriesLookup& lookup, const std::string& id, const std::string& for_series) {
  const Bars* b = lookup(id);
  if (b == nullptr || b->empty()) {
    return Error{ErrorCode::kNotFound,
                 fmt::format("synthetic series {}: its recipe uses series '{}', which has no data", for_series, id)};
  }
  return b;
}

Result<SyntheticResult> generate_factor(const CatalogSeries& s, const SyntheticRecipe& r, const SeriesLookup& lookup) {
  SyntheticResult out;
  const std::vector<Date> grid = weekday_grid(r.start, r.end);
  if (grid.size() < 2) return Error{ErrorCode::kInvalidArgument, fmt::format("synthetic series {}: empty date range", s.id)};

  // Per grid date (from index 1): the segment it belongs to and the driver log return.
  std::vector<double> driver_ret(grid.size(), 0.0);
  std::vector<std::size_t> seg_of(grid.size(), 0);
  struct SegParams {
    double beta = 0, sigma_idio = 0, sigma = 0;
  };
  std::vector<SegParams> params(r.segments.size());

  std::size_t gi = 1;
  for (std::size_t si = 0; si < r.segments.size(); ++si) {
    const SyntheticSegment& seg = r.segments[si];
    AF_ASSIGN_OR_RETURN(const Bars* driver, need(lookup, seg.driver, s.id));
    const Date seg_end = seg.until.value_or(r.end);
    const std::size_t seg_begin = gi;
    std::vector<double> rets;
    for (; gi < grid.size() && !(seg_end < grid[gi]); ++gi) {
      double p0 = close_at_or_before(*driver, grid[gi - 1]);
      double p1 = close_at_or_before(*driver, grid[gi]);
      if (!std::isfinite(p0) || !std::isfinite(p1)) {
        return Error{ErrorCode::kNotFound,
                     fmt::format("synthetic series {}: driver {} has no data at {} (segment until {})", s.id,
                                 seg.driver, grid[gi].iso(), seg_end.iso())};
      }
      driver_ret[gi] = std::log(p1 / p0);
      seg_of[gi] = si;
      rets.push_back(driver_ret[gi]);
    }
    if (rets.size() < 20) {
      return Error{ErrorCode::kInvalidArgument,
                   fmt::format("synthetic series {}: segment {} (driver {}) covers fewer than 20 sessions", s.id, si,
                               seg.driver)};
    }
    const double driver_sd = sample_sd(rets);
    SegmentCalibration cal;
    cal.driver = seg.driver;
    cal.from = grid[seg_begin];
    cal.to = grid[gi - 1];
    cal.driver_vol_annual = driver_sd * std::sqrt(kSessionsPerYear);
    double sigma = 0, rho = 0;
    if (seg.calibrate) {
      std::vector<const Bars*> targets;
      for (const auto& t : seg.calibrate->target) {
        AF_ASSIGN_OR_RETURN(const Bars* tb, need(lookup, t, s.id));
        targets.push_back(tb);
      }
      AF_ASSIGN_OR_RETURN(const Bars* ref, need(lookup, seg.calibrate->reference, s.id));
      AF_ASSIGN_OR_RETURN(PairStats ps, pair_stats(targets, *ref, seg.calibrate->from, seg.calibrate->to));
      sigma = (ps.vol_a / ps.vol_b) * driver_sd * r.vol_multiplier;
      rho = ps.corr * r.corr_multiplier;
      cal.basis = fmt::format("calibrated: {} vs {} {}..{} (vol ratio {:.3f}, corr {:.3f}, n={})",
                              fmt::join(seg.calibrate->target, "+"), seg.calibrate->reference,
                              seg.calibrate->from.iso(), seg.calibrate->to.iso(), ps.vol_a / ps.vol_b, ps.corr, ps.n);
    } else {
      rho = *seg.rho * r.corr_multiplier;
      if (seg.vol_annual) {
        sigma = *seg.vol_annual / std::sqrt(kSessionsPerYear) * r.vol_multiplier;
        cal.basis = fmt::format("assumed: rho {:.2f}, vol {:.3f}", *seg.rho, *seg.vol_annual);
      } else {
        const VolFrom& vf = *seg.vol_from;
        AF_ASSIGN_OR_RETURN(const Bars* vb, need(lookup, vf.series, s.id));
        std::vector<double> v;
        for (const auto& [d, x] : log_returns(*vb, vf.from, vf.to)) v.push_back(x);
        if (v.size() < 20) {
          return Error{ErrorCode::kInvalidArgument,
                       fmt::format("synthetic series {}: vol_from {} has fewer than 20 returns in {}..{}", s.id,
                                   vf.series, vf.from.iso(), vf.to.iso())};
        }
        sigma = vf.times * sample_sd(v) * r.vol_multiplier;
        cal.basis = fmt::format("assumed rho {:.2f}; vol {} x vol({} {}..{})", *seg.rho, vf.times, vf.series,
                                vf.from.iso(), vf.to.iso());
      }
    }
    rho = std::clamp(rho, -0.999, 0.999);
    params[si].sigma = sigma;
    params[si].beta = driver_sd > 0 ? rho * sigma / driver_sd : 0.0;
    params[si].sigma_idio = sigma * std::sqrt(1.0 - rho * rho);
    cal.rho = rho;
    cal.vol_annual = sigma * std::sqrt(kSessionsPerYear);
    cal.beta = params[si].beta;
    out.segments.push_back(cal);
  }
  if (gi != grid.size()) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("synthetic series {}: segments end at {} but the series runs to {} (leave `until` off "
                             "the last segment)",
                             s.id, grid[gi - 1].iso(), r.end.iso())};
  }

  NormalStream normals(fnv1a64(s.id));
  const double drift = r.drift_annual / kSessionsPerYear;
  out.bars.reserve(grid.size());
  double close = r.start_price;
  {
    Bar first = Bar::close_only(grid[0], close);
    first.open = first.high = first.low = close;
    out.bars.push_back(first);
  }
  for (std::size_t i = 1; i < grid.size(); ++i) {
    const SegParams& p = params[seg_of[i]];
    const double e = normals.next();
    const double hi_n = normals.next();
    const double lo_n = normals.next();
    const double open = close;
    close = open * std::exp(drift + p.beta * driver_ret[i] + p.sigma_idio * e);
    Bar b;
    b.date = grid[i];
    b.open = open;
    b.close = close;
    b.high = std::max(open, close) * std::exp(std::fabs(hi_n) * 0.3 * p.sigma);
    b.low = std::min(open, close) * std::exp(-std::fabs(lo_n) * 0.3 * p.sigma);
    out.bars.push_back(b);
  }
  return out;
}

// Realized vol (annualised, in vol points) at each bar of `source`: an exponentially weighted
// variance with lambda = 1 - 2 / (window + 1) (the EWMA whose centre of mass matches a `window`-day
// average), started from the plain variance of the first `window` returns. EWMA rather than a
// rolling window so that a large return leaving the window does not make the level jump down.
std::vector<std::pair<Date, double>> realized_vol_points(const Bars& source, int window) {
  std::vector<std::pair<Date, double>> out;
  std::vector<double> first;
  const double lambda = 1.0 - 2.0 / (window + 1.0);
  double variance = 0.0;
  for (std::size_t i = 1; i < source.size(); ++i) {
    const double a = source[i - 1].close, b = source[i].close;
    const double r = (std::isfinite(a) && std::isfinite(b) && a > 0 && b > 0) ? std::log(b / a) : 0.0;
    if (first.size() < static_cast<std::size_t>(window)) {
      first.push_back(r);
      if (first.size() < static_cast<std::size_t>(window)) continue;
      const double sd = sample_sd(first);
      variance = sd * sd;
    } else {
      variance = lambda * variance + (1.0 - lambda) * r * r;
    }
    out.emplace_back(source[i].date, 100.0 * std::sqrt(kSessionsPerYear * variance));
  }
  return out;
}

Result<SyntheticResult> generate_proxy(const CatalogSeries& s, const SyntheticRecipe& r, const SeriesLookup& lookup) {
  AF_ASSIGN_OR_RETURN(const Bars* source, need(lookup, r.source, s.id));
  AF_ASSIGN_OR_RETURN(const Bars* reference, need(lookup, r.level_reference, s.id));
  const auto raw = realized_vol_points(*source, r.window_days);
  auto raw_at = [&](Date d) -> double {
    auto it = std::upper_bound(raw.begin(), raw.end(), d,
                               [](Date x, const std::pair<Date, double>& p) { return x < p.first; });
    return it == raw.begin() ? kNoValue : std::prev(it)->second;
  };
  double sum_ref = 0, sum_raw = 0;
  int n = 0;
  for (const Bar& b : *reference) {
    const double x = raw_at(b.date);
    if (std::isfinite(b.close) && std::isfinite(x)) {
      sum_ref += b.close;
      sum_raw += x;
      ++n;
    }
  }
  if (n < 10 || sum_raw <= 0) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("synthetic series {}: level_reference {} overlaps the proxy on only {} dates", s.id,
                             r.level_reference, n)};
  }
  SyntheticResult out;
  out.proxy_scale = sum_ref / sum_raw;
  for (Date d : weekday_grid(r.start, r.end)) {
    const double x = raw_at(d);
    if (!std::isfinite(x)) continue;  // the window has not filled yet: no bar rather than a guess
    out.bars.push_back(Bar::close_only(d, out.proxy_scale * x));
  }
  SegmentCalibration cal;
  cal.driver = r.source;
  if (!out.bars.empty()) {
    cal.from = out.bars.front().date;
    cal.to = out.bars.back().date;
  }
  cal.basis = fmt::format("realized-vol proxy: {} x 100 x sqrt(252) x EWMA vol of {} log returns ({}-session "
                          "centre of mass); scale from {} ({} dates)",
                          out.proxy_scale, r.source, r.window_days, r.level_reference, n);
  out.segments.push_back(cal);
  return out;
}

}  // namespace

std::uint64_t fnv1a64(std::string_view text) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::vector<Date> weekday_grid(Date from, Date to) {
  std::vector<Date> out;
  for (Date d = from; !(to < d); d = d.add_days(1)) {
    if (!d.is_weekend()) out.push_back(d);
  }
  return out;
}

Result<PairStats> pair_stats(const std::vector<const Bars*>& a, const Bars& b, Date from, Date to) {
  if (a.empty()) return Error{ErrorCode::kInvalidArgument, "pair_stats: no target series"};
  std::vector<std::map<Date, double>> ra;
  for (const Bars* x : a) ra.push_back(log_returns(*x, from, to));
  const auto rb = log_returns(b, from, to);
  std::vector<double> xa, xb;
  for (const auto& [d, v] : rb) {
    double sum = 0;
    bool all = true;
    for (const auto& m : ra) {
      auto it = m.find(d);
      if (it == m.end()) {
        all = false;
        break;
      }
      sum += it->second;
    }
    if (!all) continue;
    xa.push_back(sum / static_cast<double>(ra.size()));
    xb.push_back(v);
  }
  if (xa.size() < 20) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("calibration window {}..{} has only {} common dates", from.iso(), to.iso(), xa.size())};
  }
  Moments m = moments(xa, xb);
  PairStats ps;
  ps.n = m.n;
  ps.vol_a = m.sd_a * std::sqrt(kSessionsPerYear);
  ps.vol_b = m.sd_b * std::sqrt(kSessionsPerYear);
  ps.corr = m.corr;
  return ps;
}

Result<SyntheticResult> generate_synthetic(const CatalogSeries& series, const SeriesLookup& lookup) {
  if (series.kind != SeriesKind::kSynthetic || !series.recipe) {
    return Error{ErrorCode::kInvalidArgument, fmt::format("series {} is not synthetic", series.id)};
  }
  const SyntheticRecipe& r = *series.recipe;
  return r.model == SyntheticModel::kFactor ? generate_factor(series, r, lookup) : generate_proxy(series, r, lookup);
}

}  // namespace af::marketdata
