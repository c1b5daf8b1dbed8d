#include "backtest/report_page.hpp"

#include <cmath>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

namespace af::backtest {

std::string_view report_css() {
  return R"CSS(body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1b1f24;max-width:1200px}
h1{font-size:22px;margin-bottom:4px} h2{font-size:17px;margin-top:28px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.sub{color:#57606a;margin-top:0}
table{border-collapse:collapse;font-size:13px} th,td{padding:3px 8px;border-bottom:1px solid #eaeef2;text-align:right}
th{text-align:left;font-weight:600} .metrics td{text-align:left}
td.pos{color:#116329} td.neg{color:#a40e26} td.synthetic{color:#9a6700;font-weight:600} td.real{color:#116329}
.chart{position:relative;height:300px;margin:8px 0 20px} .grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.note{font-size:13px;color:#57606a} #af-errors{color:#a40e26}
)CSS";
}

std::string_view chart_script_prelude() {
  return R"JS(window.addEventListener('error', function (e) {
  document.getElementById('af-errors').textContent += 'Script error: ' + e.message + ' ';
});
const palette = ['#0969da', '#cf222e', '#8250df', '#1a7f37', '#bf8700', '#57606a', '#e16f24'];
let drawn = 0;
const expected = document.querySelectorAll('canvas.af-chart').length;
// Marks a canvas once Chart.js has rendered pixels into it (checked by the headless test).
const drawnMarker = {
  id: 'afDrawn',
  afterRender(chart) {
    const c = chart.canvas;
    if (c.dataset.drawn === '1') return;
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) painted++;
    if (painted > 0) {
      c.dataset.drawn = '1';
      c.dataset.paintedPixels = String(painted);
      drawn++;
      document.getElementById('af-status').textContent = 'Charts drawn: ' + drawn + '/' + expected;
    }
  }
};
Chart.register(drawnMarker);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.elements.point.radius = 0;
Chart.defaults.elements.line.borderWidth = 1.5;
Chart.defaults.plugins.tooltip.mode = 'index';
Chart.defaults.plugins.tooltip.intersect = false;
function line(label, data, color, extra) {
  return Object.assign({label: label, data: data, borderColor: color, backgroundColor: color, spanGaps: true}, extra || {});
}
const xAxis = {ticks: {maxTicksLimit: 14, autoSkip: true, maxRotation: 0}};
function chart(id, config) {
  try { new Chart(document.getElementById(id), config); }
  catch (err) { document.getElementById('af-errors').textContent += id + ': ' + err + ' '; }
}
)JS";
}

nlohmann::json json_number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

// Compact JSON array of numbers (6 significant digits; NaN/absent -> null): the page carries
// thousands of points per series, 17-digit doubles would triple its size for nothing visible.
std::string js_array(const std::vector<double>& v) {
  std::string out = "[";
  out.reserve(v.size() * 10 + 2);
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    if (std::isfinite(v[i])) fmt::format_to(std::back_inserter(out), "{:.6g}", v[i]);
    else out += "null";
  }
  out += ']';
  return out;
}

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Status write_text_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) return Error{ErrorCode::kIo, fmt::format("cannot write {} (check the directory's permissions and free space)", path.string())};
  return ok_status();
}

}  // namespace af::backtest
