// execution/broker.hpp — the Broker interface: everything the engine asks of a broker.
//
// Implementations: the IB adapter (broker/tws/ib_broker.hpp) and, later, the backtest simulator
// (broker/sim). Plain value types over core types; every call returns af::Result.
//
// Units and conventions
//   * Instruments are named by their canonical InstrumentId (the key in instruments.yaml); the
//     adapter maps them to broker contracts and back. A broker position the adapter cannot map
//     has an empty `instrument` and carries the broker contract (reconciliation reports it).
//   * Prices carry their QuoteUnit (GBX for pence-quoted LSE lines). An implementation converts a
//     Price to the unit its venue quotes in, at its boundary, with QuoteUnit only.
//   * Quantities are signed for positions (negative = short) and positive in orders (side says
//     the direction).
//   * Orders are identified by our client order id (sent to IB as orderRef) and, once placed, by
//     the broker's order id and permanent id. Fills are keyed by the broker's execution id.
//   * Calls are synchronous from the caller's view: the implementation drives its own event loop
//     on the calling thread until the answer arrives or its timeout passes (kTimeout).
//
// Thread-safety: a Broker is owned by one thread (the engine's owner thread).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/currency.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "core/types.hpp"

namespace af::execution {

enum class OrderSide { kBuy, kSell };
enum class OrderType { kMarket, kLimit };  // a marketable limit is a kLimit with an aggressive price
enum class TimeInForce { kDay, kGtc, kIoc };
enum class OptionRight { kCall, kPut };
// IB's market data types (reqMarketDataType).
enum class MarketDataType { kLive = 1, kFrozen = 2, kDelayed = 3, kDelayedFrozen = 4 };

// Broker order states as the broker reports them (IB vocabulary, tws-protocol.md §8.1). The
// engine's own order state machine maps these; kUnknown = a status text we do not recognise.
enum class BrokerOrderStatus {
  kApiPending,
  kPendingSubmit,
  kPreSubmitted,
  kSubmitted,
  kPendingCancel,
  kApiCancelled,
  kCancelled,
  kFilled,
  kInactive,
  kUnknown,
};
// True for Cancelled, ApiCancelled, Filled (Inactive is decided by the caller: it may be held).
bool is_terminal(BrokerOrderStatus status) noexcept;
std::string_view to_string(BrokerOrderStatus status) noexcept;
BrokerOrderStatus parse_broker_order_status(std::string_view ib_text) noexcept;
std::string_view to_string(OrderSide side) noexcept;

using BrokerOrderId = std::int64_t;  // IB orderId (per client id; never reused by us)
using PermId = std::int64_t;         // IB permId (account-wide unique)

// A broker contract as the broker knows it (qualified when con_id != 0).
struct BrokerContract {
  std::int64_t con_id = 0;
  std::string symbol;
  std::string sec_type;          // STK, FUT, OPT, CASH, IND
  std::string exchange;          // routing exchange (SMART for stocks)
  std::string primary_exchange;  // listing exchange
  std::string currency;
  std::string local_symbol;
  std::string trading_class;
  std::string expiry;            // FUT: YYYYMM or YYYYMMDD; OPT: YYYYMMDD; else empty
  double strike = 0.0;           // OPT only
  std::optional<OptionRight> right;
  double multiplier = 1.0;
  double min_tick = 0.0;         // 0 = unknown
  QuoteUnit price_unit = QuoteUnit::major(Currency::USD);  // unit of prices on the wire
};

struct AccountValues {
  std::string account;
  std::optional<Money> net_liquidation;           // in the account's base currency
  std::map<Currency, Money> cash_by_currency;     // settled + unsettled cash per currency
};

struct BrokerPosition {
  std::string account;
  InstrumentId instrument;        // empty when the contract maps to no configured instrument
  BrokerContract contract;
  Quantity quantity = 0.0;        // signed
  Money average_cost;             // per unit, as IB reports it (includes the multiplier for futures)
};

struct OrderRequest {
  std::string client_order_id;    // unique, deterministic; sent as orderRef
  InstrumentId instrument;
  OrderSide side = OrderSide::kBuy;
  Quantity quantity = 0.0;        // > 0
  OrderType type = OrderType::kLimit;
  std::optional<Price> limit_price;  // required for kLimit; any QuoteUnit of the right currency
  TimeInForce tif = TimeInForce::kDay;
  std::string account;            // empty = the default account
  bool outside_regular_hours = false;
  // Option orders: which contract (the instrument's option spec gives underlying/exchange).
  std::optional<Date> option_expiry;
  std::optional<double> option_strike;
  std::optional<OptionRight> option_right;
};

struct PlacedOrder {
  BrokerOrderId broker_order_id = 0;
  std::string client_order_id;
};

struct BrokerOrder {
  BrokerOrderId broker_order_id = 0;
  PermId perm_id = 0;
  std::string client_order_id;    // orderRef ("" for orders not placed by us)
  std::string account;
  InstrumentId instrument;
  BrokerContract contract;
  OrderSide side = OrderSide::kBuy;
  Quantity quantity = 0.0;        // total
  Quantity filled = 0.0;
  Quantity remaining = 0.0;
  OrderType type = OrderType::kLimit;
  std::optional<Price> limit_price;
  BrokerOrderStatus status = BrokerOrderStatus::kUnknown;
  std::string why_held;
};

struct BrokerExecution {
  std::string exec_id;            // unique per fill; a correction differs in the last ".NN"
  BrokerOrderId broker_order_id = 0;
  PermId perm_id = 0;
  std::string client_order_id;    // orderRef
  std::string account;
  InstrumentId instrument;
  BrokerContract contract;
  OrderSide side = OrderSide::kBuy;
  Quantity quantity = 0.0;        // this fill, > 0
  Price price;
  Timestamp time{};
  std::string venue;
  std::optional<Money> commission;  // linked by exec_id; absent until the report arrives
};

struct DailyBar {
  Date date;
  double open = 0.0;  // all prices in `unit`
  double high = 0.0;
  double low = 0.0;
  double close = 0.0;
  double volume = 0.0;
  QuoteUnit unit = QuoteUnit::major(Currency::USD);
};

struct PriceSnapshot {
  InstrumentId instrument;
  std::optional<Price> bid;
  std::optional<Price> ask;
  std::optional<Price> last;
  std::optional<Price> close;
  MarketDataType data_type = MarketDataType::kLive;
  Timestamp time{};
};

// Events the broker pushes while its loop runs (fills, order status, connectivity).
class BrokerListener {
 public:
  virtual ~BrokerListener() = default;
  virtual void on_order_update(const BrokerOrder& order) {}
  virtual void on_execution(const BrokerExecution& execution) {}
  virtual void on_commission(const std::string& exec_id, const Money& commission) {}
  // An error tied to one of our orders (code and text as the broker sent them).
  virtual void on_order_error(BrokerOrderId id, int code, const std::string& message,
                              bool order_still_live) {}
  // Trading allowed/blocked (connectivity loss, reconnect pending, competing session...).
  virtual void on_trading_state(bool trading_allowed, const std::string& reason) {}
  // A reconnect or a 1101/1102 happened: the engine must reconcile (positions, open orders,
  // executions since run start) before placing any order.
  virtual void on_resync_required(const std::string& reason) {}
};

class Broker {
 public:
  virtual ~Broker() = default;

  virtual void set_listener(BrokerListener* listener) = 0;
  // Processes pending I/O and timers without blocking; delivers listener events.
  virtual void poll_events() = 0;
  // True when connected, authenticated and not in a connectivity loss (orders may be sent).
  virtual bool trading_allowed() const = 0;

  // Account values of `account` ("" = the first managed account).
  virtual Result<AccountValues> account_values(const std::string& account) = 0;
  virtual Result<std::vector<BrokerPosition>> positions() = 0;
  // Open orders of this client (open = not terminal).
  virtual Result<std::vector<BrokerOrder>> open_orders() = 0;
  // The open order whose orderRef is `client_order_id`, if any.
  virtual Result<std::optional<BrokerOrder>> find_open_order(std::string_view client_order_id) = 0;
  // Executions at or after `since` (the broker may only hold the current day), with
  // commissions where reported, deduplicated by exec_id.
  virtual Result<std::vector<BrokerExecution>> executions_since(Timestamp since) = 0;

  // Sends a new order. Never retried internally. kUnavailable when trading is not allowed.
  virtual Result<PlacedOrder> place_order(const OrderRequest& request) = 0;
  // Changes price/quantity of a working order (same client order id and instrument).
  virtual Status modify_order(BrokerOrderId id, const OrderRequest& request) = 0;
  virtual Status cancel_order(BrokerOrderId id) = 0;
  // Cancels every open order of the account (kill switch).
  virtual Status cancel_all_orders() = 0;

  // Resolves the instrument to a unique broker contract (conId, min tick...).
  virtual Result<BrokerContract> qualify(const InstrumentId& instrument) = 0;
  // Daily bars ending at `end` (inclusive), `sessions` bars at most, oldest first.
  virtual Result<std::vector<DailyBar>> daily_bars(const InstrumentId& instrument, Date end,
                                                   int sessions) = 0;
  virtual Result<PriceSnapshot> snapshot(const InstrumentId& instrument) = 0;
  virtual Status set_market_data_type(MarketDataType type) = 0;
};

}  // namespace af::execution
