// app/market_history_source.hpp — the bar store a command reads (--store PATH, else settings
// data.bar_store_path) loaded into a strategy::MarketHistory, shared by `backtest` and
// `montecarlo --model strategy`. A missing store is kNotFound (exit 1) naming the path and the
// command that creates it; SQLite errors carry the store's path.
#pragma once

#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "config/config.hpp"
#include "core/result.hpp"
#include "marketdata/bar_store.hpp"
#include "strategy/market_history.hpp"

namespace af::app {

inline std::string bar_store_path(const config::Config& config, const std::string& store_option) {
  return store_option.empty() ? config.settings.data.bar_store_path : store_option;
}

inline Result<strategy::MarketHistory> load_market_history(const config::Config& config, const std::string& store_path) {
  if (!std::filesystem::exists(store_path)) {
    return Error{ErrorCode::kNotFound,
                 fmt::format("bar store {} does not exist; create it with `abstractfinance data import --bundled` "
                             "(or pass --store PATH)", store_path)};
  }
  auto store = marketdata::BarStore::open(store_path);
  if (!store) return store.error();
  return strategy::MarketHistory::load(config, *store);
}

}  // namespace af::app
