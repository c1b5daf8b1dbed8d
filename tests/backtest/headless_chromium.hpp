// Renders a self-contained HTML report in headless Chromium (Debian package chromium) from disk,
// network off, and reports what the page's chart runtime (backtest/report_page.hpp) marked:
// canvases with data-drawn="1", the "Charts drawn: k/n" status and script errors. Shared by the
// backtest tear-sheet and Monte Carlo fan-chart tests. Chromium missing = the caller's test fails.
#pragma once

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace af::backtest::testing {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string find_chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"}) {
    if (::access(p, X_OK) == 0) return p;
  }
  return {};
}

struct RenderedPage {
  int status = -1;            // Chromium's exit status
  std::string dom;            // the DOM after scripts ran
  std::string chromium_stderr;
  int canvases = 0, drawn = 0;
  std::vector<std::string> not_drawn;  // canvas tags without data-drawn="1"
  std::string script_errors;           // text of <div id="af-errors">
  bool errors_div_found = false;
};

// Loads `html` (a file) in headless Chromium; `scratch` receives the browser profile and stderr.
inline RenderedPage render_in_chromium(const std::string& chromium, const std::filesystem::path& html,
                                       const std::filesystem::path& scratch) {
  RenderedPage page;
  std::filesystem::create_directories(scratch);
  const std::filesystem::path profile = scratch / "chromium-profile";
  const std::filesystem::path err = scratch / "chromium.stderr";
  const std::string cmd = "timeout 180 " + chromium +
                          " --headless --no-sandbox --disable-gpu --disable-background-networking"
                          " --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage"
                          " --user-data-dir=" + profile.string() +
                          " --virtual-time-budget=5000 --window-size=1280,2000 --dump-dom file://" +
                          html.string() + " 2>" + err.string();
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return page;
  std::array<char, 65536> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) page.dom.append(buf.data(), n);
  page.status = ::pclose(pipe);
  page.chromium_stderr = read_file(err);
  const std::regex canvas_tag("<canvas[^>]*>");
  for (auto it = std::sregex_iterator(page.dom.begin(), page.dom.end(), canvas_tag); it != std::sregex_iterator(); ++it) {
    ++page.canvases;
    const std::string tag = it->str();
    if (tag.find("data-drawn=\"1\"") != std::string::npos) {
      ++page.drawn;
    } else {
      page.not_drawn.push_back(tag);
    }
  }
  std::smatch errors;
  if (std::regex_search(page.dom, errors, std::regex("<div id=\"af-errors\">([^<]*)</div>"))) {
    page.errors_div_found = true;
    page.script_errors = errors[1].str();
  }
  return page;
}

}  // namespace af::backtest::testing
