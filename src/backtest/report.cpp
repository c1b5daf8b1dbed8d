#include "backtest/report.hpp"

#include <cmath>
#include <fstream>
#include <iterator>
#include <map>

#include <fmt/format.h>

#include "backtest/report_assets.hpp"
#include "backtest/report_page.hpp"

namespace af::backtest {

namespace {


// Regime as a level for the timeline chart (higher = more stress).
int regime_level(risk::Regime r) {
  switch (r) {
    case risk::Regime::kNormal: return 0;
    case risk::Regime::kRecovery: return 1;
    case risk::Regime::kElevated: return 2;
    case risk::Regime::kCrisis: return 3;
  }
  return 0;
}

std::string pct(double v, int decimals = 2) {
  return std::isfinite(v) ? fmt::format("{:.{}f} %", v * 100.0, decimals) : "n/a";
}
std::string fixed(double v, int decimals = 2) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : "n/a";
}
std::string money(double v) { return std::isfinite(v) ? fmt::format("{:.0f} USD", v) : "n/a"; }

nlohmann::json dated(const DatedValue& d) { return {{"date", d.date.iso()}, {"value", json_number(d.value)}}; }
nlohmann::json monthly(const MonthlyReturn& m) {
  return {{"year", m.year}, {"month", m.month}, {"value", json_number(m.value)}};
}

}  // namespace

std::string equity_csv(const BacktestResult& r) {
  std::string out = std::string(kEquityCsvHeader) + "\n";
  out.reserve(out.size() + r.days.size() * 64);
  for (const auto& d : r.days) {
    fmt::format_to(std::back_inserter(out), "{},{:.2f},{:.10g},{:.10g},{:.6g},{}\n", d.date.iso(), d.nav_usd, d.daily_return, d.drawdown,
                       d.scaling, risk::to_string(d.regime));
  }
  return out;
}

std::string trades_csv(const BacktestResult& r) {
  std::string out = std::string(kTradesCsvHeader) + "\n";
  auto opt_num = [](double v, const char* f = "{:.10g}") {
    return std::isfinite(v) ? fmt::format(fmt::runtime(f), v) : std::string();
  };
  out.reserve(out.size() + r.executions.size() * 180);
  for (const auto& e : r.executions) {
    const auto& o = e.order;
    fmt::format_to(std::back_inserter(out), 
        "{},{},{},{},{},{},{:.10g},{},{},{},{},{},{},{},{},{:.2f},{:.4f},{},{:.4f},{:.4f}\n", e.decision_date.iso(),
        e.fill_date.iso(), csv_field(o.client_order_id), csv_field(o.instrument.str()), config::to_string(o.sleeve),
        execution::to_string(o.side), o.quantity, o.market_order ? "market" : "limit",
        o.market_order ? std::string() : opt_num(o.limit_price), opt_num(o.reference_price), opt_num(e.market_price),
        e.filled ? opt_num(e.fill_price) : std::string(), o.price_unit.code(), e.filled ? "filled" : "unfilled",
        e.unfilled_reason, e.filled ? e.notional_usd : 0.0, e.commission.amount, to_string(e.commission.currency),
        e.commission_usd, e.slippage_usd);
  }
  return out;
}

nlohmann::json metrics_json(const PerformanceMetrics& m) {
  nlohmann::json j;
  j["start"] = m.start.iso();
  j["end"] = m.end.iso();
  j["trading_days"] = m.trading_days;
  j["years"] = json_number(m.years);
  j["returns"] = {{"total_return", json_number(m.total_return)},
                  {"cagr", json_number(m.cagr)},
                  {"annual_return_arithmetic", json_number(m.annual_return_arithmetic)},
                  {"volatility", json_number(m.volatility)},
                  {"sharpe", json_number(m.sharpe)},
                  {"sortino", json_number(m.sortino)},
                  {"downside_deviation", json_number(m.downside_deviation)},
                  {"calmar", json_number(m.calmar)}};
  nlohmann::json episodes = nlohmann::json::array();
  for (const auto& e : m.drawdown_episodes) {
    episodes.push_back({{"peak", e.peak.iso()},
                        {"trough", e.trough.iso()},
                        {"recovery", e.recovery ? nlohmann::json(e.recovery->iso()) : nlohmann::json(nullptr)},
                        {"depth", json_number(e.depth)},
                        {"length_days", e.length_days}});
  }
  j["drawdowns"] = {{"max_drawdown", json_number(m.max_drawdown)},
                    {"max_drawdown_peak", m.max_drawdown_peak.iso()},
                    {"max_drawdown_trough", m.max_drawdown_trough.iso()},
                    {"max_drawdown_recovery", m.max_drawdown_recovery ? nlohmann::json(m.max_drawdown_recovery->iso())
                                                                      : nlohmann::json(nullptr)},
                    {"average_drawdown", json_number(m.average_drawdown)},
                    {"longest_drawdown_days", m.longest_drawdown_days},
                    {"time_under_water", json_number(m.time_under_water)},
                    {"episodes", episodes.size()}};
  j["tails"] = {{"var_95", json_number(m.var_95)}, {"var_99", json_number(m.var_99)},   {"es_95", json_number(m.es_95)},
                {"es_99", json_number(m.es_99)},   {"skew", json_number(m.skew)},       {"excess_kurtosis", json_number(m.excess_kurtosis)},
                {"convention", "VaR and ES are positive daily loss fractions"}};
  nlohmann::json months = nlohmann::json::array();
  for (const auto& mr : m.monthly_returns) months.push_back(monthly(mr));
  j["trading"] = {{"hit_rate", json_number(m.hit_rate)},
                  {"profit_factor", json_number(m.profit_factor)},
                  {"best_day", dated(m.best_day)},
                  {"worst_day", dated(m.worst_day)},
                  {"best_month", monthly(m.best_month)},
                  {"worst_month", monthly(m.worst_month)},
                  {"traded_notional_usd", json_number(m.traded_notional)},
                  {"turnover_annual", json_number(m.turnover_annual)},
                  {"costs_usd", json_number(m.costs)},
                  {"costs_annual_pct_nav", json_number(m.costs_annual_pct_nav)},
                  {"hedge_spend_usd", json_number(m.hedge_spend)},
                  {"hedge_spend_annual_pct_nav", json_number(m.hedge_spend_annual_pct_nav)}};
  j["monthly_returns"] = months;
  nlohmann::json sleeves = nlohmann::json::array();
  for (const auto& s : m.sleeves) {
    sleeves.push_back({{"name", s.name},
                       {"total_return", json_number(s.total_return)},
                       {"annual_return", json_number(s.annual_return)},
                       {"volatility", json_number(s.volatility)},
                       {"sharpe", json_number(s.sharpe)},
                       {"contribution", json_number(s.contribution)}});
  }
  j["sleeves"] = sleeves;
  auto leg = [](const std::optional<LegMetrics>& l) {
    return l ? nlohmann::json{{"beta", json_number(l->beta)}, {"correlation", json_number(l->correlation)}} : nlohmann::json(nullptr);
  };
  j["benchmarks"] = {{"us_leg", leg(m.us_leg)}, {"eu_leg", leg(m.eu_leg)}};
  return j;
}

std::vector<std::string> backtest_assumptions(const BacktestResult& r) {
  const auto& b = r.broker;
  std::vector<std::string> a;
  a.push_back("Decisions: the live decision code (execution::decide_day: risk, sleeve targets, limits, order plan) "
              "on each trading day of the core US series, with data up to that day only.");
  if (b.fill_model == config::FillModel::kNextOpen) {
    a.push_back("Fills: next open. Orders decided at a close fill at the next trading day's open (the close when a "
                "series has no opens); no bar that day, or a limit not reached, leaves the order unfilled and the "
                "next decision re-plans.");
  } else {
    a.push_back("Fills: same close. Orders fill at the close they were decided on (market-on-close assumption).");
  }
  a.push_back(fmt::format("Slippage: {:g} bps against the trader on every fill; limit orders fill only within their "
                          "limit after slippage.", b.slippage_bps));
  if (b.commission.model == config::CommissionModel::kFixedBps) {
    a.push_back(fmt::format("Commissions: fixed {:g} bps of traded value, charged in the listing currency.",
                            b.commission.fixed_bps));
  } else {
    a.push_back(fmt::format("Commissions: IB tiered (US stocks {:g} USD/share, min {:g}, max {:g} % of value; other "
                            "stocks {:g} % of value, min {:g} USD; futures {:g} USD/contract; options {:g} USD/contract;"
                            " FX {:g} bps, min {:g} USD), converted to the listing currency at the day's FX.",
                            b.commission.stock_per_share_usd, b.commission.stock_min_per_order_usd,
                            b.commission.stock_max_pct_of_value * 100, b.commission.eu_stock_pct_of_value * 100,
                            b.commission.eu_stock_min_per_order_usd, b.commission.future_per_contract_usd,
                            b.commission.option_per_contract_usd, b.commission.fx_bps, b.commission.fx_min_per_order_usd));
  }
  a.push_back(fmt::format("Interest: cash balances earn {:.2f} % a year (backtest.risk_free_rate), negative balances "
                          "pay {:.2f} % ({:.2f} % spread), ACT/360 over calendar days; one flat rate for every currency "
                          "and year; no stock-borrow fee on shorts.",
                          b.cash_rate_annual * 100, (b.cash_rate_annual + b.borrow_spread_annual) * 100,
                          b.borrow_spread_annual * 100));
  a.push_back("Futures are priced on their data series as a continuous contract (no roll costs or roll gaps).");
  a.push_back("Tail hedges: option hedges trade at the decision's Black-Scholes model price (no option prices in the "
              "bundle) plus slippage and commission, are held in the hedge book and valued daily by the same model; "
              "expired options settle at intrinsic value. Hedge spend = option premium bought. The NAV the risk "
              "code sees excludes the option hedges' value (decide_day's valuation), so hedge gains do not trigger "
              "the P&L-spike playbook.");
  return a;
}

nlohmann::json backtest_json(const BacktestResult& r, const PerformanceMetrics& m) {
  nlohmann::json j;
  j["metrics"] = metrics_json(m);
  int filled = 0, unfilled = 0;
  for (const auto& e : r.executions) (e.filled ? filled : unfilled)++;
  double interest = 0, commission = 0, slippage = 0;
  for (const auto& d : r.days) {
    interest += d.interest_usd;
    commission += d.commission_usd;
    slippage += d.slippage_usd;
  }
  j["run"] = {{"from", r.from.iso()},
              {"to", r.to.iso()},
              {"trading_days", r.days.size()},
              {"initial_capital_usd", r.initial_capital},
              {"final_nav_usd", r.days.empty() ? 0.0 : r.days.back().nav_usd},
              {"fill_model", std::string(config::to_string(r.broker.fill_model))},
              {"orders_filled", filled},
              {"orders_unfilled", unfilled},
              {"fills_at_close_for_lack_of_open", r.fills_at_close_for_lack_of_open},
              {"commission_usd", commission},
              {"slippage_usd", slippage},
              {"interest_usd", interest},
              {"us_leg", r.us_leg.str()},
              {"eu_leg", r.eu_leg.str()}};
  nlohmann::json sources = nlohmann::json::array(), unpriced = nlohmann::json::array();
  for (const auto& s : r.series) {
    if (s.days_priced == 0) {
      unpriced.push_back({{"instrument", s.instrument.str()}, {"series", s.series}, {"reason", s.last_unusable_reason}});
      continue;
    }
    sources.push_back({{"instrument", s.instrument.str()},
                       {"series", s.series},
                       {"kind", s.kind},
                       {"days_priced", s.days_priced},
                       {"days_unusable", s.days_unusable}});
  }
  j["data_sources"] = sources;          // instruments priced at least one day: real or synthetic
  j["never_priced"] = unpriced;         // with the last reason the data was unusable
  j["assumptions"] = backtest_assumptions(r);
  j["notes"] = r.notes;
  return j;
}

Result<std::string> report_html(const BacktestResult& r, const PerformanceMetrics& m) {
  const std::string_view chartjs = chartjs_source();
  if (chartjs.empty()) {
    return Error{ErrorCode::kUnavailable,
                 "report.html needs Chart.js embedded at build time: install the Debian package libjs-chart.js "
                 "(scripts/setup.sh) and rebuild"};
  }
  const std::size_t n = r.days.size();
  // Series for the charts.
  std::vector<double> nav, us, eu, dd, scaling, vol_est, rolling_vol, regime, vix, hedge_cum, costs_cum;
  std::string labels = "[";
  std::optional<double> us0, eu0;
  double hedge = 0, costs = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& d = r.days[i];
    if (i) labels += ',';
    labels += '"';
    labels += d.date.iso();
    labels += '"';
    nav.push_back(d.nav_usd);
    if (!us0 && d.us_leg_usd) us0 = d.us_leg_usd;
    if (!eu0 && d.eu_leg_usd) eu0 = d.eu_leg_usd;
    us.push_back(us0 && d.us_leg_usd ? r.initial_capital * *d.us_leg_usd / *us0 : NAN);
    eu.push_back(eu0 && d.eu_leg_usd ? r.initial_capital * *d.eu_leg_usd / *eu0 : NAN);
    dd.push_back(d.drawdown * 100.0);
    scaling.push_back(d.scaling);
    vol_est.push_back(d.vol_annual * 100.0);
    regime.push_back(regime_level(d.regime));
    vix.push_back(d.vix ? *d.vix : NAN);
    hedge += d.hedge_spend_usd;
    costs += d.commission_usd + d.slippage_usd;
    hedge_cum.push_back(hedge);
    costs_cum.push_back(costs);
    // Realized volatility of the fund over the last 63 days (sample std x sqrt(252)), in %.
    constexpr std::size_t kWindow = 63;
    if (i >= kWindow) {
      double mean = 0;
      for (std::size_t k = i + 1 - kWindow; k <= i; ++k) mean += r.days[k].daily_return;
      mean /= kWindow;
      double ss = 0;
      for (std::size_t k = i + 1 - kWindow; k <= i; ++k) ss += (r.days[k].daily_return - mean) * (r.days[k].daily_return - mean);
      rolling_vol.push_back(std::sqrt(ss / (kWindow - 1)) * std::sqrt(252.0) * 100.0);
    } else {
      rolling_vol.push_back(NAN);
    }
  }
  labels += ']';
  std::string sleeve_names = "[", exposures = "[", contributions = "[";
  for (std::size_t s = 0; s <= kSleeveCount; ++s) {
    const bool other = s == kSleeveCount;
    if (s) {
      sleeve_names += ',';
      contributions += ',';
    }
    sleeve_names += '"' + (other ? std::string("cash_fx_financing") : std::string(config::to_string(config::kAllSleeves[s]))) + '"';
    std::vector<double> expo, contrib;
    double cum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& d = r.days[i];
      if (!other) expo.push_back(d.nav_usd > 0 ? d.sleeve_gross_usd[s] / d.nav_usd * 100.0 : NAN);
      if (i > 0) cum += (other ? d.other_pnl_usd : d.sleeve_pnl_usd[s]) / r.days[i - 1].nav_usd * 100.0;
      contrib.push_back(cum);
    }
    if (!other) {
      if (s) exposures += ',';
      exposures += js_array(expo);
    }
    contributions += js_array(contrib);
  }
  sleeve_names += ']';
  exposures += ']';
  contributions += ']';

  const std::string data = fmt::format(
      R"({{"labels":{},"nav":{},"us":{},"eu":{},"dd":{},"scaling":{},"vol_est":{},"rolling_vol":{},)"
      R"("regime":{},"vix":{},"hedge_cum":{},"costs_cum":{},"sleeves":{},"exposures":{},"contributions":{},)"
      R"("us_name":"{}","eu_name":"{}"}})",
      labels, js_array(nav), js_array(us), js_array(eu), js_array(dd), js_array(scaling), js_array(vol_est),
      js_array(rolling_vol), js_array(regime), js_array(vix), js_array(hedge_cum), js_array(costs_cum), sleeve_names,
      exposures, contributions, html_escape(r.us_leg.str()), html_escape(r.eu_leg.str()));

  // Tables.
  std::string metrics_rows;
  auto row = [&](const std::string& k, const std::string& v) {
    metrics_rows += "<tr><th>" + html_escape(k) + "</th><td>" + html_escape(v) + "</td></tr>\n";
  };
  row("Period", fmt::format("{} to {} ({} days, {:.2f} years)", m.start.iso(), m.end.iso(), m.trading_days, m.years));
  row("Final NAV", money(r.days.empty() ? 0 : r.days.back().nav_usd));
  row("Total return", pct(m.total_return));
  row("CAGR", pct(m.cagr));
  row("Volatility (annual)", pct(m.volatility));
  row("Sharpe", fixed(m.sharpe));
  row("Sortino", fixed(m.sortino));
  row("Calmar", fixed(m.calmar));
  row("Max drawdown", fmt::format("{} (peak {}, trough {}, recovery {})", pct(m.max_drawdown), m.max_drawdown_peak.iso(),
                                  m.max_drawdown_trough.iso(),
                                  m.max_drawdown_recovery ? m.max_drawdown_recovery->iso() : std::string("not yet")));
  row("Average drawdown", pct(m.average_drawdown));
  row("Longest drawdown", fmt::format("{} days", m.longest_drawdown_days));
  row("Time under water", pct(m.time_under_water, 1));
  row("VaR 95 / 99 (daily loss)", pct(m.var_95) + " / " + pct(m.var_99));
  row("ES 95 / 99 (daily loss)", pct(m.es_95) + " / " + pct(m.es_99));
  row("Skew / excess kurtosis", fixed(m.skew) + " / " + fixed(m.excess_kurtosis));
  row("Hit rate", pct(m.hit_rate, 1));
  row("Profit factor", fixed(m.profit_factor));
  row("Best / worst day", fmt::format("{} ({}) / {} ({})", pct(m.best_day.value), m.best_day.date.iso(),
                                      pct(m.worst_day.value), m.worst_day.date.iso()));
  row("Best / worst month", fmt::format("{} ({}-{:02}) / {} ({}-{:02})", pct(m.best_month.value), m.best_month.year,
                                        m.best_month.month, pct(m.worst_month.value), m.worst_month.year,
                                        m.worst_month.month));
  row("Turnover (annual, x mean NAV)", fixed(m.turnover_annual));
  row("Costs (commissions + slippage)", money(m.costs) + " (" + pct(m.costs_annual_pct_nav, 3) + " of NAV a year)");
  row("Hedge spend", money(m.hedge_spend) + " (" + pct(m.hedge_spend_annual_pct_nav, 3) + " of NAV a year)");
  if (m.us_leg) row("Beta / correlation to " + r.us_leg.str(), fixed(m.us_leg->beta) + " / " + fixed(m.us_leg->correlation));
  if (m.eu_leg) row("Beta / correlation to " + r.eu_leg.str(), fixed(m.eu_leg->beta) + " / " + fixed(m.eu_leg->correlation));

  std::string sleeve_rows;
  for (const auto& s : m.sleeves) {
    sleeve_rows += fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", html_escape(s.name),
                               pct(s.annual_return), pct(s.volatility), fixed(s.sharpe), pct(s.contribution));
  }

  // Monthly returns: one row per year, Jan..Dec and the year's compounded return.
  std::map<int, std::map<unsigned, double>> by_year;
  for (const auto& mr : m.monthly_returns) by_year[mr.year][mr.month] = mr.value;
  std::string monthly_rows;
  for (const auto& [year, months] : by_year) {
    monthly_rows += fmt::format("<tr><th>{}</th>", year);
    double compounded = 1.0;
    for (unsigned mo = 1; mo <= 12; ++mo) {
      auto it = months.find(mo);
      if (it == months.end()) {
        monthly_rows += "<td></td>";
        continue;
      }
      compounded *= 1.0 + it->second;
      monthly_rows += fmt::format("<td class=\"{}\">{:.1f}</td>", it->second >= 0 ? "pos" : "neg", it->second * 100.0);
    }
    monthly_rows += fmt::format("<td class=\"{}\"><b>{:.1f}</b></td></tr>\n", compounded >= 1.0 ? "pos" : "neg",
                                (compounded - 1.0) * 100.0);
  }

  std::string source_rows;
  int synthetic = 0, real = 0;
  for (const auto& s : r.series) {
    if (s.days_priced == 0) continue;
    (s.kind == "synthetic" ? synthetic : real)++;
    source_rows += fmt::format("<tr><th>{}</th><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                               html_escape(s.instrument.str()), html_escape(s.series), s.kind, s.kind, s.days_priced,
                               s.days_unusable, html_escape(s.notes));
  }
  std::string never_rows;
  for (const auto& s : r.series) {
    if (s.days_priced != 0) continue;
    never_rows += fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td></tr>\n", html_escape(s.instrument.str()),
                              html_escape(s.series), html_escape(s.last_unusable_reason));
  }
  std::string assumptions;
  for (const auto& a : backtest_assumptions(r)) assumptions += "<li>" + html_escape(a) + "</li>\n";
  for (const auto& a : r.notes) assumptions += "<li>" + html_escape(a) + "</li>\n";

  std::string html;
  html.reserve(chartjs.size() + data.size() + 64 * 1024);
  html += R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AbstractFinance backtest )" + r.from.iso() + " to " + r.to.iso() + R"(</title>
<style>
)" + std::string(report_css()) + R"(</style>
<script>)";
  html += chartjs;
  html += R"(</script>
</head><body>
<h1>AbstractFinance — historical backtest</h1>
<p class="sub">)" + fmt::format("{} to {}, {} trading days, initial capital {:.0f} USD. Price series: {} real, {} synthetic (see Data sources).",
                                r.from.iso(), r.to.iso(), n, r.initial_capital, real, synthetic) +
          R"(</p>
<div id="af-errors"></div>
<p id="af-status" data-charts-expected="8">Charts: rendering…</p>
<h2>Summary</h2>
<div class="grid"><table class="metrics">
)" + metrics_rows + R"(</table>
<table><tr><th>Sleeve</th><th>Annual return</th><th>Volatility</th><th>Sharpe</th><th>Contribution</th></tr>
)" + sleeve_rows + R"(</table></div>
<h2>Equity curve against the US and EU legs</h2>
<p class="note">Legs: the core instruments' prices in USD, scaled to the initial capital.</p>
<div class="chart"><canvas class="af-chart" id="chart-equity"></canvas></div>
<h2>Drawdown</h2>
<div class="chart"><canvas class="af-chart" id="chart-drawdown"></canvas></div>
<h2>Volatility and scaling</h2>
<p class="note">Realized volatility of the fund over 63 days; the risk code's estimate; the final scaling it applied.</p>
<div class="chart"><canvas class="af-chart" id="chart-vol"></canvas></div>
<h2>Regime timeline</h2>
<div class="chart"><canvas class="af-chart" id="chart-regime"></canvas></div>
<h2>Sleeve exposures (gross, % of NAV)</h2>
<div class="chart"><canvas class="af-chart" id="chart-exposures"></canvas></div>
<h2>Sleeve contributions (cumulative, % of NAV)</h2>
<div class="chart"><canvas class="af-chart" id="chart-contributions"></canvas></div>
<h2>Hedge spend and trading costs (cumulative)</h2>
<div class="chart"><canvas class="af-chart" id="chart-hedge"></canvas></div>
<h2>Daily returns</h2>
<div class="chart"><canvas class="af-chart" id="chart-returns"></canvas></div>
<h2>Monthly returns (%)</h2>
<table><tr><th>Year</th><th>Jan</th><th>Feb</th><th>Mar</th><th>Apr</th><th>May</th><th>Jun</th><th>Jul</th><th>Aug</th><th>Sep</th><th>Oct</th><th>Nov</th><th>Dec</th><th>Year</th></tr>
)" + monthly_rows + R"(</table>
<h2>Data sources</h2>
<p class="note">Synthetic series are generated from real proxies (docs/DATA.md); results on them are illustrative.</p>
<table><tr><th>Instrument</th><th>Series</th><th>Kind</th><th>Days priced</th><th>Days unusable</th><th>Notes</th></tr>
)" + source_rows + R"(</table>
)" + (never_rows.empty() ? std::string() : "<h3>Never priced in this period</h3>\n<table><tr><th>Instrument</th><th>Series</th><th>Reason</th></tr>\n" + never_rows + "</table>\n") +
          R"(<h2>Assumptions</h2>
<ul class="note">
)" + assumptions + R"(</ul>
<script>
)" + std::string(chart_script_prelude()) + R"(const regimeNames = ['NORMAL', 'RECOVERY', 'ELEVATED', 'CRISIS'];
const AF = )" + data + R"(;
chart('chart-equity', {type: 'line', data: {labels: AF.labels, datasets: [
  line('Fund NAV (USD)', AF.nav, palette[0]),
  line('US leg: ' + AF.us_name, AF.us, palette[3]),
  line('EU leg: ' + AF.eu_name, AF.eu, palette[1])]},
  options: {scales: {x: xAxis}}});
chart('chart-drawdown', {type: 'line', data: {labels: AF.labels, datasets: [
  line('Drawdown (%)', AF.dd, palette[1], {fill: 'origin', backgroundColor: 'rgba(207,34,46,0.25)'})]},
  options: {scales: {x: xAxis}}});
chart('chart-vol', {type: 'line', data: {labels: AF.labels, datasets: [
  line('Realized vol 63d (%)', AF.rolling_vol, palette[0]),
  line('Risk estimate (%)', AF.vol_est, palette[2]),
  line('Scaling', AF.scaling, palette[4], {yAxisID: 'y2'})]},
  options: {scales: {x: xAxis, y: {title: {display: true, text: '% a year'}},
                     y2: {position: 'right', grid: {drawOnChartArea: false}, title: {display: true, text: 'scaling'}}}}});
chart('chart-regime', {type: 'line', data: {labels: AF.labels, datasets: [
  line('Regime', AF.regime, palette[1], {stepped: true, fill: 'origin', backgroundColor: 'rgba(207,34,46,0.15)'}),
  line('VIX seen by the risk code', AF.vix, palette[5], {yAxisID: 'y2'})]},
  options: {scales: {x: xAxis, y: {min: 0, max: 3, ticks: {stepSize: 1, callback: v => regimeNames[v] || ''}},
                     y2: {position: 'right', grid: {drawOnChartArea: false}}}}});
chart('chart-exposures', {type: 'line', data: {labels: AF.labels, datasets:
  AF.exposures.map((s, i) => line(AF.sleeves[i], s, palette[i % palette.length], {fill: i === 0 ? 'origin' : '-1'}))},
  options: {scales: {x: xAxis, y: {stacked: true, title: {display: true, text: '% of NAV'}}}}});
chart('chart-contributions', {type: 'line', data: {labels: AF.labels, datasets:
  AF.contributions.map((s, i) => line(AF.sleeves[i], s, palette[i % palette.length]))},
  options: {scales: {x: xAxis, y: {title: {display: true, text: '% of NAV'}}}}});
chart('chart-hedge', {type: 'line', data: {labels: AF.labels, datasets: [
  line('Hedge premium spent (USD)', AF.hedge_cum, palette[2]),
  line('Commissions + slippage (USD)', AF.costs_cum, palette[4])]},
  options: {scales: {x: xAxis}}});
chart('chart-returns', {type: 'bar', data: {labels: AF.labels, datasets: [
  {label: 'Daily return (%)', data: AF.nav.map((v, i) => i ? (v / AF.nav[i - 1] - 1) * 100 : 0),
   backgroundColor: palette[0], borderWidth: 0}]},
  options: {scales: {x: xAxis}}});
</script>
</body></html>
)";
  return html;
}

Status write_backtest_report(const std::filesystem::path& dir, const BacktestResult& result,
                             const PerformanceMetrics& metrics) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{ErrorCode::kIo, fmt::format("cannot create output directory {}: {}", dir.string(), ec.message())};
  AF_ASSIGN_OR_RETURN(std::string html, report_html(result, metrics));
  auto write = [&](const char* name, const std::string& text) { return write_text_file(dir / name, text); };
  AF_RETURN_IF_ERROR(write("report.html", html));
  AF_RETURN_IF_ERROR(write("metrics.json", backtest_json(result, metrics).dump(2) + "\n"));
  AF_RETURN_IF_ERROR(write("equity.csv", equity_csv(result)));
  AF_RETURN_IF_ERROR(write("trades.csv", trades_csv(result)));
  return ok_status();
}

}  // namespace af::backtest
