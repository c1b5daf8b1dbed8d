// Malformed configurations: each case applies one edit to the real config/settings.yaml or
// config/instruments.yaml and expects Error{kConfig} whose message names the file, the line and
// the key path. The expected line is located in the edited text by the test itself.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "test_util.hpp"

namespace af::config {
namespace {

using testing::edit;
using testing::line_at;

enum class File { kSettings, kInstruments };

struct Case {
  std::string name;
  File file;
  std::string anchor;  // edit: first `from` at/after `anchor` becomes `to`
  std::string from;
  std::string to;
  std::string path;     // key path named in the message
  std::string what;     // part of the explanation
  // Where the error is reported when not on the edited line: the first `line_text` at/after
  // `line_anchor` in the edited text.
  std::string line_anchor = {};
  std::string line_text = {};
};

constexpr const char* kSettingsLabel = "config/settings.yaml";
constexpr const char* kInstrumentsLabel = "config/instruments.yaml";

std::vector<Case> cases() {
  return {
      // ---- settings.yaml: keys, types, ranges ----
      {"UnknownTopLevelKey", File::kSettings, "", "vol_target_annual: 0.12",
       "vol_targt_annual: 0.12", "vol_targt_annual", "unknown key"},
      {"NumberGivenAsText", File::kSettings, "", "vol_target_annual: 0.12",
       "vol_target_annual: twelve", "vol_target_annual",
       "expected a number in (0, 1], got 'twelve'"},
      {"NumberOutOfRange", File::kSettings, "", "vol_target_annual: 0.12",
       "vol_target_annual: 1.5", "vol_target_annual", "expected a number in (0, 1], got 1.5"},
      {"SleevesDoNotSumToOne", File::kSettings, "sleeves:", "core_index_rv: 0.35",
       "core_index_rv: 0.40", "sleeves", "sleeve weights must sum to 1", "", "sleeves:"},
      {"MissingRequiredSleeve", File::kSettings, "sleeves:", "  cash_buffer: 0.05\n", "",
       "sleeves.cash_buffer", "missing required key", "", "sleeves:"},
      {"UnknownMode", File::kSettings, "", "mode: sim", "mode: demo", "mode",
       "expected one of sim, paper, live, got 'demo'"},
      {"PortOutOfRange", File::kSettings, "", "paper_port: 4002", "paper_port: 70000",
       "ibkr.paper_port", "expected an integer in [1, 65535], got 70000"},
      {"IntegerGivenAsFraction", File::kSettings, "ibkr:", "timeout: 30", "timeout: 2.5",
       "ibkr.timeout", "expected an integer in [1, 600], got '2.5'"},
      {"BoolGivenAsWord", File::kSettings, "", "readonly: false", "readonly: maybe",
       "ibkr.readonly", "expected true or false, got 'maybe'"},
      {"UnknownNestedKey", File::kSettings, "ibkr:", "  client_id: 1", "  client_idd: 1",
       "ibkr.client_idd", "unknown key (allowed here: host, port,"},
      {"SecretInFileIsRefused", File::kSettings, "telegram:", "    enabled: true",
       "    bot_token: \"123:abc\"\n    enabled: true", "alerts.telegram.bot_token",
       "set the environment variable TELEGRAM_BOT_TOKEN"},
      {"UnknownInstrumentInBasket", File::kSettings, "sector_rv:", "tech_xlk,", "tech_xlkk,",
       "strategy.sector_rv.us_long", "unknown instrument 'tech_xlkk'"},
      {"CreditWeightsDoNotSumToOne", File::kSettings, "credit_carry:", "ig_lqd: 0.40",
       "ig_lqd: 0.50", "strategy.credit_carry.us_long", "weights must sum to 1"},
      {"BadMaintenanceTime", File::kSettings, "maintenance_windows:", "\"23:45\"", "\"25:45\"",
       "schedule.maintenance_windows[0].start_utc", "expected a UTC time"},
      {"BadWeekday", File::kSettings, "maintenance_windows:", "days: [sun]", "days: [sunday]",
       "schedule.maintenance_windows[0].days", "expected one of mon, tue"},
      {"InvalidDate", File::kSettings, "backtest:", "\"2010-01-01\"", "\"2010-02-30\"",
       "backtest.start_date", "expected a valid date"},
      {"ListenAddressWithoutPort", File::kSettings, "", "\"127.0.0.1:8000\"", "\"127.0.0.1\"",
       "monitoring.metrics_listen", "expected \"host:port\""},
      {"MomentumWindowsInverted", File::kSettings, "momentum:", "short_window_days: 50",
       "short_window_days: 250", "momentum.short_window_days",
       "must be smaller than momentum.long_window_days"},
      {"HedgeAllocationDoesNotSumToOne", File::kSettings, "allocation:", "equity_puts: 0.40",
       "equity_puts: 0.45", "tail_hedge.allocation", "hedge allocation must sum to 1", "",
       "  allocation:"},
      {"UnknownFxCurrency", File::kSettings, "", "JPY: 0.0066485", "XYZ: 0.5",
       "fx.static_rates_to_usd", "unknown currency 'XYZ'"},
      {"YamlSyntaxError", File::kSettings, "", "mode: sim", "mode: sim: extra", "",
       "YAML syntax error"},
      {"DuplicateKey", File::kSettings, "", "environment: development",
       "environment: development\nmode: paper", "mode", "duplicate key", "environment:",
       "mode: paper"},
      {"CoreLegLacksSleeveRole", File::kSettings, "core_index_rv:\n    us_long:", "us_index_etf",
       "bdc_arcc", "strategy.core_index_rv.us_long",
       "instrument 'bdc_arcc' lacks sleeve role core_index_rv"},
      {"FxHedgeMustBeFuture", File::kSettings, "", "fx_hedge: eurusd_micro",
       "fx_hedge: eurusd_spot", "strategy.core_index_rv.fx_hedge", "must be sec_type FUT"},
      {"RegimeThresholdsInverted", File::kSettings, "regime:", "vix_elevated: 25",
       "vix_elevated: 45", "risk.regime.vix_elevated", "<= crisis.vix_threshold"},

      // ---- instruments.yaml ----
      {"NegativeMultiplier", File::kInstruments, "  us_index_future:", "multiplier: 50",
       "multiplier: -50", "instruments.us_index_future.contract.multiplier",
       "expected a positive number, got -50"},
      {"UnknownCurrency", File::kInstruments, "  us_index_future:", "currency: USD",
       "currency: US", "instruments.us_index_future.contract.currency", "unknown currency 'US'"},
      {"GbxIsNotACurrency", File::kInstruments, "  eu_broad_etf:", "currency: GBP",
       "currency: GBX", "instruments.eu_broad_etf.contract.currency",
       "GBX is a quote unit (pence), not a currency"},
      {"DuplicateBrokerContract", File::kInstruments, "  broad_fez:", "symbol: EUN2",
       "symbol: SXRT", "instruments.broad_fez.contract",
       "same broker contract (SXRT STK IBIS EUR) as instruments.eu_index_etf", "  broad_fez:",
       "    contract:"},
      {"UnknownOptionUnderlying", File::kInstruments, "  spx_index:", "underlying: spx",
       "underlying: spxx", "instruments.spx_index.option.underlying",
       "unknown instrument 'spxx'"},
      {"FutureWithoutFutureSection", File::kInstruments, "  vix:", "sec_type: IND",
       "sec_type: FUT", "instruments.vix.contract.sec_type", "sec_type FUT needs a future:"},
      {"GbxOnUsdLine", File::kInstruments, "  us_index_etf:", "price_unit: USD",
       "price_unit: GBX", "instruments.us_index_etf.contract.price_unit",
       "price unit GBX does not belong to currency USD"},
      {"StockDirectRouting", File::kInstruments, "  bdc_arcc:", "exchange: SMART",
       "exchange: NASDAQ", "instruments.bdc_arcc.contract.exchange", "route through SMART"},
      {"UnknownSleeve", File::kInstruments, "  us_index_future:", "sleeves: [core_index_rv]",
       "sleeves: [core]", "instruments.us_index_future.sleeves", "unknown sleeve 'core'"},
      {"BadInstrumentId", File::kInstruments, "", "  us_index_future:", "  US-Index:",
       "instruments.US-Index", "instrument id must match"},
      {"MissingDataSeries", File::kInstruments, "  us_index_future:", "    data_series: sp500\n",
       "", "instruments.us_index_future.data_series", "missing required key", "",
       "  us_index_future:"},
      {"BadOptionRight", File::kInstruments, "  spx_index:", "right: P", "right: X",
       "instruments.spx_index.option.right", "expected one of P, C, got 'X'"},
      {"BadExpiryCycle", File::kInstruments, "  us_index_future:", "expiry_cycle: quarterly",
       "expiry_cycle: weekly", "instruments.us_index_future.future.expiry_cycle",
       "expected one of quarterly, monthly"},
      {"ContractIsNotAMapping", File::kInstruments, "  eurusd_spot:", "    contract:\n",
       "    contract: EUR.USD\n    old_contract:\n", "instruments.eurusd_spot.contract",
       "expected a mapping, got 'EUR.USD'"},
      {"UnknownContractKey", File::kInstruments, "  us_index_future:", "      exchange: CME",
       "      exchnage: CME", "instruments.us_index_future.contract.exchnage", "unknown key"},
  };
}

// Readable test names in failure output (instead of a byte dump).
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class MalformedConfig : public ::testing::TestWithParam<Case> {};

TEST_P(MalformedConfig, FailsWithFileLineAndKey) {
  const Case& c = GetParam();
  std::string settings = testing::real_settings();
  std::string instruments = testing::real_instruments();
  std::string& target = c.file == File::kSettings ? settings : instruments;
  int line = 0;
  target = edit(target, c.anchor, c.from, c.to, &line);
  if (!c.line_text.empty()) {
    std::size_t a = c.line_anchor.empty() ? 0 : target.find(c.line_anchor);
    ASSERT_NE(a, std::string::npos);
    std::size_t p = target.find(c.line_text, a);
    ASSERT_NE(p, std::string::npos);
    line = line_at(target, p);
  }
  auto cfg = load_config_from_text(settings, kSettingsLabel, instruments, kInstrumentsLabel, {});
  ASSERT_FALSE(cfg.ok()) << c.name << ": the edited configuration was accepted";
  EXPECT_EQ(cfg.error().code, ErrorCode::kConfig);
  EXPECT_EQ(exit_code_for(cfg.error()), 2);
  const std::string label = c.file == File::kSettings ? kSettingsLabel : kInstrumentsLabel;
  const std::string& msg = cfg.error().message;
  std::string where = label + ":" + std::to_string(line) + ":";
  if (!c.path.empty()) where += " key " + c.path + ":";
  EXPECT_NE(msg.find(where), std::string::npos) << "expected '" << where << "' in:\n" << msg;
  EXPECT_NE(msg.find(c.what), std::string::npos) << "expected '" << c.what << "' in:\n" << msg;
}

// load_settings (settings.yaml alone, for the spread Monte Carlo) reports a settings.yaml problem
// with the same message as load_config; what it cannot see are the checks against
// instruments.yaml (references to instrument ids, FX rates for the instruments' currencies).
class MalformedSettingsAlone : public ::testing::TestWithParam<Case> {};

std::vector<Case> settings_cases() {
  std::vector<Case> out;
  for (const Case& c : cases()) {
    if (c.file == File::kSettings) out.push_back(c);
  }
  return out;
}

TEST_P(MalformedSettingsAlone, SettingsOnlyLoaderReportsTheSameSettingsErrors) {
  const Case& c = GetParam();
  const std::string settings = edit(testing::real_settings(), c.anchor, c.from, c.to);
  auto full = load_config_from_text(settings, kSettingsLabel, testing::real_instruments(), kInstrumentsLabel, {});
  ASSERT_FALSE(full.ok());
  auto alone = load_settings_from_text(settings, kSettingsLabel, {});
  if (alone.ok()) {
    EXPECT_NE(full.error().message.find("instrument"), std::string::npos)
        << c.name << ": only cross-file checks may be left to load_config, got:\n" << full.error().message;
  } else {
    EXPECT_EQ(alone.error().code, ErrorCode::kConfig);
    EXPECT_EQ(alone.error().message, full.error().message);
  }
}

TEST(ConfigSettingsOnly, RealSettingsAndOverridesMatchTheFullLoader) {
  const Environment env = {{"IBKR_PORT", "4002"}, {"MODE", "paper"}};
  auto full = load_config(std::string(AF_SOURCE_DIR) + "/config", env);
  auto alone = load_settings(std::string(AF_SOURCE_DIR) + "/config", env);
  ASSERT_TRUE(full.ok()) << full.error().message;
  ASSERT_TRUE(alone.ok()) << alone.error().message;
  EXPECT_EQ(alone->ibkr.port, 4002);
  Config settings_only;
  settings_only.settings = *alone;
  EXPECT_EQ(to_json(*full)["settings"], to_json(settings_only)["settings"]);
  auto missing = load_settings("/nonexistent-config-dir", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kConfig);
  EXPECT_NE(missing.error().message.find("settings.yaml: cannot open"), std::string::npos) << missing.error().message;
}

INSTANTIATE_TEST_SUITE_P(ConfigMalformed, MalformedConfig, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(ConfigMalformed, MalformedSettingsAlone, ::testing::ValuesIn(settings_cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(ConfigMalformedCount, AtLeastTwentyFiveCases) { EXPECT_GE(cases().size(), 25u); }

TEST(ConfigMalformedReport, ListsSeveralProblemsFirstOneFirst) {
  std::string settings = testing::real_settings();
  int line1 = 0, line2 = 0;
  settings = edit(settings, "", "vol_target_annual: 0.12", "vol_target_annual: 2", &line1);
  settings = edit(settings, "", "paper_port: 4002", "paper_port: 0", &line2);
  auto cfg = load_config_from_text(settings, kSettingsLabel, testing::real_instruments(),
                                   kInstrumentsLabel, {});
  ASSERT_FALSE(cfg.ok());
  const std::string& msg = cfg.error().message;
  auto p1 = msg.find("config/settings.yaml:" + std::to_string(line1) + ": key vol_target_annual:");
  auto p2 = msg.find("config/settings.yaml:" + std::to_string(line2) + ": key ibkr.paper_port:");
  ASSERT_NE(p1, std::string::npos) << msg;
  ASSERT_NE(p2, std::string::npos) << msg;
  EXPECT_LT(p1, p2);
}

TEST(ConfigMalformedReport, MissingDirectoryIsAConfigError) {
  auto cfg = load_config(std::string(AF_SOURCE_DIR) + "/no/such/dir", {});
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(exit_code_for(cfg.error()), 2);
  EXPECT_NE(cfg.error().message.find("settings.yaml: cannot open"), std::string::npos);
}

}  // namespace
}  // namespace af::config
