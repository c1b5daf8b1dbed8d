// backtest/report_assets.hpp — static assets embedded in the HTML reports.
//
// chartjs_source(): the Chart.js UMD build (Debian package libjs-chart.js, MIT licence), compiled
// into the library at build time (src/backtest/chartjs.cmake) and inlined in report.html so the
// page needs no network and no file next to it. Empty when the package was missing at build
// time: report writers refuse then, naming the package.
#pragma once

#include <string_view>

namespace af::backtest {

std::string_view chartjs_source() noexcept;

}  // namespace af::backtest
