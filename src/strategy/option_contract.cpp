#include "strategy/option_contract.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/compile.h>
#include <fmt/format.h>
#include <ql/option.hpp>
#include <ql/pricingengines/blackformula.hpp>

#include "core/check.hpp"

namespace af::strategy {

using config::ExpiryRule;
using config::OptionRight;
using marketdata::Exchange;

namespace {

// The n-th (1-based) occurrence of ISO weekday `wd` (1 = Monday) in a month.
Date nth_weekday(int year, unsigned month, unsigned wd, unsigned n) {
  const Date first(year, month, 1);
  const unsigned first_wd = first.iso_weekday();
  const unsigned offset = (wd + 7 - first_wd) % 7;
  return first.add_days(static_cast<int>(offset + 7 * (n - 1)));
}

Date on_or_before_trading_day(Exchange exchange, Date d) {
  return marketdata::is_trading_day(exchange, d) ? d : marketdata::previous_trading_day(exchange, d);
}

std::pair<int, unsigned> next_month(int year, unsigned month) {
  return month == 12 ? std::pair{year + 1, 1u} : std::pair{year, month + 1};
}

}  // namespace

Date third_friday(int year, unsigned month) { return nth_weekday(year, month, 5, 3); }

namespace {

Date compute_listed_expiry(ExpiryRule rule, int year, unsigned month, Exchange exchange) {
  switch (rule) {
    case ExpiryRule::kThirdFriday:
      return on_or_before_trading_day(exchange, third_friday(year, month));
    case ExpiryRule::kThirtyDaysBeforeNextThirdFriday: {
      // Cboe VIX rule: 30 days before the third Friday of the following month; that Friday
      // moves to the preceding trading day when it is a holiday, and so does the result.
      const auto [ny, nm] = next_month(year, month);
      const Date friday = on_or_before_trading_day(exchange, third_friday(ny, nm));
      return on_or_before_trading_day(exchange, friday.add_days(-30));
    }
    case ExpiryRule::kTwoBusinessDaysBeforeThirdWednesday: {
      Date d = nth_weekday(year, month, 3, 3);
      for (int i = 0; i < 2; ++i) d = marketdata::previous_trading_day(exchange, d);
      return d;
    }
    case ExpiryRule::kTwoBusinessDaysBeforeTenth: {
      // Eurex bond futures: delivery on the 10th (next trading day if not one); the last
      // trading day is two exchange days before delivery.
      Date delivery(year, month, 10);
      if (!marketdata::is_trading_day(exchange, delivery)) {
        delivery = marketdata::next_trading_day(exchange, delivery);
      }
      Date d = delivery;
      for (int i = 0; i < 2; ++i) d = marketdata::previous_trading_day(exchange, d);
      return d;
    }
  }
  AF_CHECK(false, "listed_expiry: unhandled expiry rule");
  return {};
}

}  // namespace

Date listed_expiry(ExpiryRule rule, int year, unsigned month, Exchange exchange) {
  // A pure function of its arguments that select_expiry asks for the same few months every
  // simulated day (each answer walks the exchange calendar): a small direct-mapped memo per
  // thread (thread_local: no sharing, no locks).
  struct Entry {
    bool used = false;
    ExpiryRule rule{};
    Exchange exchange{};
    int year = 0;
    unsigned month = 0;
    Date expiry;
  };
  thread_local std::array<Entry, 64> memo;
  const std::size_t slot = (static_cast<std::size_t>(year) * 12 + month + 7 * static_cast<std::size_t>(rule) +
                            13 * static_cast<std::size_t>(exchange)) % memo.size();
  Entry& e = memo[slot];
  if (e.used && e.rule == rule && e.exchange == exchange && e.year == year && e.month == month) return e.expiry;
  const Date expiry = compute_listed_expiry(rule, year, month, exchange);
  e = Entry{true, rule, exchange, year, month, expiry};
  return expiry;
}

Date select_expiry(ExpiryRule rule, Exchange exchange, Date as_of, int tenor_days,
                   int min_days_to_expiry) {
  AF_CHECK(tenor_days > 0, "select_expiry: tenor must be positive");
  const Date target = as_of.add_days(tenor_days);
  // Monthly listings from the current month to two months past the target cover both sides.
  const int months = (std::max(tenor_days, min_days_to_expiry) / 28) + 3;
  int year = as_of.year();
  unsigned month = as_of.month();
  std::optional<Date> best;
  for (int i = 0; i <= months; ++i) {
    const Date e = listed_expiry(rule, year, month, exchange);
    if (as_of.days_until(e) > min_days_to_expiry) {
      const int dist = std::abs(target.days_until(e));
      if (!best || dist < std::abs(target.days_until(*best)) ||
          (dist == std::abs(target.days_until(*best)) && e > *best)) {
        best = e;
      }
    }
    std::tie(year, month) = next_month(year, month);
  }
  AF_CHECK(best.has_value(), "select_expiry: no listed expiry in range");
  return *best;
}

Result<double> strike_grid(const config::Instrument& option) {
  const std::string& cls =
      option.contract.trading_class.empty() ? option.contract.symbol : option.contract.trading_class;
  struct Row {
    const char* cls;
    double grid;
  };
  static constexpr Row kGrid[] = {{"SPY", 1.0}, {"FEZ", 1.0},  {"HYG", 1.0},     {"JNK", 1.0},
                                  {"EUFN", 1.0}, {"SPX", 5.0}, {"OESX", 50.0}, {"ESTX50", 50.0},
                                  {"VIX", 1.0}};
  for (const Row& r : kGrid) {
    if (cls == r.cls) return r.grid;
  }
  return Error{ErrorCode::kConfig,
               fmt::format("option line '{}' (trading class '{}'): no strike grid known; add the "
                           "listed strike interval to strike_grid() in strategy/option_contract.cpp",
                           option.id.str(), cls)};
}

double round_to_grid(double value, double grid) {
  AF_CHECK(grid > 0, "round_to_grid: grid must be positive");
  return std::round(value / grid) * grid;
}

Result<Exchange> expiry_calendar(const config::InstrumentUniverse& universe,
                                 const config::Instrument& option) {
  auto try_contract = [](const config::BrokerContract& c) -> std::optional<Exchange> {
    if (auto e = marketdata::find_exchange(c.exchange)) return e;
    if (!c.primary_exchange.empty()) return marketdata::find_exchange(c.primary_exchange);
    return std::nullopt;
  };
  if (auto e = try_contract(option.contract)) return *e;
  if (option.option) {
    if (const auto* u = universe.find(option.option->underlying)) {
      if (auto e = try_contract(u->contract)) return *e;
    }
  }
  return Error{ErrorCode::kConfig,
               fmt::format("option line '{}': no listing exchange with a known calendar on the "
                           "contract or its underlying (exchange '{}')",
                           option.id.str(), option.contract.exchange)};
}

Result<OptionContract> build_option_contract(const config::InstrumentUniverse& universe,
                                             const config::Instrument& option, double spot,
                                             Date as_of, const StrikeRule& rule,
                                             int min_days_to_expiry) {
  if (!option.option) {
    return Error{ErrorCode::kConfig,
                 fmt::format("instrument '{}' has no option spec (sec_type {}); a tail-hedge option "
                             "line must be an OPT instrument in instruments.yaml",
                             option.id.str(), config::to_string(option.contract.sec_type))};
  }
  if (!(spot > 0) || !std::isfinite(spot)) {
    return Error{ErrorCode::kDataQuality,
                 fmt::format(FMT_COMPILE("option line '{}': underlying '{}' has no positive price on {}"),
                             option.id.str(), option.option->underlying.str(), as_of.iso())};
  }
  const config::OptionSpec& spec = *option.option;
  auto grid = strike_grid(option);
  if (!grid) return grid.error();
  auto calendar = expiry_calendar(universe, option);
  if (!calendar) return calendar.error();

  OptionContract c;
  c.instrument = option.id;
  c.underlying = spec.underlying;
  c.right = spec.right;
  c.expiry = select_expiry(spec.expiry_rule, *calendar, as_of, spec.target_tenor_days,
                           min_days_to_expiry);
  const double multiple = rule.spot_multiple.value_or(
      spec.right == OptionRight::kPut ? 1.0 - spec.otm_pct : 1.0 + spec.otm_pct);
  double raw = spot * multiple;
  if (rule.min_strike) raw = std::max(raw, *rule.min_strike);
  c.strike = std::max(*grid, round_to_grid(raw, *grid));  // never a zero strike
  c.strike_grid = *grid;
  c.multiplier = option.contract.multiplier;
  c.currency = option.contract.currency;
  c.calendar = *calendar;
  return c;
}

std::string hedge_id(portfolio::HedgeType type, const OptionContract& contract) {
  return fmt::format(FMT_COMPILE("{}:{}:{}:{}{}"), portfolio::to_string(type), contract.instrument.str(),
                     contract.expiry.iso(), contract.strike, config::to_string(contract.right));
}

portfolio::Hedge make_option_hedge(portfolio::HedgeType type, const OptionContract& contract,
                                   Quantity contracts, Date opened) {
  portfolio::Hedge h;
  h.hedge_id = hedge_id(type, contract);
  h.type = type;
  h.instrument = contract.instrument;
  h.underlying = contract.underlying;
  h.strike = contract.strike;
  h.expiry = contract.expiry;
  h.right = contract.right;
  h.quantity = contracts;
  h.opened = opened;
  return h;
}

double black_scholes_price(OptionRight right, double spot, double strike, double years,
                           double rate, double vol, double dividend_yield) {
  AF_CHECK(spot > 0 && strike > 0, "black_scholes_price: spot and strike must be positive");
  const double t = std::max(0.0, years);
  const double forward = spot * std::exp((rate - dividend_yield) * t);
  const double discount = std::exp(-rate * t);
  const double std_dev = (vol > 0 && t > 0) ? vol * std::sqrt(t) : 0.0;
  const auto type = right == OptionRight::kPut ? QuantLib::Option::Put : QuantLib::Option::Call;
  return QuantLib::blackFormula(type, strike, forward, std_dev, discount);
}

namespace {

std::optional<double> compute_realized_vol_annual(std::span<const double> closes, int min_returns,
                                                  int periods_per_year) {
  std::vector<double> r;
  r.reserve(closes.size());
  for (std::size_t i = 1; i < closes.size(); ++i) {
    const double a = closes[i - 1];
    const double b = closes[i];
    if (a > 0 && b > 0 && std::isfinite(a) && std::isfinite(b)) r.push_back(std::log(b / a));
  }
  if (static_cast<int>(r.size()) < min_returns) return std::nullopt;
  double mean = 0.0;
  for (double x : r) mean += x;
  mean /= static_cast<double>(r.size());
  double ss = 0.0;
  for (double x : r) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / static_cast<double>(r.size() - 1));
  return sd * std::sqrt(static_cast<double>(periods_per_year));
}

// The last few results per thread, keyed by the exact inputs (the bits of the closes used,
// min_returns, periods): one simulated day values every hedge on the same few underlyings
// several times (decision, tail hedges, the close), each time 63 logs. The function is pure,
// so bit-identical inputs give the stored result; thread_local keeps it thread-safe.
struct RealizedVolMemo {
  std::vector<double> closes;
  int min_returns = 0;
  int periods_per_year = 0;
  std::optional<double> result;
  bool used = false;
};

}  // namespace

std::optional<double> realized_vol_annual(std::span<const double> closes, int window,
                                          int min_returns, int periods_per_year) {
  AF_CHECK(window > 1 && min_returns > 1 && periods_per_year > 0,
           "realized_vol_annual: bad window/min_returns/periods");
  // Only the last window + 1 closes enter the returns.
  const std::size_t n = closes.size();
  const std::size_t first = n > static_cast<std::size_t>(window) ? n - window - 1 : 0;
  const std::span<const double> used = closes.subspan(first);

  thread_local std::array<RealizedVolMemo, 4> memo;
  thread_local std::size_t next = 0;
  for (const RealizedVolMemo& m : memo) {
    if (m.used && m.min_returns == min_returns && m.periods_per_year == periods_per_year &&
        m.closes.size() == used.size() &&
        (used.empty() || std::memcmp(m.closes.data(), used.data(), used.size() * sizeof(double)) == 0)) {
      return m.result;
    }
  }
  const std::optional<double> result = compute_realized_vol_annual(used, min_returns, periods_per_year);
  RealizedVolMemo& slot = memo[next];
  next = (next + 1) % memo.size();
  slot.closes.assign(used.begin(), used.end());
  slot.min_returns = min_returns;
  slot.periods_per_year = periods_per_year;
  slot.result = result;
  slot.used = true;
  return result;
}

}  // namespace af::strategy
