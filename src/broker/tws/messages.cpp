// broker/tws/messages.cpp — helpers over the message structs.
#include "broker/tws/messages.hpp"

#include <type_traits>

namespace af::tws {

std::vector<std::string> split_account_list(const std::string& accounts_list) {
  std::vector<std::string> accounts;
  std::size_t start = 0;
  while (start <= accounts_list.size()) {
    std::size_t comma = accounts_list.find(',', start);
    if (comma == std::string::npos) comma = accounts_list.size();
    if (comma > start) accounts.push_back(accounts_list.substr(start, comma - start));
    start = comma + 1;
  }
  return accounts;
}

namespace {
template <typename T>
constexpr const char* name_of() {
  if constexpr (std::is_same_v<T, StartApi>) return "startApi";
  else if constexpr (std::is_same_v<T, ReqCurrentTime>) return "reqCurrentTime";
  else if constexpr (std::is_same_v<T, ReqIds>) return "reqIds";
  else if constexpr (std::is_same_v<T, ReqMarketDataType>) return "reqMarketDataType";
  else if constexpr (std::is_same_v<T, ReqPositions>) return "reqPositions";
  else if constexpr (std::is_same_v<T, CancelPositions>) return "cancelPositions";
  else if constexpr (std::is_same_v<T, ReqAccountSummary>) return "reqAccountSummary";
  else if constexpr (std::is_same_v<T, CancelAccountSummary>) return "cancelAccountSummary";
  else if constexpr (std::is_same_v<T, ReqAccountUpdates>) return "reqAccountUpdates";
  else if constexpr (std::is_same_v<T, PlaceOrder>) return "placeOrder";
  else if constexpr (std::is_same_v<T, CancelOrder>) return "cancelOrder";
  else if constexpr (std::is_same_v<T, ReqGlobalCancel>) return "reqGlobalCancel";
  else if constexpr (std::is_same_v<T, ReqOpenOrders>) return "reqOpenOrders";
  else if constexpr (std::is_same_v<T, ReqAllOpenOrders>) return "reqAllOpenOrders";
  else if constexpr (std::is_same_v<T, ReqAutoOpenOrders>) return "reqAutoOpenOrders";
  else if constexpr (std::is_same_v<T, ReqExecutions>) return "reqExecutions";
  else if constexpr (std::is_same_v<T, ReqCompletedOrders>) return "reqCompletedOrders";
  else if constexpr (std::is_same_v<T, ReqContractDetails>) return "reqContractDetails";
  else if constexpr (std::is_same_v<T, ReqMktData>) return "reqMktData";
  else if constexpr (std::is_same_v<T, CancelMktData>) return "cancelMktData";
  else if constexpr (std::is_same_v<T, ReqHistoricalData>) return "reqHistoricalData";
  else if constexpr (std::is_same_v<T, CancelHistoricalData>) return "cancelHistoricalData";
  else if constexpr (std::is_same_v<T, ReqManagedAccts>) return "reqManagedAccts";
  else if constexpr (std::is_same_v<T, UnknownRequest>) return "unknownRequest";
  else if constexpr (std::is_same_v<T, TickPrice>) return "tickPrice";
  else if constexpr (std::is_same_v<T, TickSize>) return "tickSize";
  else if constexpr (std::is_same_v<T, TickString>) return "tickString";
  else if constexpr (std::is_same_v<T, TickGeneric>) return "tickGeneric";
  else if constexpr (std::is_same_v<T, TickSnapshotEnd>) return "tickSnapshotEnd";
  else if constexpr (std::is_same_v<T, TickOptionComputation>) return "tickOptionComputation";
  else if constexpr (std::is_same_v<T, TickReqParams>) return "tickReqParams";
  else if constexpr (std::is_same_v<T, MarketDataType>) return "marketDataType";
  else if constexpr (std::is_same_v<T, OrderStatus>) return "orderStatus";
  else if constexpr (std::is_same_v<T, ErrorMsg>) return "error";
  else if constexpr (std::is_same_v<T, OpenOrder>) return "openOrder";
  else if constexpr (std::is_same_v<T, OpenOrderEnd>) return "openOrderEnd";
  else if constexpr (std::is_same_v<T, UpdateAccountValue>) return "updateAccountValue";
  else if constexpr (std::is_same_v<T, UpdatePortfolio>) return "updatePortfolio";
  else if constexpr (std::is_same_v<T, UpdateAccountTime>) return "updateAccountTime";
  else if constexpr (std::is_same_v<T, AccountDownloadEnd>) return "accountDownloadEnd";
  else if constexpr (std::is_same_v<T, NextValidId>) return "nextValidId";
  else if constexpr (std::is_same_v<T, ContractDetailsMsg>) return "contractDetails";
  else if constexpr (std::is_same_v<T, ContractDetailsEnd>) return "contractDetailsEnd";
  else if constexpr (std::is_same_v<T, ExecDetails>) return "execDetails";
  else if constexpr (std::is_same_v<T, ExecDetailsEnd>) return "execDetailsEnd";
  else if constexpr (std::is_same_v<T, CommissionReport>) return "commissionReport";
  else if constexpr (std::is_same_v<T, ManagedAccounts>) return "managedAccounts";
  else if constexpr (std::is_same_v<T, CurrentTime>) return "currentTime";
  else if constexpr (std::is_same_v<T, Position>) return "position";
  else if constexpr (std::is_same_v<T, PositionEnd>) return "positionEnd";
  else if constexpr (std::is_same_v<T, AccountSummary>) return "accountSummary";
  else if constexpr (std::is_same_v<T, AccountSummaryEnd>) return "accountSummaryEnd";
  else if constexpr (std::is_same_v<T, HistoricalData>) return "historicalData";
  else if constexpr (std::is_same_v<T, HistoricalDataUpdate>) return "historicalDataUpdate";
  else if constexpr (std::is_same_v<T, OrderBound>) return "orderBound";
  else if constexpr (std::is_same_v<T, CompletedOrdersEnd>) return "completedOrdersEnd";
  else if constexpr (std::is_same_v<T, UnknownMessage>) return "unknownMessage";
  else static_assert(sizeof(T) == 0, "message_name: add the new message type");
}
}  // namespace

const char* message_name(const Request& request) noexcept {
  return std::visit([](const auto& m) { return name_of<std::decay_t<decltype(m)>>(); }, request);
}

const char* message_name(const IncomingMessage& message) noexcept {
  return std::visit([](const auto& m) { return name_of<std::decay_t<decltype(m)>>(); }, message);
}

}  // namespace af::tws
