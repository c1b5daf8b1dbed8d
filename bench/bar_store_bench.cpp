// Start-up cost of the data commands: every series of a bar store read whole (as
// MarketHistory::load does), through the packed copies and through the bars rows, and the
// quality index of every series built once.
// Store: $AF_BAR_STORE, else state/bars.sqlite (run from the worktree root after
// `abstractfinance data import --bundled`). The row-path case works on a temporary copy whose
// packed rows are deleted after it is opened.
#include <benchmark/benchmark.h>

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "marketdata/bar_store.hpp"
#include "marketdata/quality.hpp"

namespace {
using namespace af::marketdata;

std::string store_path() {
  const char* env = std::getenv("AF_BAR_STORE");
  return env != nullptr ? env : "state/bars.sqlite";
}

std::vector<std::string> series_ids(const BarStore& store) {
  std::vector<std::string> ids;
  auto list = store.list();
  if (!list.ok()) return ids;
  for (const auto& s : *list) ids.push_back(s.info.id);
  return ids;
}

std::size_t read_every_series(const BarStore& store, const std::vector<std::string>& ids) {
  std::size_t bars = 0;
  for (const auto& id : ids) {
    auto s = store.read_series(id);
    if (s.ok() && s->has_value()) bars += (*s)->bars.size();
  }
  return bars;
}

void BM_ReadEverySeriesPacked(benchmark::State& state) {
  auto store = BarStore::open(store_path());
  if (!store.ok()) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  const auto ids = series_ids(*store);
  std::size_t bars = 0;
  for (auto _ : state) benchmark::DoNotOptimize(bars = read_every_series(*store, ids));
  state.counters["bars"] = static_cast<double>(bars);
}
BENCHMARK(BM_ReadEverySeriesPacked)->Unit(benchmark::kMillisecond);

void BM_ReadEverySeriesRows(benchmark::State& state) {
  const auto copy = std::filesystem::temp_directory_path() / "af_bar_store_bench_rows.sqlite";
  std::error_code ec;
  std::filesystem::copy_file(store_path(), copy, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) {
    state.SkipWithError(ec.message().c_str());
    return;
  }
  {
    auto store = BarStore::open(copy.string());
    if (!store.ok()) {
      state.SkipWithError(store.error().message.c_str());
      return;
    }
    const auto ids = series_ids(*store);
    sqlite3* raw = nullptr;
    sqlite3_open(copy.string().c_str(), &raw);
    sqlite3_exec(raw, "DELETE FROM series_packed", nullptr, nullptr, nullptr);
    sqlite3_close(raw);
    std::size_t bars = 0;
    for (auto _ : state) benchmark::DoNotOptimize(bars = read_every_series(*store, ids));
    state.counters["bars"] = static_cast<double>(bars);
  }
  std::filesystem::remove(copy, ec);
}
BENCHMARK(BM_ReadEverySeriesRows)->Unit(benchmark::kMillisecond);

void BM_QualityIndexEverySeries(benchmark::State& state) {
  auto store = BarStore::open(store_path());
  if (!store.ok()) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  std::vector<StoredSeries> all;
  for (const auto& id : series_ids(*store)) {
    auto s = store->read_series(id);
    if (s.ok() && s->has_value()) all.push_back(std::move(**s));
  }
  const QualityThresholds thresholds;
  for (auto _ : state) {
    std::vector<SeriesQualityIndex> indexes;
    indexes.reserve(all.size());
    for (const auto& s : all) {
      indexes.emplace_back(SeriesUnderCheck{s.info.id, s.info.id, &s.bars, s.info.unit, s.info.unit}, thresholds);
    }
    benchmark::DoNotOptimize(indexes.data());
  }
}
BENCHMARK(BM_QualityIndexEverySeries)->Unit(benchmark::kMillisecond);

}  // namespace

namespace {
// Floor for the quality index: one read of every bar's date and close, nothing else.
void BM_StreamEveryBar(benchmark::State& state) {
  auto store = BarStore::open(store_path());
  if (!store.ok()) return;
  std::vector<StoredSeries> all;
  for (const auto& id : series_ids(*store)) {
    auto s = store->read_series(id);
    if (s.ok() && s->has_value()) all.push_back(std::move(**s));
  }
  for (auto _ : state) {
    double sum = 0;
    long long days = 0;
    for (const auto& s : all) {
      for (const auto& b : s.bars) {
        sum += b.close;
        days += b.date.serial();
      }
    }
    benchmark::DoNotOptimize(sum);
    benchmark::DoNotOptimize(days);
  }
}
BENCHMARK(BM_StreamEveryBar)->Unit(benchmark::kMillisecond);
}  // namespace
