// The effective configuration as JSON and as text (config check). Never prints secrets: settings
// are dumped through the schema, which has no secret keys.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/schemas.hpp"

namespace af::config {
namespace {

void set_path(nlohmann::json& root, const std::string& path, nlohmann::json value) {
  nlohmann::json* node = &root;
  std::size_t start = 0;
  while (true) {
    auto dot = path.find('.', start);
    std::string seg = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (dot == std::string::npos) {
      (*node)[seg] = std::move(value);
      return;
    }
    node = &(*node)[seg];
    start = dot + 1;
  }
}

nlohmann::json settings_json(const Settings& s) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& f : detail::settings_fields()) {
    if (!f.write || f.path.find('<') != std::string::npos ||
        f.path.find("[]") != std::string::npos) {
      continue;
    }
    set_path(out, f.path, f.write(s));
  }
  return out;
}

nlohmann::json instrument_json(const Instrument& i) {
  nlohmann::json sleeves = nlohmann::json::array();
  for (Sleeve s : i.sleeves) sleeves.push_back(std::string(to_string(s)));
  const auto& c = i.contract;
  nlohmann::json j = {
      {"id", i.id.str()},
      {"category", i.category},
      {"description", i.description},
      {"sleeves", sleeves},
      {"tradeable", i.tradeable},
      {"etf", i.is_etf},
      {"data_series", i.data_series},
      {"contract",
       {{"symbol", c.symbol},
        {"sec_type", std::string(to_string(c.sec_type))},
        {"exchange", c.exchange},
        {"primary_exchange", c.primary_exchange},
        {"currency", std::string(to_string(c.currency))},
        {"multiplier", c.multiplier},
        {"trading_class", c.trading_class},
        {"tick_size", c.tick_size},
        {"price_unit", std::string(c.price_unit.code())},
        {"lot_size", c.lot_size}}},
  };
  if (i.future) {
    nlohmann::json months = nlohmann::json::array();
    for (unsigned m : i.future->contract_months()) months.push_back(m);
    j["future"] = {{"expiry_cycle", std::string(to_string(i.future->expiry_cycle))},
                   {"expiry_rule", std::string(to_string(i.future->expiry_rule))},
                   {"roll_business_days_before_expiry", i.future->roll_business_days_before_expiry},
                   {"contract_months", months}};
  }
  if (i.option) {
    j["option"] = {{"underlying", i.option->underlying.str()},
                   {"right", std::string(to_string(i.option->right))},
                   {"target_tenor_days", i.option->target_tenor_days},
                   {"otm_pct", i.option->otm_pct},
                   {"expiry_rule", std::string(to_string(i.option->expiry_rule))}};
  }
  return j;
}

void flatten(const nlohmann::json& j, const std::string& prefix, std::string& out) {
  if (j.is_object() && !j.empty()) {
    for (const auto& [k, v] : j.items()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
    return;
  }
  out += fmt::format("{} = {}\n", prefix, j.dump());
}

}  // namespace

nlohmann::json to_json(const Config& config) {
  nlohmann::json instruments = nlohmann::json::array();
  for (const auto& i : config.instruments) instruments.push_back(instrument_json(i));
  nlohmann::json overrides = nlohmann::json::array();
  for (const auto& o : config.overrides_applied) {
    overrides.push_back(
        {{"variable", o.variable}, {"key", o.key_path}, {"value", o.value}, {"secret", o.secret}});
  }
  return {{"config_dir", config.dir.string()},
          {"settings", settings_json(config.settings)},
          {"instruments", instruments},
          {"instrument_count", config.instruments.size()},
          {"overrides_applied", overrides},
          {"sha256",
           {{"settings.yaml", config.settings_sha256},
            {"instruments.yaml", config.instruments_sha256}}}};
}

std::string to_text(const Config& config) {
  std::string out;
  out += fmt::format("# configuration directory: {}\n", config.dir.string());
  out += fmt::format("# settings.yaml sha256 {}\n# instruments.yaml sha256 {}\n",
                     config.settings_sha256, config.instruments_sha256);
  for (const auto& o : config.overrides_applied) {
    out += fmt::format("# environment override: {} -> {} = {}\n", o.variable, o.key_path, o.value);
  }
  out += "\n## settings (effective)\n";
  flatten(settings_json(config.settings), "", out);
  out += fmt::format("\n## instruments ({})\n", config.instruments.size());
  for (const auto& i : config.instruments) {
    const auto& c = i.contract;
    std::string sleeves;
    for (Sleeve s : i.sleeves) {
      if (!sleeves.empty()) sleeves += ',';
      sleeves += to_string(s);
    }
    out += fmt::format("{:<22} {:<4} {:<7} {:<9} {:<7} {} x{} tick {} {}", i.id.str(),
                       to_string(c.sec_type), c.symbol, c.exchange, c.primary_exchange,
                       c.price_unit.code(), c.multiplier, c.tick_size,
                       i.tradeable ? "tradeable" : "not-tradeable");
    if (i.future) {
      out += fmt::format(" | {} {} roll {}bd", to_string(i.future->expiry_cycle),
                         to_string(i.future->expiry_rule),
                         i.future->roll_business_days_before_expiry);
    }
    if (i.option) {
      out += fmt::format(" | {} on {} {}d otm {}", to_string(i.option->right),
                         i.option->underlying.str(), i.option->target_tenor_days,
                         i.option->otm_pct);
    }
    out += fmt::format(" | sleeves [{}] | data {}\n", sleeves, i.data_series);
  }
  return out;
}

}  // namespace af::config
