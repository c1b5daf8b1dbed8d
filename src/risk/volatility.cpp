#include "risk/volatility.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "core/check.hpp"

namespace af::risk {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A daily sd below this is rounding noise (constant returns give ~1e-17), not a volatility.
constexpr double kMinMeaningfulDailySd = 1e-12;

double annualisation() { return std::sqrt(static_cast<double>(kTradingDaysPerYear)); }

// Sample standard deviation (n − 1), two-pass. Hand-written: a dozen lines, and the windows are
// tiny; nullopt when it is undefined, NaN or not positive.
std::optional<double> sample_sd(std::span<const double> x) {
  if (x.size() < 2) return std::nullopt;
  double mean = 0.0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / static_cast<double>(x.size() - 1));
  if (!std::isfinite(sd) || sd <= kMinMeaningfulDailySd) return std::nullopt;
  return sd;
}

// Original realized_vol(returns, window) without its fallback: the annualised sample sd of the
// last min(window, n) returns, nullopt when n < min_obs or the sd is degenerate.
std::optional<double> original_window_vol(std::span<const double> r, int window, int min_obs) {
  if (r.size() < static_cast<std::size_t>(min_obs)) return std::nullopt;
  const std::size_t w = std::min<std::size_t>(static_cast<std::size_t>(window), r.size());
  auto sd = sample_sd(r.last(w));
  if (!sd) return std::nullopt;
  return *sd * annualisation();
}

// Zero-mean EWMA: seed = mean of the squares of the first `seed` returns, then
// var_t = λ·var_{t−1} + (1 − λ)·r_t² over the remaining returns.
std::optional<double> ewma_vol(std::span<const double> r, double lambda, int seed) {
  if (seed < 1 || r.size() < static_cast<std::size_t>(seed)) return std::nullopt;
  double var = 0.0;
  for (int i = 0; i < seed; ++i) var += r[i] * r[i];
  var /= seed;
  for (std::size_t i = static_cast<std::size_t>(seed); i < r.size(); ++i) {
    var = lambda * var + (1.0 - lambda) * r[i] * r[i];
  }
  const double sd = std::sqrt(var);
  if (!std::isfinite(sd) || sd <= kMinMeaningfulDailySd) return std::nullopt;
  return sd * annualisation();
}

}  // namespace

VolEstimate estimate_volatility(std::span<const double> daily_returns,
                                const VolEstimatorParams& p) {
  VolEstimate e;
  e.method = p.method;
  e.short_window_annual_vol = kNaN;
  e.long_window_annual_vol = kNaN;
  for (double v : daily_returns) e.dropped_non_finite += std::isfinite(v) ? 0 : 1;
  // The finite returns: the input itself when all are (the usual case: no copy), else a copy.
  std::vector<double> finite;
  std::span<const double> r = daily_returns;
  if (e.dropped_non_finite > 0) {
    finite.reserve(daily_returns.size());
    for (double v : daily_returns) {
      if (std::isfinite(v)) finite.push_back(v);
    }
    r = finite;
  }
  const int n = static_cast<int>(r.size());
  e.observations = n;

  std::optional<double> estimate;
  if (n < p.min_observations) {
    e.branch = VolBranch::kPriorInsufficientHistory;
  } else if (p.method == VolMethod::kOriginalShortLong) {
    // Original §3.3.9 step 2, with each window falling back to the prior as the original's
    // realized_vol fell back to the target.
    auto v_short = original_window_vol(r, p.short_window_days, p.min_observations);
    auto v_long = original_window_vol(r, p.long_window_days, p.min_observations);
    e.short_window_annual_vol = v_short.value_or(p.prior_vol_annual);
    e.long_window_annual_vol = v_long.value_or(p.prior_vol_annual);
    if (e.short_window_annual_vol < p.vol_switch_ratio * e.long_window_annual_vol) {
      e.branch = VolBranch::kShortWindow;
      estimate = v_short;
    } else {
      e.branch = VolBranch::kLongWindow;
      estimate = v_long;
    }
    if (!estimate) e.branch = VolBranch::kPriorDegenerate;
  } else {
    estimate = ewma_vol(r, p.ewma_lambda, p.min_observations);
    e.branch = estimate ? VolBranch::kEwma : VolBranch::kPriorDegenerate;
  }

  double var;
  if (!estimate) {
    e.estimator_annual_vol = p.prior_vol_annual;
    e.prior_weight = 1.0;
    var = p.prior_vol_annual * p.prior_vol_annual;
  } else {
    e.estimator_annual_vol = *estimate;
    e.prior_weight = (p.burn_in_observations > 0 && n < p.burn_in_observations)
                         ? 1.0 - static_cast<double>(n) / p.burn_in_observations
                         : 0.0;
    var = (1.0 - e.prior_weight) * *estimate * *estimate +
          e.prior_weight * p.prior_vol_annual * p.prior_vol_annual;
  }
  double vol = std::sqrt(var);
  if (vol < p.floor_vol_annual) {
    vol = p.floor_vol_annual;
    e.floored = true;
  }
  if (vol > p.cap_vol_annual) {
    vol = p.cap_vol_annual;
    e.capped = true;
  }
  AF_CHECK(std::isfinite(vol) && vol > 0.0, "volatility estimate must be positive and finite");
  e.annual_vol = vol;
  return e;
}

double vol_target_scaling(double realized_annual_vol, double target_annual_vol,
                          double gross_leverage_max) {
  if (!std::isfinite(realized_annual_vol) || realized_annual_vol <= 0.0) return 1.0;
  const double ratio = target_annual_vol / realized_annual_vol;
  if (!std::isfinite(ratio)) return 1.0;
  return std::min(ratio, gross_leverage_max);
}

std::string VolEstimate::describe() const {
  std::string text;
  switch (branch) {
    case VolBranch::kPriorInsufficientHistory:
      text = fmt::format(FMT_COMPILE("prior {:.2f}% ({} returns < minimum)"), 100 * estimator_annual_vol,
                         observations);
      break;
    case VolBranch::kPriorDegenerate:
      text = fmt::format(FMT_COMPILE("prior {:.2f}% ({} estimate degenerate over {} returns)"),
                         100 * estimator_annual_vol, to_string(method), observations);
      break;
    case VolBranch::kShortWindow:
    case VolBranch::kLongWindow:
      text = fmt::format(FMT_COMPILE("{} {} window over {} returns: {:.2f}% (short {:.2f}%, long {:.2f}%)"),
                         to_string(method), to_string(branch), observations,
                         100 * estimator_annual_vol, 100 * short_window_annual_vol,
                         100 * long_window_annual_vol);
      break;
    case VolBranch::kEwma:
      text = fmt::format(FMT_COMPILE("ewma over {} returns: {:.2f}%"), observations, 100 * estimator_annual_vol);
      break;
  }
  if (prior_weight > 0.0 && prior_weight < 1.0) {
    text += fmt::format(FMT_COMPILE("; blended with the prior at weight {:.2f}"), prior_weight);
  }
  if (floored) text += "; raised to the floor";
  if (capped) text += "; lowered to the cap";
  if (dropped_non_finite > 0) text += fmt::format(FMT_COMPILE("; {} non-finite returns dropped"), dropped_non_finite);
  text += fmt::format(FMT_COMPILE(" -> {:.2f}%"), 100 * annual_vol);
  return text;
}

const char* to_string(VolMethod m) noexcept {
  switch (m) {
    case VolMethod::kOriginalShortLong: return "original_20_60";
    case VolMethod::kEwma: return "ewma";
  }
  return "unknown";
}

const char* to_string(VolBranch b) noexcept {
  switch (b) {
    case VolBranch::kPriorInsufficientHistory: return "prior_insufficient_history";
    case VolBranch::kPriorDegenerate: return "prior_degenerate";
    case VolBranch::kShortWindow: return "short_window";
    case VolBranch::kLongWindow: return "long_window";
    case VolBranch::kEwma: return "ewma";
  }
  return "unknown";
}

}  // namespace af::risk
