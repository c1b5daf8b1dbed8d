// portfolio/portfolio.hpp — the book: positions by (instrument, sleeve), cash per currency, NAV in
// USD, P&L, drawdown, sleeve exposures (SYSTEM.md §4 Portfolio; original §3.2 with its defects
// 1, 2, 4, 5, 6, 7, 12 and 37 fixed).
//
// Units and conventions
//   * quantity: signed units or contracts (short < 0).
//   * avg_price and mark: per unit, in the instrument's price unit (GBX for the GBP LSE lines).
//     The broker boundary divides IB's futures avgCost (which includes the multiplier) by the
//     multiplier once, so here a price is always per unit and the multiplier is applied once.
//   * Valuation (what a position adds to NAV), in the instrument's currency:
//       stocks, ETFs, options, cash FX:  quantity x mark x multiplier        (paid for in cash)
//       futures:                         quantity x (mark - avg_price) x multiplier
//                                        (open P&L; the notional is never paid)
//     so a fill moves value between cash and positions and changes NAV only by its commission.
//   * Exposure (risk, sleeve weights, leverage): quantity x mark x multiplier for every type.
//   * NAV (USD) = sum over currencies of cash x FX + sum of position values x FX + the hedge
//     book's option hedges at their last marks (HedgeBook::option_value_usd; mark them first),
//     with FX from marketdata::FxRates; every rate used is reported (source and age).
//   * P&L: `_usd` names are money, `_return` names are fractions. Never mixed.
//
// Pure: no I/O, no clock. Thread-safety: a Portfolio is owned by one thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/container/flat_map.hpp>

#include "config/instruments.hpp"
#include "config/settings.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "core/types.hpp"
#include "marketdata/fx.hpp"
#include "portfolio/hedge_book.hpp"

namespace af::portfolio {

using config::Sleeve;

struct PositionKey {
  InstrumentId instrument;
  Sleeve sleeve = Sleeve::kCoreIndexRv;
  friend auto operator<=>(const PositionKey&, const PositionKey&) = default;
};

struct Position {
  InstrumentId instrument;
  Sleeve sleeve = Sleeve::kCoreIndexRv;
  Quantity quantity = 0.0;
  double avg_price = 0.0;              // per unit, in the instrument's price unit
  std::optional<double> mark;          // last mark, in the price unit; nullopt = never marked
  double realized_pnl_local = 0.0;     // in the instrument's currency, since inception
};

// A position as the broker reports it, already mapped to a canonical id (one place:
// config::InstrumentUniverse::find_by_broker) and with avg_price per unit.
struct BrokerPosition {
  InstrumentId instrument;
  Quantity quantity = 0.0;
  double avg_price = 0.0;  // per unit, price unit of the instrument
};

// A fill to apply to the book. Quantity signed (buy > 0). Price in the instrument's price unit.
struct Fill {
  InstrumentId instrument;
  Sleeve sleeve = Sleeve::kCoreIndexRv;
  Quantity quantity = 0.0;
  double price = 0.0;
  Money commission{0.0, Currency::USD};
};

// Marks for valuation: instrument id -> price in the instrument's price unit. A sorted flat map
// (the type of strategy::MarketView::prices, so the day's prices value the book without a copy).
using Marks = boost::container::flat_map<InstrumentId, double>;

struct PositionValuation {
  PositionKey key;
  Quantity quantity = 0.0;
  double mark = 0.0;              // price unit
  Money value_local;              // contribution to NAV, instrument currency
  double value_usd = 0.0;
  double exposure_usd = 0.0;      // signed notional
  bool stale_mark = false;        // no mark given for today: the last mark was used (flagged)
};

struct SleeveExposure {
  Sleeve sleeve = Sleeve::kCoreIndexRv;
  double long_usd = 0.0;
  double short_usd = 0.0;  // positive number
  double gross_usd() const { return long_usd + short_usd; }
  double net_usd() const { return long_usd - short_usd; }
  double weight = 0.0;     // gross / NAV
};

struct Valuation {
  Date as_of;
  double nav_usd = 0.0;
  std::map<Currency, double> cash_local;
  double cash_usd = 0.0;
  double option_hedges_usd = 0.0;  // hedge book options at their last marks (in nav_usd)
  std::vector<PositionValuation> positions;
  std::vector<SleeveExposure> sleeves;  // all six, in config::kAllSleeves order
  double gross_exposure_usd = 0.0;
  double net_exposure_usd = 0.0;
  std::vector<marketdata::FxRate> fx_used;  // one per non-USD currency involved
  std::vector<std::string> warnings;        // stale marks, fallback FX rates
};

// P&L from the NAV history (SYSTEM.md: daily, MTD, YTD in money and as returns, distinct names).
struct PnlSummary {
  Date as_of;
  double nav_usd = 0.0;
  std::optional<double> daily_pnl_usd, daily_return;  // vs the previous history entry
  std::optional<double> mtd_pnl_usd, mtd_return;      // vs the last NAV of the previous month
  std::optional<double> ytd_pnl_usd, ytd_return;      // vs the last NAV of the previous year
  double current_drawdown = 0.0;  // (NAV - running peak) / peak, <= 0
  double max_drawdown = 0.0;      // most negative drawdown over the history, <= 0
};

class Portfolio {
 public:
  Portfolio() = default;

  // --- positions -------------------------------------------------------------------------
  const std::map<PositionKey, Position>& positions() const noexcept { return positions_; }
  // Sum of quantities of `instrument` across sleeves.
  Quantity quantity(const InstrumentId& instrument) const;
  Quantity quantity(const InstrumentId& instrument, Sleeve sleeve) const;
  void set_position(Position p);  // replaces the (instrument, sleeve) entry; zero removes it

  // Broker sync: the broker's quantities REPLACE the book's (never merge; original defect 2).
  // Each broker position keeps the sleeve split the book had when the totals agree; otherwise
  // the whole broker quantity goes to `sleeve_of(instrument)` (the instrument's first sleeve
  // role) and the change is reported. Book positions absent at the broker are removed.
  std::vector<std::string> replace_from_broker(const std::vector<BrokerPosition>& broker,
                                               const config::InstrumentUniverse& universe);

  // --- cash --------------------------------------------------------------------------------
  const std::map<Currency, double>& cash() const noexcept { return cash_; }
  double cash(Currency c) const;
  void set_cash(Currency c, double amount);
  // Broker sync of cash: replaces every currency balance.
  void replace_cash(const std::map<Currency, double>& balances);

  // --- fills -------------------------------------------------------------------------------
  // Applies a fill: position quantity and average price, realised P&L on reductions, cash in the
  // instrument's currency (not for futures: only commission), commission from cash in its own
  // currency. Returns an error for unknown instruments or non-finite numbers.
  Status apply_fill(const Fill& fill, const config::InstrumentUniverse& universe);

  // --- valuation ---------------------------------------------------------------------------
  // Values the book on `as_of` with `marks` (missing marks fall back to the last mark, flagged;
  // a position that was never marked is an error naming the instrument). Updates stored marks.
  // Cost: O(positions x log marks) plus one FX lookup per currency; no per-sleeve allocation.
  Result<Valuation> value(Date as_of, const Marks& marks, const config::InstrumentUniverse& universe,
                          const marketdata::FxRates& fx);

  // --- history -----------------------------------------------------------------------------
  // NAV history (USD), one entry per date; recording the same date again overwrites it.
  const std::map<Date, double>& nav_history() const noexcept { return nav_history_; }
  void record_nav(Date date, double nav_usd);
  // P&L and drawdown as of the latest history entry at or before `as_of`.
  std::optional<PnlSummary> pnl(Date as_of) const;
  // Daily returns from the NAV history, ascending dates (first date has no return).
  std::vector<double> daily_returns() const;

  // --- hedges ------------------------------------------------------------------------------
  HedgeBook& hedges() noexcept { return hedges_; }
  const HedgeBook& hedges() const noexcept { return hedges_; }

 private:
  std::map<PositionKey, Position> positions_;
  std::map<Currency, double> cash_;
  std::map<Date, double> nav_history_;
  HedgeBook hedges_;
};

// The sleeve an instrument's position belongs to when nothing else says: its first sleeve role
// in instruments.yaml (original defect 12: everything used to land in core).
Sleeve default_sleeve(const config::Instrument& instrument);

// Drawdown series helpers on a NAV path (running peak starts at the first value).
double max_drawdown(const std::vector<double>& nav);

}  // namespace af::portfolio
