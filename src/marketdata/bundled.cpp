#include "marketdata/bundled.hpp"

#include <filesystem>

#include <fmt/format.h>

namespace af::marketdata {

Result<std::vector<BuiltSeries>> build_catalog_series(const Catalog& catalog, const std::string& data_dir) {
  std::vector<BuiltSeries> built;
  built.reserve(catalog.series.size());
  std::map<std::string, std::size_t> index;  // id -> position in `built`
  std::map<std::string, std::string> file_text;
  const SeriesLookup lookup = [&](const std::string& id) -> const Bars* {
    auto it = index.find(id);
    return it == index.end() ? nullptr : &built[it->second].bars;
  };
  for (const CatalogSeries& entry : catalog.series) {
    BuiltSeries b;
    b.entry = &entry;
    if (entry.kind == SeriesKind::kReal) {
      const std::string path = (std::filesystem::path(data_dir) / entry.file).string();
      auto cached = file_text.find(path);
      if (cached == file_text.end()) {
        AF_ASSIGN_OR_RETURN(std::string text, read_text_file(path));
        cached = file_text.emplace(path, std::move(text)).first;
      }
      CsvOptions opts;
      opts.column = entry.ohlcv ? "" : entry.column;
      auto parsed = parse_bars_csv(cached->second, path, opts);
      if (!parsed) return parsed.error().with_context(fmt::format("{}: series {}", catalog.path, entry.id));
      b.bars = std::move(parsed->bars);
      b.blank_rows = parsed->blank_rows;
      b.explicit_nan_rows = parsed->explicit_nan_rows;
    } else {
      auto gen = generate_synthetic(entry, lookup);
      if (!gen) return gen.error().with_context(fmt::format("{}: series {}", catalog.path, entry.id));
      b.bars = std::move(gen->bars);
      b.calibration = std::move(gen->segments);
      b.proxy_scale = gen->proxy_scale;
    }
    index[entry.id] = built.size();
    built.push_back(std::move(b));
  }
  return built;
}

SeriesInfo series_info(const CatalogSeries& entry) {
  SeriesInfo info;
  info.id = entry.id;
  info.kind = entry.kind;
  info.unit = entry.unit;
  info.source = entry.source_text();
  info.notes = entry.notes;
  return info;
}

Status import_built_series(BarStore& store, const std::vector<BuiltSeries>& built, Timestamp imported_at) {
  return store.in_transaction([&]() -> Status {
    for (const BuiltSeries& b : built) {
      AF_RETURN_IF_ERROR(store.delete_series(b.entry->id));
      AF_RETURN_IF_ERROR(store.upsert_series(series_info(*b.entry), imported_at));
      AF_RETURN_IF_ERROR(store.upsert_bars(b.entry->id, b.bars));
    }
    return ok_status();
  });
}

Result<CsvImportResult> import_csv_file(BarStore& store, const FileImport& request, Timestamp imported_at) {
  AF_ASSIGN_OR_RETURN(CsvImportResult parsed, read_bars_csv(request.path, request.csv));
  SeriesInfo info;
  info.id = request.series_id;
  info.kind = SeriesKind::kReal;
  info.unit = request.unit;
  info.source = fmt::format("{} column {}", request.path, parsed.close_column);
  info.notes = request.notes;
  AF_RETURN_IF_ERROR(store.in_transaction([&]() -> Status {
    AF_RETURN_IF_ERROR(store.upsert_series(info, imported_at));
    return store.upsert_bars(request.series_id, parsed.bars);
  }));
  return parsed;
}

}  // namespace af::marketdata
