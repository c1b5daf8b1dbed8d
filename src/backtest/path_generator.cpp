#include "backtest/path_generator.hpp"

#include <algorithm>
#include <cmath>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <fmt/format.h>

#include "backtest/fast_rng.hpp"
#include "core/check.hpp"
#include "marketdata/quality.hpp"
#include "marketdata/readiness.hpp"

namespace af::backtest {

std::string_view to_string(PathModel m) { return m == PathModel::kGaussian ? "gaussian" : "bootstrap"; }

Result<PathModel> parse_path_model(std::string_view text) {
  if (text == "bootstrap") return PathModel::kBootstrap;
  if (text == "gaussian") return PathModel::kGaussian;
  return Error{ErrorCode::kInvalidArgument, fmt::format("unknown path model '{}': use bootstrap or gaussian", text)};
}

int warmup_bars_for(const config::Settings& settings) {
  const marketdata::QualityThresholds t = marketdata::thresholds_from(settings.data_quality);
  return std::max({t.lookback_sessions, 260, settings.momentum.long_window_days + 60}) + 5;
}

namespace {

// The last finite positive close on or before each date of `dates` (NaN when none), walking the
// ascending bars once.
std::vector<double> forward_filled_closes(const marketdata::Bars& bars, const std::vector<Date>& dates) {
  std::vector<double> out(dates.size(), std::nan(""));
  std::size_t j = 0;
  double last = std::nan("");
  for (std::size_t i = 0; i < dates.size(); ++i) {
    while (j < bars.size() && bars[j].date <= dates[i]) {
      if (std::isfinite(bars[j].close) && bars[j].close > 0) last = bars[j].close;
      ++j;
    }
    out[i] = last;
  }
  return out;
}

}  // namespace

Result<PathCalibration> calibrate_paths(const config::Config& config, const strategy::MarketHistory& history,
                                        const PathModelOptions& options) {
  if (options.block_days < 1) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("block length {} must be at least 1 (backtest.monte_carlo.block_bootstrap_days)",
                             options.block_days)};
  }
  const InstrumentId& us = config.settings.strategy.core_index_rv.us_long;
  const strategy::SeriesData* core = history.series_of(us);
  auto last = history.last_date();
  if (core == nullptr || !last) {
    return Error{ErrorCode::kNotFound,
                 fmt::format("the core US instrument '{}' has no bars: import the data first "
                             "(abstractfinance data import --bundled)", us.str())};
  }
  PathCalibration cal;
  cal.start = *last;
  cal.options = options;
  if (cal.options.warmup_bars <= 0) cal.options.warmup_bars = warmup_bars_for(config.settings);
  const int max_age = marketdata::thresholds_from(config.settings.data_quality).max_age_sessions;

  std::vector<Date> calendar;
  for (const auto& b : core->bars) {
    if (b.date <= cal.start && std::isfinite(b.close)) calendar.push_back(b.date);
  }
  std::vector<std::vector<double>> closes;  // per simulated series, on `calendar`
  for (const auto& [id, sd] : history.series()) {
    auto idx = marketdata::index_at_or_before(sd.bars, cal.start);
    const bool live = idx && marketdata::weekday_sessions_between(sd.bars[*idx].date, cal.start) <= max_age;
    if (!live) {
      cal.frozen.push_back(id);
      continue;
    }
    cal.simulated.push_back(id);
    if (sd.info.kind == marketdata::SeriesKind::kReal) ++cal.real_series_simulated;
    closes.push_back(forward_filled_closes(sd.bars, calendar));
  }
  const std::size_t n = cal.simulated.size();
  // First calendar index from which every simulated series has a close.
  std::size_t first = 0;
  for (const auto& c : closes) {
    std::size_t k = 0;
    while (k < c.size() && !std::isfinite(c[k])) ++k;
    first = std::max(first, k);
  }
  const std::size_t min_rows = std::max<std::size_t>({2 * n, static_cast<std::size_t>(options.block_days), 60});
  if (calendar.size() < first + 1 + min_rows) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("too little common history to calibrate simulated paths: {} daily return rows for "
                             "{} series (need at least {}); import longer series",
                             calendar.size() > first + 1 ? calendar.size() - first - 1 : 0, n, min_rows)};
  }
  cal.rows = calendar.size() - first - 1;
  cal.rows_from = calendar[first + 1];
  cal.rows_to = calendar.back();
  cal.log_returns.resize(cal.rows * n);
  for (std::size_t s = 0; s < n; ++s) {
    for (std::size_t r = 0; r < cal.rows; ++r) {
      const std::size_t i = first + 1 + r;
      cal.log_returns[r * n + s] = std::log(closes[s][i] / closes[s][i - 1]);
    }
  }
  // Mean and sample covariance of the rows.
  const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> x(
      cal.log_returns.data(), static_cast<Eigen::Index>(cal.rows), static_cast<Eigen::Index>(n));
  cal.mean = x.colwise().mean().transpose();
  const Eigen::MatrixXd centered = x.rowwise() - cal.mean.transpose();
  const Eigen::MatrixXd cov = (centered.transpose() * centered) / static_cast<double>(cal.rows - 1);
  Eigen::LLT<Eigen::MatrixXd> llt(cov);
  if (llt.info() == Eigen::Success) {
    cal.factor = llt.matrixL();
  } else {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    const Eigen::VectorXd root = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
    cal.factor = eig.eigenvectors() * root.asDiagonal();
    cal.covariance_clipped = true;
  }
  return cal;
}

std::vector<Date> simulated_dates(Date start, int days) {
  std::vector<Date> out;
  out.reserve(static_cast<std::size_t>(std::max(days, 0)));
  for (Date d = start.add_days(1); static_cast<int>(out.size()) < days; d = d.add_days(1)) {
    if (!d.is_weekend()) out.push_back(d);
  }
  return out;
}

void simulate_log_returns(const PathCalibration& cal, std::uint64_t seed, std::uint64_t path, int days,
                          std::vector<double>& out) {
  const std::size_t n = cal.simulated.size();
  const std::size_t d = static_cast<std::size_t>(std::max(days, 0));
  out.resize(d * n);
  Xoshiro256pp rng(seed, path);
  if (cal.options.model == PathModel::kBootstrap) {
    const std::size_t block = std::min<std::size_t>(static_cast<std::size_t>(cal.options.block_days), cal.rows);
    boost::random::uniform_int_distribution<std::size_t> start_row(0, cal.rows - block);
    for (std::size_t t = 0; t < d;) {
      const std::size_t from = start_row(rng);
      const std::size_t take = std::min(block, d - t);
      std::copy_n(cal.log_returns.begin() + static_cast<std::ptrdiff_t>(from * n), take * n,
                  out.begin() + static_cast<std::ptrdiff_t>(t * n));
      t += take;
    }
    return;
  }
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  Eigen::MatrixXd z(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));  // column t = day t
  for (Eigen::Index t = 0; t < z.cols(); ++t) {
    for (Eigen::Index s = 0; s < z.rows(); ++s) z(s, t) = normal(rng);
  }
  Eigen::Map<Eigen::MatrixXd> r(out.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  r.noalias() = cal.factor * z;
  r.colwise() += cal.mean;
}

std::map<std::string, strategy::SeriesData> simulated_market(const strategy::MarketHistory& history,
                                                             const PathCalibration& cal,
                                                             std::span<const double> log_returns,
                                                             const std::vector<Date>& dates) {
  AF_CHECK(log_returns.size() == dates.size() * cal.simulated.size(),
           "simulated returns do not match the dates and series of the calibration");
  const std::size_t n = cal.simulated.size();
  std::map<std::string, strategy::SeriesData> out;
  for (const auto& [id, sd] : history.series()) {
    strategy::SeriesData copy;
    copy.info = sd.info;
    auto idx = marketdata::index_at_or_before(sd.bars, cal.start);
    const std::size_t end = idx ? *idx + 1 : 0;
    const std::size_t begin = end > static_cast<std::size_t>(cal.options.warmup_bars)
                                  ? end - static_cast<std::size_t>(cal.options.warmup_bars)
                                  : 0;
    auto col = std::lower_bound(cal.simulated.begin(), cal.simulated.end(), id);
    const bool simulated = col != cal.simulated.end() && *col == id;
    copy.bars.reserve(end - begin + (simulated ? dates.size() : 0));
    copy.bars.assign(sd.bars.begin() + static_cast<std::ptrdiff_t>(begin),
                     sd.bars.begin() + static_cast<std::ptrdiff_t>(end));
    if (simulated) {
      const std::size_t s = static_cast<std::size_t>(col - cal.simulated.begin());
      double close = std::nan("");
      for (auto it = copy.bars.rbegin(); it != copy.bars.rend(); ++it) {
        if (std::isfinite(it->close) && it->close > 0) {
          close = it->close;
          break;
        }
      }
      for (std::size_t t = 0; t < dates.size(); ++t) {
        marketdata::Bar b;
        b.date = dates[t];
        b.open = close;
        close *= std::exp(log_returns[t * n + s]);
        b.close = close;
        b.high = std::max(b.open, b.close);
        b.low = std::min(b.open, b.close);
        b.volume = 0.0;
        copy.bars.push_back(b);
      }
    }
    out.emplace(id, std::move(copy));
  }
  return out;
}

}  // namespace af::backtest
