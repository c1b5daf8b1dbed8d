// ibsim: session, orders and fills, account, data, pacing, clock and persistence — driven without
// sockets through the shared codec (ibsim_harness.hpp). Expected values are hand-computed from the
// test series (closes 100..104 on 2020-01-06..10; the simulated day 2020-01-08 quotes
// bid 101.99 / last 102.00 / ask 102.01) and IB's documented behaviour (tws-protocol.md).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ibsim_harness.hpp"

namespace af::ibsim::testing {
namespace {

using tws::ErrorMsg;
using tws::OrderStatus;

std::vector<std::string> statuses(const std::vector<tws::IncomingMessage>& msgs, int order_id) {
  std::vector<std::string> out;
  for (const auto& s : RawClient::only<OrderStatus>(msgs)) {
    if (s.order_id == order_id) out.push_back(s.status);
  }
  return out;
}

TEST(IbsimSession, NegotiatesVersion178AndSendsTheStartupSequence) {
  SimHarness h;
  RawClient c(h, 7, 100, 193);  // what @stoqey/ib advertises
  const auto msgs = c.take();
  ASSERT_TRUE(c.hello.has_value());
  EXPECT_EQ(c.hello->server_version, 178);
  ASSERT_GE(msgs.size(), 3u);
  ASSERT_TRUE(std::holds_alternative<tws::ManagedAccounts>(msgs[0]));
  EXPECT_EQ(std::get<tws::ManagedAccounts>(msgs[0]).accounts_list, "DU1234567");
  ASSERT_TRUE(std::holds_alternative<tws::NextValidId>(msgs[1]));
  EXPECT_EQ(std::get<tws::NextValidId>(msgs[1]).order_id, 1);
  const auto codes = RawClient::error_codes(msgs);
  EXPECT_EQ(codes, (std::vector<int>{2104, 2104, 2106, 2158}));
  for (const auto& e : RawClient::only<ErrorMsg>(msgs)) EXPECT_EQ(e.id, -1);
}

TEST(IbsimSession, AnswersTheClientsMaxWhenItIs178AndRefusesRangesBelow) {
  SimHarness h;
  RawClient exact(h, 1, 157, 178);  // ib_async's range
  exact.take();
  EXPECT_EQ(exact.hello->server_version, 178);
  RawClient old(h, 2, 100, 176);
  EXPECT_TRUE(old.closed());
  EXPECT_TRUE(old.take().empty());
}

TEST(IbsimSession, DuplicateClientIdGets326AndIsClosed) {
  SimHarness h;
  RawClient a(h, 7);
  RawClient b(h, 7);
  EXPECT_EQ(RawClient::error_codes(b.take()), (std::vector<int>{326}));
  EXPECT_TRUE(b.closed());
  EXPECT_FALSE(a.closed());
}

TEST(IbsimOrders, MarketOrderFillsWithExecDetailsAndCommission) {
  SimHarness h;
  RawClient c(h);
  c.take();
  c.send(order(1, "BUY", 10, "MKT", std::nullopt, "ref-1"));
  auto ack = c.take();
  EXPECT_EQ(statuses(ack, 1), (std::vector<std::string>{"PreSubmitted", "Submitted"}));
  ASSERT_EQ(RawClient::only<tws::OpenOrder>(ack).size(), 2u);
  EXPECT_EQ(RawClient::only<tws::OpenOrder>(ack)[0].order.order_ref, "ref-1");
  EXPECT_TRUE(RawClient::only<tws::ExecDetails>(ack).empty());  // fills come from the event loop
  h.sim->poll();
  auto fills = c.take();
  const auto execs = RawClient::only<tws::ExecDetails>(fills);
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_EQ(execs[0].req_id, -1);
  EXPECT_EQ(execs[0].execution.side, "BOT");
  EXPECT_DOUBLE_EQ(*execs[0].execution.shares, 10);
  EXPECT_DOUBLE_EQ(execs[0].execution.price, 102.01);  // the ask
  EXPECT_EQ(execs[0].execution.order_ref, "ref-1");
  const auto comm = RawClient::only<tws::CommissionReport>(fills);
  ASSERT_EQ(comm.size(), 1u);
  EXPECT_EQ(comm[0].exec_id, execs[0].execution.exec_id);
  EXPECT_DOUBLE_EQ(comm[0].commission, 1.00);  // 10 x 0.005 = 0.05 -> IB minimum 1.00
  EXPECT_EQ(statuses(fills, 1), (std::vector<std::string>{"Filled"}));
  // Cash: 1,000,000 - 10 x 102.01 - 1.00; position 10 at 102.01.
  EXPECT_NEAR(h.sim->state().cash.at("USD"), 998978.90, 1e-6);
  ASSERT_EQ(h.sim->state().positions.size(), 1u);
  EXPECT_DOUBLE_EQ(h.sim->state().positions.begin()->second.quantity, 10);
  EXPECT_DOUBLE_EQ(h.sim->state().positions.begin()->second.avg_cost, 102.01);
}

TEST(IbsimOrders, PartialFillsKeepSubmittedUntilTheLastOne) {
  SimConfig cfg;
  cfg.fill_chunks = 3;
  SimHarness h({}, cfg);
  RawClient c(h);
  c.take();
  c.send(order(1, "SELL", 10, "MKT"));
  c.take();
  h.sim->poll();
  const auto msgs = c.take();
  const auto execs = RawClient::only<tws::ExecDetails>(msgs);
  ASSERT_EQ(execs.size(), 3u);
  // floor(10/3) = 3, then floor(7/2) = 3, then the remaining 4.
  EXPECT_DOUBLE_EQ(*execs[0].execution.shares, 3);
  EXPECT_DOUBLE_EQ(*execs[1].execution.shares, 3);
  EXPECT_DOUBLE_EQ(*execs[2].execution.shares, 4);
  EXPECT_DOUBLE_EQ(*execs[2].execution.cum_qty, 10);
  EXPECT_EQ(execs[0].execution.side, "SLD");
  EXPECT_EQ(statuses(msgs, 1), (std::vector<std::string>{"Submitted", "Submitted", "Filled"}));
  const auto st = RawClient::only<OrderStatus>(msgs);
  EXPECT_DOUBLE_EQ(*st[0].filled, 3);
  EXPECT_DOUBLE_EQ(*st[0].remaining, 7);
  EXPECT_DOUBLE_EQ(*st[2].remaining, 0);
  EXPECT_DOUBLE_EQ(st[2].avg_fill_price, 101.99);  // the bid
}

TEST(IbsimOrders, PartialFillsSpacedByTheFillInterval) {
  SimConfig cfg;
  cfg.fill_chunks = 2;
  cfg.fill_interval_s = 10;
  SimHarness h({}, cfg);
  RawClient c(h);
  c.take();
  c.send(order(1, "BUY", 4, "MKT"));
  h.sim->poll();
  EXPECT_EQ(RawClient::only<tws::ExecDetails>(c.take()).size(), 1u);
  h.clock.advance(std::chrono::seconds(9));
  h.sim->poll();
  EXPECT_TRUE(RawClient::only<tws::ExecDetails>(c.take()).empty());
  h.clock.advance(std::chrono::seconds(1));
  h.sim->poll();
  EXPECT_EQ(statuses(c.take(), 1), (std::vector<std::string>{"Filled"}));
}

TEST(IbsimOrders, LimitOrderRestsThenModifyMakesItMarketable) {
  SimHarness h;
  RawClient c(h);
  c.take();
  c.send(order(5, "BUY", 100, "LMT", 101.50, "lmt"));
  h.sim->poll();
  auto m1 = c.take();
  EXPECT_EQ(statuses(m1, 5), (std::vector<std::string>{"PreSubmitted", "Submitted"}));
  EXPECT_TRUE(RawClient::only<tws::ExecDetails>(m1).empty());
  c.send(order(5, "BUY", 50, "LMT", 102.05, "lmt"));  // modify: marketable now (ask 102.01)
  auto m2 = c.take();
  const auto oo = RawClient::only<tws::OpenOrder>(m2);
  ASSERT_EQ(oo.size(), 1u);
  EXPECT_DOUBLE_EQ(*oo[0].order.total_quantity, 50);
  h.sim->poll();
  const auto execs = RawClient::only<tws::ExecDetails>(c.take());
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_DOUBLE_EQ(execs[0].execution.price, 102.01);  // price improvement to the ask
  EXPECT_DOUBLE_EQ(*execs[0].execution.shares, 50);
}

TEST(IbsimOrders, ErrorCodesAsIbSendsThem) {
  SimHarness h;
  RawClient c(h);
  c.take();
  c.send(order(1, "BUY", 10, "LMT", 101.505));  // off the 0.01 tick
  EXPECT_EQ(RawClient::error_codes(c.take()), (std::vector<int>{110}));
  auto unknown = order(2, "BUY", 10, "MKT");
  unknown.contract.symbol = "NOPE";
  c.send(unknown);
  EXPECT_EQ(RawClient::error_codes(c.take()), (std::vector<int>{200}));
  c.send(order(2, "BUY", 10, "MKT"));  // id 2 was consumed by the refused order
  EXPECT_EQ(RawClient::error_codes(c.take()), (std::vector<int>{103}));
  c.send(order(3, "BUY", 0, "MKT"));
  EXPECT_EQ(RawClient::error_codes(c.take()), (std::vector<int>{434}));
  c.send(order(4, "BUY", 1, "STP"));
  EXPECT_EQ(RawClient::error_codes(c.take()), (std::vector<int>{201}));
  c.send(tws::CancelOrder{99, ""});
  const auto nf = RawClient::only<ErrorMsg>(c.take());
  ASSERT_EQ(nf.size(), 1u);
  EXPECT_EQ(nf[0].code, 10147);
  EXPECT_EQ(nf[0].message, "OrderId 99 that needs to be cancelled is not found.");
  // Cancel a resting order: 202 then Cancelled; cancelling again: 10148.
  c.send(order(5, "BUY", 10, "LMT", 101.0));
  c.take();
  c.send(tws::CancelOrder{5, ""});
  auto cancel = c.take();
  EXPECT_EQ(RawClient::error_codes(cancel), (std::vector<int>{202}));
  EXPECT_EQ(statuses(cancel, 5), (std::vector<std::string>{"Cancelled"}));
  c.send(tws::CancelOrder{5, ""});
  EXPECT_EQ(RawClient::error_codes(c.take()), (std::vector<int>{10148}));
  // Modify with another action: 105, the original stays live.
  c.send(order(6, "BUY", 10, "LMT", 101.0));
  c.take();
  c.send(order(6, "SELL", 10, "LMT", 101.0));
  EXPECT_EQ(RawClient::error_codes(c.take()), (std::vector<int>{105}));
  EXPECT_EQ(h.sim->state().find_order(7, 6)->status, "Submitted");
}

TEST(IbsimOrders, GlobalCancelAndOpenOrdersByRef) {
  SimHarness h;
  RawClient a(h, 1), b(h, 2);
  a.take();
  b.take();
  a.send(order(1, "BUY", 1, "LMT", 100.0, "a-ref"));
  b.send(order(1, "BUY", 1, "LMT", 100.0, "b-ref"));
  a.take();
  b.take();
  a.send(tws::ReqOpenOrders{});
  auto own = a.take();
  ASSERT_EQ(RawClient::only<tws::OpenOrder>(own).size(), 1u);
  EXPECT_EQ(RawClient::only<tws::OpenOrder>(own)[0].order.order_ref, "a-ref");
  EXPECT_TRUE(std::holds_alternative<tws::OpenOrderEnd>(own.back()));
  a.send(tws::ReqAllOpenOrders{});
  EXPECT_EQ(RawClient::only<tws::OpenOrder>(a.take()).size(), 2u);
  a.send(tws::ReqGlobalCancel{});
  EXPECT_EQ(statuses(a.take(), 1), (std::vector<std::string>{"Cancelled"}));
  EXPECT_EQ(statuses(b.take(), 1), (std::vector<std::string>{"Cancelled"}));
}

TEST(IbsimOrders, ExecutionsWithAFilter) {
  SimHarness h;
  RawClient c(h);
  c.take();
  c.send(order(1, "BUY", 10, "MKT"));
  h.sim->poll();
  c.send(order(2, "SELL", 4, "MKT"));
  h.sim->poll();
  c.take();
  auto req = [&](tws::ExecutionFilter f) {
    c.send(tws::ReqExecutions{42, f});
    return c.take();
  };
  auto all = req({});
  EXPECT_EQ(RawClient::only<tws::ExecDetails>(all).size(), 2u);
  EXPECT_EQ(RawClient::only<tws::CommissionReport>(all).size(), 2u);
  EXPECT_EQ(RawClient::only<tws::ExecDetails>(all)[0].req_id, 42);
  EXPECT_TRUE(std::holds_alternative<tws::ExecDetailsEnd>(all.back()));
  tws::ExecutionFilter sells;
  sells.side = "SELL";
  auto s = RawClient::only<tws::ExecDetails>(req(sells));
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].execution.order_id, 2);
  tws::ExecutionFilter other;
  other.symbol = "OTHER";
  EXPECT_TRUE(RawClient::only<tws::ExecDetails>(req(other)).empty());
  tws::ExecutionFilter later;
  later.time = "20200108 14:31:00";  // both fills happened at 14:30:00
  EXPECT_TRUE(RawClient::only<tws::ExecDetails>(req(later)).empty());
}

TEST(IbsimAccount, SummaryPositionsAndUpdatesAfterAFill) {
  SimHarness h;
  RawClient c(h);
  c.take();
  c.send(order(1, "BUY", 10, "MKT"));
  h.sim->poll();
  c.take();
  c.send(tws::ReqAccountSummary{9, "All", "NetLiquidation,TotalCashValue,$LEDGER"});
  auto sum = RawClient::only<tws::AccountSummary>(c.take());
  std::map<std::string, std::string> v;
  for (const auto& s : sum) v[s.tag + "/" + s.currency] = s.value;
  EXPECT_EQ(v["TotalCashValue/USD"], "998978.90");
  EXPECT_EQ(v["NetLiquidation/USD"], "999998.90");  // cash + 10 x 102.00 (last)
  EXPECT_EQ(v["CashBalance/BASE"], "998978.90");
  c.send(tws::ReqPositions{});
  auto pos = c.take();
  ASSERT_EQ(RawClient::only<tws::Position>(pos).size(), 1u);
  EXPECT_EQ(RawClient::only<tws::Position>(pos)[0].contract.symbol, "TEST");
  EXPECT_TRUE(std::holds_alternative<tws::PositionEnd>(pos.back()));
  c.send(tws::ReqAccountUpdates{true, "DU1234567"});
  auto upd = c.take();
  ASSERT_EQ(RawClient::only<tws::UpdatePortfolio>(upd).size(), 1u);
  EXPECT_DOUBLE_EQ(RawClient::only<tws::UpdatePortfolio>(upd)[0].market_value, 1020.0);
  EXPECT_TRUE(std::holds_alternative<tws::AccountDownloadEnd>(upd.back()));
}

TEST(IbsimData, ContractDetailsHistoricalBarsAndSnapshot) {
  SimHarness h;
  RawClient c(h);
  c.take();
  tws::Contract es;
  es.symbol = "ES";
  es.sec_type = "FUT";
  es.exchange = "CME";
  c.send(tws::ReqContractDetails{3, es});
  auto cd = RawClient::only<tws::ContractDetailsMsg>(c.take());
  ASSERT_EQ(cd.size(), 2u);  // the next two quarterly months after 2020-01-08: Mar and Jun 2020
  EXPECT_EQ(cd[0].details.contract.last_trade_date_or_contract_month, "20200320");
  EXPECT_EQ(cd[1].details.contract.last_trade_date_or_contract_month, "20200619");
  EXPECT_DOUBLE_EQ(cd[0].details.min_tick, 0.25);
  EXPECT_EQ(cd[0].details.contract.multiplier, "50");
  tws::Contract spx;
  spx.symbol = "SPX";
  spx.sec_type = "OPT";
  spx.last_trade_date_or_contract_month = "20200117";
  spx.right = "P";
  c.send(tws::ReqContractDetails{4, spx});
  EXPECT_EQ(RawClient::only<tws::ContractDetailsMsg>(c.take()).size(), 7u);  // 7 strikes
  tws::ReqHistoricalData hist;
  hist.req_id = 5;
  hist.contract = test_contract();
  hist.bar_size_setting = "1 day";
  hist.duration_str = "5 D";
  c.send(hist);
  auto hd = RawClient::only<tws::HistoricalData>(c.take());
  ASSERT_EQ(hd.size(), 1u);
  ASSERT_EQ(hd[0].bars.size(), 3u);  // never beyond the simulated date 2020-01-08
  EXPECT_EQ(hd[0].bars.back().date, "20200108");
  EXPECT_DOUBLE_EQ(hd[0].bars.back().close, 102.0);
  tws::ReqMktData md;
  md.ticker_id = 6;
  md.contract = test_contract();
  md.snapshot = true;
  c.send(md);
  auto ticks = c.take();
  double bid = 0, ask = 0;
  for (const auto& t : RawClient::only<tws::TickPrice>(ticks)) {
    if (t.tick_type == 1) bid = t.price;
    if (t.tick_type == 2) ask = t.price;
  }
  EXPECT_DOUBLE_EQ(bid, 101.99);
  EXPECT_DOUBLE_EQ(ask, 102.01);
  EXPECT_TRUE(std::holds_alternative<tws::TickSnapshotEnd>(ticks.back()));
}

TEST(IbsimPacing, Error100AboveFiftyMessagesPerSecond) {
  SimHarness h;
  RawClient c(h);  // startApi was message 1
  c.take();
  for (int i = 0; i < 49; ++i) c.send(tws::ReqCurrentTime{});
  auto ok = c.take();
  EXPECT_EQ(RawClient::only<tws::CurrentTime>(ok).size(), 49u);
  EXPECT_TRUE(RawClient::error_codes(ok).empty());
  c.send(tws::ReqCurrentTime{});  // the 51st within one second
  auto over = c.take();
  EXPECT_EQ(RawClient::error_codes(over), (std::vector<int>{100}));
  EXPECT_TRUE(RawClient::only<tws::CurrentTime>(over).empty());
  EXPECT_EQ(RawClient::only<ErrorMsg>(over)[0].message,
            "Max rate of messages per second has been exceeded:max=50 rec=51");
  h.clock.advance(std::chrono::seconds(1));
  c.send(tws::ReqCurrentTime{});
  EXPECT_EQ(RawClient::only<tws::CurrentTime>(c.take()).size(), 1u);
}

TEST(IbsimPacing, Error162ForHistoricalPacingViolations) {
  SimHarness h;
  RawClient c(h);
  c.take();
  tws::ReqHistoricalData hist;
  hist.contract = test_contract();
  hist.bar_size_setting = "1 day";
  hist.duration_str = "2 D";
  hist.req_id = 1;
  c.send(hist);
  EXPECT_EQ(RawClient::only<tws::HistoricalData>(c.take()).size(), 1u);
  hist.req_id = 2;  // identical within 15 s
  c.send(hist);
  EXPECT_EQ(RawClient::error_codes(c.take()), (std::vector<int>{162}));
  h.clock.advance(std::chrono::seconds(16));
  hist.req_id = 3;
  c.send(hist);
  EXPECT_EQ(RawClient::only<tws::HistoricalData>(c.take()).size(), 1u);
  // Six requests for the same contract within 2 s (different durations: not identical).
  h.clock.advance(std::chrono::seconds(16));
  std::vector<int> codes;
  for (int i = 0; i < 6; ++i) {
    hist.req_id = 10 + i;
    hist.duration_str = std::to_string(i + 1) + " W";
    c.send(hist);
    for (int code : RawClient::error_codes(c.take())) codes.push_back(code);
  }
  EXPECT_EQ(codes, (std::vector<int>{162}));  // only the 6th (5 in the window already)
}

TEST(IbsimClock, AdvancingTheDayExpiresDayOrdersAndTradesGtcLimits) {
  SimHarness h;
  RawClient c(h);
  c.take();
  c.send(order(1, "BUY", 10, "LMT", 101.50, "day", "DAY"));
  c.send(order(2, "SELL", 10, "LMT", 103.50, "gtc", "GTC"));
  h.sim->poll();
  c.take();
  EXPECT_EQ(h.sim->control("date 2020-01-07").substr(0, 6), "error:");  // never backwards
  EXPECT_EQ(h.sim->control("advance 1d"), "ok 2020-01-09T14:30:00.000000Z");
  h.sim->poll();
  auto msgs = c.take();
  EXPECT_EQ(statuses(msgs, 1), (std::vector<std::string>{"Cancelled"}));
  // 2020-01-09: open 102.5, high 104 >= 103.50 -> filled at max(open, limit) = 103.50.
  const auto execs = RawClient::only<tws::ExecDetails>(msgs);
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_EQ(execs[0].execution.order_id, 2);
  EXPECT_DOUBLE_EQ(execs[0].execution.price, 103.50);
  c.send(tws::ReqCurrentTime{});
  const auto t = RawClient::only<tws::CurrentTime>(c.take());
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].time, 1578580200);  // 2020-01-09 14:30:00 UTC
}

TEST(IbsimState, PersistsAcrossRestartsOfTheSimulator) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ibsim_state_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  SimConfig cfg;
  cfg.state_dir = dir;
  {
    SimHarness h({}, cfg);
    RawClient c(h, 3);
    c.take();
    c.send(order(7, "BUY", 10, "MKT", std::nullopt, "persist-1"));
    c.send(order(8, "BUY", 5, "LMT", 100.0, "persist-2", "GTC"));
    h.sim->poll();
  }
  SimConfig again;
  again.state_dir = dir;
  again.start_date = Date(2020, 1, 8);
  SimHarness h2({}, again);
  const SimState& s = h2.sim->state();
  EXPECT_EQ(s.next_order_id.at(3), 9);
  ASSERT_EQ(s.orders.size(), 2u);
  EXPECT_EQ(s.orders[0].status, "Filled");
  EXPECT_EQ(s.orders[1].order_ref, "persist-2");
  EXPECT_EQ(s.executions.size(), 1u);
  EXPECT_NEAR(s.cash.at("USD"), 998978.90, 1e-6);
  RawClient c(h2, 3);
  auto start = c.take();
  EXPECT_EQ(RawClient::only<tws::NextValidId>(start)[0].order_id, 9);
  // The working GTC order is downloaded on connection.
  ASSERT_EQ(RawClient::only<tws::OpenOrder>(start).size(), 1u);
  EXPECT_EQ(RawClient::only<tws::OpenOrder>(start)[0].order.order_ref, "persist-2");
  std::filesystem::remove_all(dir);
}

TEST(IbsimState, JsonRoundTripAndCorruptFileIsAnError) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ibsim_state_rt_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  SimState s;
  s.sim_time = "2020-01-08T14:30:00.000000Z";
  s.next_order_id[5] = 12;
  s.cash["EUR"] = 10.5;
  SimOrder o;
  o.order_id = 11;
  o.lmt_price = 1.25;
  o.order_ref = "x";
  s.orders.push_back(o);
  ASSERT_TRUE(save_state(dir, s).ok());
  EXPECT_FALSE(std::filesystem::exists(dir / "ibsim_state.json.tmp"));
  auto back = load_state(dir);
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ((*back)->next_order_id.at(5), 12);
  EXPECT_EQ(*(*back)->orders[0].lmt_price, 1.25);
  { std::ofstream(dir / "ibsim_state.json") << "{ not json"; }
  auto bad = load_state(dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("ibsim_state.json"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace af::ibsim::testing
