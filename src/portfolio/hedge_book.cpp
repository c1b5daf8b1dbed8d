#include "portfolio/hedge_book.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>

namespace af::portfolio {

std::string_view to_string(HedgeType t) noexcept {
  switch (t) {
    case HedgeType::kEquityPut: return "equity_put";
    case HedgeType::kVixCall: return "vix_call";
    case HedgeType::kCreditPut: return "credit_put";
    case HedgeType::kSovereignSpread: return "sovereign_spread";
    case HedgeType::kBankPut: return "bank_put";
  }
  return "unknown";
}

Result<HedgeType> parse_hedge_type(std::string_view text) {
  for (HedgeType t : kAllHedgeTypes) {
    if (to_string(t) == text) return t;
  }
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("unknown hedge type '{}' (expected equity_put, vix_call, credit_put, "
                           "sovereign_spread or bank_put)", text)};
}

std::optional<int> Hedge::days_to_expiry(Date today) const {
  if (!expiry) return std::nullopt;
  return today.days_until(*expiry);
}

double HedgeBudget::remaining_usd() const {
  return std::max(0.0, total_usd() - used_ytd_usd + recycle_fraction * realized_gains_ytd_usd);
}

double HedgeBudget::usage() const {
  const double total = total_usd();
  return total > 0 ? used_ytd_usd / total : 0.0;
}

std::vector<const Hedge*> HedgeBook::active() const {
  std::vector<const Hedge*> out;
  for (const auto& h : hedges_) {
    if (h.active) out.push_back(&h);
  }
  return out;
}

HedgeBook HedgeBook::active_only() const {
  HedgeBook out;
  out.budget_ = budget_;
  for (const auto& h : hedges_) {
    if (h.active) out.hedges_.push_back(h);
  }
  return out;
}

const Hedge* HedgeBook::find(std::string_view hedge_id) const {
  for (const auto& h : hedges_) {
    if (h.hedge_id == hedge_id) return &h;
  }
  return nullptr;
}

Hedge* HedgeBook::find_mutable(std::string_view hedge_id) {
  return const_cast<Hedge*>(static_cast<const HedgeBook*>(this)->find(hedge_id));
}

bool HedgeBook::roll_budget_year(Date today, double nav_at_year_start_usd, double annual_pct,
                                 double recycle_fraction) {
  if (budget_.year >= today.year() && budget_.year != 0) return false;
  budget_ = HedgeBudget{today.year(), annual_pct, nav_at_year_start_usd, 0.0, 0.0, recycle_fraction};
  return true;
}

void HedgeBook::record_purchase(const Hedge& bought, double premium_usd) {
  if (Hedge* h = find_mutable(bought.hedge_id); h != nullptr && h->active) {
    h->quantity += bought.quantity;
    h->premium_paid_usd += premium_usd;
  } else {
    Hedge copy = bought;
    copy.premium_paid_usd = premium_usd;
    copy.active = true;
    if (h != nullptr) {
      *h = copy;  // reopening an inactive id
    } else {
      hedges_.push_back(copy);
    }
  }
  budget_.used_ytd_usd += premium_usd;
}

Status HedgeBook::record_sale(std::string_view hedge_id, Quantity quantity, double proceeds_usd) {
  Hedge* h = find_mutable(hedge_id);
  if (h == nullptr || !h->active) {
    return Error{ErrorCode::kNotFound, fmt::format("hedge '{}' is not in the hedge book", hedge_id)};
  }
  if (!(quantity > 0) || quantity > std::abs(h->quantity)) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("cannot sell {} contracts of hedge '{}' holding {}", quantity, hedge_id, h->quantity)};
  }
  const double fraction = quantity / std::abs(h->quantity);
  const double cost = h->premium_paid_usd * fraction;
  const double gain = proceeds_usd - cost;
  if (gain > 0) budget_.realized_gains_ytd_usd += gain;
  h->premium_paid_usd -= cost;
  h->current_value_usd *= (1.0 - fraction);
  h->quantity -= (h->quantity > 0 ? quantity : -quantity);
  if (h->quantity == 0.0) h->active = false;
  return ok_status();
}

Status HedgeBook::mark_replaced(std::string_view hedge_id) {
  Hedge* h = find_mutable(hedge_id);
  if (h == nullptr || !h->active) {
    return Error{ErrorCode::kNotFound, fmt::format("hedge '{}' is not an active hedge of the hedge book", hedge_id)};
  }
  h->replaced = true;
  return ok_status();
}

void HedgeBook::mark(const Hedge& entry, double current_value_usd) {
  const std::less<const Hedge*> before;
  AF_CHECK(!hedges_.empty() && !before(&entry, hedges_.data()) && before(&entry, hedges_.data() + hedges_.size()),
           "HedgeBook::mark: the hedge is not an entry of this book");
  hedges_[static_cast<std::size_t>(&entry - hedges_.data())].current_value_usd = current_value_usd;
}

double HedgeBook::coverage_usd(HedgeType type) const {
  double total = 0.0;
  for (const auto& h : hedges_) {
    if (h.active && h.type == type) total += h.premium_paid_usd;
  }
  return total;
}

double HedgeBook::option_value_usd() const {
  double total = 0.0;
  for (const auto& h : hedges_) {
    if (h.active && h.expiry && h.strike && h.right) total += h.current_value_usd;
  }
  return total;
}

}  // namespace af::portfolio
