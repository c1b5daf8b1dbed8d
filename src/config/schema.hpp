// config/schema.hpp — internal: the table-driven YAML reader behind load_config.
//
// A schema is a list of Field<T>, one per key path. Paths are dotted; `<name>` is a wildcard map
// key (instruments.<id>), `[]` a list item (schedule.maintenance_windows[]). The same table
// drives: unknown-key detection, type and range checks, defaults, required keys, the JSON dump
// and the documentation drift test (schema_keys()). Not part of the public API.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace af::config::detail {

// Errors collected while reading; each is "file:line: key path: what".
class Problems {
 public:
  void add(const std::string& file, int line, const std::string& path, const std::string& what);
  void add_raw(std::string message) { messages_.push_back(std::move(message)); }
  bool empty() const noexcept { return messages_.empty(); }
  const std::vector<std::string>& messages() const noexcept { return messages_; }

 private:
  std::vector<std::string> messages_;
};

// Where a value was found.
struct Where {
  std::string file;  // label used in messages ("config/settings.yaml")
  int line = 0;      // 1-based; 0 = not from a file (environment, default)
  std::string path;  // concrete key path ("instruments.us_index_etf.contract.symbol")
};

enum class FieldKind { kLeaf, kSection, kOptionalSection, kWildcardMap, kList };

template <class T>
struct Field {
  std::string path;  // pattern
  FieldKind kind = FieldKind::kLeaf;
  std::string type;  // documentation type ("number", "integer", "enum", ...)
  std::optional<std::string> default_yaml;  // nullopt = required (leaves only)
  std::string range;
  std::string unit;
  std::string doc;
  // Leaves: store the value; return "" or what is wrong ("expected a positive number, got -50").
  std::function<std::string(T&, const YAML::Node&, const Where&)> read;
  // Sections/wildcard entries/list items: called on entering (e.g. to create the element).
  // `key` is the wildcard key or the list index as text. Returns "" or what is wrong.
  std::function<std::string(T&, const std::string& key, const Where&)> enter;
  // Dump (settings only): leaves without wildcards above them, and list fields.
  std::function<nlohmann::json(const T&)> write;
};

// Records the line of every concrete key path seen (for later cross-checks).
using LineIndex = std::map<std::string, int>;

// Text describing a node for "got ..." ("-50", "a mapping", "a list", "null").
std::string describe(const YAML::Node& node);
int line_of(const YAML::Node& node);

// Reads `root` (the whole document) into `target` following `fields`.
template <class T>
void read_document(const std::vector<Field<T>>& fields, T& target, const YAML::Node& root,
                   const std::string& file, Problems& problems, LineIndex& lines);

// ---------------------------------------------------------------------------------------------
// Leaf readers. Each returns a `read` function and fills type/range in the Field.

struct NumberRange {
  double min = -1e300;
  double max = 1e300;
  bool min_open = false;  // (min, ...
  bool max_open = false;
  std::string text() const;  // "[0, 1]", "(0, +inf)"
  bool contains(double v) const noexcept;
  std::string expectation(bool integer) const;  // "a positive number", "an integer in [1, 65535]"
};

// Parses a scalar into double/int/bool with the standard messages; nullopt + message on error.
std::optional<double> parse_number(const YAML::Node& n, const NumberRange& r, std::string& what);
std::optional<long long> parse_integer(const YAML::Node& n, const NumberRange& r,
                                       std::string& what);
std::optional<bool> parse_bool(const YAML::Node& n, std::string& what);
std::optional<std::string> parse_string(const YAML::Node& n, std::string& what,
                                        bool allow_empty = true);
// One of `choices` (exact spelling).
std::optional<std::string> parse_choice(const YAML::Node& n, const std::vector<std::string>& choices,
                                        std::string& what);
std::string join_choices(const std::vector<std::string>& choices, const char* sep = " | ");

}  // namespace af::config::detail

#include "config/schema_impl.hpp"
