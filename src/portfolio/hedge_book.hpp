// portfolio/hedge_book.hpp — the tail-hedge book and the hedge budget (SYSTEM.md §4 Portfolio and
// Tail hedges; original §3.6 with defect 10 fixed: every purchase is recorded, the budget is
// persisted with the book and resets on 1 January).
//
// Money here is USD (premiums converted at the fill date's FX by the caller).
// Pure. Thread-safety: owned by one thread with its Portfolio.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/instruments.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace af::portfolio {

enum class HedgeType { kEquityPut, kVixCall, kCreditPut, kSovereignSpread, kBankPut };
inline constexpr HedgeType kAllHedgeTypes[] = {HedgeType::kEquityPut, HedgeType::kVixCall,
                                               HedgeType::kCreditPut, HedgeType::kSovereignSpread,
                                               HedgeType::kBankPut};
std::string_view to_string(HedgeType t) noexcept;
Result<HedgeType> parse_hedge_type(std::string_view text);

// One executable hedge contract held by the fund.
struct Hedge {
  std::string hedge_id;          // deterministic: "<type>:<instrument>:<expiry>:<strike><right>"
  HedgeType type = HedgeType::kEquityPut;
  InstrumentId instrument;       // the option (or future) instrument id in instruments.yaml
  InstrumentId underlying;       // empty for futures
  std::optional<double> strike;  // in the underlying's price unit
  std::optional<Date> expiry;
  std::optional<config::OptionRight> right;
  Quantity quantity = 0.0;       // contracts, signed
  double premium_paid_usd = 0.0; // total premium paid for the open quantity (>= 0 for longs)
  double current_value_usd = 0.0;
  Date opened;
  bool active = true;
  // A roll replacement of this hedge was bought: only its close remains to do (the roll step
  // retries the close and never buys a second replacement).
  bool replaced = false;

  double pnl_usd() const { return current_value_usd - premium_paid_usd; }
  // Days from `today` to expiry; nullopt for hedges without expiry.
  std::optional<int> days_to_expiry(Date today) const;
};

// Annual premium budget: budget_pct x NAV at the start of the calendar year; 50 % (configurable)
// of realised hedge gains recycled; resets on 1 January.
struct HedgeBudget {
  int year = 0;                        // calendar year this budget belongs to
  double annual_pct = 0.025;
  double nav_at_year_start_usd = 0.0;
  double used_ytd_usd = 0.0;
  double realized_gains_ytd_usd = 0.0;
  double recycle_fraction = 0.5;

  double total_usd() const { return nav_at_year_start_usd * annual_pct; }
  double remaining_usd() const;
  double usage() const;  // used / total (0 when total is 0)
};

class HedgeBook {
 public:
  const std::vector<Hedge>& hedges() const noexcept { return hedges_; }
  std::vector<const Hedge*> active() const;
  // A book holding only the active hedges (in book order) and the same budget. Every reader of
  // active hedges (coverage, values, marks, rolls, the crisis playbook, summaries) sees it exactly
  // as this book; the closed ones are history (they grow with the book's age, so a per-day
  // working copy of the whole book would cost O(history) per day).
  HedgeBook active_only() const;
  const Hedge* find(std::string_view hedge_id) const;
  HedgeBudget& budget() noexcept { return budget_; }
  const HedgeBudget& budget() const noexcept { return budget_; }

  // Starts a new budget year when `today` is in a later year than the budget (or no budget yet):
  // nav_at_year_start is `nav_at_year_start_usd` (the last NAV of the previous year, or today's
  // NAV for a brand-new book). Returns true when it reset.
  bool roll_budget_year(Date today, double nav_at_year_start_usd, double annual_pct,
                        double recycle_fraction);

  // Records a purchase (or an increase of an existing hedge with the same id): adds quantity and
  // premium, and charges the premium to the budget's used_ytd.
  void record_purchase(const Hedge& bought, double premium_usd);
  // Records a sale of `quantity` contracts (> 0) of a hedge for `proceeds_usd`: reduces quantity
  // and premium pro rata, books the realised gain (if any) in the budget; deactivates at zero.
  Status record_sale(std::string_view hedge_id, Quantity quantity, double proceeds_usd);
  // Marks an active hedge as replaced by a roll (see Hedge::replaced).
  Status mark_replaced(std::string_view hedge_id);
  // Updates the current value of an entry of this book (a pointer from active(), find() or
  // hedges()), in O(1), without a search by id through the whole book (closed hedges included).
  // An entry of another book is a broken invariant (loud stop).
  void mark(const Hedge& entry, double current_value_usd);

  // Premium paid of active hedges of `type` (the coverage measure of original §3.6.1).
  double coverage_usd(HedgeType type) const;
  // Current value (USD, as last marked) of the active option hedges. Futures hedges (the
  // sovereign spread) are ordinary positions and are not counted here.
  double option_value_usd() const;

  void restore(std::vector<Hedge> hedges, HedgeBudget budget) {
    hedges_ = std::move(hedges);
    budget_ = budget;
  }

 private:
  Hedge* find_mutable(std::string_view hedge_id);
  std::vector<Hedge> hedges_;
  HedgeBudget budget_;
};

}  // namespace af::portfolio
