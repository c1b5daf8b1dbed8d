// capture.js — records the request frames a real third-party IB client (@stoqey/ib) writes.
//
// Starts a tiny loopback server that plays the gateway's half of the handshake at server version
// 178 (server hello, then managedAccounts + nextValidId after startApi), connects @stoqey/ib to
// it, issues a fixed list of requests and prints what arrived, one line each:
//   HELLO <hex of the client hello bytes, "API\0" + length + version string>
//   FRAME <label> <hex of the whole frame, length prefix included>
// The GoogleTest TwsCodecCapture.* compares these bytes with our encoder's.
// Exit codes: 0 ok, 1 failure (timeout, client error), 2 @stoqey/ib not installed.
// Run: node tests/broker/tws/node/capture.js   (after scripts/npm-test-deps.sh)
"use strict";
const net = require("net");
const path = require("path");

let ibModule;
try {
  ibModule = require(path.join(__dirname, "..", "..", "..", "node", "node_modules", "@stoqey", "ib"));
} catch (e) {
  console.error("capture.js: @stoqey/ib is not installed in tests/node; run scripts/npm-test-deps.sh (" + e.message + ")");
  process.exit(2);
}
const { IBApi, EventName } = ibModule;

const SERVER_VERSION = 178;
const CLIENT_ID = 7;
const contract = { symbol: "AAPL", secType: "STK", exchange: "SMART", currency: "USD" };

// Issued in this order once nextValidId arrives; labels name them in the output.
const requests = [
  ["placeOrderLmt", (ib) => ib.placeOrder(1, contract, {
    action: "BUY", orderType: "LMT", totalQuantity: 100, lmtPrice: 150, tif: "DAY",
    transmit: true, orderRef: "idem-key-1" })],
  ["placeOrderMkt", (ib) => ib.placeOrder(3, contract, {
    action: "SELL", orderType: "MKT", totalQuantity: 0.5, transmit: true, orderRef: "mkt-1",
    account: "DU1234567" })],
  ["cancelOrder", (ib) => ib.cancelOrder(2)],
  ["reqPositions", (ib) => ib.reqPositions()],
  ["reqExecutions", (ib) => ib.reqExecutions(9005, {})],
  ["reqExecutionsFiltered", (ib) => ib.reqExecutions(9006, {
    clientId: 7, acctCode: "DU1234567", time: "20240102 09:30:00", symbol: "AAPL", secType: "STK",
    exchange: "SMART", side: "BUY" })],
  ["reqHistoricalData", (ib) => ib.reqHistoricalData(9004, contract, "", "2 D", "1 day", "TRADES", 1, 1, false)],
  ["reqContractDetails", (ib) => ib.reqContractDetails(9002, contract)],
  ["reqMktData", (ib) => ib.reqMktData(9003, contract, "", false, false)],
  ["reqAccountSummary", (ib) => ib.reqAccountSummary(9001, "All", "NetLiquidation")],
  ["reqCurrentTime", (ib) => ib.reqCurrentTime()],
];
const labels = ["startApi", ...requests.map((r) => r[0])];

function frame(fields) {
  const payload = Buffer.from(fields.map((f) => f + "\0").join(""), "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(payload.length);
  return Buffer.concat([len, payload]);
}

const lines = [];
let finished = false;
function finish(code, message) {
  if (finished) return;
  finished = true;
  if (message) console.error("capture.js: " + message);
  if (code === 0) for (const l of lines) console.log(l);
  process.exit(code);
}
setTimeout(() => finish(1, "timed out after 15 s; got " + (lines.length) + " line(s): " + lines.join(" | ")), 15000);

const server = net.createServer((socket) => {
  let buf = Buffer.alloc(0);
  let helloDone = false;
  let frames = 0;
  socket.on("data", (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    if (!helloDone) {
      if (buf.length < 8) return;
      const n = buf.readUInt32BE(4);
      if (buf.length < 8 + n) return;
      lines.push("HELLO " + buf.subarray(0, 8 + n).toString("hex"));
      buf = buf.subarray(8 + n);
      helloDone = true;
      socket.write(frame([String(SERVER_VERSION), "20240102 10:00:00 EST"]));
    }
    while (buf.length >= 4) {
      const n = buf.readUInt32BE(0);
      if (buf.length < 4 + n) break;
      const whole = buf.subarray(0, 4 + n);
      buf = buf.subarray(4 + n);
      const label = labels[frames] || "extra" + frames;
      lines.push("FRAME " + label + " " + whole.toString("hex"));
      frames += 1;
      if (label === "startApi") {
        socket.write(frame(["15", "1", "DU1234567"]));
        socket.write(frame(["9", "1", "1"]));
      }
      if (frames === labels.length) {
        // Wait briefly so an unexpected extra frame would be seen, then stop.
        setTimeout(() => finish(0), 300);
      }
    }
  });
});

server.listen(0, "127.0.0.1", () => {
  const port = server.address().port;
  const ib = new IBApi({ host: "127.0.0.1", port });
  ib.on(EventName.error, (err, code, reqId) => {
    // Informational codes are fine; anything else means the client rejected our server half.
    if (code !== undefined && code >= 2100 && code < 2200) return;
    finish(1, "client error " + code + " (reqId " + reqId + "): " + (err && err.message));
  });
  ib.once(EventName.nextValidId, () => {
    for (const [, issue] of requests) issue(ib);
  });
  ib.connect(CLIENT_ID);
});
