#include "backtest/sim_broker.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace af::backtest {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

SimBrokerSettings sim_broker_settings_from(const config::Settings& s) {
  SimBrokerSettings b;
  b.fill_model = s.backtest.fill_model;
  b.commission = s.execution.commission;
  b.slippage_bps = s.execution.slippage_bps;
  b.cash_rate_annual = s.backtest.risk_free_rate;
  return b;
}

SimBroker::SimBroker(const config::InstrumentUniverse& universe, SimBrokerSettings settings)
    : universe_(&universe), settings_(settings) {}

Result<double> SimBroker::commission_usd(const config::Instrument& inst, Quantity quantity, double value_usd) const {
  const auto& c = settings_.commission;
  const double q = std::abs(quantity);
  const double value = std::abs(value_usd);
  if (c.model == config::CommissionModel::kFixedBps) return c.fixed_bps / 10'000.0 * value;
  switch (inst.contract.sec_type) {
    case config::SecType::kStk:
      if (inst.contract.currency == Currency::USD) {
        return std::min(std::max(c.stock_min_per_order_usd, c.stock_per_share_usd * q), c.stock_max_pct_of_value * value);
      }
      return std::max(c.eu_stock_min_per_order_usd, c.eu_stock_pct_of_value * value);
    case config::SecType::kFut:
      return c.future_per_contract_usd * q;
    case config::SecType::kOpt:
      return c.option_per_contract_usd * q;
    case config::SecType::kCash:
      return std::max(c.fx_min_per_order_usd, c.fx_bps / 10'000.0 * value);
    case config::SecType::kInd:
      break;
  }
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("instrument '{}' is an index and cannot be traded; mark it tradeable: false", inst.id.str())};
}

Result<SimExecution> SimBroker::execute(const execution::PlannedOrder& order, Date decision_date, Date fill_date,
                                        const std::optional<ExecutionPrices>& prices,
                                        const marketdata::FxRates& fx) const {
  const config::Instrument* inst = universe_->find(order.instrument);
  if (inst == nullptr) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("simulated broker: order {} for unknown instrument '{}'", order.client_order_id,
                             order.instrument.str())};
  }
  SimExecution e;
  e.order = order;
  e.decision_date = decision_date;
  e.fill_date = fill_date;
  e.signed_quantity = order.side == execution::PlannedSide::kBuy ? order.quantity : -order.quantity;
  e.market_price = kNaN;

  double market = kNaN;
  if (prices) {
    if (settings_.fill_model == config::FillModel::kNextOpen && std::isfinite(prices->open) && prices->open > 0) {
      market = prices->open;
    } else if (std::isfinite(prices->close) && prices->close > 0) {
      market = prices->close;
      e.used_close_for_open = settings_.fill_model == config::FillModel::kNextOpen;
    }
  }
  if (!std::isfinite(market)) {
    e.unfilled_reason = "no_bar";
    return e;
  }
  e.market_price = market;
  const double slip = settings_.slippage_bps / 10'000.0;
  const bool buy = order.side == execution::PlannedSide::kBuy;
  e.fill_price = buy ? market * (1.0 + slip) : market * (1.0 - slip);
  if (!order.market_order) {
    const bool within = buy ? e.fill_price <= order.limit_price : e.fill_price >= order.limit_price;
    if (!within) {
      e.unfilled_reason = "limit_not_reached";
      return e;
    }
  }

  const auto& c = inst->contract;
  if (c.currency != Currency::USD) {
    auto r = fx.rate(c.currency, fill_date);
    if (!r) return r.error().with_context(fmt::format("simulated fill of {} on {}", order.instrument.str(), fill_date.iso()));
    e.fx_usd_per_unit = r->value;
  }
  const double per_unit_usd = c.price_unit.to_currency_units(1.0) * c.multiplier * e.fx_usd_per_unit;
  e.notional_usd = order.quantity * e.fill_price * per_unit_usd;
  e.slippage_usd = order.quantity * std::abs(e.fill_price - market) * per_unit_usd;
  AF_ASSIGN_OR_RETURN(e.commission_usd, commission_usd(*inst, order.quantity, e.notional_usd));
  e.commission = Money{e.commission_usd / e.fx_usd_per_unit, c.currency};
  e.hedge_premium = c.sec_type == config::SecType::kOpt && buy;
  e.filled = true;
  return e;
}

std::vector<portfolio::Fill> SimBroker::book_fills(const SimExecution& e) const {
  std::vector<portfolio::Fill> fills;
  if (!e.filled) return fills;
  // The planner's allocation sums to the signed order; fall back to the order's sleeve.
  std::map<config::Sleeve, Quantity> alloc = e.order.allocation;
  double sum = 0.0, abs_sum = 0.0;
  for (const auto& [s, q] : alloc) {
    sum += q;
    abs_sum += std::abs(q);
  }
  if (alloc.empty() || std::abs(sum - e.signed_quantity) > 1e-9 * std::max(1.0, std::abs(sum))) {
    alloc = {{e.order.sleeve, e.signed_quantity}};
    abs_sum = std::abs(e.signed_quantity);
  }
  for (const auto& [sleeve, q] : alloc) {
    if (q == 0.0) continue;
    portfolio::Fill f;
    f.instrument = e.order.instrument;
    f.sleeve = sleeve;
    f.quantity = q;
    f.price = e.fill_price;
    f.commission = Money{e.commission.amount * std::abs(q) / abs_sum, e.commission.currency};
    fills.push_back(f);
  }
  return fills;
}

std::map<Currency, double> SimBroker::interest(const std::map<Currency, double>& cash, Date from, Date to) const {
  std::map<Currency, double> out;
  const int days = from.days_until(to);
  if (days <= 0) return out;
  const double year_fraction = days / settings_.day_count_basis;
  for (const auto& [c, balance] : cash) {
    if (balance == 0.0) continue;
    const double rate = balance >= 0.0 ? settings_.cash_rate_annual
                                       : settings_.cash_rate_annual + settings_.borrow_spread_annual;
    out[c] = balance * rate * year_fraction;
  }
  return out;
}

}  // namespace af::backtest
