// Helpers shared by the config tests: the real files, single edits, expected lines.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace af::config::testing {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string real_settings() { return read_file(std::string(AF_SOURCE_DIR) + "/config/settings.yaml"); }
inline std::string real_instruments() {
  return read_file(std::string(AF_SOURCE_DIR) + "/config/instruments.yaml");
}

// 1-based line of byte offset `pos` in `text`.
inline int line_at(const std::string& text, std::size_t pos) {
  int line = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
  }
  return line;
}

// One edit: the first occurrence of `from` at or after the first occurrence of `anchor` is
// replaced by `to`. `line` receives the 1-based line where the edit starts.
inline std::string edit(const std::string& text, const std::string& anchor, const std::string& from,
                        const std::string& to, int* line = nullptr) {
  std::size_t a = anchor.empty() ? 0 : text.find(anchor);
  if (a == std::string::npos) throw std::runtime_error("anchor not found: " + anchor);
  std::size_t p = text.find(from, a);
  if (p == std::string::npos) throw std::runtime_error("text not found: " + from);
  if (line != nullptr) *line = line_at(text, p);
  return text.substr(0, p) + to + text.substr(p + from.size());
}

}  // namespace af::config::testing
