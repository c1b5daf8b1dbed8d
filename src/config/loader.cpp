// load_config: read both files, apply environment overrides, validate, build the Config.
#include <cmath>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "config/config.hpp"
#include "config/schemas.hpp"

extern char** environ;

namespace af::config {
namespace {

using detail::Field;
using detail::InstrumentsDoc;
using detail::LineIndex;
using detail::Problems;
using detail::Where;

constexpr std::size_t kMaxReportedProblems = 20;
constexpr const char* kRedacted = "<redacted>";

// ---------------------------------------------------------------------------------------------
// Environment overrides: the explicit list (docs/CONFIGURATION.md, "Environment variables").

struct EnvRule {
  const char* variable;
  const char* key_path;
  bool secret;
  const char* doc;
  // Secrets (no schema key): store the value. Non-secrets go through the schema reader.
  std::function<void(Settings&, const std::string&)> store_secret;
};

const std::vector<EnvRule>& env_rules() {
  static const std::vector<EnvRule> kRules = {
      {"MODE", "mode", false, "Trading mode: sim, paper or live.", {}},
      {"ENVIRONMENT", "environment", false, "Deployment label (staging, production ...).", {}},
      {"IBKR_HOST", "ibkr.host", false, "Gateway host (Docker: ibgateway).", {}},
      {"IBKR_PORT", "ibkr.port", false, "Gateway port, whatever the mode (Docker: 4000).", {}},
      {"AF_DATABASE_URL", "database.postgres_url", true,
       "PostgreSQL URL (postgresql://user:password@host:5432/db); also selects "
       "database.backend = postgres.",
       [](Settings& s, const std::string& v) {
         s.database.postgres_url = v;
         s.database.backend = StateBackend::kPostgres;
       }},
      {"TELEGRAM_BOT_TOKEN", "alerts.telegram.bot_token", true, "Telegram bot token.",
       [](Settings& s, const std::string& v) { s.alerts.telegram.bot_token = v; }},
      {"TELEGRAM_CHAT_ID", "alerts.telegram.chat_id", true, "Telegram chat id.",
       [](Settings& s, const std::string& v) { s.alerts.telegram.chat_id = v; }},
      {"EMAIL_SMTP_HOST", "alerts.email.smtp_host", false, "SMTP server.", {}},
      {"EMAIL_SMTP_PORT", "alerts.email.smtp_port", false, "SMTP port (STARTTLS).", {}},
      {"EMAIL_USERNAME", "alerts.email.username", true, "SMTP login.",
       [](Settings& s, const std::string& v) { s.alerts.email.username = v; }},
      {"EMAIL_PASSWORD", "alerts.email.password", true, "SMTP password.",
       [](Settings& s, const std::string& v) { s.alerts.email.password = v; }},
      {"EMAIL_RECIPIENT", "alerts.email.recipient", false, "Alert e-mail recipient.", {}},
  };
  return kRules;
}

// Secret keys that someone may try to put in settings.yaml: a clearer message than "unknown key".
std::string secret_hint(const std::string& message) {
  for (const auto& r : env_rules()) {
    if (r.secret && message.find(std::string("key ") + r.key_path + ":") != std::string::npos) {
      return fmt::format(" -- secrets are not accepted in files; set the environment variable {}",
                         r.variable);
    }
  }
  return {};
}

void apply_env(Settings& s, const Environment& env, std::vector<EnvOverride>& applied,
               Problems& problems) {
  for (const auto& rule : env_rules()) {
    auto it = env.find(rule.variable);
    if (it == env.end() || it->second.empty()) continue;  // empty = not set (blank .env lines)
    const std::string& value = it->second;
    std::string origin = fmt::format("environment variable {}", rule.variable);
    if (rule.store_secret) {
      rule.store_secret(s, value);
    } else {
      const Field<Settings>* field = nullptr;
      for (const auto& f : detail::settings_fields()) {
        if (f.path == rule.key_path) field = &f;
      }
      if (field == nullptr || !field->read) {
        problems.add(origin, 0, rule.key_path, "internal: no such settings key");
        continue;
      }
      std::string what = field->read(s, YAML::Node(value), Where{origin, 0, rule.key_path});
      if (!what.empty()) {
        problems.add(origin, 0, rule.key_path, what);
        continue;
      }
    }
    applied.push_back({rule.variable, rule.key_path, rule.secret ? kRedacted : value, rule.secret});
  }
}

// ---------------------------------------------------------------------------------------------
// Validation beyond single keys.

// Line of `path`, else of its nearest recorded parent, else 0.
int line_for(const LineIndex& lines, std::string path) {
  while (!path.empty()) {
    auto it = lines.find(path);
    if (it != lines.end()) return it->second;
    auto cut = path.find_last_of(".[");
    if (cut == std::string::npos) break;
    path = path.substr(0, cut);
  }
  return 0;
}

void validate_settings(const Settings& s, const std::string& file, const LineIndex& lines,
                       Problems& p) {
  auto err = [&](const std::string& path, const std::string& what) {
    p.add(file, line_for(lines, path), path, what);
  };
  const auto& w = s.sleeves;
  double sum = w.core_index_rv + w.sector_rv + w.single_name + w.credit_carry + w.crisis_alpha +
               w.cash_buffer;
  if (std::fabs(sum - 1.0) > 1e-9) {
    err("sleeves", fmt::format("sleeve weights must sum to 1 (+/-1e-9), got {:.12g} "
                               "({} + {} + {} + {} + {} + {})",
                               sum, w.core_index_rv, w.sector_rv, w.single_name, w.credit_carry,
                               w.crisis_alpha, w.cash_buffer));
  }
  const auto& a = s.tail_hedge.allocation;
  double asum = a.equity_puts + a.vix_calls + a.credit_puts + a.sovereign_spread + a.bank_puts;
  if (std::fabs(asum - 1.0) > 1e-9) {
    err("tail_hedge.allocation",
        fmt::format("hedge allocation must sum to 1 (+/-1e-9), got {:.12g}", asum));
  }
  if (s.momentum.short_window_days >= s.momentum.long_window_days) {
    err("momentum.short_window_days",
        fmt::format("must be smaller than momentum.long_window_days ({}), got {}",
                    s.momentum.long_window_days, s.momentum.short_window_days));
  }
  const auto& v = s.risk.vol_estimator;
  if (v.short_window_days >= v.long_window_days) {
    err("risk.vol_estimator.short_window_days",
        fmt::format("must be smaller than risk.vol_estimator.long_window_days ({}), got {}",
                    v.long_window_days, v.short_window_days));
  }
  if (v.floor_vol_annual >= v.cap_vol_annual) {
    err("risk.vol_estimator.floor_vol_annual",
        fmt::format("must be below risk.vol_estimator.cap_vol_annual ({}), got {}",
                    v.cap_vol_annual, v.floor_vol_annual));
  }
  const auto& r = s.risk.regime;
  if (!(r.vix_recovery_max <= r.vix_elevated && r.vix_elevated <= s.crisis.vix_threshold)) {
    err("risk.regime.vix_elevated",
        fmt::format("need vix_recovery_max ({}) <= vix_elevated ({}) <= crisis.vix_threshold ({})",
                    r.vix_recovery_max, r.vix_elevated, s.crisis.vix_threshold));
  }
  if (!(-s.max_drawdown_pct < r.drawdown_elevated_pct &&
        r.drawdown_elevated_pct < r.drawdown_normal_pct)) {
    err("risk.regime.drawdown_elevated_pct",
        fmt::format("need -max_drawdown_pct ({}) < drawdown_elevated_pct ({}) < "
                    "drawdown_normal_pct ({})",
                    -s.max_drawdown_pct, r.drawdown_elevated_pct, r.drawdown_normal_pct));
  }
  if (s.alerts.thresholds.drawdown_error_pct > s.alerts.thresholds.drawdown_warning_pct) {
    err("alerts.thresholds.drawdown_error_pct",
        fmt::format("must be at or below drawdown_warning_pct ({}), got {}",
                    s.alerts.thresholds.drawdown_warning_pct,
                    s.alerts.thresholds.drawdown_error_pct));
  }
  if (s.monitoring.metrics_listen == s.monitoring.health_listen) {
    err("monitoring.health_listen", "must differ from monitoring.metrics_listen (" +
                                        s.monitoring.metrics_listen.str() + ")");
  }
  if (s.backtest.end_date && *s.backtest.end_date <= s.backtest.start_date) {
    err("backtest.end_date", "must be after backtest.start_date (" +
                                 s.backtest.start_date.iso() + "), got " +
                                 s.backtest.end_date->iso());
  }
  for (std::size_t i = 0; i < s.schedule.maintenance_windows.size(); ++i) {
    const auto& mw = s.schedule.maintenance_windows[i];
    if (mw.start_minute_utc == mw.end_minute_utc) {
      err(fmt::format("schedule.maintenance_windows[{}].end_utc", i),
          "must differ from start_utc (an empty window)");
    }
  }
}

std::string contract_key(const Instrument& inst) {
  const auto& c = inst.contract;
  std::string key = fmt::format("{} {} {} {}", c.symbol, to_string(c.sec_type),
                                c.primary_exchange.empty() ? c.exchange : c.primary_exchange,
                                to_string(c.currency));
  if (inst.future) key += fmt::format(" {}", to_string(inst.future->expiry_rule));
  if (inst.option) {
    key += fmt::format(" {} {} {}", to_string(inst.option->right), to_string(inst.option->expiry_rule),
                       c.trading_class);
  }
  return key;
}

bool is_series_id(const std::string& s) {
  if (s.empty()) return false;
  for (char ch : s) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  }
  return true;
}

void validate_instruments(const InstrumentsDoc& doc, const std::string& file,
                          const LineIndex& lines, Problems& p) {
  std::map<std::string, const Instrument*> by_contract;
  std::map<std::string, const Instrument*> by_id;
  for (const auto& inst : doc.list) by_id.emplace(inst.id.str(), &inst);
  for (const auto& inst : doc.list) {
    const std::string base = "instruments." + inst.id.str();
    auto err = [&](const std::string& sub, const std::string& what) {
      std::string path = sub.empty() ? base : base + "." + sub;
      p.add(file, line_for(lines, path), path, what);
    };
    const auto& c = inst.contract;
    const bool fut = c.sec_type == SecType::kFut;
    const bool opt = c.sec_type == SecType::kOpt;
    if (fut && !inst.future) err("contract.sec_type", "sec_type FUT needs a future: section");
    if (!fut && inst.future) err("future", "only sec_type FUT takes a future: section");
    if (opt && !inst.option) err("contract.sec_type", "sec_type OPT needs an option: section");
    if (!opt && inst.option) err("option", "only sec_type OPT takes an option: section");
    if (c.price_unit.currency() != c.currency) {
      err("contract.price_unit",
          fmt::format("price unit {} does not belong to currency {} (GBX only with GBP)",
                      c.price_unit.code(), to_string(c.currency)));
    }
    if (c.sec_type == SecType::kStk) {
      if (c.exchange != "SMART") {
        err("contract.exchange",
            fmt::format("stocks and ETFs route through SMART with a primary_exchange (direct "
                        "routing is refused by IB), got {}",
                        c.exchange));
      } else if (c.primary_exchange.empty()) {
        err("contract.primary_exchange",
            "a SMART-routed stock needs its listing venue (LSEETF, IBIS, SBF, NASDAQ, NYSE ...)");
      }
    }
    if (inst.is_etf && c.sec_type != SecType::kStk) err("etf", "etf: true is only for sec_type STK");
    if (!is_series_id(inst.data_series)) {
      err("data_series", "expected a series id of [a-z0-9_], got '" + inst.data_series + "'");
    }
    if (inst.option) {
      auto it = by_id.find(inst.option->underlying.str());
      if (it == by_id.end()) {
        err("option.underlying",
            "unknown instrument '" + inst.option->underlying.str() + "' (not defined in this file)");
      } else if (it->second->contract.sec_type == SecType::kOpt) {
        err("option.underlying", "the underlying '" + inst.option->underlying.str() +
                                     "' is itself an option");
      } else if (it->second->contract.currency != c.currency) {
        err("option.underlying",
            fmt::format("underlying '{}' is in {}, the option in {}", inst.option->underlying.str(),
                        to_string(it->second->contract.currency), to_string(c.currency)));
      }
    }
    std::string key = contract_key(inst);
    auto [it, inserted] = by_contract.emplace(key, &inst);
    if (!inserted) {
      err("contract", fmt::format("same broker contract ({}) as instruments.{} (line {}); one "
                                  "contract must have exactly one id",
                                  key, it->second->id.str(), it->second->source_line));
    }
  }
}

// References from settings.yaml into instruments.yaml.
void validate_references(const Settings& s, const InstrumentsDoc& doc,
                         const std::string& settings_file, const LineIndex& slines,
                         const std::string& instruments_file, Problems& p) {
  std::map<std::string, const Instrument*> by_id;
  for (const auto& inst : doc.list) by_id.emplace(inst.id.str(), &inst);
  auto check = [&](const std::string& path, const InstrumentId& id, Sleeve sleeve,
                   std::optional<SecType> need_type) {
    auto err = [&](const std::string& what) {
      p.add(settings_file, line_for(slines, path), path, what);
    };
    auto it = by_id.find(id.str());
    if (it == by_id.end()) {
      err(fmt::format("unknown instrument '{}' (not defined in {})", id.str(), instruments_file));
      return;
    }
    const Instrument& inst = *it->second;
    if (!inst.has_sleeve(sleeve)) {
      err(fmt::format("instrument '{}' lacks sleeve role {} (add it to its sleeves: in {})",
                      id.str(), to_string(sleeve), instruments_file));
    }
    if (!inst.tradeable) err(fmt::format("instrument '{}' is not tradeable", id.str()));
    if (need_type && inst.contract.sec_type != *need_type) {
      err(fmt::format("instrument '{}' must be sec_type {}, is {}", id.str(),
                      to_string(*need_type), to_string(inst.contract.sec_type)));
    }
  };
  const auto& st = s.strategy;
  check("strategy.core_index_rv.us_long", st.core_index_rv.us_long, Sleeve::kCoreIndexRv, {});
  check("strategy.core_index_rv.eu_short", st.core_index_rv.eu_short, Sleeve::kCoreIndexRv, {});
  check("strategy.core_index_rv.fx_hedge", st.core_index_rv.fx_hedge, Sleeve::kCoreIndexRv,
        SecType::kFut);
  for (const auto& id : st.sector_rv.us_long) check("strategy.sector_rv.us_long", id, Sleeve::kSectorRv, {});
  for (const auto& id : st.sector_rv.eu_short) check("strategy.sector_rv.eu_short", id, Sleeve::kSectorRv, {});
  check("strategy.single_name.fallback_short", st.single_name.fallback_short, Sleeve::kSingleName, {});
  for (const auto& w : st.credit_carry.us_long) check("strategy.credit_carry.us_long", w.id, Sleeve::kCreditCarry, {});
  for (const auto& w : st.credit_carry.eu_short) check("strategy.credit_carry.eu_short", w.id, Sleeve::kCreditCarry, {});
  const auto& th = s.tail_hedge;
  for (const auto& w : th.equity_puts) check("tail_hedge.equity_puts", w.id, Sleeve::kCrisisAlpha, SecType::kOpt);
  for (const auto& w : th.vix_calls) check("tail_hedge.vix_calls", w.id, Sleeve::kCrisisAlpha, SecType::kOpt);
  for (const auto& w : th.credit_puts) check("tail_hedge.credit_puts", w.id, Sleeve::kCrisisAlpha, SecType::kOpt);
  for (const auto& w : th.bank_puts) check("tail_hedge.bank_puts", w.id, Sleeve::kCrisisAlpha, SecType::kOpt);
  check("tail_hedge.sovereign_short", th.sovereign_short, Sleeve::kCrisisAlpha, SecType::kFut);
  check("tail_hedge.sovereign_long", th.sovereign_long, Sleeve::kCrisisAlpha, SecType::kFut);

  std::set<Currency> missing;
  for (const auto& inst : doc.list) {
    if (!s.fx.static_rates_to_usd.count(inst.contract.currency)) missing.insert(inst.contract.currency);
  }
  for (Currency c : missing) {
    p.add(settings_file, line_for(slines, "fx.static_rates_to_usd"), "fx.static_rates_to_usd",
          fmt::format("no static rate for {}, the currency of instruments in {}", to_string(c),
                      instruments_file));
  }
}

// ---------------------------------------------------------------------------------------------

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned i = 0; i < len; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

template <class T>
void parse_file(std::string_view text, const std::string& label,
                const std::vector<Field<T>>& fields, T& target, Problems& problems,
                LineIndex& lines) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    problems.add_raw(fmt::format("{}:{}: YAML syntax error: {} (column {})", label,
                                 e.mark.is_null() ? 0 : e.mark.line + 1, e.msg,
                                 e.mark.is_null() ? 0 : e.mark.column + 1));
    return;
  }
  detail::read_document(fields, target, root, label, problems, lines);
}

Result<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{ErrorCode::kConfig,
                 fmt::format("{}: cannot open the configuration file (check --config DIR)",
                             path.string())};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One kConfig error listing up to kMaxReportedProblems problems, first one first.
Error problems_error(const Problems& problems) {
  const auto& all = problems.messages();
  std::string msg;
  for (std::size_t i = 0; i < all.size() && i < kMaxReportedProblems; ++i) {
    if (i > 0) msg += "\n";
    msg += all[i] + secret_hint(all[i]);
  }
  if (all.size() > kMaxReportedProblems) {
    msg += fmt::format("\n... and {} more configuration errors", all.size() - kMaxReportedProblems);
  }
  return Error{ErrorCode::kConfig, msg};
}

}  // namespace

Environment process_environment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

std::vector<std::string> Config::secret_values() const {
  std::vector<std::string> out;
  auto add = [&out](const std::string& v) {
    if (!v.empty()) out.push_back(v);
  };
  add(settings.alerts.telegram.bot_token);
  add(settings.alerts.telegram.chat_id);
  add(settings.alerts.email.username);
  add(settings.alerts.email.password);
  const std::string& url = settings.database.postgres_url;
  add(url);
  // postgresql://user:password@host/... -> the password on its own too.
  auto scheme = url.find("://");
  if (scheme != std::string::npos) {
    auto at = url.find('@', scheme + 3);
    if (at != std::string::npos) {
      auto colon = url.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) add(url.substr(colon + 1, at - colon - 1));
    }
  }
  return out;
}

Result<Config> load_config_from_text(std::string_view settings_yaml, std::string_view settings_label,
                                     std::string_view instruments_yaml,
                                     std::string_view instruments_label, const Environment& env) {
  Problems problems;
  LineIndex slines, ilines;
  Config cfg;
  const std::string slabel(settings_label), ilabel(instruments_label);

  parse_file(settings_yaml, slabel, detail::settings_fields(), cfg.settings, problems, slines);
  apply_env(cfg.settings, env, cfg.overrides_applied, problems);
  const bool settings_read = problems.empty();
  InstrumentsDoc doc;
  const std::size_t before = problems.messages().size();
  parse_file(instruments_yaml, ilabel, detail::instrument_fields(), doc, problems, ilines);
  const bool instruments_read = problems.messages().size() == before;
  // Cross-key checks only on files that were read cleanly (no cascades of follow-up errors).
  if (settings_read) validate_settings(cfg.settings, slabel, slines, problems);
  if (instruments_read) validate_instruments(doc, ilabel, ilines, problems);
  if (problems.empty()) {
    validate_references(cfg.settings, doc, slabel, slines, ilabel, problems);
  }
  if (!problems.empty()) return problems_error(problems);
  cfg.instruments = InstrumentUniverse(std::move(doc.list));
  cfg.settings_sha256 = sha256_hex(settings_yaml);
  cfg.instruments_sha256 = sha256_hex(instruments_yaml);
  return cfg;
}

Result<Config> load_config(const std::filesystem::path& dir, const Environment& env) {
  const auto settings_path = dir / "settings.yaml";
  const auto instruments_path = dir / "instruments.yaml";
  AF_ASSIGN_OR_RETURN(std::string settings_text, read_text(settings_path));
  AF_ASSIGN_OR_RETURN(std::string instruments_text, read_text(instruments_path));
  auto cfg = load_config_from_text(settings_text, settings_path.string(), instruments_text,
                                   instruments_path.string(), env);
  if (cfg) cfg->dir = dir;
  return cfg;
}

Result<Settings> load_settings_from_text(std::string_view settings_yaml, std::string_view settings_label,
                                         const Environment& env) {
  Problems problems;
  LineIndex lines;
  Settings settings;
  std::vector<EnvOverride> applied;
  const std::string label(settings_label);
  parse_file(settings_yaml, label, detail::settings_fields(), settings, problems, lines);
  apply_env(settings, env, applied, problems);
  if (problems.empty()) validate_settings(settings, label, lines, problems);
  if (!problems.empty()) return problems_error(problems);
  return settings;
}

Result<Settings> load_settings(const std::filesystem::path& dir, const Environment& env) {
  const auto settings_path = dir / "settings.yaml";
  AF_ASSIGN_OR_RETURN(std::string settings_text, read_text(settings_path));
  return load_settings_from_text(settings_text, settings_path.string(), env);
}

std::vector<EnvKey> env_keys() {
  std::vector<EnvKey> out;
  for (const auto& r : env_rules()) out.push_back({r.variable, r.key_path, r.secret, r.doc});
  return out;
}

std::vector<SchemaKey> schema_keys() {
  std::vector<SchemaKey> out;
  auto add_all = [&out](const std::string& file, const auto& fields) {
    for (const auto& f : fields) {
      out.push_back({file, f.path, f.type,
                     f.kind == detail::FieldKind::kLeaf || f.kind == detail::FieldKind::kList
                         ? f.default_yaml.value_or("(required)")
                         : std::string(f.kind == detail::FieldKind::kOptionalSection ? "(optional)"
                                                                                     : ""),
                     f.range, f.unit, f.doc});
    }
  };
  add_all("settings.yaml", detail::settings_fields());
  add_all("instruments.yaml", detail::instrument_fields());
  return out;
}

}  // namespace af::config
