// config/schemas.hpp — internal: the two schema tables (settings.yaml, instruments.yaml).
#pragma once

#include <vector>

#include "config/instruments.hpp"
#include "config/schema.hpp"
#include "config/settings.hpp"

namespace af::config::detail {

// What instruments.yaml reads into (the universe is built from it after validation).
struct InstrumentsDoc {
  std::vector<Instrument> list;
};

const std::vector<Field<Settings>>& settings_fields();
const std::vector<Field<InstrumentsDoc>>& instrument_fields();

// Shared readers.
std::string read_id_list(std::vector<InstrumentId>& out, const YAML::Node& n);
std::string read_weight_map(std::vector<WeightedInstrument>& out, const YAML::Node& n);
nlohmann::json write_id_list(const std::vector<InstrumentId>& ids);
nlohmann::json write_weight_map(const std::vector<WeightedInstrument>& items);

}  // namespace af::config::detail
