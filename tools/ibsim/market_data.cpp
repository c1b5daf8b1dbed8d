#include "market_data.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "marketdata/bundled.hpp"
#include "marketdata/catalog.hpp"

namespace af::ibsim {
namespace {

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream ss(line);
  while (std::getline(ss, cell, ',')) {
    if (!cell.empty() && cell.back() == '\r') cell.pop_back();
    out.push_back(cell);
  }
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

std::optional<double> to_double(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

// Standard normal CDF (for the option model).
double norm_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

const std::vector<DailyBar>* find_in(const std::map<std::string, std::vector<DailyBar>>& m,
                                     const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? nullptr : &it->second;
}

}  // namespace

Result<std::vector<DailyBar>> read_bar_csv(const std::filesystem::path& file,
                                           const std::string& close_column) {
  std::ifstream in(file);
  if (!in) return Error{ErrorCode::kNotFound, file.string() + ": cannot open bar CSV"};
  std::string line;
  if (!std::getline(in, line)) return Error{ErrorCode::kDataQuality, file.string() + ": empty file"};
  const auto header = split_csv(line);
  auto col = [&](const std::string& name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  };
  const int c_date = col("date"), c_close = col(close_column), c_open = col("open"),
            c_high = col("high"), c_low = col("low"), c_vol = col("volume");
  if (c_date < 0 || c_close < 0) {
    return Error{ErrorCode::kDataQuality,
                 file.string() + ": header must name `date` and `" + close_column + "`"};
  }
  std::vector<DailyBar> bars;
  int line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    const auto cells = split_csv(line);
    auto cell = [&](int c) -> std::string {
      return c >= 0 && c < static_cast<int>(cells.size()) ? cells[c] : std::string{};
    };
    const auto date = Date::parse(cell(c_date));
    if (!date) {
      return Error{ErrorCode::kDataQuality,
                   file.string() + ":" + std::to_string(line_no) + ": bad date `" + cell(c_date) + "`"};
    }
    const auto close = to_double(cell(c_close));
    if (!close || *close <= 0) continue;
    DailyBar b;
    b.date = *date;
    b.close = *close;
    b.open = to_double(cell(c_open)).value_or(b.close);
    b.high = std::max({to_double(cell(c_high)).value_or(b.close), b.open, b.close});
    b.low = std::min({to_double(cell(c_low)).value_or(b.close), b.open, b.close});
    b.volume = to_double(cell(c_vol)).value_or(0.0);
    bars.push_back(b);
  }
  std::sort(bars.begin(), bars.end(), [](const DailyBar& a, const DailyBar& b) { return a.date < b.date; });
  return bars;
}

Result<MarketData> MarketData::load(const std::filesystem::path& data_dir,
                                    const std::vector<std::filesystem::path>& bundled_dirs) {
  MarketData md;
  std::error_code ec;
  if (!data_dir.empty()) {
    if (!std::filesystem::is_directory(data_dir, ec)) {
      return Error{ErrorCode::kInvalidArgument, data_dir.string() + ": --data is not a directory"};
    }
    for (const auto& entry : std::filesystem::directory_iterator(data_dir)) {
      if (entry.path().extension() != ".csv") continue;
      auto bars = read_bar_csv(entry.path());
      if (!bars) continue;  // multi-column catalog files are read through the catalog below
      md.files_[entry.path().stem().string()] = std::move(*bars);
      md.sources_.push_back("per-symbol " + entry.path().string());
    }
  }
  std::vector<std::filesystem::path> dirs;
  if (!data_dir.empty()) dirs.push_back(data_dir);
  dirs.insert(dirs.end(), bundled_dirs.begin(), bundled_dirs.end());
  for (const auto& dir : dirs) {
    const auto catalog_file = dir / "catalog.yaml";
    if (!std::filesystem::exists(catalog_file, ec)) continue;
    auto catalog = marketdata::load_catalog(catalog_file.string());
    if (!catalog) return catalog.error();
    auto built = marketdata::build_catalog_series(*catalog, dir.string());
    if (!built) return built.error();
    for (const auto& b : *built) {
      std::vector<DailyBar> bars;
      for (const auto& src : b.bars) {
        if (!std::isfinite(src.close) || src.close <= 0) continue;
        DailyBar d;
        d.date = src.date;
        d.close = src.close;
        d.open = std::isfinite(src.open) ? src.open : src.close;
        d.high = std::max({std::isfinite(src.high) ? src.high : src.close, d.open, d.close});
        d.low = std::min({std::isfinite(src.low) ? src.low : src.close, d.open, d.close});
        d.volume = std::isfinite(src.volume) ? src.volume : 0.0;
        bars.push_back(d);
      }
      if (b.entry->kind == marketdata::SeriesKind::kSynthetic) md.synthetic_series_.insert(b.entry->id);
      md.series_[b.entry->id] = std::move(bars);
    }
    md.sources_.push_back("catalog " + catalog_file.string() + ": " + std::to_string(built->size()) +
                          " series (" + std::to_string(md.synthetic_series_.size()) + " synthetic)");
    break;
  }
  if (md.series_.empty() && md.files_.empty()) {
    return Error{ErrorCode::kNotFound,
                 "no market data: no catalog.yaml in --data or the bundled data/ directory, and no "
                 "per-symbol CSV; pass --data DIR"};
  }
  return md;
}

MarketData MarketData::from_bars(std::map<std::string, std::vector<DailyBar>> bars) {
  MarketData md;
  md.series_ = std::move(bars);
  return md;
}

const std::vector<DailyBar>* MarketData::series_for(const std::string& series, const std::string& symbol,
                                                    double* scale, bool* synthetic) const {
  *scale = 1.0;
  *synthetic = false;
  if (const auto* f = find_in(files_, symbol)) return f;
  if (const auto* s = find_in(series_, series)) {
    *synthetic = synthetic_series_.count(series) != 0;
    if (series == "sp500" && (symbol == "SPY" || symbol == "CSPX")) *scale = 0.1;
    return s;
  }
  if (const auto* s = find_in(series_, symbol)) return s;
  const std::vector<DailyBar>* ref = find_in(series_, "sp500");
  if (!ref && !series_.empty()) ref = &series_.begin()->second;
  if (!ref && !files_.empty()) ref = &files_.begin()->second;
  if (!ref || ref->empty()) return nullptr;
  *synthetic = true;
  const double base = 20.0 + static_cast<double>(fnv1a(symbol) % 18000) / 100.0;
  *scale = base / ref->front().close;
  return ref;
}

bool MarketData::is_synthetic(const SimInstrument& inst) const {
  double scale;
  bool synthetic;
  series_for(inst.series, inst.contract.sec_type == "OPT" ? inst.underlying_symbol : inst.contract.symbol,
             &scale, &synthetic);
  return synthetic;
}

std::vector<DailyBar> MarketData::scaled_bars(const std::string& series, const std::string& symbol,
                                              Date end, int max_count) const {
  double scale;
  bool synthetic;
  const auto* bars = series_for(series, symbol, &scale, &synthetic);
  std::vector<DailyBar> out;
  if (!bars) return out;
  auto it = std::upper_bound(bars->begin(), bars->end(), end,
                             [](Date d, const DailyBar& b) { return d < b.date; });
  const auto n = std::min<std::ptrdiff_t>(max_count, it - bars->begin());
  for (auto b = it - n; b != it; ++b) {
    DailyBar s = *b;
    s.open *= scale;
    s.high *= scale;
    s.low *= scale;
    s.close *= scale;
    out.push_back(s);
  }
  return out;
}

std::vector<DailyBar> MarketData::bars(const SimInstrument& inst, Date end, int max_count) const {
  if (inst.contract.sec_type != "OPT") {
    return scaled_bars(inst.series, inst.contract.symbol, end, max_count);
  }
  // Options: model price on each underlying bar (close only; O=H=L=C).
  std::vector<DailyBar> out;
  for (const DailyBar& u : scaled_bars(inst.series, inst.underlying_symbol, end, max_count)) {
    DailyBar b = u;
    const double t = std::max(1.0, static_cast<double>(u.date.days_until(*inst.expiry))) / 365.0;
    const double sigma = 0.20;
    const double s = u.close, k = inst.contract.strike, sd = sigma * std::sqrt(t);
    const double d1 = (std::log(s / k) + 0.5 * sd * sd) / sd, d2 = d1 - sd;
    double px = inst.contract.right == "C" ? s * norm_cdf(d1) - k * norm_cdf(d2)
                                           : k * norm_cdf(-d2) - s * norm_cdf(-d1);
    px = std::max(0.01, std::round(px * 100.0) / 100.0);
    b.open = b.high = b.low = b.close = px;
    b.volume = 0;
    out.push_back(b);
  }
  return out;
}

std::optional<DailyBar> MarketData::bar_on_or_before(const SimInstrument& inst, Date d) const {
  auto v = bars(inst, d, 1);
  if (v.empty()) return std::nullopt;
  return v.back();
}

std::optional<Quote> MarketData::quote(const SimInstrument& inst, Date d) const {
  auto v = bars(inst, d, 2);
  if (v.empty()) return std::nullopt;
  Quote q;
  const double tick = inst.min_tick > 0 ? inst.min_tick : 0.01;
  q.last = std::round(v.back().close / tick) * tick;
  q.bid = q.last - tick;
  q.ask = q.last + tick;
  q.close = v.size() >= 2 ? v.front().close : v.back().close;
  q.volume = v.back().volume;
  return q;
}

std::optional<double> MarketData::last_price(const std::string& series, const std::string& symbol,
                                             Date d) const {
  auto v = scaled_bars(series, symbol, d, 1);
  if (v.empty()) return std::nullopt;
  return v.back().close;
}

std::optional<double> MarketData::series_close(const std::string& series, Date d) const {
  const auto* bars = find_in(series_, series);
  if (!bars) return std::nullopt;
  auto it = std::upper_bound(bars->begin(), bars->end(), d,
                             [](Date x, const DailyBar& b) { return x < b.date; });
  if (it == bars->begin()) return std::nullopt;
  return std::prev(it)->close;
}

std::optional<Date> MarketData::reference_last_date() const {
  if (const auto* s = find_in(series_, "sp500"); s && !s->empty()) return s->back().date;
  if (!series_.empty() && !series_.begin()->second.empty()) return series_.begin()->second.back().date;
  if (!files_.empty() && !files_.begin()->second.empty()) return files_.begin()->second.back().date;
  return std::nullopt;
}

std::string MarketData::describe() const {
  std::string s;
  for (const auto& src : sources_) s += src + "\n";
  s += "instruments without a series: SYNTHETIC (S&P 500 path rescaled per symbol)";
  return s;
}

}  // namespace af::ibsim
