// The real config/ directory, instrument invariants, defaults and environment overrides.
// Expected values come from original-system.md §2.1/§2.3.1/§2.5 and SYSTEM.md §4, typed here.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "test_util.hpp"

namespace af::config {
namespace {

const Config& real_config() {
  static const Config cfg = [] {
    auto r = load_config(std::string(AF_SOURCE_DIR) + "/config", {});
    if (!r) {
      ADD_FAILURE() << r.error().message;
      return Config{};
    }
    return *r;
  }();
  return cfg;
}

Result<Config> load_with_env(const Environment& env) {
  return load_config_from_text(testing::real_settings(), "config/settings.yaml",
                               testing::real_instruments(), "config/instruments.yaml", env);
}

// The 48 keyed instruments of original §2.3.1.
const std::vector<std::string> kOriginal48 = {
    "us_index_future", "us_index_etf",     "us_index_micro",  "eu_index_future", "eu_index_etf",
    "eu_broad_etf",    "eurusd_future",    "eurusd_micro",    "eurusd_spot",     "tech_xlk",
    "tech_qqq",        "tech_igv",         "tech_smh",        "health_xlv",      "health_xbi",
    "health_ibb",      "factor_qual",      "factor_mtum",     "financials_eufn", "broad_fez",
    "broad_ieur",      "value_ewu",        "value_ewg",       "ig_lqd",          "hy_hyg",
    "hy_jnk",          "loans_bkln",       "loans_srln",      "bdc_arcc",        "bdc_main",
    "ig_ieac",         "hy_ihyg",          "spx_index",       "spy_etf",         "sx5e_index",
    "fez_etf",         "vix_index",        "hyg_etf",         "jnk_etf",         "france_oat",
    "germany_bund",    "italy_btp",        "bnp_paribas",     "societe_generale", "credit_agricole",
    "cac_future",      "vix_future",       "vstoxx_future"};

TEST(ConfigReal, LoadsWithAllOriginalInstruments) {
  const auto& cfg = real_config();
  ASSERT_EQ(kOriginal48.size(), 48u);
  for (const auto& id : kOriginal48) EXPECT_TRUE(cfg.instruments.contains(InstrumentId(id))) << id;
  EXPECT_EQ(cfg.settings_sha256.size(), 64u);
  EXPECT_EQ(cfg.instruments_sha256.size(), 64u);
  EXPECT_TRUE(cfg.overrides_applied.empty());
}

TEST(ConfigReal, IterationFollowsFileOrder) {
  const auto& all = real_config().instruments.all();
  ASSERT_GE(all.size(), 3u);
  EXPECT_EQ(all[0].id.str(), "us_index_future");
  EXPECT_EQ(all[1].id.str(), "us_index_etf");
  EXPECT_EQ(all[2].id.str(), "us_index_micro");
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].source_line, all[i].source_line);
}

TEST(ConfigReal, IdRankOrdersInstrumentsById) {
  // The file starts us_index_future, us_index_etf: by id the ETF comes first.
  const auto& u = real_config().instruments;
  const auto& all = u.all();
  EXPECT_LT(u.id_rank(all[1]), u.id_rank(all[0]));
  // Ranks are a permutation of 0..n-1 that sorts the ids.
  std::vector<const Instrument*> by_rank(all.size(), nullptr);
  for (const auto& inst : all) {
    ASSERT_LT(u.id_rank(inst), all.size());
    ASSERT_EQ(by_rank[u.id_rank(inst)], nullptr) << "rank used twice: " << inst.id.str();
    by_rank[u.id_rank(inst)] = &inst;
  }
  for (std::size_t r = 1; r < by_rank.size(); ++r) EXPECT_LT(by_rank[r - 1]->id.str(), by_rank[r]->id.str());
}

TEST(ConfigReal, GbpLsLinesQuoteInPence) {
  const auto& u = real_config().instruments;
  for (const char* id : {"eu_broad_etf", "value_ewu", "ig_ieac", "hy_ihyg"}) {
    const auto& inst = u.at(InstrumentId(id));
    EXPECT_EQ(inst.contract.currency, Currency::GBP) << id;
    EXPECT_TRUE(inst.contract.price_unit == QuoteUnit::gbx()) << id;
    EXPECT_EQ(inst.contract.primary_exchange, "LSEETF") << id;
  }
  // Every GBX line is a GBP line and every other line quotes in its currency's major unit.
  for (const auto& inst : u) {
    if (inst.contract.price_unit.is_minor()) {
      EXPECT_EQ(inst.contract.currency, Currency::GBP) << inst.id;
    } else {
      EXPECT_TRUE(inst.contract.price_unit == QuoteUnit::major(inst.contract.currency)) << inst.id;
    }
  }
}

TEST(ConfigReal, EveryInstrumentHasCurrencyAndSeries) {
  const std::set<std::string> iso = {"USD", "EUR", "GBP", "CHF", "JPY"};
  for (const auto& inst : real_config().instruments) {
    EXPECT_TRUE(iso.count(std::string(to_string(inst.contract.currency)))) << inst.id;
    EXPECT_FALSE(inst.data_series.empty()) << inst.id;
    EXPECT_FALSE(inst.description.empty()) << inst.id;
    EXPECT_GT(inst.contract.tick_size, 0.0) << inst.id;
  }
}

TEST(ConfigReal, NoDuplicateBrokerContracts) {
  std::set<std::tuple<std::string, int, std::string, int, int, std::string>> seen;
  for (const auto& inst : real_config().instruments) {
    const auto& c = inst.contract;
    auto key = std::make_tuple(c.symbol, static_cast<int>(c.sec_type),
                               c.primary_exchange.empty() ? c.exchange : c.primary_exchange,
                               static_cast<int>(c.currency),
                               inst.option ? static_cast<int>(inst.option->right) : -1,
                               c.trading_class);
    EXPECT_TRUE(seen.insert(key).second) << "duplicate contract at " << inst.id;
  }
}

TEST(ConfigReal, StocksRouteSmartWithRealPrimaryExchange) {
  const std::set<std::string> venues = {"LSEETF", "IBIS", "SBF", "NASDAQ", "NYSE", "ARCA"};
  for (const auto& inst : real_config().instruments) {
    if (inst.contract.sec_type != SecType::kStk) continue;
    EXPECT_EQ(inst.contract.exchange, "SMART") << inst.id;
    EXPECT_TRUE(venues.count(inst.contract.primary_exchange)) << inst.id;
  }
  const auto& u = real_config().instruments;
  // Original §7 item 40: CS51 is not a Xetra ticker; the Xetra line of the fund is SXRT.
  EXPECT_EQ(u.at(InstrumentId("eu_index_etf")).contract.symbol, "SXRT");
  EXPECT_EQ(u.at(InstrumentId("eu_index_etf")).contract.primary_exchange, "IBIS");
  EXPECT_EQ(u.at(InstrumentId("bdc_arcc")).contract.primary_exchange, "NASDAQ");
  EXPECT_EQ(u.at(InstrumentId("bdc_main")).contract.primary_exchange, "NYSE");
  EXPECT_EQ(u.at(InstrumentId("bnp_paribas")).contract.primary_exchange, "SBF");
  EXPECT_NE(u.at(InstrumentId("broad_fez")).contract.symbol,
            u.at(InstrumentId("eu_index_etf")).contract.symbol);
  EXPECT_NE(u.at(InstrumentId("broad_ieur")).contract.symbol,
            u.at(InstrumentId("eu_broad_etf")).contract.symbol);
}

TEST(ConfigReal, FuturesCarryRealCyclesAndRollRule) {
  const auto& u = real_config().instruments;
  const std::vector<unsigned> quarterly = {3, 6, 9, 12};
  for (const char* id : {"us_index_future", "us_index_micro", "eurusd_future", "eurusd_micro",
                         "eu_index_future", "germany_bund", "france_oat", "italy_btp"}) {
    const auto& inst = u.at(InstrumentId(id));
    ASSERT_TRUE(inst.future.has_value()) << id;
    EXPECT_EQ(inst.future->expiry_cycle, ExpiryCycle::kQuarterly) << id;
    EXPECT_EQ(inst.future->contract_months(), quarterly) << id;
  }
  for (const char* id : {"cac_future", "vix_future", "vstoxx_future"}) {
    const auto& inst = u.at(InstrumentId(id));
    ASSERT_TRUE(inst.future.has_value()) << id;
    EXPECT_EQ(inst.future->expiry_cycle, ExpiryCycle::kMonthly) << id;
    EXPECT_EQ(inst.future->contract_months().size(), 12u) << id;
  }
  for (const auto& inst : u) {
    EXPECT_EQ(inst.future.has_value(), inst.contract.sec_type == SecType::kFut) << inst.id;
    if (inst.future) {
      EXPECT_GT(inst.future->roll_business_days_before_expiry, 0) << inst.id;
    }
  }
  EXPECT_EQ(u.at(InstrumentId("us_index_future")).contract.multiplier, 50.0);
  EXPECT_EQ(u.at(InstrumentId("eurusd_micro")).contract.multiplier, 12500.0);
  EXPECT_EQ(u.at(InstrumentId("eurusd_micro")).contract.currency, Currency::USD);
}

TEST(ConfigReal, OptionsAreRealContractSpecs) {
  const auto& u = real_config().instruments;
  struct Expect {
    const char* id;
    OptionRight right;
    double otm;
  };
  // original §3.6: equity puts 15 % OTM, credit puts 10 %, bank puts 20 %, VIX calls 1.5 x VIX.
  for (const Expect& e : {Expect{"spx_index", OptionRight::kPut, 0.15},
                          Expect{"spy_etf", OptionRight::kPut, 0.15},
                          Expect{"sx5e_index", OptionRight::kPut, 0.15},
                          Expect{"fez_etf", OptionRight::kPut, 0.15},
                          Expect{"hyg_etf", OptionRight::kPut, 0.10},
                          Expect{"jnk_etf", OptionRight::kPut, 0.10},
                          Expect{"eufn_etf", OptionRight::kPut, 0.20},
                          Expect{"vix_index", OptionRight::kCall, 0.5}}) {
    const auto& inst = u.at(InstrumentId(e.id));
    ASSERT_TRUE(inst.option.has_value()) << e.id;
    EXPECT_EQ(inst.option->right, e.right) << e.id;
    EXPECT_DOUBLE_EQ(inst.option->otm_pct, e.otm) << e.id;
    EXPECT_GT(inst.option->target_tenor_days, 0) << e.id;
    const Instrument* und = u.find(inst.option->underlying);
    ASSERT_NE(und, nullptr) << e.id;
    EXPECT_FALSE(und->tradeable) << e.id;
    EXPECT_TRUE(inst.has_sleeve(Sleeve::kCrisisAlpha)) << e.id;
  }
}

TEST(ConfigReal, DataSeriesMapping) {
  const auto& u = real_config().instruments;
  for (const char* id : {"us_index_future", "us_index_micro", "us_index_etf", "spx_index", "spy_etf"}) {
    EXPECT_EQ(u.at(InstrumentId(id)).data_series, "sp500") << id;
  }
  for (const char* id : {"eurusd_future", "eurusd_micro", "eurusd_spot"}) {
    EXPECT_EQ(u.at(InstrumentId(id)).data_series, "eurusd") << id;
  }
  for (const char* t : {"msft", "jnj", "hd", "pg", "mrk", "intc"}) {
    EXPECT_EQ(u.at(InstrumentId(std::string(t) + "_us")).data_series, std::string("dj30_") + t);
  }
  EXPECT_EQ(u.at(InstrumentId("eu_index_future")).data_series, "syn_eu_index_future");
  EXPECT_EQ(u.at(InstrumentId("aapl_us")).data_series, "syn_aapl_us");  // not a Dow stock then
  for (const auto& inst : u) {
    const auto& s = inst.data_series;
    bool known = s == "sp500" || s == "eurusd" || s.rfind("dj30_", 0) == 0 || s == "syn_" + inst.id.str();
    EXPECT_TRUE(known) << inst.id << " -> " << s;
  }
}

TEST(ConfigReal, SingleNameUniverseUsesRealListingsAndExistingIds) {
  const auto& u = real_config().instruments;
  auto names = u.by_sleeve(Sleeve::kSingleName);
  std::set<std::string> ids;
  for (const auto* i : names) ids.insert(i->id.str());
  // original §2.3.1 candidates (a sample) and reuse of existing ids (BNP.PA = bnp_paribas).
  for (const char* id : {"aapl_us", "msft_us", "nvda_us", "intc_us", "vow3_de", "mbg_de",
                         "bnp_paribas", "societe_generale", "credit_agricole", "mc_fr", "cs_fr"}) {
    EXPECT_TRUE(ids.count(id)) << id;
  }
  EXPECT_FALSE(u.contains(InstrumentId("bnp_fr")));
  for (const auto* i : names) {
    if (i->category == "single_stocks_us") {
      EXPECT_EQ(i->contract.currency, Currency::USD) << i->id;
    }
    if (i->category == "single_stocks_eu") {
      EXPECT_EQ(i->contract.currency, Currency::EUR) << i->id;
      EXPECT_TRUE(i->contract.primary_exchange == "IBIS" || i->contract.primary_exchange == "SBF");
    }
  }
}

TEST(ConfigReal, ReverseLookupFromBrokerContract) {
  const auto& u = real_config().instruments;
  const Instrument* cspx = u.find_by_broker("CSPX", SecType::kStk, Currency::USD, "LSEETF");
  ASSERT_NE(cspx, nullptr);
  EXPECT_EQ(cspx->id.str(), "us_index_etf");
  EXPECT_EQ(u.find_by_broker("CSPX", SecType::kStk, Currency::EUR), nullptr);
  const Instrument* bnp = u.find_by_broker("BNP", SecType::kStk, Currency::EUR);
  ASSERT_NE(bnp, nullptr);
  EXPECT_EQ(bnp->id.str(), "bnp_paribas");
}

TEST(ConfigReal, PositionLimitsByType) {
  const auto& cfg = real_config();
  const auto& lim = cfg.settings.risk.position_limits;
  const auto& u = cfg.instruments;
  EXPECT_EQ(u.at(InstrumentId("us_index_etf")).position_limit_pct_nav(lim), 0.15);
  EXPECT_EQ(u.at(InstrumentId("us_index_future")).position_limit_pct_nav(lim), 0.25);
  EXPECT_EQ(u.at(InstrumentId("spx_index")).position_limit_pct_nav(lim), 0.05);
  EXPECT_EQ(u.at(InstrumentId("bdc_arcc")).position_limit_pct_nav(lim), 0.05);
  EXPECT_FALSE(u.at(InstrumentId("eurusd_spot")).position_limit_pct_nav(lim).has_value());
}

TEST(ConfigSettings, OriginalValues) {
  const Settings& s = real_config().settings;
  EXPECT_EQ(s.mode, Mode::kSim);
  EXPECT_EQ(s.base_currency, Currency::USD);
  EXPECT_DOUBLE_EQ(s.vol_target_annual, 0.12);
  EXPECT_DOUBLE_EQ(s.gross_leverage_max, 2.0);
  EXPECT_DOUBLE_EQ(s.net_leverage_max, 1.0);
  EXPECT_DOUBLE_EQ(s.hedge_budget_annual_pct, 0.025);
  EXPECT_DOUBLE_EQ(s.max_drawdown_pct, 0.10);
  EXPECT_DOUBLE_EQ(s.sleeves.core_index_rv, 0.35);
  EXPECT_DOUBLE_EQ(s.sleeves.weight(Sleeve::kCashBuffer), 0.05);
  EXPECT_EQ(s.momentum.long_window_days, 200);
  EXPECT_DOUBLE_EQ(s.crisis.vix_threshold, 40);
  // Hidden constants of original §2.1 (end).
  EXPECT_DOUBLE_EQ(s.risk.regime.vix_elevated, 25);
  EXPECT_DOUBLE_EQ(s.risk.regime.vix_recovery_max, 20);
  EXPECT_DOUBLE_EQ(s.risk.regime.drawdown_elevated_pct, -0.05);
  EXPECT_DOUBLE_EQ(s.risk.regime.drawdown_normal_pct, -0.03);
  EXPECT_DOUBLE_EQ(s.risk.emergency_scaling, 0.25);
  EXPECT_DOUBLE_EQ(s.risk.crisis_reduce_factor, 0.3);
  EXPECT_DOUBLE_EQ(s.risk.elevated_reduce_factor, 0.75);
  EXPECT_DOUBLE_EQ(s.risk.vol_estimator.switch_ratio, 1.5);
  EXPECT_DOUBLE_EQ(s.tail_hedge.allocation.equity_puts, 0.40);
  EXPECT_DOUBLE_EQ(s.tail_hedge.allocation.vix_calls, 0.20);
  EXPECT_DOUBLE_EQ(s.tail_hedge.allocation.bank_puts, 0.10);
  EXPECT_EQ(s.tail_hedge.roll_dte_days, 21);
  EXPECT_DOUBLE_EQ(s.tail_hedge.target_coverage_of_remaining, 0.8);
  EXPECT_DOUBLE_EQ(s.tail_hedge.gap_trigger_fraction, 0.5);
  EXPECT_EQ(s.execution.order_wait_seconds, 30);
  EXPECT_EQ(s.ibkr.startup_delay_seconds, 120);
  EXPECT_EQ(s.ibkr.heartbeat_interval_seconds, 10);
  EXPECT_EQ(s.ibkr.stall_timeout_seconds, 30);
  EXPECT_EQ(s.data.cache_ttl_seconds, 60);
  EXPECT_DOUBLE_EQ(s.risk.position_limits.etf_pct_nav, 0.15);
  EXPECT_DOUBLE_EQ(s.risk.position_limits.future_pct_nav, 0.25);
  EXPECT_EQ(real_config().instruments.at(InstrumentId("eurusd_micro")).contract.multiplier, 12500);
  // New keys of SYSTEM.md.
  EXPECT_EQ(s.monitoring.metrics_listen.str(), "127.0.0.1:8000");
  EXPECT_EQ(s.monitoring.health_listen.str(), "127.0.0.1:8080");
  EXPECT_EQ(s.database.backend, StateBackend::kSqlite);
  EXPECT_DOUBLE_EQ(s.portfolio.new_book_initial_cash, 1'000'000);
  EXPECT_DOUBLE_EQ(s.backtest.initial_capital, 10'000'000);
  EXPECT_EQ(s.ibkr.effective_port(Mode::kPaper), 4002);
  EXPECT_EQ(s.ibkr.effective_port(Mode::kLive), 4001);
  ASSERT_EQ(s.schedule.maintenance_windows.size(), 2u);
  EXPECT_EQ(s.schedule.maintenance_windows[0].iso_weekdays, std::vector<unsigned>{7});
  EXPECT_EQ(s.schedule.maintenance_windows[0].start_minute_utc, 23 * 60 + 45);
  EXPECT_EQ(s.schedule.maintenance_windows[0].end_minute_utc, 45);
  EXPECT_DOUBLE_EQ(s.fx.static_rates_to_usd.at(Currency::EUR), 1.0547);
  EXPECT_DOUBLE_EQ(s.fx.static_rates_to_usd.at(Currency::USD), 1.0);
}

// A file holding only the required keys yields the same effective settings as the shipped file,
// i.e. the schema defaults and settings.yaml agree.
TEST(ConfigSettings, SchemaDefaultsMatchShippedFile) {
  const std::string minimal =
      "sleeves: {core_index_rv: 0.35, sector_rv: 0.25, single_name: 0.15, credit_carry: 0.15, "
      "crisis_alpha: 0.05, cash_buffer: 0.05}\n";
  auto cfg = load_config_from_text(minimal, "minimal.yaml", testing::real_instruments(),
                                   "config/instruments.yaml", {});
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(to_json(*cfg)["settings"], to_json(real_config())["settings"]);
}

TEST(ConfigSettings, SleeveSumTolerance) {
  auto with_core = [](const std::string& v) {
    return testing::edit(testing::real_settings(), "sleeves:", "core_index_rv: 0.35",
                         "core_index_rv: " + v);
  };
  auto inside = load_config_from_text(with_core("0.3500000000001"), "s", testing::real_instruments(),
                                      "i", {});
  EXPECT_TRUE(inside.ok()) << inside.error().message;
  auto outside = load_config_from_text(with_core("0.35000001"), "s", testing::real_instruments(),
                                       "i", {});
  EXPECT_FALSE(outside.ok());
}

TEST(ConfigEnv, OverridesAreAppliedAndRecorded) {
  auto cfg = load_with_env({{"MODE", "paper"}, {"IBKR_HOST", "ibgateway"}, {"IBKR_PORT", "4000"},
                            {"UNRELATED", "x"}});
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->settings.mode, Mode::kPaper);
  EXPECT_EQ(cfg->settings.ibkr.host, "ibgateway");
  EXPECT_EQ(cfg->settings.ibkr.effective_port(cfg->settings.mode), 4000);
  std::vector<EnvOverride> expected = {{"MODE", "mode", "paper", false},
                                       {"IBKR_HOST", "ibkr.host", "ibgateway", false},
                                       {"IBKR_PORT", "ibkr.port", "4000", false}};
  EXPECT_EQ(cfg->overrides_applied, expected);
}

TEST(ConfigEnv, SecretsAreRedactedInOverridesAndDump) {
  const std::string token = "canary-token-8472";
  const std::string password = "canary-pw-1193";
  auto cfg = load_with_env({{"TELEGRAM_BOT_TOKEN", token},
                            {"TELEGRAM_CHAT_ID", "424242"},
                            {"EMAIL_PASSWORD", password},
                            {"AF_DATABASE_URL", "postgresql://af:dbpass-5531@db:5432/af"}});
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->settings.alerts.telegram.bot_token, token);
  EXPECT_EQ(cfg->settings.database.backend, StateBackend::kPostgres);
  ASSERT_EQ(cfg->overrides_applied.size(), 4u);
  for (const auto& o : cfg->overrides_applied) {
    EXPECT_TRUE(o.secret) << o.variable;
    EXPECT_EQ(o.value, "<redacted>") << o.variable;
  }
  auto secrets = cfg->secret_values();
  std::set<std::string> set(secrets.begin(), secrets.end());
  EXPECT_TRUE(set.count(token));
  EXPECT_TRUE(set.count("424242"));
  EXPECT_TRUE(set.count(password));
  EXPECT_TRUE(set.count("postgresql://af:dbpass-5531@db:5432/af"));
  EXPECT_TRUE(set.count("dbpass-5531"));
  const std::string dump = to_json(*cfg).dump() + to_text(*cfg);
  for (const auto& s : secrets) EXPECT_EQ(dump.find(s), std::string::npos) << s;
}

TEST(ConfigEnv, BadOverrideNamesTheVariable) {
  auto cfg = load_with_env({{"IBKR_PORT", "abc"}});
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message.find("environment variable IBKR_PORT: key ibkr.port: expected an "
                                     "integer in [0, 65535], got 'abc'"),
            std::string::npos)
      << cfg.error().message;
  auto mode = load_with_env({{"MODE", "production"}});
  ASSERT_FALSE(mode.ok());
  EXPECT_NE(mode.error().message.find("environment variable MODE: key mode:"), std::string::npos);
}

TEST(ConfigEnv, EmptyVariableIsNotAnOverride) {
  auto cfg = load_with_env({{"IBKR_HOST", ""}, {"TELEGRAM_BOT_TOKEN", ""}});
  ASSERT_TRUE(cfg.ok());
  EXPECT_TRUE(cfg->overrides_applied.empty());
  EXPECT_TRUE(cfg->secret_values().empty());
}

TEST(ConfigDump, JsonIsOneDocumentWithEveryInstrument) {
  const auto& cfg = real_config();
  nlohmann::json j = nlohmann::json::parse(to_json(cfg).dump());
  EXPECT_EQ(j["instruments"].size(), cfg.instruments.size());
  EXPECT_EQ(j["settings"]["sleeves"]["core_index_rv"], 0.35);
  EXPECT_EQ(j["settings"]["schedule"]["maintenance_windows"][0]["start_utc"], "23:45");
  EXPECT_EQ(j["instruments"][0]["contract"]["symbol"], "ES");
  const std::string text = to_text(cfg);
  EXPECT_NE(text.find("sleeves.core_index_rv = 0.35"), std::string::npos);
  EXPECT_NE(text.find("us_index_future"), std::string::npos);
}

}  // namespace
}  // namespace af::config
