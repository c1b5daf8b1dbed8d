// docs/CONFIGURATION.md must document exactly the keys of the schema (both files) and the
// environment variables of the override table, with the schema's defaults. On failure the test
// prints the rows to add. `--gtest_also_run_disabled_tests --gtest_filter=*PrintTables*` prints
// all tables (how the reference tables were first written).
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>
#include <string>

#include "config/config.hpp"
#include "test_util.hpp"

namespace af::config {
namespace {

std::string escape(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

std::string row(const SchemaKey& k) {
  std::string def = k.default_value.empty() ? "" : "`" + k.default_value + "`";
  return "| `" + k.path + "` | " + k.type + " | " + escape(def) + " | " + escape(k.range) + " | " +
         escape(k.unit) + " | " + escape(k.doc) + " |";
}

std::string env_row(const EnvKey& e) {
  return "| `" + e.variable + "` | `" + e.key_path + "` | " + (e.secret ? "yes" : "no") + " | " +
         escape(e.doc) + " |";
}

std::string unescape(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '|') continue;
    out += s[i];
  }
  return out;
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '|' && line[i - 1] != '\\') {
      auto b = cur.find_first_not_of(' ');
      auto e = cur.find_last_not_of(' ');
      out.push_back(b == std::string::npos ? "" : unescape(cur.substr(b, e - b + 1)));
      cur.clear();
    } else {
      cur += line[i];
    }
  }
  return out;
}

std::string strip_ticks(const std::string& s) {
  if (s.size() >= 2 && s.front() == '`' && s.back() == '`') return s.substr(1, s.size() - 2);
  return s;
}

// section ("settings.yaml", "instruments.yaml", "env") -> key -> cells of its row.
std::map<std::string, std::map<std::string, std::vector<std::string>>> documented() {
  std::map<std::string, std::map<std::string, std::vector<std::string>>> out;
  std::string text = testing::read_file(std::string(AF_SOURCE_DIR) + "/docs/CONFIGURATION.md");
  std::string section;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    if (line.rfind("## ", 0) == 0) {
      if (line.find("settings.yaml") != std::string::npos) section = "settings.yaml";
      else if (line.find("instruments.yaml") != std::string::npos) section = "instruments.yaml";
      else if (line.find("Environment variables") != std::string::npos) section = "env";
      else section.clear();
      continue;
    }
    if (section.empty() || line.rfind("| `", 0) != 0) continue;
    auto c = cells(line);
    if (c.empty()) continue;
    out[section][strip_ticks(c[0])] = c;
  }
  return out;
}

TEST(ConfigDocs, EverySchemaKeyIsDocumentedWithItsDefault) {
  auto doc = documented();
  std::string missing;
  for (const auto& k : schema_keys()) {
    auto& sec = doc[k.file];
    auto it = sec.find(k.path);
    if (it == sec.end()) {
      missing += row(k) + "\n";
      continue;
    }
    ASSERT_GE(it->second.size(), 3u) << k.path;
    EXPECT_EQ(it->second[1], k.type) << k.file << " " << k.path;
    EXPECT_EQ(strip_ticks(it->second[2]), k.default_value) << k.file << " " << k.path;
  }
  EXPECT_TRUE(missing.empty()) << "undocumented keys; add these rows to docs/CONFIGURATION.md:\n"
                               << missing;
}

TEST(ConfigDocs, EveryDocumentedKeyExists) {
  auto doc = documented();
  std::map<std::string, std::set<std::string>> schema;
  for (const auto& k : schema_keys()) schema[k.file].insert(k.path);
  for (const auto& file : {"settings.yaml", "instruments.yaml"}) {
    for (const auto& [path, row] : doc[file]) {
      EXPECT_TRUE(schema[file].count(path)) << "docs/CONFIGURATION.md documents " << file << " key `"
                                            << path << "`, which the schema does not have";
    }
  }
  EXPECT_GE(doc["settings.yaml"].size(), 100u);
}

TEST(ConfigDocs, EnvironmentVariablesMatchTheOverrideTable) {
  auto doc = documented()["env"];
  std::set<std::string> vars;
  for (const auto& e : env_keys()) {
    vars.insert(e.variable);
    auto it = doc.find(e.variable);
    if (it == doc.end()) {
      ADD_FAILURE() << "undocumented environment variable; add:\n" << env_row(e);
      continue;
    }
    ASSERT_GE(it->second.size(), 3u);
    EXPECT_EQ(strip_ticks(it->second[1]), e.key_path) << e.variable;
    EXPECT_EQ(it->second[2], e.secret ? "yes" : "no") << e.variable;
  }
  for (const auto& [var, row] : doc) {
    EXPECT_TRUE(vars.count(var)) << "docs list " << var << ", which load_config does not read";
  }
}

TEST(ConfigDocs, DISABLED_PrintTables) {
  std::string file;
  for (const auto& k : schema_keys()) {
    if (k.file != file) {
      file = k.file;
      std::cout << "\n## " << file << "\n\n| Key | Type | Default | Range | Unit | Meaning |\n"
                << "|---|---|---|---|---|---|\n";
    }
    std::cout << row(k) << "\n";
  }
  std::cout << "\n## Environment variables\n\n| Variable | Key | Secret | Meaning |\n|---|---|---|---|\n";
  for (const auto& e : env_keys()) std::cout << env_row(e) << "\n";
}

}  // namespace
}  // namespace af::config
