// broker/tws/ib_broker.hpp — the Broker interface (execution/broker.hpp) over the TWS client.
//
// Each call issues its request(s) through the Client and drives the client's event loop on the
// calling thread until the answer arrives or `call_timeout` passes on the injected clock. Events
// (order status, live fills, commissions, connectivity) reach the BrokerListener while any call
// or poll_events() runs.
//
// The broker boundary (SYSTEM.md §3 "units"): instruments <-> IB contracts through
// contract_builder (one place) and InstrumentUniverse::find_by_broker (the reverse mapping);
// prices convert between the caller's QuoteUnit and the instrument's configured price unit
// (GBX for pence-quoted LSE lines) with QuoteUnit only.
//
// Orders are never sent twice: an orderRef (client order id) is sent at most once per process.
// Placing a client order id that was already sent first looks it up at the broker (open orders,
// then executions, by orderRef): if found, that order is returned and nothing is sent; if not,
// the call is refused (kRefused) — its outcome is unknown and "not found" is not "cancelled"
// (nautilus_trader #3958); the engine decides and retries under a new attempt id.
//
// Thread-safety: owned by one thread, like the Client.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "broker/tws/client.hpp"
#include "config/instruments.hpp"
#include "execution/broker.hpp"

namespace af::tws {

// IB execution/bar time text -> UTC ("20230224  12:04:56", "20240105 15:30:00 US/Eastern",
// "20240105-15:30:00", "20240105", epoch seconds). No zone = UTC (IB uses the gateway's zone,
// which we cannot know; configure the gateway in UTC or send times with a zone).
std::optional<Timestamp> parse_ib_time(const std::string& text);

class IbBroker final : public execution::Broker, private ClientObserver {
 public:
  struct Options {
    std::chrono::milliseconds call_timeout{30000};
    // Daily bars: whatToShow for non-FX instruments (FX uses MIDPOINT).
    std::string bar_what_to_show = "TRADES";
  };

  // `client` must outlive the broker; the broker becomes the client's observer.
  IbBroker(Client& client, const config::InstrumentUniverse& instruments, Options options);
  ~IbBroker() override;

  void set_listener(execution::BrokerListener* listener) override { listener_ = listener; }
  void poll_events() override { client_.poll(); }
  bool trading_allowed() const override { return client_.status().trading_allowed(); }

  Result<execution::AccountValues> account_values(const std::string& account) override;
  Result<std::vector<execution::BrokerPosition>> positions() override;
  Result<std::vector<execution::BrokerOrder>> open_orders() override;
  Result<std::optional<execution::BrokerOrder>> find_open_order(
      std::string_view client_order_id) override;
  Result<std::vector<execution::BrokerExecution>> executions_since(Timestamp since) override;

  Result<execution::PlacedOrder> place_order(const execution::OrderRequest& request) override;
  Status modify_order(execution::BrokerOrderId id, const execution::OrderRequest& request) override;
  Status cancel_order(execution::BrokerOrderId id) override;
  Status cancel_all_orders() override;

  Result<execution::BrokerContract> qualify(const InstrumentId& instrument) override;
  Result<std::vector<execution::DailyBar>> daily_bars(const InstrumentId& instrument, Date end,
                                                      int sessions) override;
  Result<execution::PriceSnapshot> snapshot(const InstrumentId& instrument) override;
  Status set_market_data_type(execution::MarketDataType type) override;

  // Converts a price to the instrument's quote unit on the wire (the one GBX<->GBP place).
  static Result<double> to_wire_price(const Price& price, QuoteUnit wire_unit);

 private:
  // Sends one request and runs the loop until it completes; returns its status.
  Status call(RequestKey key, Request request, std::string what, Client::MessageHandler on_message);
  Result<const config::Instrument*> instrument(const InstrumentId& id) const;
  Result<Contract> contract_for(const config::Instrument& instrument,
                                const execution::OrderRequest* request);
  Result<Order> ib_order(const config::Instrument& instrument,
                         const execution::OrderRequest& request) const;
  execution::BrokerContract to_broker_contract(const Contract& c, const config::Instrument* inst) const;
  InstrumentId map_instrument(const Contract& c) const;
  execution::BrokerOrder to_broker_order(const OpenOrder& o) const;
  execution::BrokerExecution to_broker_execution(const ExecDetails& e) const;
  Date today() const;

  // ClientObserver
  void on_ready(const ConnectionStatus& status) override;
  void on_disconnected(const std::string& reason, bool intentional, bool will_reconnect) override;
  void on_connection_event(ConnectionEffect effect, const ErrorMsg& error) override;
  void on_error(const ErrorMsg& error, const ErrorPolicy& policy, bool order_related) override;
  void on_message(const IncomingMessage& message) override;

  Client& client_;
  const config::InstrumentUniverse& instruments_;
  Options options_;
  execution::BrokerListener* listener_ = nullptr;
  std::map<InstrumentId, execution::BrokerContract> qualified_;   // by instrument id
  std::map<InstrumentId, Contract> qualified_ib_;                 // the IB contract (with conId)
  std::map<std::string, OrderId> sent_refs_;                      // orderRef -> id (this process)
  std::map<OrderId, execution::BrokerOrder> orders_;              // last known state per order id
  std::map<std::string, Money> commissions_;                      // by execId
};

}  // namespace af::tws
