// core/types.hpp — strong value types where mixing is a bug.
//
//   InstrumentId  the canonical id: the key in instruments.yaml ("us_index_etf").
//   Money         an amount in one Currency. Adding different currencies is a bug (aborts);
//                 convert through the FX layer first.
//   Price         a price in one QuoteUnit (USD, GBX ...). to_currency() removes the minor unit.
//   Quantity      signed units or contracts (positive long, negative short).
// Numerical kernels use plain double inside; these types guard the boundaries.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "core/check.hpp"
#include "core/currency.hpp"

namespace af {

// Ids are interned: each distinct text is stored once, process-wide, in an append-only pool
// (never freed; a universe has a few hundred ids), and an InstrumentId is a pointer to it. Copies
// are a pointer copy, equality a pointer compare, the hash is the text's std::hash computed once
// (so unordered containers keep the order they had with string keys), and the order is the text's
// lexicographic (std::string) order, decided by an 8-byte big-endian prefix when the texts differ
// in their first 8 characters and by the full compare otherwise. Constructing an id from text
// takes a lock (shared when the text is already interned): build ids once, outside hot loops.
// Every distinct text stays interned for the life of the process, so build ids from bounded,
// trusted sources (config, files, the command line); to look up text of unbounded variety (e.g.
// from the network) use existing(), which never adds to the pool. Thread-safe.
class InstrumentId {
 public:
  InstrumentId() noexcept : rep_(empty_rep()) {}
  explicit InstrumentId(std::string_view id) : rep_(intern(id)) {}
  // The id of `text` if some id with that text was built before, else nullopt (nothing interned).
  static std::optional<InstrumentId> existing(std::string_view text);
  const std::string& str() const noexcept { return rep_->text; }
  bool empty() const noexcept { return rep_->text.empty(); }
  std::size_t hash() const noexcept { return rep_->hash; }
  friend bool operator==(const InstrumentId& a, const InstrumentId& b) noexcept { return a.rep_ == b.rep_; }
  friend std::strong_ordering operator<=>(const InstrumentId& a, const InstrumentId& b) noexcept {
    if (a.rep_ == b.rep_) return std::strong_ordering::equal;
    if (a.rep_->prefix != b.rep_->prefix) return a.rep_->prefix <=> b.rep_->prefix;
    return a.rep_->text.compare(b.rep_->text) <=> 0;
  }
  friend std::ostream& operator<<(std::ostream& os, const InstrumentId& id) { return os << id.str(); }

 private:
  struct Rep {
    std::string text;
    std::uint64_t prefix = 0;  // the first 8 bytes, big-endian, zero-padded (order of the texts)
    std::size_t hash = 0;      // std::hash<std::string>{}(text)
  };
  explicit InstrumentId(const Rep* rep) noexcept : rep_(rep) {}
  // The pool's entry for `text`; nullptr when absent and `add` is false.
  static const Rep* lookup(std::string_view text, bool add);
  static const Rep* intern(std::string_view text) { return lookup(text, true); }
  static const Rep* empty_rep() noexcept;
  const Rep* rep_;
};

struct Money {
  double amount = 0.0;
  Currency currency = Currency::USD;

  friend Money operator+(Money a, Money b) {
    AF_CHECK(a.currency == b.currency, "Money: adding different currencies; convert with FX first");
    return {a.amount + b.amount, a.currency};
  }
  friend Money operator-(Money a, Money b) {
    AF_CHECK(a.currency == b.currency, "Money: subtracting different currencies; convert with FX first");
    return {a.amount - b.amount, a.currency};
  }
  friend Money operator*(Money a, double k) { return {a.amount * k, a.currency}; }
  friend Money operator*(double k, Money a) { return {a.amount * k, a.currency}; }
  Money& operator+=(Money b) { return *this = *this + b; }
  Money& operator-=(Money b) { return *this = *this - b; }
  friend bool operator==(const Money&, const Money&) = default;
};

struct Price {
  double value = 0.0;
  QuoteUnit unit = QuoteUnit::major(Currency::USD);

  // The price in whole currency units (GBX 2150 -> GBP 21.50).
  Money to_currency() const { return {unit.to_currency_units(value), unit.currency()}; }
  friend bool operator==(const Price&, const Price&) = default;
};

using Quantity = double;  // signed units/contracts; whole numbers once rounded for orders

}  // namespace af

template <>
struct std::hash<af::InstrumentId> {
  std::size_t operator()(const af::InstrumentId& id) const noexcept {
    return id.hash();
  }
};
