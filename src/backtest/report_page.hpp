// backtest/report_page.hpp — building blocks shared by the HTML reports (the backtest tear sheet,
// the Monte Carlo fan chart): one stylesheet, one chart runtime, one escaping rule.
//
// chart_script_prelude(): JavaScript to place in a <script> after Chart.js (report_assets.hpp) and
// before the page's charts. It reports script errors into <div id="af-errors">, defines `palette`,
// `line(label, data, color, extra)`, `xAxis` and `chart(id, config)`, and registers a Chart.js
// plugin that marks each canvas data-drawn="1" once pixels were painted and updates
// <p id="af-status"> to "Charts drawn: k/n" (n = canvases of class af-chart). The headless-browser
// tests read those markers. Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace af::backtest {

std::string_view report_css();
std::string_view chart_script_prelude();
// A number for JSON: NaN and infinities become null.
nlohmann::json json_number(double v);
// Compact JS array of numbers (6 significant digits; non-finite -> null).
std::string js_array(const std::vector<double>& v);
std::string html_escape(const std::string& s);
// A CSV field: quoted (quotes doubled) when it holds a comma, quote or newline.
std::string csv_field(const std::string& s);
// Writes (truncates) a report file; the error names the path and what to check.
Status write_text_file(const std::filesystem::path& path, const std::string& text);

}  // namespace af::backtest
