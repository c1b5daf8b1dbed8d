// Enum spellings, small Settings helpers and the InstrumentUniverse.
#include <algorithm>

#include <fmt/format.h>

#include "config/instruments.hpp"
#include "config/settings.hpp"
#include "core/check.hpp"

namespace af::config {

std::string_view to_string(Mode m) noexcept {
  switch (m) {
    case Mode::kSim: return "sim";
    case Mode::kPaper: return "paper";
    case Mode::kLive: return "live";
  }
  return "?";
}

std::string_view to_string(Sleeve s) noexcept {
  switch (s) {
    case Sleeve::kCoreIndexRv: return "core_index_rv";
    case Sleeve::kSectorRv: return "sector_rv";
    case Sleeve::kSingleName: return "single_name";
    case Sleeve::kCreditCarry: return "credit_carry";
    case Sleeve::kCrisisAlpha: return "crisis_alpha";
    case Sleeve::kCashBuffer: return "cash_buffer";
  }
  return "?";
}

std::string_view to_string(VolEstimator v) noexcept {
  return v == VolEstimator::kEwma ? "ewma" : "original_20_60";
}
std::string_view to_string(StateBackend b) noexcept {
  return b == StateBackend::kPostgres ? "postgres" : "sqlite";
}
std::string_view to_string(OrderStyle o) noexcept {
  return o == OrderStyle::kMarket ? "market" : "marketable_limit";
}
std::string_view to_string(CommissionModel c) noexcept {
  return c == CommissionModel::kFixedBps ? "fixed_bps" : "ib_tiered";
}
std::string_view to_string(FillModel f) noexcept {
  return f == FillModel::kSameClose ? "same_close" : "next_open";
}
std::string_view to_string(MonteCarloModel m) noexcept {
  return m == MonteCarloModel::kStrategy ? "strategy" : "spread";
}
std::string_view to_string(MonteCarloRng r) noexcept {
  return r == MonteCarloRng::kFast ? "fast" : "numpy-legacy";
}

Result<Mode> parse_mode(std::string_view text) {
  for (Mode m : {Mode::kSim, Mode::kPaper, Mode::kLive}) {
    if (to_string(m) == text) return m;
  }
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("unknown mode '{}' (expected sim, paper or live)", text)};
}

Result<Sleeve> parse_sleeve(std::string_view text) {
  for (Sleeve s : kAllSleeves) {
    if (to_string(s) == text) return s;
  }
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("unknown sleeve '{}' (expected core_index_rv, sector_rv, single_name, "
                           "credit_carry, crisis_alpha or cash_buffer)",
                           text)};
}

double SleeveWeights::weight(Sleeve s) const noexcept {
  switch (s) {
    case Sleeve::kCoreIndexRv: return core_index_rv;
    case Sleeve::kSectorRv: return sector_rv;
    case Sleeve::kSingleName: return single_name;
    case Sleeve::kCreditCarry: return credit_carry;
    case Sleeve::kCrisisAlpha: return crisis_alpha;
    case Sleeve::kCashBuffer: return cash_buffer;
  }
  return 0.0;
}

int IbkrSettings::effective_port(Mode mode) const noexcept {
  if (port != 0) return port;
  switch (mode) {
    case Mode::kSim: return sim_port;
    case Mode::kPaper: return paper_port;
    case Mode::kLive: return live_port;
  }
  return paper_port;
}

std::string ListenAddress::str() const { return fmt::format("{}:{}", host, port); }

std::string_view to_string(SecType t) noexcept {
  switch (t) {
    case SecType::kStk: return "STK";
    case SecType::kFut: return "FUT";
    case SecType::kCash: return "CASH";
    case SecType::kOpt: return "OPT";
    case SecType::kInd: return "IND";
  }
  return "?";
}

std::string_view to_string(ExpiryCycle c) noexcept {
  return c == ExpiryCycle::kMonthly ? "monthly" : "quarterly";
}

std::string_view to_string(ExpiryRule r) noexcept {
  switch (r) {
    case ExpiryRule::kThirdFriday: return "third_friday";
    case ExpiryRule::kTwoBusinessDaysBeforeThirdWednesday:
      return "two_business_days_before_third_wednesday";
    case ExpiryRule::kTwoBusinessDaysBeforeTenth: return "two_business_days_before_tenth";
    case ExpiryRule::kThirtyDaysBeforeNextThirdFriday:
      return "thirty_days_before_next_third_friday";
  }
  return "?";
}

std::string_view to_string(OptionRight r) noexcept { return r == OptionRight::kCall ? "C" : "P"; }

std::vector<unsigned> FutureSpec::contract_months() const {
  if (expiry_cycle == ExpiryCycle::kQuarterly) return {3, 6, 9, 12};
  return {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
}

bool Instrument::has_sleeve(Sleeve s) const noexcept {
  for (Sleeve x : sleeves) {
    if (x == s) return true;
  }
  return false;
}

std::optional<double> Instrument::position_limit_pct_nav(const PositionLimits& limits) const noexcept {
  switch (contract.sec_type) {
    case SecType::kStk: return is_etf ? limits.etf_pct_nav : limits.stock_pct_nav;
    case SecType::kFut: return limits.future_pct_nav;
    case SecType::kOpt: return limits.option_pct_nav;
    case SecType::kCash:
    case SecType::kInd: return std::nullopt;
  }
  return std::nullopt;
}

InstrumentUniverse::InstrumentUniverse(std::vector<Instrument> instruments)
    : instruments_(std::move(instruments)) {
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    bool inserted = index_.emplace(instruments_[i].id, i).second;
    AF_CHECK(inserted, "InstrumentUniverse: duplicate instrument id " + instruments_[i].id.str());
  }
  std::vector<std::size_t> by_id(instruments_.size());
  for (std::size_t i = 0; i < by_id.size(); ++i) by_id[i] = i;
  std::sort(by_id.begin(), by_id.end(), [&](std::size_t a, std::size_t b) { return instruments_[a].id < instruments_[b].id; });
  id_rank_.resize(instruments_.size());
  for (std::size_t r = 0; r < by_id.size(); ++r) id_rank_[by_id[r]] = r;
}

const Instrument* InstrumentUniverse::find(const InstrumentId& id) const noexcept {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &instruments_[it->second];
}

const Instrument& InstrumentUniverse::at(const InstrumentId& id) const {
  const Instrument* inst = find(id);
  AF_CHECK(inst != nullptr, "InstrumentUniverse::at: unknown instrument id " + id.str());
  return *inst;
}

const Instrument* InstrumentUniverse::find_by_broker(std::string_view symbol, SecType sec_type,
                                                     Currency currency,
                                                     std::string_view primary_exchange) const
    noexcept {
  for (const auto& inst : instruments_) {
    const auto& c = inst.contract;
    if (c.symbol != symbol || c.sec_type != sec_type || c.currency != currency) continue;
    if (!primary_exchange.empty() && !c.primary_exchange.empty() &&
        c.primary_exchange != primary_exchange) {
      continue;
    }
    return &inst;
  }
  return nullptr;
}

std::vector<const Instrument*> InstrumentUniverse::by_sleeve(Sleeve s) const {
  std::vector<const Instrument*> out;
  for (const auto& inst : instruments_) {
    if (inst.has_sleeve(s)) out.push_back(&inst);
  }
  return out;
}

}  // namespace af::config
