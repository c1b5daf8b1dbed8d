#include "risk/tail_risk.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

namespace af::risk {
namespace {

Result<std::vector<double>> window_of(std::span<const double> returns, const TailRiskParams& p,
                                      const char* what) {
  if (!(p.confidence > 0.0 && p.confidence < 1.0)) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("{}: confidence {} must be in (0, 1), e.g. 0.95", what, p.confidence)};
  }
  if (p.window_days < 1) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("{}: window {} days must be >= 1", what, p.window_days)};
  }
  std::vector<double> finite;
  finite.reserve(returns.size());
  for (double r : returns) {
    if (std::isfinite(r)) finite.push_back(r);
  }
  const std::size_t w = std::min(finite.size(), static_cast<std::size_t>(p.window_days));
  std::vector<double> window(finite.end() - static_cast<std::ptrdiff_t>(w), finite.end());
  if (static_cast<int>(window.size()) < std::max(p.min_observations, 2)) {
    return Error{ErrorCode::kDataQuality,
                 fmt::format("{}: {} finite daily returns, at least {} needed; not reported until "
                             "the history is longer",
                             what, window.size(), std::max(p.min_observations, 2))};
  }
  return window;
}

}  // namespace

Result<TailRisk> historical_var_es(std::span<const double> returns, const TailRiskParams& p) {
  AF_ASSIGN_OR_RETURN(std::vector<double> x, window_of(returns, p, "historical VaR"));
  std::sort(x.begin(), x.end());
  // Quantile with linear interpolation (numpy default). Hand-written: a sort and two lines.
  const double h = static_cast<double>(x.size() - 1) * (1.0 - p.confidence);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  const double q = x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
  double tail_sum = 0.0;
  int tail_n = 0;
  for (double r : x) {
    if (r <= q) {
      tail_sum += r;
      ++tail_n;
    }
  }
  TailRisk t;
  t.method = TailMethod::kHistorical;
  t.confidence = p.confidence;
  t.var = -q;
  t.expected_shortfall = -tail_sum / tail_n;  // tail_n >= 1: x[0] <= q
  t.observations = static_cast<int>(x.size());
  return t;
}

Result<TailRisk> parametric_var_es(std::span<const double> returns, const TailRiskParams& p) {
  AF_ASSIGN_OR_RETURN(std::vector<double> x, window_of(returns, p, "parametric VaR"));
  double mu = 0.0;
  for (double r : x) mu += r;
  mu /= static_cast<double>(x.size());
  double ss = 0.0;
  for (double r : x) ss += (r - mu) * (r - mu);
  const double sigma = std::sqrt(ss / static_cast<double>(x.size() - 1));
  if (!(sigma > 1e-12)) {  // below this the sd is rounding noise of constant returns
    return Error{ErrorCode::kDataQuality,
                 "parametric VaR: the returns have zero dispersion; the normal model is undefined"};
  }
  const boost::math::normal standard_normal;
  const double z = boost::math::quantile(standard_normal, p.confidence);
  TailRisk t;
  t.method = TailMethod::kParametricNormal;
  t.confidence = p.confidence;
  t.var = z * sigma - mu;
  t.expected_shortfall = sigma * boost::math::pdf(standard_normal, z) / (1.0 - p.confidence) - mu;
  t.observations = static_cast<int>(x.size());
  return t;
}

const char* to_string(TailMethod m) noexcept {
  switch (m) {
    case TailMethod::kHistorical: return "historical";
    case TailMethod::kParametricNormal: return "parametric_normal";
  }
  return "unknown";
}

}  // namespace af::risk
