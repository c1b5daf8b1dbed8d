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
#include <functional>
#include <ostream>
#include <string>
#include <utility>

#include "core/check.hpp"
#include "core/currency.hpp"

namespace af {

class InstrumentId {
 public:
  InstrumentId() = default;
  explicit InstrumentId(std::string id) : id_(std::move(id)) {}
  const std::string& str() const noexcept { return id_; }
  bool empty() const noexcept { return id_.empty(); }
  friend auto operator<=>(const InstrumentId&, const InstrumentId&) = default;
  friend std::ostream& operator<<(std::ostream& os, const InstrumentId& id) { return os << id.id_; }

 private:
  std::string id_;
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
    return std::hash<std::string>{}(id.str());
  }
};
