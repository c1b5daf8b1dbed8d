// A constructed three-instrument market for the backtest tests: a US ETF (USD), an EU ETF (EUR)
// and a micro EUR/USD future (12 500 EUR a contract) whose series is also the EUR FX series.
// (A fourth, reference-only option line exists because the settings schema requires tail-hedge
// instruments; it has no data, the crisis-alpha weight is 0 and it is never priced or traded.
// The sector, single-name and credit sleeves point at the ETFs with weight 0.)
// Settings are chosen so every number can be followed by hand:
//   * sleeves: core index RV 0.5, cash buffer 0.5, the rest 0 -> each core leg = NAV x 0.25;
//   * scaling is exactly 1: vol target 1.0 / realized vol (capped at 0.6) >= 1.67, capped by
//     gross_leverage_max 1.0;
//   * no VIX instrument, history too short for momentum -> NORMAL regime, no reduction;
//   * limits wide enough not to bind (ETF and future 50 % of NAV, 50 % per order);
//   * rebalance when a sleeve's gross weight drifts by 5 % of NAV or more;
//   * IB tiered commissions, 5 bps slippage, marketable limits 10 bps, cash rate 3.6 % ACT/360
//     (= 0.0001 a day).
#pragma once

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "marketdata/bar.hpp"
#include "strategy/market_history.hpp"

namespace af::backtest::testing {

inline const char* kThreeSettings = R"(
sleeves: {core_index_rv: 0.5, sector_rv: 0.0, single_name: 0.0, credit_carry: 0.0, crisis_alpha: 0.0, cash_buffer: 0.5}
vol_target_annual: 1.0
gross_leverage_max: 1.0
net_leverage_max: 1.0
rebalance_threshold_pct: 0.05
risk:
  position_limits: {etf_pct_nav: 0.5, future_pct_nav: 0.5, option_pct_nav: 0.05, stock_pct_nav: 0.05}
  pre_trade: {max_order_notional_pct_nav: 0.5, max_daily_turnover_pct_nav: 2.0, price_collar_pct: 0.05}
tail_hedge:
  equity_puts: {us_put: 1.0}
  vix_calls: {us_put: 1.0}
  credit_puts: {us_put: 1.0}
  bank_puts: {us_put: 1.0}
  sovereign_short: eur_fut
  sovereign_long: eur_fut
strategy:
  core_index_rv: {us_long: us_etf, eu_short: eu_etf, fx_hedge: eur_fut, fx_hedge_enabled: true}
  sector_rv: {us_long: [us_etf], eu_short: [eu_etf]}
  single_name: {fallback_short: eu_etf}
  credit_carry: {us_long_share: 0.7, us_long: {us_etf: 1.0}, eu_short_share: 0.3, eu_short: {eu_etf: 1.0}}
execution:
  order_style: marketable_limit
  limit_offset_bps: 10
  slippage_bps: 5
  min_trade_notional_usd: 1000
  commission: {model: ib_tiered}
backtest: {initial_capital: 1000000, risk_free_rate: 0.036, fill_model: next_open}
fx: {static_rates_to_usd: {EUR: 1.2, GBP: 1.3, CHF: 1.1, JPY: 0.007}}
)";

inline const char* kThreeInstruments = R"(
instruments:
  us_etf:
    category: equity_indices
    description: US index ETF
    sleeves: [core_index_rv, sector_rv, credit_carry]
    etf: true
    data_series: us
    contract: {symbol: USX, sec_type: STK, exchange: SMART, primary_exchange: ARCA, currency: USD, tick_size: 0.01, price_unit: USD}
  eu_etf:
    category: equity_indices
    description: EU index ETF
    sleeves: [core_index_rv, sector_rv, credit_carry, single_name]
    etf: true
    data_series: eu
    contract: {symbol: EUX, sec_type: STK, exchange: SMART, primary_exchange: IBIS, currency: EUR, tick_size: 0.01, price_unit: EUR}
  eur_fut:
    category: fx
    description: Micro EUR/USD future
    sleeves: [core_index_rv, crisis_alpha]
    data_series: eurusd
    contract: {symbol: M6E, sec_type: FUT, exchange: CME, currency: USD, multiplier: 12500, trading_class: M6E, tick_size: 0.0001, price_unit: USD}
    future: {expiry_cycle: quarterly, expiry_rule: two_business_days_before_third_wednesday, roll_business_days_before_expiry: 5}
  us_put:
    category: options
    description: puts on the US ETF (referenced by the tail-hedge settings; no data, never priced)
    sleeves: [crisis_alpha]
    data_series: us_put
    contract: {symbol: USX, sec_type: OPT, exchange: SMART, currency: USD, multiplier: 100, tick_size: 0.01, price_unit: USD}
    option: {underlying: us_etf, right: P, target_tenor_days: 90, otm_pct: 0.15}
)";

inline std::unique_ptr<config::Config> three_config() {
  auto cfg = config::load_config_from_text(kThreeSettings, "three/settings.yaml", kThreeInstruments,
                                           "three/instruments.yaml", {});
  if (!cfg) throw std::runtime_error(cfg.error().message);
  return std::make_unique<config::Config>(std::move(*cfg));
}

// `n` consecutive weekdays ending on `last`.
inline std::vector<Date> weekdays_ending(Date last, int n) {
  std::vector<Date> out;
  for (Date d = last; static_cast<int>(out.size()) < n; d = d.add_days(-1)) {
    if (!d.is_weekend()) out.push_back(d);
  }
  return {out.rbegin(), out.rend()};
}

struct DayPrices {
  double us_open, us_close, eu_open, eu_close, fx_open, fx_close;
};

// 70 history days (small alternating moves, so the quality checks pass and nothing is stale)
// followed by the given days. Returns the series map for MarketHistory.
inline std::map<std::string, strategy::SeriesData> three_series(const std::vector<Date>& dates,
                                                                const std::vector<DayPrices>& days) {
  std::map<std::string, strategy::SeriesData> s;
  auto info = [](const char* id, QuoteUnit unit) {
    marketdata::SeriesInfo i;
    i.id = id;
    i.kind = marketdata::SeriesKind::kReal;
    i.unit = unit;
    i.source = "constructed test data";
    return i;
  };
  s["us"].info = info("us", QuoteUnit::major(Currency::USD));
  s["eu"].info = info("eu", QuoteUnit::major(Currency::EUR));
  s["eurusd"].info = info("eurusd", QuoteUnit::major(Currency::USD));
  const std::size_t history = dates.size() - days.size();
  for (std::size_t i = 0; i < dates.size(); ++i) {
    DayPrices p;
    if (i < history) {
      const double wiggle = (i % 2 == 0) ? 0.0 : 0.001;
      p = {100 * (1 + wiggle), 100 * (1 + wiggle), 50 * (1 + wiggle), 50 * (1 + wiggle), 1.25 + wiggle / 10, 1.25 + wiggle / 10};
    } else {
      p = days[i - history];
    }
    auto bar = [&](double o, double c) {
      marketdata::Bar b = marketdata::Bar::close_only(dates[i], c);
      b.open = o;
      b.high = std::max(o, c);
      b.low = std::min(o, c);
      return b;
    };
    s["us"].bars.push_back(bar(p.us_open, p.us_close));
    s["eu"].bars.push_back(bar(p.eu_open, p.eu_close));
    s["eurusd"].bars.push_back(bar(p.fx_open, p.fx_close));
  }
  return s;
}

}  // namespace af::backtest::testing
