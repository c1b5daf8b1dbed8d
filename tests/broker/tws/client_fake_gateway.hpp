// A scriptable in-process IB gateway for client tests, built from the codec over loopback.
// It runs on the test's io_context, so the client's event loop drives both ends on one thread.
// Not a simulator (that is tools/ibsim): it answers just enough, and records what it received.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio.hpp>

#include "broker/tws/codec.hpp"
#include "broker/tws/messages.hpp"

namespace af::tws::testing {

class FakeGateway {
 public:
  struct Behaviour {
    std::string accounts = "DU1234567,";
    bool send_accounts = true;
    bool send_next_valid_id = true;
    int next_valid_id = 1;
    bool send_farm_notices = true;           // 2104/2106/2158 after startApi
    std::set<int> client_ids_in_use;         // startApi with one of these -> 326 + close
    bool answer_current_time = true;
    std::int64_t current_time = 0;           // epoch seconds answered to reqCurrentTime
    bool answer_positions = true;
    bool ack_orders = true;                  // openOrder + orderStatus(Submitted) on placeOrder
    bool drop_after_place_order = false;     // close the socket right after a placeOrder
  };

  explicit FakeGateway(boost::asio::io_context& io)
      : io_(io), acceptor_(io, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  Behaviour behaviour;

  // What arrived, over all connections, in order.
  std::vector<Request> received;
  int connections_accepted = 0;
  std::vector<int> start_api_client_ids;
  std::vector<PlaceOrder> orders_received;
  std::vector<OpenOrder> open_orders;       // served to reqOpenOrders
  std::vector<ExecDetails> executions;      // served to reqExecutions
  std::vector<Position> positions;          // served to reqPositions

  template <class T>
  int count() const {
    int n = 0;
    for (const auto& r : received) n += std::holds_alternative<T>(r) ? 1 : 0;
    return n;
  }
  bool connected() const { return session_ && session_->open; }

  // Sends a message on the current connection (no-op without one).
  void send(const IncomingMessage& message) {
    if (session_ && session_->open) session_->write(encode(message));
  }
  void send_error(int id, int code, std::string text) {
    send(ErrorMsg{id, code, std::move(text), ""});
  }
  // Closes the current connection (the client sees EOF).
  void drop() {
    if (session_) session_->close();
  }

 private:
  struct Session : std::enable_shared_from_this<Session> {
    Session(FakeGateway& gw, boost::asio::ip::tcp::socket s) : gateway(gw), socket(std::move(s)) {
      reader.expect_api_prefix();
    }
    FakeGateway& gateway;
    boost::asio::ip::tcp::socket socket;
    FrameReader reader;
    std::array<char, 16384> buffer{};
    std::deque<std::string> writes;
    bool writing = false;
    bool open = true;
    bool hello_done = false;

    void start() { read(); }
    void read() {
      auto self = shared_from_this();
      socket.async_read_some(boost::asio::buffer(buffer),
                             [self](const boost::system::error_code& ec, std::size_t n) {
                               if (ec || !self->open) {
                                 self->open = false;
                                 return;
                               }
                               self->reader.append(std::string_view(self->buffer.data(), n));
                               while (self->open) {
                                 auto frame = self->reader.next_frame();
                                 if (!frame || !frame->has_value()) break;
                                 self->handle(std::string(**frame));
                               }
                               if (self->open) self->read();
                             });
    }
    void write(std::string bytes) {
      writes.push_back(std::move(bytes));
      pump();
    }
    void pump() {
      if (writing || writes.empty() || !open) return;
      writing = true;
      auto self = shared_from_this();
      boost::asio::async_write(socket, boost::asio::buffer(writes.front()),
                               [self](const boost::system::error_code& ec, std::size_t) {
                                 self->writing = false;
                                 if (!self->writes.empty()) self->writes.pop_front();
                                 if (ec) {
                                   self->open = false;
                                   return;
                                 }
                                 self->pump();
                               });
    }
    void close() {
      open = false;
      boost::system::error_code ignored;
      socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
    }
    void handle(const std::string& payload) {
      if (!hello_done) {
        auto hello = decode_client_hello(payload);
        if (!hello) {
          close();
          return;
        }
        auto version = negotiate_server_version(*hello);
        if (!version) {
          close();
          return;
        }
        hello_done = true;
        write(encode_server_hello(ServerHello{*version, "20260105 12:00:00 UTC"}));
        return;
      }
      auto request = decode_request(payload);
      if (!request) return;
      gateway.received.push_back(*request);
      gateway.on_request(*this, *request);
    }
  };

  void accept() {
    acceptor_.async_accept([this](const boost::system::error_code& ec,
                                  boost::asio::ip::tcp::socket socket) {
      if (ec) return;
      ++connections_accepted;
      if (session_) session_->close();
      session_ = std::make_shared<Session>(*this, std::move(socket));
      session_->start();
      accept();
    });
  }

  void on_request(Session& s, const Request& request) {
    const Behaviour& b = behaviour;
    if (const auto* start = std::get_if<StartApi>(&request)) {
      start_api_client_ids.push_back(start->client_id);
      if (b.client_ids_in_use.count(start->client_id) > 0) {
        s.write(encode(ErrorMsg{-1, 326, "Unable to connect as the client id is already in use. "
                                         "Retry with a unique client id.", ""}));
        // The gateway closes the socket after 326; the client does not wait for it.
        return;
      }
      if (b.send_accounts) s.write(encode(ManagedAccounts{b.accounts}));
      if (b.send_next_valid_id) s.write(encode(NextValidId{b.next_valid_id}));
      if (b.send_farm_notices) {
        s.write(encode(ErrorMsg{-1, 2104, "Market data farm connection is OK:usfarm", ""}));
        s.write(encode(ErrorMsg{-1, 2106, "HMDS data farm connection is OK:ushmds", ""}));
        s.write(encode(ErrorMsg{-1, 2158, "Sec-def data farm connection is OK:secdefil", ""}));
      }
    } else if (std::holds_alternative<ReqCurrentTime>(request)) {
      if (b.answer_current_time) s.write(encode(CurrentTime{b.current_time}));
    } else if (std::holds_alternative<ReqPositions>(request)) {
      if (b.answer_positions) {
        for (const auto& p : positions) s.write(encode(p));
        s.write(encode(PositionEnd{}));
      }
    } else if (std::holds_alternative<ReqOpenOrders>(request) ||
               std::holds_alternative<ReqAllOpenOrders>(request)) {
      for (const auto& o : open_orders) {
        s.write(encode(o));
        OrderStatus st;
        st.order_id = o.order_id;
        st.status = o.order_state.status;
        st.filled = 0.0;
        st.remaining = o.order.total_quantity;
        st.perm_id = o.order.perm_id.value_or(0);
        s.write(encode(st));
      }
      s.write(encode(OpenOrderEnd{}));
    } else if (const auto* ex = std::get_if<ReqExecutions>(&request)) {
      for (auto e : executions) {
        e.req_id = ex->req_id;
        s.write(encode(e));
      }
      s.write(encode(ExecDetailsEnd{ex->req_id}));
    } else if (const auto* place = std::get_if<PlaceOrder>(&request)) {
      orders_received.push_back(*place);
      if (b.drop_after_place_order) {
        s.close();
        return;
      }
      if (b.ack_orders) {
        OpenOrder o;
        o.order_id = place->order_id;
        o.contract = place->contract;
        o.order = place->order;
        o.order.perm_id = 900000 + place->order_id;
        o.order.client_id = start_api_client_ids.empty() ? 0 : start_api_client_ids.back();
        o.order_state.status = "Submitted";
        open_orders.push_back(o);
        s.write(encode(o));
        OrderStatus st;
        st.order_id = place->order_id;
        st.status = "Submitted";
        st.filled = 0.0;
        st.remaining = place->order.total_quantity;
        st.perm_id = 900000 + place->order_id;
        s.write(encode(st));
      }
    }
  }

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<Session> session_;
};

}  // namespace af::tws::testing
