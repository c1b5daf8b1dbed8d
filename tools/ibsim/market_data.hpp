// tools/ibsim/market_data.hpp — daily bars and snapshot quotes for ibsim at its simulated date.
//
// Sources for an instrument with data series id S (instruments.yaml `data_series`) and symbol Y:
//   1. `--data DIR`: DIR/Y.csv with a header naming date,open,high,low,close[,volume]
//      (per-symbol files win over everything else).
//   2. The data catalog (catalog.yaml in --data DIR, else the bundled data/catalog.yaml), built in
//      memory by af::marketdata (real series and the project's labelled synthetic series).
//      Levels: series sp500 is the index level; SPY and CSPX trade at about a tenth of it.
//   3. Nothing for S (or no series): a deterministic SYNTHETIC series, the S&P 500 path rescaled
//      to a base price derived from the symbol (20..200). is_synthetic() says so.
// Options are priced from their underlying with a fixed-vol (20 %) Black-Scholes-like formula —
// good enough for a simulator, never for valuation.
// Thread-safety: immutable after load.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "instruments.hpp"

namespace af::ibsim {

struct DailyBar {
  Date date;
  double open = 0, high = 0, low = 0, close = 0, volume = 0;
};

struct Quote {
  double bid = 0, ask = 0, last = 0, close = 0;  // close = previous session's close
  double volume = 0;
};

// Reads a CSV with a header row. `close_column` names the close column ("close" or e.g. "eurusd"
// for a multi-column file); open/high/low/volume are used when present. Rows with an empty or
// non-positive close are skipped.
Result<std::vector<DailyBar>> read_bar_csv(const std::filesystem::path& file,
                                           const std::string& close_column = "close");

class MarketData {
 public:
  // `data_dir` is --data (may be empty). `bundled_dirs` are searched for catalog.yaml.
  static Result<MarketData> load(const std::filesystem::path& data_dir,
                                 const std::vector<std::filesystem::path>& bundled_dirs);
  // An in-memory data set (tests): series id or symbol -> bars (ascending); "sp500" is also the
  // reference series of the synthetic fallback.
  static MarketData from_bars(std::map<std::string, std::vector<DailyBar>> bars);

  // Bars for the instrument's data symbol with date <= end (ascending), at most max_count.
  std::vector<DailyBar> bars(const SimInstrument& inst, Date end, int max_count) const;
  std::optional<DailyBar> bar_on_or_before(const SimInstrument& inst, Date d) const;
  // Snapshot at date `d`: last = close of the bar on/before d, bid/ask one tick around it.
  std::optional<Quote> quote(const SimInstrument& inst, Date d) const;
  std::optional<double> last_price(const std::string& series, const std::string& symbol, Date d) const;
  bool is_synthetic(const SimInstrument& inst) const;
  // Close of catalog series `series` on/before d; nullopt if the series does not exist (no
  // synthetic fallback: used for FX rates).
  std::optional<double> series_close(const std::string& series, Date d) const;
  // Last date of the reference (S&P 500) series: the default simulated date.
  std::optional<Date> reference_last_date() const;
  std::string describe() const;  // one line per source, for the start-up log

 private:
  const std::vector<DailyBar>* series_for(const std::string& series, const std::string& symbol,
                                          double* scale, bool* synthetic) const;
  std::vector<DailyBar> scaled_bars(const std::string& series, const std::string& symbol, Date end,
                                    int max_count) const;
  std::map<std::string, std::vector<DailyBar>> files_;   // symbol -> bars from --data DIR/Y.csv
  std::map<std::string, std::vector<DailyBar>> series_;  // catalog series id -> bars
  std::set<std::string> synthetic_series_;               // catalog ids of kind synthetic
  std::vector<std::string> sources_;
};

}  // namespace af::ibsim
