#include "strategy/screen.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <sstream>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace af::strategy {
namespace {

double clip01(double x) { return std::clamp(x, 0.0, 1.0); }

// The momentum and drawdown factors and the window checks, without the volatility: O(lookback)
// compares and no division, so every name gets them. The low-vol factor (252 divisions in a
// dependent sum) is computed afterwards only for the names that can still be selected.
struct PartialFactors {
  double momentum = 0.0, drawdown = 0.0;
  // Every close of the window is in [1e-50, 1e50]: the returns, their sums and the variance are
  // then finite, so low_vol is a number in [0, 1] (the bounds used for pruning hold).
  bool bounded = false;
};

// Returns nullopt (with reason) when the history is too short.
std::optional<PartialFactors> partial_factors(std::span<const double> closes, int lookback, int skip,
                                              std::string& why) {
  if (static_cast<int>(closes.size()) < lookback + 1) {
    why = fmt::format(FMT_COMPILE("{} closes, the screen needs {}"), closes.size(), lookback + 1);
    return std::nullopt;
  }
  const std::size_t n = closes.size();
  const double start = closes[n - 1 - lookback];
  const double skipped = closes[n - 1 - skip];
  const double last = closes[n - 1];
  PartialFactors f;
  f.momentum = clip01((skipped / start - 1.0 + 0.30) / 0.80);
  // The high over closes[n-1-lookback .. n-1] (the original: max(0, first), then max with each).
  // One pass keeps the window's max, min and sum in four independent lanes (the compiler
  // vectorises them; std::max/min skip a NaN close, which makes the sum NaN). The window is
  // bounded when min >= 1e-50, max <= 1e50 and the sum is not NaN (no NaN close); the max then
  // does not depend on the scan order. Otherwise the original sequential scan gives the high.
  const double* w = closes.data() + (n - 1 - lookback);
  const std::size_t len = static_cast<std::size_t>(lookback) + 1;
  double high, low, sum;
  double hi[4] = {w[0], w[0], w[0], w[0]}, lo[4] = {w[0], w[0], w[0], w[0]}, sums[4] = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 4 <= len; i += 4) {
    for (int k = 0; k < 4; ++k) {
      const double x = w[i + k];
      hi[k] = std::max(hi[k], x);
      lo[k] = std::min(lo[k], x);
      sums[k] += x;
    }
  }
  for (; i < len; ++i) {
    hi[0] = std::max(hi[0], w[i]);
    lo[0] = std::min(lo[0], w[i]);
    sums[0] += w[i];
  }
  high = std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3]));
  low = std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3]));
  sum = sums[0] + sums[1] + sums[2] + sums[3];
  const bool bounded = low >= 1e-50 && high <= 1e50 && !std::isnan(sum);
  if (!bounded) {
    high = std::max(0.0, w[0]);
    for (std::size_t j = 1; j < len; ++j) high = std::max(high, w[j]);
  }
  f.drawdown = clip01(1.0 + (last / high - 1.0) / 0.5);
  f.bounded = bounded;
  return f;
}

// 1 - clip((annualised vol of the daily returns over the lookback - 0.10) / 0.50), the returns
// summed oldest first (the order fixes the rounding), for up to kLanes names at once: each name's
// sums are their own dependency chain, so running several side by side hides the add latency
// (each lane performs exactly the scalar sequence of operations).
constexpr std::size_t kLanes = 4;
void low_vol_factors(std::span<const std::span<const double>> names, int lookback, std::span<double> out) {
  const std::size_t lanes = names.size();
  double sum[kLanes] = {}, sum2[kLanes] = {};
  // The returns in chunks: independent divisions first (vectorised), then the ordered sums.
  constexpr std::size_t kChunk = 64;
  double r[kLanes][kChunk] = {};
  const std::size_t len = static_cast<std::size_t>(lookback);
  for (std::size_t first = 0; first < len; first += kChunk) {
    const std::size_t m = std::min(kChunk, len - first);
    for (std::size_t k = 0; k < lanes; ++k) {
      const double* c = names[k].data() + (names[k].size() - len + first);
      for (std::size_t j = 0; j < m; ++j) r[k][j] = c[j] / c[j - 1] - 1.0;
    }
    for (std::size_t j = 0; j < m; ++j) {
      for (std::size_t k = 0; k < kLanes; ++k) {  // unused lanes add zeros, never read
        sum[k] += r[k][j];
        sum2[k] += r[k][j] * r[k][j];
      }
    }
  }
  for (std::size_t k = 0; k < lanes; ++k) {
    const double n = lookback;
    const double var = (sum2[k] - sum[k] * sum[k] / n) / (n - 1.0);
    const double vol = std::sqrt(std::max(var, 0.0) * 252.0);
    out[k] = 1.0 - clip01((vol - 0.10) / 0.50);
  }
}

double low_vol_factor(std::span<const double> closes, int lookback) {
  double out = 0.0;
  low_vol_factors({&closes, 1}, lookback, {&out, 1});
  return out;
}

double quality_score(const FundamentalsRow& r) {
  double q = 0;
  if (r.roe) q += *r.roe > 0.25 ? 0.25 : *r.roe > 0.15 ? 0.20 : *r.roe > 0.10 ? 0.10 : 0.0;
  if (r.debt_to_equity) {
    const double de = *r.debt_to_equity;
    q += de < 0.5 ? 0.25 : de < 1.0 ? 0.20 : de < 1.5 ? 0.10 : 0.0;
  }
  if (r.earnings_growth) {
    const double g = *r.earnings_growth;
    q += g > 0.20 ? 0.25 : g > 0.10 ? 0.20 : g > 0 ? 0.10 : 0.0;
  }
  if (r.free_cash_flow_usd && *r.free_cash_flow_usd > 0) q += 0.25;
  return q;
}

double size_score(const FundamentalsRow& r) {
  if (!r.market_cap_usd) return 0.3;
  const double c = *r.market_cap_usd;
  return c >= 500e9 ? 1.0 : c >= 200e9 ? 0.9 : c >= 100e9 ? 0.8 : c >= 50e9 ? 0.7 : c >= 20e9 ? 0.5 : 0.3;
}

double zombie_score(const FundamentalsRow& r) {
  double z = 0;
  if (r.debt_to_equity) z += *r.debt_to_equity > 2.0 ? 0.30 : *r.debt_to_equity > 1.5 ? 0.20 : *r.debt_to_equity > 1.0 ? 0.10 : 0.0;
  if (r.revenue_growth) z += *r.revenue_growth < -0.10 ? 0.30 : *r.revenue_growth < 0 ? 0.20 : *r.revenue_growth < 0.05 ? 0.10 : 0.0;
  if (r.operating_margin) z += *r.operating_margin < 0 ? 0.25 : *r.operating_margin < 0.05 ? 0.15 : *r.operating_margin < 0.10 ? 0.10 : 0.0;
  if (r.roe) z += *r.roe < 0 ? 0.15 : *r.roe < 0.05 ? 0.10 : 0.0;
  return z;
}

double sector_score(const std::string& sector) {
  static const char* preferred[] = {"Financial Services", "Banks", "Automotive", "Auto Manufacturers", "Utilities",
                                    "Industrials", "Basic Materials", "Energy"};
  static const char* avoided[] = {"Luxury Goods", "Technology", "Consumer Cyclical"};
  for (const char* p : preferred) if (sector == p) return 1.0;
  for (const char* a : avoided) if (sector == a) return 0.2;
  return 0.5;
}

// Composites without fundamentals (the expressions fix the rounding; both are monotone in
// low_vol: non-decreasing for longs, non-increasing for shorts, as IEEE + and x by a positive
// constant are monotone).
double long_composite(double momentum, double low_vol, double drawdown) {
  return 0.5 * momentum + 0.25 * low_vol + 0.25 * drawdown;
}
double short_composite(double momentum, double low_vol, double drawdown) {
  return 0.5 * (1.0 - momentum) + 0.25 * (1.0 - low_vol) + 0.25 * (1.0 - drawdown);
}

// A scored name before selection; the factor map is built for the selected names only.
struct Candidate {
  const InstrumentId* instrument = nullptr;
  std::span<const double> closes;
  PartialFactors price;
  std::optional<double> low_vol;  // computed when needed (ranking, or a selected name's factors)
  // The composite when known; before that, `low`/`high` bound it (low_vol in [0, 1]).
  std::optional<double> composite;
  double low = 0.0, high = 0.0;
  // Fundamentals factors, when a row was used: quality and size (longs), zombie and sector (shorts).
  std::optional<std::pair<double, double>> fundamentals;
  bool out_of_reach = false;  // cannot be in the top n (rank_candidates)
};

// Computes the remaining composites (low_vol) for candidates[pending], kLanes names at a time.
void compute_composites(std::span<Candidate* const> pending, bool is_long, int lookback) {
  for (std::size_t first = 0; first < pending.size(); first += kLanes) {
    const std::size_t lanes = std::min(kLanes, pending.size() - first);
    std::span<const double> closes[kLanes];
    double low_vol[kLanes];
    for (std::size_t k = 0; k < lanes; ++k) closes[k] = pending[first + k]->closes;
    low_vol_factors({closes, lanes}, lookback, {low_vol, lanes});
    for (std::size_t k = 0; k < lanes; ++k) {
      Candidate& c = *pending[first + k];
      c.low_vol = low_vol[k];
      c.composite = is_long ? long_composite(c.price.momentum, *c.low_vol, c.price.drawdown)
                            : short_composite(c.price.momentum, *c.low_vol, c.price.drawdown);
    }
  }
}

// Drops the candidates that cannot be in the top n, giving every remaining one its exact
// composite. Candidates are visited by decreasing lower bound while the n best exact composites
// found so far are kept; a candidate whose upper bound is below the n-th best of them is dropped:
// n others rank before it whatever its volatility is. Any NaN bound (a non-finite window): no
// pruning, every composite computed, as the full definition.
void rank_candidates(std::vector<Candidate>& candidates, std::size_t n, bool is_long, int lookback) {
  bool all_numbers = true;
  for (const Candidate& c : candidates) all_numbers &= !std::isnan(c.low) && !std::isnan(c.high);
  std::vector<Candidate*> order;
  order.reserve(candidates.size());
  for (Candidate& c : candidates) order.push_back(&c);
  if (!all_numbers || n == 0 || candidates.size() <= n) {
    std::erase_if(order, [](const Candidate* c) { return c->composite.has_value(); });
    compute_composites(order, is_long, lookback);
    return;
  }
  std::sort(order.begin(), order.end(), [](const Candidate* a, const Candidate* b) { return a->low > b->low; });
  std::priority_queue<double, std::vector<double>, std::greater<>> best;  // the n best exact composites
  auto record = [&](double composite) {
    if (best.size() < n) best.push(composite);
    else if (composite > best.top()) {
      best.pop();
      best.push(composite);
    }
  };
  auto beaten_n_times = [&](const Candidate* c) { return best.size() == n && c->high < best.top(); };
  std::size_t next = 0;
  while (next < order.size()) {
    Candidate* batch[kLanes];
    std::size_t lanes = 0;
    while (lanes < kLanes && next < order.size()) {
      Candidate* c = order[next++];
      if (beaten_n_times(c)) {
        c->out_of_reach = true;
      } else if (c->composite) {
        record(*c->composite);
      } else {
        batch[lanes++] = c;
      }
    }
    compute_composites({batch, lanes}, is_long, lookback);
    for (std::size_t k = 0; k < lanes; ++k) record(*batch[k]->composite);
  }
  std::erase_if(candidates, [](const Candidate& c) { return c.out_of_reach; });
}

// The top n by composite, ties broken by instrument id, with their factors.
std::vector<ScreenScore> select_top(std::vector<Candidate>& candidates, int n, bool is_long, int lookback) {
  rank_candidates(candidates, static_cast<std::size_t>(std::max(n, 0)), is_long, lookback);
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (*a.composite != *b.composite) return *a.composite > *b.composite;
    return *a.instrument < *b.instrument;
  });
  if (static_cast<int>(candidates.size()) > n) candidates.resize(static_cast<std::size_t>(n));
  std::vector<ScreenScore> out;
  out.reserve(candidates.size());
  for (Candidate& c : candidates) {
    if (!c.low_vol) c.low_vol = low_vol_factor(c.closes, lookback);
    ScreenScore sc{*c.instrument, *c.composite, {c.price.momentum, *c.low_vol, c.price.drawdown, {}, {}, {}, {}}};
    if (c.fundamentals) {
      (is_long ? sc.factors.quality : sc.factors.zombie) = c.fundamentals->first;
      (is_long ? sc.factors.size : sc.factors.sector) = c.fundamentals->second;
    }
    out.push_back(std::move(sc));
  }
  return out;
}

}  // namespace

ScreenResult run_screen(const config::Config& cfg, const MarketView& market, const Fundamentals* fundamentals) {
  const auto& ss = cfg.settings.strategy.single_name;
  const int lookback = ss.momentum_lookback_days;
  ScreenResult result;
  result.as_of = market.as_of;
  std::vector<Candidate> longs, shorts;
  for (const config::Instrument* inst : cfg.instruments.by_sleeve(config::Sleeve::kSingleName)) {
    if (!inst->tradeable) continue;
    const bool is_long_candidate = inst->contract.currency == Currency::USD;
    if (!market.price(inst->id)) {
      result.not_scored.emplace_back(inst->id, market.why_unusable(inst->id));
      continue;
    }
    auto hist = market.closes.find(inst->id);
    std::string why;
    std::optional<PartialFactors> pf;
    if (hist == market.closes.end()) why = "no close history";
    else pf = partial_factors(hist->second, lookback, ss.momentum_skip_days, why);
    if (!pf) {
      result.not_scored.emplace_back(inst->id, std::move(why));
      continue;
    }
    const FundamentalsRow* row = nullptr;
    if (fundamentals) {
      if (auto it = fundamentals->find(inst->id); it != fundamentals->end()) row = &it->second;
    }
    Candidate sc{&inst->id, hist->second, *pf, std::nullopt, std::nullopt, 0.0, 0.0, std::nullopt, false};
    // A window with a close outside [1e-50, 1e50] gets its exact factors now (no bounds).
    if (!pf->bounded) sc.low_vol = low_vol_factor(sc.closes, lookback);
    if (is_long_candidate) {
      if (row != nullptr) {
        if ((row->market_cap_usd && *row->market_cap_usd < ss.min_market_cap_usd) ||
            (row->avg_dollar_volume_usd && *row->avg_dollar_volume_usd < ss.min_dollar_volume_usd)) {
          result.not_scored.emplace_back(inst->id, "below the market-cap or dollar-volume filter");
          continue;
        }
        const double q = quality_score(*row), size = size_score(*row);
        sc.fundamentals = std::pair{q, size};
        sc.composite = 0.5 * q + 0.3 * pf->momentum + 0.2 * size;
      } else if (sc.low_vol) {
        sc.composite = long_composite(pf->momentum, *sc.low_vol, pf->drawdown);
      } else {
        sc.low = long_composite(pf->momentum, 0.0, pf->drawdown);
        sc.high = long_composite(pf->momentum, 1.0, pf->drawdown);
      }
      if (sc.composite) sc.low = sc.high = *sc.composite;
      longs.push_back(sc);
    } else {
      if (row != nullptr) {
        const double z = zombie_score(*row), sec = sector_score(row->sector);
        sc.fundamentals = std::pair{z, sec};
        sc.composite = 0.5 * z + 0.3 * (1.0 - pf->momentum) + 0.2 * sec;
      } else if (sc.low_vol) {
        sc.composite = short_composite(pf->momentum, *sc.low_vol, pf->drawdown);
      } else {
        sc.low = short_composite(pf->momentum, 1.0, pf->drawdown);
        sc.high = short_composite(pf->momentum, 0.0, pf->drawdown);
      }
      if (sc.composite) sc.low = sc.high = *sc.composite;
      shorts.push_back(sc);
    }
  }
  result.longs = select_top(longs, ss.n_long, /*is_long=*/true, lookback);
  result.shorts = select_top(shorts, ss.n_short, /*is_long=*/false, lookback);
  return result;
}

Result<Fundamentals> parse_fundamentals_csv(std::string_view text, std::string_view label,
                                            const config::InstrumentUniverse& universe) {
  static const std::vector<std::string> kColumns = {
      "instrument", "market_cap_usd", "avg_dollar_volume_usd", "roe", "debt_to_equity", "earnings_growth",
      "revenue_growth", "free_cash_flow_usd", "operating_margin", "sector"};
  Fundamentals out;
  std::istringstream in{std::string(text)};
  std::string line;
  int line_no = 0;
  auto split = [](const std::string& s) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream ls(s);
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    if (!s.empty() && s.back() == ',') cells.emplace_back();
    return cells;
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto cells = split(line);
    if (line_no == 1) {
      if (cells != kColumns) {
        return Error{ErrorCode::kInvalidArgument,
                     fmt::format("{}:1: header must be exactly: {}", label, fmt::join(kColumns, ","))};
      }
      continue;
    }
    if (cells.size() != kColumns.size()) {
      return Error{ErrorCode::kInvalidArgument, fmt::format("{}:{}: expected {} cells, got {}", label, line_no,
                                                            kColumns.size(), cells.size())};
    }
    InstrumentId id(cells[0]);
    if (!universe.contains(id)) {
      return Error{ErrorCode::kInvalidArgument,
                   fmt::format("{}:{}: column instrument: unknown instrument '{}'", label, line_no, cells[0])};
    }
    FundamentalsRow row;
    std::optional<double>* fields[] = {&row.market_cap_usd, &row.avg_dollar_volume_usd, &row.roe,
                                       &row.debt_to_equity, &row.earnings_growth, &row.revenue_growth,
                                       &row.free_cash_flow_usd, &row.operating_margin};
    for (std::size_t c = 1; c <= 8; ++c) {
      if (cells[c].empty()) continue;
      char* end = nullptr;
      const double v = std::strtod(cells[c].c_str(), &end);
      if (end == cells[c].c_str() || *end != '\0' || !std::isfinite(v)) {
        return Error{ErrorCode::kInvalidArgument, fmt::format("{}:{}: column {}: expected a number, got '{}'",
                                                              label, line_no, kColumns[c], cells[c])};
      }
      *fields[c - 1] = v;
    }
    row.sector = cells[9];
    out[id] = row;
  }
  return out;
}

}  // namespace af::strategy
