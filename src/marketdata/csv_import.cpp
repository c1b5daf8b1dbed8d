#include "marketdata/csv_import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace af::marketdata {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// Splits one line on commas. Quoted fields may not contain commas (none of our sources need it).
std::vector<std::string_view> split_line(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      out.push_back(trim(line.substr(start)));
      break;
    }
    out.push_back(trim(line.substr(start, comma - start)));
    start = comma + 1;
  }
  return out;
}

bool is_nan_token(std::string_view cell) {
  static constexpr std::array<std::string_view, 6> kTokens = {"nan", "na", "n/a", "#n/a", "null", "-nan"};
  std::string l = lower(cell);
  return std::find(kTokens.begin(), kTokens.end(), l) != kTokens.end();
}

enum class CellKind { kBlank, kNaN, kNumber, kBad };

CellKind parse_cell(std::string_view cell, double& out) {
  if (cell.empty()) return CellKind::kBlank;
  if (is_nan_token(cell)) {
    out = kNoValue;
    return CellKind::kNaN;
  }
  const char* first = cell.data();
  const char* last = cell.data() + cell.size();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, out);
  if (ec != std::errc() || ptr != last) return CellKind::kBad;
  return CellKind::kNumber;
}

}  // namespace

Result<CsvImportResult> parse_bars_csv(std::string_view text, const std::string& file_name, const CsvOptions& options) {
  auto error_at = [&](int line, const std::string& what) {
    return Error{ErrorCode::kInvalidArgument, fmt::format("{}:{}: {}", file_name, line, what)};
  };
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF) text.remove_prefix(3);  // UTF-8 BOM

  std::vector<std::string_view> lines;
  {
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t nl = text.find('\n', start);
      if (nl == std::string_view::npos) nl = text.size();
      lines.push_back(text.substr(start, nl - start));
      start = nl + 1;
    }
  }
  if (lines.empty() || trim(lines[0]).empty()) return error_at(1, "empty file: expected a header row starting with `date`");

  auto header = split_line(lines[0]);
  if (lower(header[0]) != "date") {
    return error_at(1, fmt::format("first column must be `date`, found '{}'", header[0]));
  }
  // Column positions (-1 = absent).
  enum Field { kOpen, kHigh, kLow, kClose, kVolume, kFieldCount };
  static constexpr std::array<std::string_view, kFieldCount> kNames = {"open", "high", "low", "close", "volume"};
  std::array<int, kFieldCount> col;
  col.fill(-1);

  auto find_column = [&](std::string_view name) -> int {
    for (std::size_t i = 1; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    for (std::size_t i = 1; i < header.size(); ++i) {
      if (lower(header[i]) == lower(name)) return static_cast<int>(i);
    }
    return -1;
  };

  CsvImportResult result;
  if (!options.column.empty()) {
    col[kClose] = find_column(options.column);
    if (col[kClose] < 0) {
      std::string names;
      for (std::size_t i = 1; i < header.size(); ++i) names += (i > 1 ? ", " : "") + std::string(header[i]);
      return error_at(1, fmt::format("no column '{}' in the header (columns: {})", options.column, names));
    }
  } else if (find_column("close") >= 0) {
    for (int f = 0; f < kFieldCount; ++f) col[f] = find_column(kNames[f]);
  } else if (header.size() == 2) {
    col[kClose] = 1;
  } else {
    return error_at(1, fmt::format("{} value columns and none named `close`: choose one with --column", header.size() - 1));
  }
  result.close_column = std::string(header[static_cast<std::size_t>(col[kClose])]);

  std::optional<Date> previous;
  for (std::size_t li = 1; li < lines.size(); ++li) {
    const int line_no = static_cast<int>(li) + 1;
    if (trim(lines[li]).empty()) continue;
    auto cells = split_line(lines[li]);
    if (cells.size() != header.size()) {
      return error_at(line_no, fmt::format("expected {} cells like the header, found {}", header.size(), cells.size()));
    }
    auto date = Date::parse(cells[0]);
    if (!date) return error_at(line_no, fmt::format("column 'date' (1): {}", date.error().message));
    if (previous && !(*previous < *date)) {
      return error_at(line_no, fmt::format("column 'date' (1): {} is not after the previous row's {} (dates must "
                                           "strictly increase)",
                                           date->iso(), previous->iso()));
    }
    previous = *date;
    ++result.rows;

    Bar bar;
    bar.date = *date;
    bool close_blank = false;
    for (int f = 0; f < kFieldCount; ++f) {
      if (col[f] < 0) continue;
      std::string_view cell = cells[static_cast<std::size_t>(col[f])];
      double v = kNoValue;
      CellKind kind = parse_cell(cell, v);
      if (kind == CellKind::kBad) {
        return error_at(line_no, fmt::format("column '{}' ({}): cannot read '{}' as a number",
                                             header[static_cast<std::size_t>(col[f])], col[f] + 1, cell));
      }
      if (f == kClose) {
        if (kind == CellKind::kBlank) close_blank = true;
        if (kind == CellKind::kNaN) ++result.explicit_nan_rows;
      }
      double* target[] = {&bar.open, &bar.high, &bar.low, &bar.close, &bar.volume};
      *target[f] = v;
    }
    if (close_blank) {
      ++result.blank_rows;
      continue;  // blank close = no bar that day (holiday or no data); never a zero
    }
    result.bars.push_back(bar);
  }
  return result;
}

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kNotFound, fmt::format("cannot open {} (check the path)", path)};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<CsvImportResult> read_bars_csv(const std::string& path, const CsvOptions& options) {
  AF_ASSIGN_OR_RETURN(std::string text, read_text_file(path));
  return parse_bars_csv(text, path, options);
}

}  // namespace af::marketdata
