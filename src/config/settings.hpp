// config/settings.hpp — the typed, validated contents of config/settings.yaml.
//
// Every key of the original settings.yaml (original-system.md §2.1), every constant the original
// hard-coded (end of §2.1 and the module sections), and the keys SYSTEM.md introduces. The key
// paths in the YAML file mirror the member paths here (`ibkr.paper_port` <-> settings.ibkr.paper_port);
// docs/CONFIGURATION.md documents each one with its type, default, range and unit.
//
// Units: fractions are plain doubles (0.12 = 12 %); `_pct` keys are fractions too (the original's
// naming), never percent numbers. Durations carry their unit in the name (`_seconds`, `_days`).
// Amounts are in the base currency (USD) unless the name says otherwise.
//
// Settings are built once by load_config() (config/config.hpp) and never change afterwards;
// pass them by const reference. Thread-safety: immutable after load, safe to share.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace af::config {

// ---------------------------------------------------------------------------------------------
// Enumerations shared with other modules.

// Where the engine trades (SYSTEM.md §2). backtest/montecarlo are commands, not modes.
enum class Mode { kSim, kPaper, kLive };

// The six sleeves of the strategy (original §3.4), in their build order.
enum class Sleeve { kCoreIndexRv, kSectorRv, kSingleName, kCreditCarry, kCrisisAlpha, kCashBuffer };
inline constexpr Sleeve kAllSleeves[] = {Sleeve::kCoreIndexRv, Sleeve::kSectorRv,
                                         Sleeve::kSingleName,  Sleeve::kCreditCarry,
                                         Sleeve::kCrisisAlpha, Sleeve::kCashBuffer};

enum class VolEstimator { kOriginal20_60, kEwma };  // "original_20_60" | "ewma"
enum class StateBackend { kSqlite, kPostgres };     // "sqlite" | "postgres"
enum class OrderStyle { kMarketableLimit, kMarket };  // "marketable_limit" | "market"
enum class CommissionModel { kIbTiered, kFixedBps };  // "ib_tiered" | "fixed_bps"
enum class FillModel { kNextOpen, kSameClose };       // "next_open" | "same_close"
enum class MonteCarloModel { kSpread, kStrategy };    // "spread" | "strategy"
enum class MonteCarloRng { kNumpyLegacy, kFast };     // "numpy-legacy" | "fast"

// Text forms are the YAML spellings above ("sim", "core_index_rv", ...).
std::string_view to_string(Mode m) noexcept;
std::string_view to_string(Sleeve s) noexcept;
std::string_view to_string(VolEstimator v) noexcept;
std::string_view to_string(StateBackend b) noexcept;
std::string_view to_string(OrderStyle o) noexcept;
std::string_view to_string(CommissionModel c) noexcept;
std::string_view to_string(FillModel f) noexcept;
std::string_view to_string(MonteCarloModel m) noexcept;
std::string_view to_string(MonteCarloRng r) noexcept;
Result<Mode> parse_mode(std::string_view text);
Result<Sleeve> parse_sleeve(std::string_view text);

// An instrument with a weight inside a basket (weights of one basket sum to 1).
struct WeightedInstrument {
  InstrumentId id;
  double weight = 0.0;
  friend bool operator==(const WeightedInstrument&, const WeightedInstrument&) = default;
};

// ---------------------------------------------------------------------------------------------
// Sections (YAML key in brackets).

// [sleeves] Target weight of each sleeve as a fraction of NAV; the six sum to 1 (±1e-9).
struct SleeveWeights {
  double core_index_rv = 0.35;
  double sector_rv = 0.25;
  double single_name = 0.15;
  double credit_carry = 0.15;
  double crisis_alpha = 0.05;
  double cash_buffer = 0.05;
  double weight(Sleeve s) const noexcept;
};

// [momentum] US/EU price-ratio trend (original §3.3.6).
struct MomentumSettings {
  int short_window_days = 50;
  int long_window_days = 200;         // also the minimum series length for a signal
  double regime_reduce_factor = 0.5;  // floor of the momentum reduction factor
  int slope_lookback_days = 19;       // relative change of the short MA over this many sessions
};

// [crisis] Crisis regime and playbook (original §3.3.7, §3.6.3).
struct CrisisSettings {
  double vix_threshold = 40.0;            // VIX >= this -> CRISIS, playbook adds hedges
  double pnl_spike_threshold_pct = 0.10;  // today's return >= this -> monetise hedges
  double crisis_redeploy_fraction = 0.6;  // fraction of each profitable hedge sold on a spike
  double crisis_budget_fraction = 0.5;    // share of remaining hedge budget spent in a VIX crisis
  double crisis_vix_call_share = 0.6;     // of that crisis budget: VIX calls (rest equity puts)
};

// [risk.regime] Regime ladder thresholds other than the CRISIS ones (crisis.vix_threshold,
// max_drawdown_pct). Drawdowns are negative fractions.
struct RegimeSettings {
  double vix_elevated = 25.0;             // VIX >= -> ELEVATED
  double vix_recovery_max = 20.0;         // RECOVERY needs VIX < this
  double drawdown_elevated_pct = -0.05;   // DD <= -> ELEVATED; RECOVERY needs DD >= this
  double drawdown_normal_pct = -0.03;     // NORMAL needs DD > this
  double vix_warning_level = 30.0;        // VIX > -> "Elevated VIX" warning
  double vix_increase_hedges = 25.0;      // VIX > -> increase_hedges flag
};

// [risk.vol_estimator] Realized volatility of fund returns (SYSTEM.md §4 Risk).
struct VolEstimatorSettings {
  VolEstimator method = VolEstimator::kOriginal20_60;
  int short_window_days = 20;
  int long_window_days = 60;
  double switch_ratio = 1.5;       // original: use long vol when short > ratio x long
  int min_observations = 5;        // fewer returns -> the prior
  double ewma_lambda = 0.94;       // RiskMetrics decay, in (0, 1)
  double prior_vol_annual = 0.12;  // used while history is short; blended over prior_days
  int prior_days = 20;
  double floor_vol_annual = 0.04;
  double cap_vol_annual = 0.60;
  int trading_days_per_year = 252;
};

// [risk.position_limits] Max |position value| per instrument as a fraction of NAV, by type
// (original §3.3.10, now enforced pre-trade).
struct PositionLimits {
  double etf_pct_nav = 0.15;
  double future_pct_nav = 0.25;  // notional = price x multiplier x quantity
  double option_pct_nav = 0.05;
  double stock_pct_nav = 0.05;
};

// [risk.pre_trade] Per-order checks (SYSTEM.md §4 Risk).
struct PreTradeLimits {
  double max_order_notional_pct_nav = 0.20;  // one order's notional / NAV
  double max_daily_turnover_pct_nav = 2.0;   // sum of order notionals in one trading day / NAV
  double price_collar_pct = 0.05;            // |limit - last good price| / last good price
};

// [risk] Risk engine constants (original §3.3).
struct RiskSettings {
  RegimeSettings regime;
  double emergency_scaling = 0.25;       // scaling forced when DD <= -max_drawdown_pct
  double crisis_reduce_factor = 0.3;     // CRISIS reduction
  double elevated_reduce_factor = 0.75;  // ELEVATED and momentum < elevated_momentum_threshold
  double elevated_momentum_threshold = 0.5;
  VolEstimatorSettings vol_estimator;
  PositionLimits position_limits;
  PreTradeLimits pre_trade;
  int var_window_days = 252;
  double nav_mismatch_halt_pct = 0.005;  // reconciliation: |broker NAV/expected - 1| > -> halt
};

// [tail_hedge.allocation] Split of the hedge budget (sums to 1).
struct HedgeAllocation {
  double equity_puts = 0.40;
  double vix_calls = 0.20;
  double credit_puts = 0.15;
  double sovereign_spread = 0.15;
  double bank_puts = 0.10;
};

// [tail_hedge.premium_estimates] The original's premium guesses (original §3.6.2); used only
// by the original-compatible sizing, Black–Scholes replaces them elsewhere.
struct PremiumEstimates {
  double equity_put_pct_of_spot = 0.025;
  double credit_put_pct_of_spot = 0.02;
  double bank_put_pct_of_spot = 0.03;
  double vix_call_usd = 2.0;                      // per unit of underlying (x100 per contract)
  double sovereign_margin_per_pair_usd = 5000.0;  // one OAT/Bund pair
};

// [tail_hedge] Tail-hedge manager (original §3.6). Instrument choices reference instrument ids;
// OTM %, right and tenor of each option line live in instruments.yaml (option spec).
struct TailHedgeSettings {
  HedgeAllocation allocation;
  int roll_dte_days = 21;                      // roll when days to expiry <= this
  double target_coverage_of_remaining = 0.8;   // target premium = this x remaining budget
  double gap_trigger_fraction = 0.5;           // buy when coverage < this x target
  double realized_gain_recycle_fraction = 0.5; // share of realised hedge gains back to budget
  double vix_call_strike_multiple = 1.5;       // strike = max(min_strike, multiple x VIX)
  double vix_call_min_strike = 30.0;
  PremiumEstimates premium_estimates;
  std::vector<WeightedInstrument> equity_puts;  // default spy_etf 0.6, fez_etf 0.4
  std::vector<WeightedInstrument> vix_calls;    // default vix_index 1.0
  std::vector<WeightedInstrument> credit_puts;  // default hyg_etf 1.0
  std::vector<WeightedInstrument> bank_puts;    // default eufn_etf 1.0
  InstrumentId sovereign_short;                 // default france_oat
  InstrumentId sovereign_long;                  // default germany_bund
};

// [strategy.*] Sleeve construction (original §3.4). Every id must exist in instruments.yaml and
// carry the sleeve among its roles.
struct CoreIndexRvSettings {
  InstrumentId us_long;   // default us_index_etf
  InstrumentId eu_short;  // default eu_index_etf
  InstrumentId fx_hedge;  // default eurusd_micro
  bool fx_hedge_enabled = true;
};
struct SectorRvSettings {
  std::vector<InstrumentId> us_long;   // equal weight
  std::vector<InstrumentId> eu_short;  // equal weight
  bool redistribute_unusable = true;   // re-weight a basket when a leg has no usable data
};
struct SingleNameSettings {
  int n_long = 10;
  int n_short = 10;
  double min_market_cap_usd = 50e9;
  double min_dollar_volume_usd = 50e6;  // average volume x price
  int momentum_lookback_days = 252;
  int momentum_skip_days = 21;          // 12-minus-1-month momentum
  std::string fundamentals_csv;         // optional user file; empty = price factors only
  InstrumentId fallback_short;          // short leg when the screen finds no shorts
};
struct CreditCarrySettings {
  double us_long_share = 0.70;
  std::vector<WeightedInstrument> us_long;
  double eu_short_share = 0.30;
  std::vector<WeightedInstrument> eu_short;
};
struct CrisisAlphaSettings {
  double stress_envelope_multiplier = 1.5;  // envelope x this in ELEVATED/CRISIS
};
struct StrategySettings {
  CoreIndexRvSettings core_index_rv;
  SectorRvSettings sector_rv;
  SingleNameSettings single_name;
  CreditCarrySettings credit_carry;
  CrisisAlphaSettings crisis_alpha;
};

// [execution.commission] Commission model for simulated fills and cost estimates. Amounts are
// in USD; for EUR/GBP listings the fill simulator converts them at the FX rate of the day.
struct CommissionSettings {
  CommissionModel model = CommissionModel::kIbTiered;
  double fixed_bps = 2.0;                    // model fixed_bps: of traded notional
  double stock_per_share_usd = 0.0035;       // IB tiered, US stocks
  double stock_min_per_order_usd = 0.35;
  double stock_max_pct_of_value = 0.01;
  double eu_stock_pct_of_value = 0.0005;     // IB tiered, European listings
  double eu_stock_min_per_order_usd = 1.5;
  double future_per_contract_usd = 0.85;
  double option_per_contract_usd = 0.65;
  double fx_bps = 0.2;
  double fx_min_per_order_usd = 2.0;
};

// [execution] Order planning and execution.
struct ExecutionSettings {
  OrderStyle order_style = OrderStyle::kMarketableLimit;
  double limit_offset_bps = 10.0;        // marketable limit: last +/- this
  int order_wait_seconds = 30;           // wait for a fill before repricing
  int max_reprice_attempts = 3;
  double min_trade_notional_usd = 1000.0;
  double slippage_bps = 5.0;             // simulated fills
  CommissionSettings commission;
  int session_open_buffer_minutes = 15;  // no orders in the first/last minutes of a session
  int session_close_buffer_minutes = 15;
};

// [ibkr] Gateway connection (original §3.7–§3.9).
struct IbkrSettings {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = by mode (sim_port/paper_port/live_port); env IBKR_PORT sets it
  int paper_port = 4002;
  int live_port = 4001;
  int sim_port = 4003;  // ibsim on loopback
  int client_id = 1;
  int timeout = 30;     // seconds; connect and request timeout
  bool readonly = false;
  int startup_delay_seconds = 120;  // fallback wait when no API probe is possible
  int max_init_retries = 5;
  int init_retry_delay_seconds = 60;
  int heartbeat_interval_seconds = 10;
  int stall_timeout_seconds = 30;
  int heartbeat_fresh_seconds = 60;  // health: heartbeat older than this is stale
  int reconnect_delay_seconds = 5;   // base of the backoff
  int max_reconnect_delay_seconds = 120;
  int max_reconnect_attempts = 10;
  int max_messages_per_second = 45;  // pacing limiter
  // The port for `mode`: `port` when non-zero, else the per-mode port.
  int effective_port(Mode mode) const noexcept;
};

// [database] State store (SYSTEM.md §4 Storage). The PostgreSQL URL is a secret: it comes only
// from the environment (AF_DATABASE_URL), never from the file.
struct DatabaseSettings {
  StateBackend backend = StateBackend::kSqlite;
  std::string sqlite_path = "state/abstractfinance.sqlite";
  std::string host = "localhost";  // original keys; informational when postgres_url is set
  int port = 5432;
  std::string name = "abstractfinance";
  std::string postgres_url;  // secret (env AF_DATABASE_URL)
};

// "host:port" listen address.
struct ListenAddress {
  std::string host;
  int port = 0;
  std::string str() const;
  friend bool operator==(const ListenAddress&, const ListenAddress&) = default;
};

// [monitoring]
struct MonitoringSettings {
  int prometheus_port = 9090;  // the Prometheus server (deployment), not the engine
  int grafana_port = 3000;
  ListenAddress metrics_listen{"127.0.0.1", 8000};  // engine /metrics
  ListenAddress health_listen{"127.0.0.1", 8080};   // engine /health, /ready
};

// [alerts]
struct AlertThresholds {
  double daily_loss_pct = -0.03;
  double daily_gain_pct = 0.05;
  double hedge_budget_usage_pct = 0.90;
  double drawdown_warning_pct = -0.05;
  double drawdown_error_pct = -0.10;
};
struct TelegramSettings {
  bool enabled = true;  // inactive without TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID
  std::string bot_token;  // secret (env TELEGRAM_BOT_TOKEN)
  std::string chat_id;    // secret (env TELEGRAM_CHAT_ID)
};
struct EmailSettings {
  bool enabled = false;
  std::string smtp_host;  // env EMAIL_SMTP_HOST
  int smtp_port = 587;    // STARTTLS
  std::string username;   // secret (env EMAIL_USERNAME)
  std::string password;   // secret (env EMAIL_PASSWORD)
  std::string recipient;  // env EMAIL_RECIPIENT
  std::string sender;     // empty = username
};
struct AlertSettings {
  bool enabled = true;
  TelegramSettings telegram;
  EmailSettings email;
  AlertThresholds thresholds;
  int max_delivery_attempts = 3;
  int retry_delay_seconds = 30;
};

// [schedule] Times are UTC unless named otherwise.
struct MaintenanceWindow {
  std::string name;
  std::vector<unsigned> iso_weekdays;  // 1 = Monday ... 7 = Sunday: days the window *starts*
  int start_minute_utc = 0;            // minutes after 00:00 UTC
  int end_minute_utc = 0;              // < start = ends the next day
  friend bool operator==(const MaintenanceWindow&, const MaintenanceWindow&) = default;
};
struct ScheduleSettings {
  int run_hour_utc = 6;
  int run_minute_utc = 0;
  std::string timezone = "America/New_York";  // operator's display time zone (IANA)
  bool weekdays_only = true;
  std::vector<MaintenanceWindow> maintenance_windows;  // default: IB windows (SYSTEM.md §4)
};

// [burn_in] Paper burn-in gates (original §3.11); the count is the top-level burn_in_days.
struct BurnInSettings {
  double min_sharpe = 0.5;
  double min_max_drawdown_pct = -0.15;  // max drawdown must be >= this
  int min_fills = 50;
  double max_rejection_rate = 0.05;     // broker rejections / orders sent
  int min_metric_days = 20;
};

// [portfolio]
struct PortfolioSettings {
  // Cash of a brand-new book in `sim` (the simulated account). paper/live take the broker's net
  // liquidation instead — never backtest.initial_capital (original §7 item 3).
  double new_book_initial_cash = 1'000'000.0;
};

// [backtest]
struct MonteCarloSettings {
  int seed = 42;
  MonteCarloModel model = MonteCarloModel::kSpread;
  MonteCarloRng rng = MonteCarloRng::kNumpyLegacy;
  int threads = 0;  // 0 = hardware concurrency
  int block_bootstrap_days = 20;
  double significant_loss_pct = -0.20;
};
struct BacktestSettings {
  Date start_date{2010, 1, 1};
  std::optional<Date> end_date;  // null = latest data
  double initial_capital = 10'000'000.0;  // backtests and Monte Carlo only
  int monte_carlo_paths = 1000;
  int monte_carlo_years = 10;
  double risk_free_rate = 0.02;
  FillModel fill_model = FillModel::kNextOpen;
  MonteCarloSettings monte_carlo;
};

// [quant_assumptions] Monte Carlo spread model (original §3.10.3).
struct QuantAssumptions {
  double sp500_annual_return = 0.10;
  double eurostoxx_annual_return = 0.03;
  double index_volatility = 0.15;
  double correlation_us_eu = 0.82;
};

// [fx] Last-resort FX table (rates: USD per one unit of the currency).
struct FxSettings {
  Date static_rates_as_of{2024, 11, 29};
  std::map<Currency, double> static_rates_to_usd;  // must cover every instrument currency
  int max_rate_age_days = 5;  // older bar-store rates fall through to the static table
};

// [data_quality] Checks run before any price is used (SYSTEM.md §4 Market data).
struct DataQualitySettings {
  int stale_sessions = 3;               // no new bar for this many sessions -> stale
  double outlier_jump_pct = 0.25;       // |close/prev - 1| above -> outlier
  double unit_jump_factor = 100.0;      // GBX/GBP confusion
  double unit_jump_tolerance_pct = 0.2; // ratio within factor x (1 +/- tol) -> unit jump
  int min_history_days = 60;            // fewer bars -> insufficient history
  int vix_proxy_window_days = 20;       // realized-vol VIX proxy window
};

// [data]
struct DataSettings {
  std::string dir = "data";                     // bundled CSVs and provenance
  std::string bar_store_path = "state/bars.sqlite";
  int cache_ttl_seconds = 60;
};

// The whole settings file.
struct Settings {
  Mode mode = Mode::kSim;
  std::string environment = "development";  // free-text label (env ENVIRONMENT)
  Currency base_currency = Currency::USD;   // only USD is supported
  double vol_target_annual = 0.12;
  double gross_leverage_max = 2.0;
  double net_leverage_max = 1.0;
  double rebalance_threshold_pct = 0.02;
  double hedge_budget_annual_pct = 0.025;
  double max_drawdown_pct = 0.10;  // positive fraction: DD <= -this -> CRISIS + emergency
  int burn_in_days = 60;
  SleeveWeights sleeves;
  MomentumSettings momentum;
  CrisisSettings crisis;
  RiskSettings risk;
  TailHedgeSettings tail_hedge;
  StrategySettings strategy;
  ExecutionSettings execution;
  ScheduleSettings schedule;
  IbkrSettings ibkr;
  DatabaseSettings database;
  MonitoringSettings monitoring;
  AlertSettings alerts;
  BurnInSettings burn_in;
  PortfolioSettings portfolio;
  BacktestSettings backtest;
  QuantAssumptions quant_assumptions;
  FxSettings fx;
  DataQualitySettings data_quality;
  DataSettings data;
};

}  // namespace af::config
