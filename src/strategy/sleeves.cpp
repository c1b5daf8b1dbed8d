#include "strategy/sleeves.hpp"

#include <cmath>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace af::strategy {
namespace {

struct Builder {
  const config::Config& cfg;
  const StrategyInputs& in;
  StrategyOutput& out;

  const MarketView& market() const { return *in.market; }

  // Adds a line for `id` sized to `notional_usd` (signed). Reports and skips when unusable.
  // Returns the line's realised signed USD notional (0 when skipped).
  double add(SleeveTarget& sleeve, const InstrumentId& id, double wanted_usd, std::string reason) {
    return add_priced(sleeve, id, market().price(id), wanted_usd, std::move(reason));
  }

  // add() with the instrument's usable price already looked up (nullopt: unusable).
  double add_priced(SleeveTarget& sleeve, const InstrumentId& id, std::optional<double> price, double wanted_usd,
                    std::string reason) {
    const config::Instrument* inst = cfg.instruments.find(id);
    if (inst == nullptr) {
      out.skipped.push_back({id, sleeve.sleeve, "unknown_instrument",
                             fmt::format(FMT_COMPILE("'{}' is not in instruments.yaml"), id.str())});
      return 0.0;
    }
    if (!price) {
      out.skipped.push_back({id, sleeve.sleeve, "unusable_data", market().why_unusable(id)});
      return 0.0;
    }
    // The per-type position limit (settings risk.position_limits) caps the line here, so legs
    // sized from it (the EUR hedge) follow the capped size.
    if (auto pct = inst->position_limit_pct_nav(cfg.settings.risk.position_limits)) {
      const double limit = *pct * in.nav_usd;
      if (std::abs(wanted_usd) > limit) {
        sleeve.notes.push_back(fmt::format(FMT_COMPILE("{}: {:.0f} USD capped at the {:.0f}% position limit ({:.0f} USD)"),
                                           id.str(), std::abs(wanted_usd), *pct * 100, limit));
        wanted_usd = std::copysign(limit, wanted_usd);
      }
    }
    auto q = quantity_for_notional(*inst, wanted_usd, *price, market());
    if (!q) {
      out.skipped.push_back({id, sleeve.sleeve, "fx_unavailable", q.error().message});
      return 0.0;
    }
    if (*q == 0.0) {
      out.skipped.push_back({id, sleeve.sleeve, "rounds_to_zero",
                             fmt::format(FMT_COMPILE("{:.0f} USD is less than one lot at {}"), wanted_usd, *price)});
      return 0.0;
    }
    auto n = notional_usd(*inst, *q, *price, market());
    sleeve.lines.push_back({id, sleeve.sleeve, *q, *price, n ? *n : 0.0, wanted_usd, std::move(reason)});
    return sleeve.lines.back().notional_usd;
  }

  // Equal-weight basket: `total_usd` (signed) split over the usable legs. Unusable legs are
  // reported; with `redistribute`, their weight goes to the usable ones.
  void basket(SleeveTarget& sleeve, const std::vector<InstrumentId>& ids, double total_usd, bool redistribute,
              const std::string& label) {
    std::vector<std::pair<const InstrumentId*, double>> usable;  // with its price (looked up once)
    usable.reserve(ids.size());
    for (const auto& id : ids) {
      if (auto price = market().price(id)) usable.emplace_back(&id, *price);
      else out.skipped.push_back({id, sleeve.sleeve, "unusable_data", market().why_unusable(id)});
    }
    if (usable.empty()) {
      sleeve.notes.push_back(fmt::format(FMT_COMPILE("{}: no usable leg; basket not built"), label));
      return;
    }
    const double per_leg = total_usd / static_cast<double>(redistribute ? usable.size() : ids.size());
    if (usable.size() < ids.size()) {
      sleeve.notes.push_back(redistribute
                                 ? fmt::format(FMT_COMPILE("{}: {} of {} legs unusable; weight redistributed over {}"),
                                               label, ids.size() - usable.size(), ids.size(), usable.size())
                                 : fmt::format(FMT_COMPILE("{}: {} of {} legs unusable; their weight left in cash"),
                                               label, ids.size() - usable.size(), ids.size()));
    }
    // Every leg has the same reason: formatted once.
    const std::string reason =
        fmt::format(FMT_COMPILE("{} equal weight 1/{}"), label, redistribute ? usable.size() : ids.size());
    for (const auto& [id, price] : usable) add_priced(sleeve, *id, price, per_leg, reason);
  }

  // Weighted basket (weights sum to 1 within the leg), with the same redistribution rule.
  void weighted(SleeveTarget& sleeve, const std::vector<config::WeightedInstrument>& legs, double total_usd,
                const std::string& label) {
    double usable_weight = 0.0;
    std::vector<std::optional<double>> prices;  // per leg, looked up once
    prices.reserve(legs.size());
    for (const auto& leg : legs) {
      prices.push_back(market().price(leg.id));
      if (prices.back()) usable_weight += leg.weight;
      else out.skipped.push_back({leg.id, sleeve.sleeve, "unusable_data", market().why_unusable(leg.id)});
    }
    if (usable_weight <= 0) {
      sleeve.notes.push_back(fmt::format(FMT_COMPILE("{}: no usable leg"), label));
      return;
    }
    if (usable_weight < 1.0 - 1e-12) {
      sleeve.notes.push_back(fmt::format(FMT_COMPILE("{}: usable legs carry {:.0f}% of the weight; redistributed"),
                                         label, usable_weight * 100));
    }
    for (std::size_t i = 0; i < legs.size(); ++i) {
      if (!prices[i]) continue;
      const auto& leg = legs[i];
      add_priced(sleeve, leg.id, prices[i], total_usd * leg.weight / usable_weight,
                 fmt::format(FMT_COMPILE("{} weight {:.2f}"), label, leg.weight / usable_weight));
    }
  }
};

}  // namespace

Result<Quantity> quantity_for_notional(const config::Instrument& instrument, double notional_usd, double price,
                                       const MarketView& market) {
  const auto& c = instrument.contract;
  auto rate = market.usd_per_unit(c.currency);
  if (!rate) return rate.error();
  const double notional_local = notional_usd / *rate;
  const double unit_value_local = c.price_unit.to_currency_units(price) * c.multiplier;
  const double lots = std::trunc(notional_local / unit_value_local / c.lot_size);
  return lots * c.lot_size + 0.0;  // + 0.0 turns -0 into 0
}

Result<double> notional_usd(const config::Instrument& instrument, Quantity quantity, double price,
                            const MarketView& market) {
  const auto& c = instrument.contract;
  auto rate = market.usd_per_unit(c.currency);
  if (!rate) return rate.error();
  return quantity * c.price_unit.to_currency_units(price) * c.multiplier * *rate;
}

std::vector<TargetLine> StrategyOutput::all_lines() const {
  std::vector<TargetLine> out;
  std::size_t n = 0;
  for (const auto& s : sleeves) n += s.lines.size();
  out.reserve(n);
  for (const auto& s : sleeves) out.insert(out.end(), s.lines.begin(), s.lines.end());
  return out;
}

StrategyOutput compute_targets(const config::Config& cfg, const StrategyInputs& in) {
  AF_CHECK(in.market != nullptr && in.market->fx != nullptr, "compute_targets needs a market view with FX");
  StrategyOutput out;
  Builder b{cfg, in, out};
  const auto& st = cfg.settings.strategy;
  const auto& w = cfg.settings.sleeves;
  const double N = in.nav_usd, s = in.scaling;

  // Core index RV.
  {
    SleeveTarget t{Sleeve::kCoreIndexRv, w.core_index_rv, N * w.core_index_rv * s, {}, {}};
    const double leg = t.target_notional_usd / 2.0;
    b.add(t, st.core_index_rv.us_long, leg, "core: long US index leg");
    const double eu = b.add(t, st.core_index_rv.eu_short, -leg, "core: short EU index leg");
    if (st.core_index_rv.fx_hedge_enabled && eu != 0.0) {
      const config::Instrument* hedge = cfg.instruments.find(st.core_index_rv.fx_hedge);
      const config::Instrument* eu_inst = cfg.instruments.find(st.core_index_rv.eu_short);
      auto fx_price = in.market->price(st.core_index_rv.fx_hedge);
      if (hedge != nullptr && eu_inst != nullptr && fx_price) {
        // EUR notional of the short leg, in EUR; one future covers `multiplier` EUR.
        auto rate = in.market->usd_per_unit(eu_inst->contract.currency);
        const double eur_notional = rate ? std::abs(eu) / *rate : 0.0;
        const double contracts = -std::trunc(eur_notional / hedge->contract.multiplier);
        if (contracts != 0.0) {
          auto n = notional_usd(*hedge, contracts, *fx_price, *in.market);
          t.lines.push_back({hedge->id, Sleeve::kCoreIndexRv, contracts, *fx_price, n ? *n : 0.0, n ? *n : 0.0,
                             fmt::format(FMT_COMPILE("core: EUR hedge for {:.0f} EUR of short EU leg"), eur_notional)});
        } else {
          out.skipped.push_back({hedge->id, Sleeve::kCoreIndexRv, "rounds_to_zero",
                                 fmt::format("EUR notional {:.0f} is below one contract ({:.0f})", eur_notional,
                                             hedge->contract.multiplier)});
        }
      } else {
        out.skipped.push_back({st.core_index_rv.fx_hedge, Sleeve::kCoreIndexRv, "unusable_data",
                               in.market->why_unusable(st.core_index_rv.fx_hedge)});
      }
    }
    out.sleeves.push_back(std::move(t));
  }
  // Sector RV.
  {
    SleeveTarget t{Sleeve::kSectorRv, w.sector_rv, N * w.sector_rv * s, {}, {}};
    const double leg = t.target_notional_usd / 2.0;
    b.basket(t, st.sector_rv.us_long, leg, st.sector_rv.redistribute_unusable, "sector: US long basket");
    b.basket(t, st.sector_rv.eu_short, -leg, st.sector_rv.redistribute_unusable, "sector: EU short basket");
    out.sleeves.push_back(std::move(t));
  }
  // Single name.
  {
    SleeveTarget t{Sleeve::kSingleName, w.single_name, N * w.single_name * s, {}, {}};
    const double leg = t.target_notional_usd / 2.0;
    if (in.screen) {
      AF_CHECK(in.screen->as_of == in.market->as_of, "compute_targets: the precomputed screen is for another day");
      out.screen = in.screen;
    } else {
      out.screen = std::make_shared<const ScreenResult>(run_screen(cfg, *in.market, in.fundamentals));
    }
    std::vector<InstrumentId> longs, shorts;
    longs.reserve(out.screen->longs.size());
    shorts.reserve(out.screen->shorts.size());
    for (const auto& sc : out.screen->longs) longs.push_back(sc.instrument);
    for (const auto& sc : out.screen->shorts) shorts.push_back(sc.instrument);
    if (!longs.empty()) b.basket(t, longs, leg, true, "single name: screened long");
    else t.notes.push_back("single name: no long passed the screen");
    if (!shorts.empty()) {
      b.basket(t, shorts, -leg, true, "single name: screened short");
    } else if (!st.single_name.fallback_short.empty()) {
      t.notes.push_back("single name: no short passed the screen; fallback short " +
                        st.single_name.fallback_short.str());
      b.add(t, st.single_name.fallback_short, -leg, "single name: fallback short");
    }
    out.sleeves.push_back(std::move(t));
  }
  // Credit carry: US long legs and the EU short leg (placed: original defect 13).
  {
    SleeveTarget t{Sleeve::kCreditCarry, w.credit_carry, N * w.credit_carry * s, {}, {}};
    b.weighted(t, st.credit_carry.us_long, t.target_notional_usd * st.credit_carry.us_long_share, "credit: US long");
    b.weighted(t, st.credit_carry.eu_short, -t.target_notional_usd * st.credit_carry.eu_short_share,
               "credit: EU short");
    out.sleeves.push_back(std::move(t));
  }
  // Crisis alpha: the envelope for the tail-hedge book (not scaled by s, as the original).
  {
    const double mult = in.stressed_regime ? st.crisis_alpha.stress_envelope_multiplier : 1.0;
    SleeveTarget t{Sleeve::kCrisisAlpha, w.crisis_alpha, N * w.crisis_alpha * mult, {}, {}};
    t.notes.push_back("crisis alpha: envelope only; positions come from the tail-hedge book");
    out.sleeves.push_back(std::move(t));
  }
  // Cash buffer.
  {
    SleeveTarget t{Sleeve::kCashBuffer, w.cash_buffer, N * w.cash_buffer, {}, {}};
    t.notes.push_back("cash buffer: kept as cash");
    out.sleeves.push_back(std::move(t));
  }
  return out;
}

}  // namespace af::strategy
