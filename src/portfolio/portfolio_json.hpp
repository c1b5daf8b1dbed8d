// portfolio/portfolio_json.hpp — the portfolio file (documented in docs/PORTFOLIO.md; example in
// config/portfolio.example.json): positions, cash per currency, NAV history, hedge book, budget.
//
// Parsing is from text (the caller reads the file), so this stays pure. Errors name the source
// label and the JSON path: "book.json: positions[2].quantity: expected a number".
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config/instruments.hpp"
#include "core/result.hpp"
#include "portfolio/portfolio.hpp"

namespace af::portfolio {

// Parses a portfolio document. Every instrument must exist in `universe`.
Result<Portfolio> portfolio_from_json_text(std::string_view text, std::string_view source_label,
                                           const config::InstrumentUniverse& universe);
nlohmann::json portfolio_to_json(const Portfolio& portfolio);

// A brand-new book: cash only, in USD (settings.portfolio.new_book_initial_cash).
Portfolio cash_only_book(double cash_usd);

}  // namespace af::portfolio
