#include "strategy/screen.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>

namespace af::strategy {
namespace {

double clip01(double x) { return std::clamp(x, 0.0, 1.0); }

struct PriceFactors {
  double momentum = 0.0, low_vol = 0.0, drawdown = 0.0;
};

// Returns nullopt (with reason) when the history is too short.
std::optional<PriceFactors> price_factors(std::span<const double> closes, int lookback, int skip,
                                          std::string& why) {
  if (static_cast<int>(closes.size()) < lookback + 1) {
    why = fmt::format("{} closes, the screen needs {}", closes.size(), lookback + 1);
    return std::nullopt;
  }
  const std::size_t n = closes.size();
  const double start = closes[n - 1 - lookback];
  const double skipped = closes[n - 1 - skip];
  const double last = closes[n - 1];
  PriceFactors f;
  f.momentum = clip01((skipped / start - 1.0 + 0.30) / 0.80);
  double sum = 0, sum2 = 0;
  // The high over closes[n-1-lookback .. n-1], in the same order as the sums (one pass: the
  // three dependency chains overlap).
  double high = std::max(0.0, closes[n - 1 - lookback]);
  for (std::size_t i = n - lookback; i < n; ++i) {
    const double r = closes[i] / closes[i - 1] - 1.0;
    sum += r;
    sum2 += r * r;
    high = std::max(high, closes[i]);
  }
  const double k = lookback;
  const double var = (sum2 - sum * sum / k) / (k - 1.0);
  const double vol = std::sqrt(std::max(var, 0.0) * 252.0);
  f.low_vol = 1.0 - clip01((vol - 0.10) / 0.50);
  f.drawdown = clip01(1.0 + (last / high - 1.0) / 0.5);
  return f;
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

// A scored name before selection; the factor map is built for the selected names only.
struct Candidate {
  const InstrumentId* instrument = nullptr;
  double composite = 0.0;
  PriceFactors price;
  // Fundamentals factors, when a row was used: quality and size (longs), zombie and sector (shorts).
  std::optional<std::pair<double, double>> fundamentals;
};

// The top n by composite, ties broken by instrument id, with their factors.
std::vector<ScreenScore> select_top(std::vector<Candidate>& candidates, int n, bool is_long) {
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.composite != b.composite) return a.composite > b.composite;
    return *a.instrument < *b.instrument;
  });
  if (static_cast<int>(candidates.size()) > n) candidates.resize(static_cast<std::size_t>(n));
  std::vector<ScreenScore> out;
  out.reserve(candidates.size());
  for (const Candidate& c : candidates) {
    ScreenScore sc{*c.instrument, c.composite,
                   {{"momentum", c.price.momentum}, {"low_vol", c.price.low_vol}, {"drawdown", c.price.drawdown}}};
    if (c.fundamentals) {
      sc.factors[is_long ? "quality" : "zombie"] = c.fundamentals->first;
      sc.factors[is_long ? "size" : "sector"] = c.fundamentals->second;
    }
    out.push_back(std::move(sc));
  }
  return out;
}

}  // namespace

ScreenResult run_screen(const config::Config& cfg, const MarketView& market, const Fundamentals* fundamentals) {
  const auto& ss = cfg.settings.strategy.single_name;
  ScreenResult result;
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
    std::optional<PriceFactors> pf;
    if (hist == market.closes.end()) why = "no close history";
    else pf = price_factors(hist->second, ss.momentum_lookback_days, ss.momentum_skip_days, why);
    if (!pf) {
      result.not_scored.emplace_back(inst->id, why);
      continue;
    }
    const FundamentalsRow* row = nullptr;
    if (fundamentals) {
      if (auto it = fundamentals->find(inst->id); it != fundamentals->end()) row = &it->second;
    }
    Candidate sc{&inst->id, 0.0, *pf, std::nullopt};
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
      } else {
        sc.composite = 0.5 * pf->momentum + 0.25 * pf->low_vol + 0.25 * pf->drawdown;
      }
      longs.push_back(sc);
    } else {
      if (row != nullptr) {
        const double z = zombie_score(*row), sec = sector_score(row->sector);
        sc.fundamentals = std::pair{z, sec};
        sc.composite = 0.5 * z + 0.3 * (1.0 - pf->momentum) + 0.2 * sec;
      } else {
        sc.composite = 0.5 * (1.0 - pf->momentum) + 0.25 * (1.0 - pf->low_vol) + 0.25 * (1.0 - pf->drawdown);
      }
      shorts.push_back(sc);
    }
  }
  result.longs = select_top(longs, ss.n_long, /*is_long=*/true);
  result.shorts = select_top(shorts, ss.n_short, /*is_long=*/false);
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
