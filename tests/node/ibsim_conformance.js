// ibsim_conformance.js — drives ibsim with a real third-party IB client (@stoqey/ib, strict
// decoder) and fails on any decode error (505: leftover or missing fields), any unexpected error
// code, or any callback that does not arrive in time.
//
//   node tests/node/ibsim_conformance.js <port>
//
// Exit 0 = conforming; 1 = failure (reason on stderr). Needs tests/node/node_modules
// (scripts/npm-test-deps.sh); a missing module is a failure, never a skip.
"use strict";

let ib_module;
try {
  ib_module = require("@stoqey/ib");
} catch (e) {
  console.error("FAIL: @stoqey/ib is not installed in tests/node/node_modules — run scripts/npm-test-deps.sh");
  process.exit(1);
}
const { IBApi, EventName, SecType, OrderAction, OrderType, BarSizeSetting, WhatToShow } = ib_module;

const port = Number(process.argv[2] || 4002);
const STEP_TIMEOUT_MS = 5000;
const CLIENT_ID = 17;

const ib = new IBApi({ host: "127.0.0.1", port });
const events = [];          // every callback, for assertions and for the failure dump
const waiters = [];         // { pred, resolve, timer, what }
let expectedErrors = new Set();   // codes the current step expects (e.g. 202 after a cancel)

function fail(why) {
  console.error("FAIL: " + why);
  console.error("last events:\n" + events.slice(-40).map((e) => JSON.stringify(e)).join("\n"));
  try { ib.disconnect(); } catch (_) { /* ignore */ }
  process.exit(1);
}

function record(ev) {
  events.push(ev);
  for (let i = waiters.length - 1; i >= 0; --i) {
    if (waiters[i].pred(ev)) {
      clearTimeout(waiters[i].timer);
      const w = waiters.splice(i, 1)[0];
      w.resolve(ev);
    }
  }
}

// Resolves with the first event (already seen since `from`, or future) that satisfies `pred`.
function waitFor(what, pred, from = 0) {
  for (let i = from; i < events.length; ++i) if (pred(events[i])) return Promise.resolve(events[i]);
  return new Promise((resolve) => {
    const timer = setTimeout(() => fail(`timeout after ${STEP_TIMEOUT_MS} ms waiting for ${what}`), STEP_TIMEOUT_MS);
    waiters.push({ pred, resolve, timer, what });
  });
}

function assert(cond, why) { if (!cond) fail(why); }

ib.on(EventName.error, (err, code, reqId) => {
  const message = err && err.message ? err.message : String(err);
  if (code === 505) fail(`decoder mismatch (505): ${message}`);
  record({ t: "error", code, reqId, message });
  if (!expectedErrors.has(code)) fail(`unexpected error ${code} (reqId ${reqId}): ${message}`);
});
ib.on(EventName.info, (message, code) => record({ t: "info", code, message }));
ib.on(EventName.disconnected, () => record({ t: "disconnected" }));
ib.on(EventName.server, (version, time) => record({ t: "server", version, time }));
ib.on(EventName.managedAccounts, (accounts) => record({ t: "managedAccounts", accounts }));
ib.on(EventName.nextValidId, (id) => record({ t: "nextValidId", id }));
ib.on(EventName.currentTime, (time) => record({ t: "currentTime", time }));
ib.on(EventName.position, (account, c, pos, avg) =>
  record({ t: "position", account, conId: c.conId, symbol: c.symbol, pos, avg }));
ib.on(EventName.positionEnd, () => record({ t: "positionEnd" }));
ib.on(EventName.accountSummary, (reqId, account, tag, value, currency) =>
  record({ t: "accountSummary", reqId, account, tag, value, currency }));
ib.on(EventName.accountSummaryEnd, (reqId) => record({ t: "accountSummaryEnd", reqId }));
ib.on(EventName.contractDetails, (reqId, d) =>
  record({ t: "contractDetails", reqId, conId: d.contract.conId, symbol: d.contract.symbol,
           secType: d.contract.secType, minTick: d.minTick, expiry: d.contract.lastTradeDateOrContractMonth }));
ib.on(EventName.contractDetailsEnd, (reqId) => record({ t: "contractDetailsEnd", reqId }));
ib.on(EventName.historicalData, (reqId, time, open, high, low, close, volume) =>
  record({ t: "historicalData", reqId, time, open, high, low, close, volume }));
ib.on(EventName.openOrder, (orderId, c, o, st) =>
  record({ t: "openOrder", orderId, symbol: c.symbol, qty: o.totalQuantity, lmt: o.lmtPrice,
           orderRef: o.orderRef, status: st.status, permId: o.permId }));
ib.on(EventName.openOrderEnd, () => record({ t: "openOrderEnd" }));
ib.on(EventName.orderStatus, (orderId, status, filled, remaining, avgFillPrice) =>
  record({ t: "orderStatus", orderId, status, filled, remaining, avgFillPrice }));
ib.on(EventName.execDetails, (reqId, c, e) =>
  record({ t: "execDetails", reqId, orderId: e.orderId, execId: e.execId, shares: e.shares,
           price: e.price, orderRef: e.orderRef, side: e.side }));
ib.on(EventName.execDetailsEnd, (reqId) => record({ t: "execDetailsEnd", reqId }));
ib.on(EventName.commissionReport, (r) =>
  record({ t: "commission", execId: r.execId, commission: r.commission, currency: r.currency }));

const AAPL = { symbol: "AAPL", secType: SecType.STK, exchange: "SMART", currency: "USD" };

async function main() {
  ib.connect(CLIENT_ID);
  const first = await waitFor("nextValidId", (e) => e.t === "nextValidId");
  await waitFor("managedAccounts", (e) => e.t === "managedAccounts" && e.accounts.length > 0);
  assert(ib.serverVersion === 178, `server version ${ib.serverVersion}, expected 178`);
  let orderId = first.id;

  // Positions.
  let mark = events.length;
  ib.reqPositions();
  await waitFor("positionEnd", (e) => e.t === "positionEnd", mark);

  // Account summary (incl. the $LEDGER cash-by-currency tags).
  mark = events.length;
  ib.reqAccountSummary(9001, "All", "NetLiquidation,TotalCashValue,$LEDGER:ALL");
  await waitFor("accountSummaryEnd", (e) => e.t === "accountSummaryEnd" && e.reqId === 9001, mark);
  const summary = events.slice(mark).filter((e) => e.t === "accountSummary");
  assert(summary.some((e) => e.tag === "NetLiquidation" && Number(e.value) > 0), "no positive NetLiquidation");
  assert(summary.some((e) => e.tag === "CashBalance" && e.currency === "USD"), "no USD CashBalance");

  // Contract details: a stock and a future (real months).
  mark = events.length;
  ib.reqContractDetails(9002, AAPL);
  await waitFor("contractDetailsEnd 9002", (e) => e.t === "contractDetailsEnd" && e.reqId === 9002, mark);
  const aapl = events.slice(mark).find((e) => e.t === "contractDetails" && e.reqId === 9002);
  assert(aapl && aapl.conId > 0 && aapl.minTick > 0, "contract details for AAPL missing conId/minTick");
  mark = events.length;
  ib.reqContractDetails(9003, { symbol: "ES", secType: SecType.FUT, exchange: "CME", currency: "USD" });
  await waitFor("contractDetailsEnd 9003", (e) => e.t === "contractDetailsEnd" && e.reqId === 9003, mark);
  const es = events.slice(mark).filter((e) => e.t === "contractDetails" && e.reqId === 9003);
  assert(es.length >= 1 && es.every((e) => /^\d{8}$/.test(e.expiry)), "ES futures months missing");

  // Historical daily bars.
  mark = events.length;
  ib.reqHistoricalData(9004, AAPL, "", "10 D", BarSizeSetting.DAYS_ONE, WhatToShow.TRADES, 1, 1, false);
  await waitFor("historicalData end", (e) => e.t === "historicalData" && e.reqId === 9004 &&
                String(e.time).startsWith("finished"), mark);
  const bars = events.slice(mark).filter((e) => e.t === "historicalData" && !String(e.time).startsWith("finished"));
  assert(bars.length === 10, `expected 10 daily bars, got ${bars.length}`);
  assert(bars.every((b) => b.high >= b.low && b.close > 0), "malformed bar");

  // A resting limit order: place, modify, cancel.
  const lmtId = orderId++;
  mark = events.length;
  ib.placeOrder(lmtId, AAPL, { action: OrderAction.BUY, orderType: OrderType.LMT, totalQuantity: 100,
                               lmtPrice: 1.0, tif: "DAY", transmit: true, orderRef: "probe-lmt" });
  await waitFor("openOrder probe-lmt", (e) => e.t === "openOrder" && e.orderId === lmtId && e.orderRef === "probe-lmt", mark);
  await waitFor("orderStatus Submitted", (e) => e.t === "orderStatus" && e.orderId === lmtId && e.status === "Submitted", mark);
  mark = events.length;
  ib.placeOrder(lmtId, AAPL, { action: OrderAction.BUY, orderType: OrderType.LMT, totalQuantity: 50,
                               lmtPrice: 1.01, tif: "DAY", transmit: true, orderRef: "probe-lmt" });
  await waitFor("modified openOrder", (e) => e.t === "openOrder" && e.orderId === lmtId && e.qty === 50 &&
                Math.abs(e.lmt - 1.01) < 1e-9, mark);
  // Open orders by orderRef.
  mark = events.length;
  ib.reqOpenOrders();
  await waitFor("openOrderEnd", (e) => e.t === "openOrderEnd", mark);
  assert(events.slice(mark).some((e) => e.t === "openOrder" && e.orderRef === "probe-lmt"), "reqOpenOrders lacks probe-lmt");
  mark = events.length;
  ib.reqAllOpenOrders();
  await waitFor("openOrderEnd (all)", (e) => e.t === "openOrderEnd", mark);
  expectedErrors = new Set([202]);
  mark = events.length;
  ib.cancelOrder(lmtId);
  await waitFor("error 202", (e) => e.t === "error" && e.code === 202 && e.reqId === lmtId, mark);
  await waitFor("orderStatus Cancelled", (e) => e.t === "orderStatus" && e.orderId === lmtId && e.status === "Cancelled", mark);

  // Cancelling an unknown order: 10147.
  expectedErrors = new Set([10147]);
  mark = events.length;
  ib.cancelOrder(999999);
  await waitFor("error 10147", (e) => e.t === "error" && e.code === 10147, mark);
  expectedErrors = new Set();

  // A market order that fills: execDetails + commissionReport + Filled.
  const mktId = orderId++;
  mark = events.length;
  ib.placeOrder(mktId, AAPL, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 10,
                               tif: "DAY", transmit: true, orderRef: "probe-mkt" });
  const fill = await waitFor("execDetails", (e) => e.t === "execDetails" && e.orderId === mktId, mark);
  assert(fill.orderRef === "probe-mkt" && fill.side === "BOT", "execDetails lacks orderRef/side");
  await waitFor("commissionReport", (e) => e.t === "commission" && e.execId === fill.execId, mark);
  await waitFor("orderStatus Filled", (e) => e.t === "orderStatus" && e.orderId === mktId && e.status === "Filled" &&
                e.filled === 10 && e.remaining === 0, mark);

  // Executions with a filter, and their commissions.
  mark = events.length;
  ib.reqExecutions(9005, { symbol: "AAPL", side: "BUY" });
  await waitFor("execDetailsEnd", (e) => e.t === "execDetailsEnd" && e.reqId === 9005, mark);
  const execs = events.slice(mark).filter((e) => e.t === "execDetails" && e.reqId === 9005);
  assert(execs.some((e) => e.execId === fill.execId), "reqExecutions does not return the fill");
  for (const e of execs) {
    assert(events.slice(mark).some((c) => c.t === "commission" && c.execId === e.execId), `no commission for ${e.execId}`);
  }

  // The position now shows, and the clock answers.
  mark = events.length;
  ib.reqPositions();
  await waitFor("positionEnd (2)", (e) => e.t === "positionEnd", mark);
  assert(events.slice(mark).some((e) => e.t === "position" && e.symbol === "AAPL" && e.pos >= 10), "AAPL position missing");
  mark = events.length;
  ib.reqCurrentTime();
  await waitFor("currentTime", (e) => e.t === "currentTime" && e.time > 0, mark);

  // Global cancel of a fresh resting order.
  const gId = orderId++;
  mark = events.length;
  ib.placeOrder(gId, AAPL, { action: OrderAction.BUY, orderType: OrderType.LMT, totalQuantity: 1,
                             lmtPrice: 1.0, tif: "GTC", transmit: true, orderRef: "probe-global" });
  await waitFor("orderStatus Submitted (global)", (e) => e.t === "orderStatus" && e.orderId === gId && e.status === "Submitted", mark);
  expectedErrors = new Set([202]);
  mark = events.length;
  ib.reqGlobalCancel();
  await waitFor("Cancelled by global cancel", (e) => e.t === "orderStatus" && e.orderId === gId && e.status === "Cancelled", mark);
  expectedErrors = new Set();

  // Give any late frame a moment to arrive (a late 505 would still fail the run).
  await new Promise((r) => setTimeout(r, 300));
  ib.disconnect();
  console.log(`OK: ${events.length} callbacks, server version 178, no decode errors`);
  process.exit(0);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
