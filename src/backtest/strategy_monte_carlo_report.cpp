#include "backtest/strategy_monte_carlo_report.hpp"

#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "backtest/report_assets.hpp"
#include "backtest/report_page.hpp"

namespace af::backtest {
namespace {

nlohmann::json distribution_json(const Distribution& d) {
  return {{"count", d.count},          {"mean", json_number(d.mean)}, {"std", json_number(d.std)},
          {"min", json_number(d.min)}, {"p5", json_number(d.p5)},     {"p10", json_number(d.p10)},
          {"p25", json_number(d.p25)}, {"p50", json_number(d.p50)},   {"p75", json_number(d.p75)},
          {"p90", json_number(d.p90)}, {"p95", json_number(d.p95)},   {"max", json_number(d.max)}};
}

std::string csv_number(double v) { return std::isfinite(v) ? fmt::format("{:.10g}", v) : ""; }


// Histogram of the finite values: `bins` equal-width bins over [min, max].
nlohmann::json histogram(const std::vector<double>& values, int bins) {
  std::vector<double> x;
  for (double v : values) {
    if (std::isfinite(v)) x.push_back(v);
  }
  nlohmann::json j = {{"labels", nlohmann::json::array()}, {"counts", nlohmann::json::array()}};
  if (x.empty()) return j;
  const double lo = *std::min_element(x.begin(), x.end());
  const double hi = *std::max_element(x.begin(), x.end());
  const double width = hi > lo ? (hi - lo) / bins : 1.0;
  std::vector<int> counts(static_cast<std::size_t>(bins), 0);
  for (double v : x) {
    int b = static_cast<int>((v - lo) / width);
    counts[static_cast<std::size_t>(std::clamp(b, 0, bins - 1))]++;
  }
  for (int b = 0; b < bins; ++b) {
    j["labels"].push_back(fmt::format("{:.1f}", (lo + (b + 0.5) * width) * 100));
    j["counts"].push_back(counts[static_cast<std::size_t>(b)]);
  }
  return j;
}

}  // namespace

std::vector<std::string> strategy_monte_carlo_assumptions(const StrategyMonteCarloResult& r) {
  const PathCalibration& c = r.calibration;
  std::vector<std::string> out;
  out.push_back(fmt::format("Each path runs the real decision code (the historical backtest's day loop) from a "
                            "cash-only book of {:.0f} USD on {} simulated weekdays after {} (no holidays).",
                            r.initial_capital, r.dates.size(), c.start.iso()));
  if (c.options.model == PathModel::kBootstrap) {
    out.push_back(fmt::format("Block bootstrap: blocks of {} consecutive real days, each drawn uniformly from the "
                              "{} daily return rows {} to {}; every series moves by the same real day's return, so "
                              "correlations, fat tails and short-range dependence are those of the data.",
                              c.options.block_days, c.rows, c.rows_from.iso(), c.rows_to.iso()));
  } else {
    out.push_back(fmt::format("Gaussian: daily log returns drawn from a multivariate normal with the mean and sample "
                              "covariance of the {} daily return rows {} to {}{}; no fat tails, no volatility "
                              "clustering.",
                              c.rows, c.rows_from.iso(), c.rows_to.iso(),
                              c.covariance_clipped ? " (covariance not positive definite: negative eigenvalues "
                                                     "clipped to 0)"
                                                   : ""));
  }
  out.push_back(fmt::format("{} series simulated ({} real, {} synthetic; docs/DATA.md); {} series without data at "
                            "the start keep their real bars only, so their instruments are unusable in every path.",
                            c.simulated.size(), c.real_series_simulated,
                            c.simulated.size() - static_cast<std::size_t>(c.real_series_simulated), c.frozen.size()));
  out.push_back(fmt::format("Each simulated market starts with the last {} real bars of every series (the decision "
                            "code's look-back); a simulated bar opens at the previous close.",
                            c.options.warmup_bars));
  out.push_back(fmt::format("Paths are seeded by (seed {}, path number): the results do not depend on the thread "
                            "count. Metrics per path follow docs/METRICS.md (252 days a year, risk-free rate {:.4g}).",
                            r.config.seed, r.risk_free_rate));
  return out;
}

nlohmann::json strategy_monte_carlo_json(const StrategyMonteCarloResult& r) {
  const PathCalibration& c = r.calibration;
  nlohmann::json failures = nlohmann::json::array();
  for (std::size_t p = 0; p < r.paths.size(); ++p) {
    if (!r.paths[p].ok) failures.push_back({{"path", p}, {"error", r.paths[p].error}});
  }
  return {
      {"model", "strategy"},
      {"paths", r.config.paths},
      {"years", r.config.years},
      {"days_per_path", r.dates.size()},
      {"seed", r.config.seed},
      {"threads", r.config.threads},
      {"start", c.start.iso()},
      {"first_simulated_date", r.dates.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.dates.front().iso())},
      {"last_simulated_date", r.dates.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.dates.back().iso())},
      {"initial_capital_usd", r.initial_capital},
      {"path_model",
       {{"model", std::string(to_string(c.options.model))},
        {"block_days", c.options.block_days},
        {"warmup_bars", c.options.warmup_bars},
        {"calibration_rows", c.rows},
        {"calibration_from", c.rows_from.iso()},
        {"calibration_to", c.rows_to.iso()},
        {"series_simulated", c.simulated.size()},
        {"series_simulated_real", c.real_series_simulated},
        {"series_frozen", c.frozen},
        {"covariance_clipped", c.covariance_clipped}}},
      {"successful_paths", r.paths.size() - static_cast<std::size_t>(r.failed_paths)},
      {"failed_paths", r.failed_paths},
      {"failures", failures},
      {"final_return", distribution_json(r.final_return)},
      {"cagr", distribution_json(r.cagr)},
      {"volatility", distribution_json(r.volatility)},
      {"sharpe", distribution_json(r.sharpe)},
      {"max_drawdown", distribution_json(r.max_drawdown)},
      {"prob_loss", r.prob_loss},
      {"prob_significant_loss", r.prob_significant_loss},
      {"significant_loss_return", r.config.significant_loss_return},
      {"risk_free_rate", r.risk_free_rate},
      {"assumptions", strategy_monte_carlo_assumptions(r)},
  };
}

std::string strategy_paths_csv(const StrategyMonteCarloResult& r) {
  std::string out = std::string(kStrategyPathsCsvHeader) + "\n";
  for (std::size_t p = 0; p < r.paths.size(); ++p) {
    const auto& x = r.paths[p];
    if (x.ok) {
      out += fmt::format("{},ok,{},{},{},{},{},{},\n", p, csv_number(x.final_return), csv_number(x.cagr),
                         csv_number(x.volatility), csv_number(x.sharpe), csv_number(x.max_drawdown), x.orders_filled);
    } else {
      out += fmt::format("{},failed,,,,,,,{}\n", p, csv_field(x.error));
    }
  }
  return out;
}

std::string fan_csv(const StrategyMonteCarloResult& r) {
  std::string out = std::string(kFanCsvHeader) + "\n";
  const auto& f = r.fan;
  for (std::size_t t = 0; t < f.p50.size() && t < r.dates.size(); ++t) {
    out += fmt::format("{},{},{},{},{},{}\n", r.dates[t].iso(), csv_number(f.p5[t]), csv_number(f.p25[t]),
                       csv_number(f.p50[t]), csv_number(f.p75[t]), csv_number(f.p95[t]));
  }
  return out;
}

Result<std::string> fan_chart_html(const StrategyMonteCarloResult& r) {
  const std::string_view chartjs = chartjs_source();
  if (chartjs.empty()) {
    return Error{ErrorCode::kUnavailable,
                 "fan_chart.html needs Chart.js embedded at build time: install the Debian package libjs-chart.js "
                 "(scripts/setup.sh) and rebuild"};
  }
  // One point a week keeps the page small; the start (1.0) first.
  std::vector<double> p5{1.0}, p25{1.0}, p50{1.0}, p75{1.0}, p95{1.0};
  std::string labels = "[\"" + r.calibration.start.iso() + "\"";
  const auto& f = r.fan;
  for (std::size_t t = 0; t < f.p50.size(); ++t) {
    if (t % 5 != 4 && t + 1 != f.p50.size()) continue;
    labels += ",\"" + r.dates[t].iso() + "\"";
    p5.push_back(f.p5[t]);
    p25.push_back(f.p25[t]);
    p50.push_back(f.p50[t]);
    p75.push_back(f.p75[t]);
    p95.push_back(f.p95[t]);
  }
  labels += "]";
  std::vector<double> finals, dds;
  for (const auto& p : r.paths) {
    if (!p.ok) continue;
    finals.push_back(p.final_return);
    dds.push_back(p.max_drawdown);
  }
  const std::string data = fmt::format(
      R"({{"labels":{},"p5":{},"p25":{},"p50":{},"p75":{},"p95":{},"final_hist":{},"dd_hist":{}}})", labels,
      js_array(p5), js_array(p25), js_array(p50), js_array(p75), js_array(p95), histogram(finals, 30).dump(),
      histogram(dds, 30).dump());

  auto pct = [](double v) { return std::isfinite(v) ? fmt::format("{:.2f}", v * 100) : std::string("–"); };
  auto num = [](double v) { return std::isfinite(v) ? fmt::format("{:.2f}", v) : std::string("–"); };
  std::string rows;
  auto row = [&](const char* name, const Distribution& d, bool percent) {
    auto v = [&](double x) { return percent ? pct(x) : num(x); };
    rows += fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                        "<td>{}</td></tr>\n",
                        name, v(d.mean), v(d.p5), v(d.p25), v(d.p50), v(d.p75), v(d.p95), v(d.min), v(d.max));
  };
  row("Final return (%)", r.final_return, true);
  row("CAGR (%)", r.cagr, true);
  row("Volatility (%)", r.volatility, true);
  row("Sharpe", r.sharpe, false);
  row("Max drawdown (%)", r.max_drawdown, true);
  std::string assumptions;
  for (const auto& a : strategy_monte_carlo_assumptions(r)) assumptions += "<li>" + html_escape(a) + "</li>\n";
  std::string failures;
  if (r.failed_paths > 0) {
    failures = fmt::format("<p class=\"neg\">{} path(s) failed and are left out of the statistics; first error: {}</p>\n",
                           r.failed_paths, html_escape([&] {
                             for (const auto& p : r.paths) {
                               if (!p.ok) return p.error;
                             }
                             return std::string();
                           }()));
  }

  std::string html;
  html.reserve(chartjs.size() + data.size() + 16 * 1024);
  html += R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AbstractFinance strategy Monte Carlo</title>
<style>)";
  html += report_css();
  html += "</style>\n<script>";
  html += chartjs;
  html += R"(</script>
</head><body>
<h1>AbstractFinance — full-strategy Monte Carlo</h1>
<p class="sub">)" + fmt::format("{} paths × {} years ({} days) after {}, {} paths, seed {}. P(loss) {:.1f} %, P(final return &lt; {:.0f} %) {:.1f} %.",
                                r.config.paths, r.config.years, r.dates.size(), r.calibration.start.iso(),
                                to_string(r.calibration.options.model), r.config.seed, r.prob_loss * 100,
                                r.config.significant_loss_return * 100, r.prob_significant_loss * 100) +
          R"(</p>
<div id="af-errors"></div>
<p id="af-status">Charts: rendering…</p>
)" + failures + R"(<h2>Distribution over paths</h2>
<table><tr><th></th><th>Mean</th><th>p5</th><th>p25</th><th>Median</th><th>p75</th><th>p95</th><th>Min</th><th>Max</th></tr>
)" + rows + R"(</table>
<h2>Fan chart: NAV / initial capital</h2>
<p class="note">Bands: 5–95 % and 25–75 % of the paths on each date; the line is the median.</p>
<div class="chart"><canvas class="af-chart" id="chart-fan"></canvas></div>
<div class="grid">
<div><h2>Final return (%)</h2><div class="chart"><canvas class="af-chart" id="chart-final"></canvas></div></div>
<div><h2>Max drawdown (%)</h2><div class="chart"><canvas class="af-chart" id="chart-dd"></canvas></div></div>
</div>
<h2>Assumptions</h2>
<ul class="note">
)" + assumptions + R"(</ul>
<script>
)";
  html += chart_script_prelude();
  html += "const AF = " + data + ";\n";
  html += R"(chart('chart-fan', {type: 'line', data: {labels: AF.labels, datasets: [
  line('p95', AF.p95, 'rgba(9,105,218,0.35)', {fill: false}),
  line('p5', AF.p5, 'rgba(9,105,218,0.35)', {fill: '-1', backgroundColor: 'rgba(9,105,218,0.12)'}),
  line('p75', AF.p75, 'rgba(9,105,218,0.6)', {fill: false}),
  line('p25', AF.p25, 'rgba(9,105,218,0.6)', {fill: '-1', backgroundColor: 'rgba(9,105,218,0.25)'}),
  line('median', AF.p50, palette[0], {borderWidth: 2})]},
  options: {scales: {x: xAxis}}});
chart('chart-final', {type: 'bar', data: {labels: AF.final_hist.labels, datasets: [
  {label: 'paths', data: AF.final_hist.counts, backgroundColor: palette[0], borderWidth: 0}]}});
chart('chart-dd', {type: 'bar', data: {labels: AF.dd_hist.labels, datasets: [
  {label: 'paths', data: AF.dd_hist.counts, backgroundColor: palette[1], borderWidth: 0}]}});
</script>
</body></html>
)";
  return html;
}

Status write_strategy_monte_carlo_report(const std::filesystem::path& dir, const StrategyMonteCarloResult& r) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{ErrorCode::kIo, fmt::format("cannot create output directory {}: {}", dir.string(), ec.message())};
  AF_ASSIGN_OR_RETURN(std::string html, fan_chart_html(r));
  auto write = [&](const char* name, const std::string& text) { return write_text_file(dir / name, text); };
  AF_RETURN_IF_ERROR(write("fan_chart.html", html));
  AF_RETURN_IF_ERROR(write("summary.json", strategy_monte_carlo_json(r).dump(2) + "\n"));
  AF_RETURN_IF_ERROR(write("paths.csv", strategy_paths_csv(r)));
  AF_RETURN_IF_ERROR(write("fan.csv", fan_csv(r)));
  return ok_status();
}

}  // namespace af::backtest
