#include "server.hpp"

#include <iostream>

namespace af::ibsim {

namespace asio = boost::asio;
using asio::ip::tcp;

Status Server::listen(const std::string& host, int port, int control_port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return Error{ErrorCode::kInvalidArgument, "--host `" + host + "`: " + ec.message()};
  auto open = [&](tcp::acceptor& acc, int p, int* bound, const char* what) -> Status {
    tcp::endpoint ep(address, static_cast<unsigned short>(p));
    acc.open(ep.protocol(), ec);
    if (!ec) acc.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acc.bind(ep, ec);
    if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Error{ErrorCode::kUnavailable, std::string("cannot listen on ") + host + ":" +
                                                std::to_string(p) + " (" + what + "): " +
                                                ec.message() + "; pick another port"};
    }
    *bound = acc.local_endpoint().port();
    return ok_status();
  };
  AF_RETURN_IF_ERROR(open(acceptor_, port, &port_, "API"));
  if (control_port >= 0) AF_RETURN_IF_ERROR(open(control_, control_port, &control_port_, "control"));
  do_accept();
  if (control_port >= 0) do_control_accept();
  rearm();
  return ok_status();
}

void Server::do_accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec != asio::error::operation_aborted) do_accept();
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    pending_ = std::make_shared<Session>(std::move(socket));
    pending_closed_ = false;
    const ConnId id = sim_->on_accept();
    auto s = std::move(pending_);
    if (pending_closed_) {
      s->socket.close(ec);
    } else {
      sessions_[id] = s;
      do_read(id, s);
    }
    after_event();
    do_accept();
  });
}

void Server::do_read(ConnId id, std::shared_ptr<Session> s) {
  s->socket.async_read_some(asio::buffer(s->buf), [this, id, s](boost::system::error_code ec, std::size_t n) {
    if (s->closing) return;
    if (ec) {
      sessions_.erase(id);
      sim_->on_closed(id);
      after_event();
      return;
    }
    sim_->on_bytes(id, std::string_view(s->buf.data(), n));
    after_event();
    if (!s->closing) do_read(id, s);
  });
}

void Server::send(ConnId id, std::string bytes) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) {
    if (pending_) pending_->out.push_back(std::move(bytes));
    return;
  }
  auto s = it->second;
  if (s->closing) return;
  s->out.push_back(std::move(bytes));
  if (!s->writing) do_write(id, s);
}

void Server::do_write(ConnId id, std::shared_ptr<Session> s) {
  if (s->out.empty()) {
    s->writing = false;
    if (s->closing) finish(id, s);
    return;
  }
  s->writing = true;
  asio::async_write(s->socket, asio::buffer(s->out.front()),
                    [this, id, s](boost::system::error_code ec, std::size_t) {
                      s->out.pop_front();
                      if (ec) {
                        s->out.clear();
                        s->writing = false;
                        finish(id, s);
                        return;
                      }
                      do_write(id, s);
                    });
}

void Server::close(ConnId id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) {
    pending_closed_ = true;
    return;
  }
  auto s = it->second;
  s->closing = true;
  if (!s->writing) finish(id, s);  // else: after the queued bytes are written
}

void Server::finish(ConnId id, const std::shared_ptr<Session>& s) {
  boost::system::error_code ec;
  s->socket.shutdown(tcp::socket::shutdown_both, ec);
  s->socket.close(ec);
  sessions_.erase(id);
}

void Server::after_event() {
  sim_->poll();
  rearm();
}

void Server::rearm() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  if (auto next = sim_->next_deadline(); next && *next < deadline) deadline = *next;
  timer_.expires_at(deadline);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    after_event();
  });
}

namespace {
struct ControlSession : std::enable_shared_from_this<ControlSession> {
  ControlSession(tcp::socket s, Simulator& sim, Server& server)
      : socket(std::move(s)), sim(sim), server(server) {}
  void read() {
    auto self = shared_from_this();
    asio::async_read_until(socket, buf, '\n', [self](boost::system::error_code ec, std::size_t) {
      if (ec) return;
      std::istream in(&self->buf);
      std::string line;
      std::getline(in, line);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      auto reply = std::make_shared<std::string>(self->sim.control(line) + "\n");
      self->server.after_event();
      asio::async_write(self->socket, asio::buffer(*reply),
                        [self, reply](boost::system::error_code ec2, std::size_t) {
                          if (!ec2) self->read();
                        });
    });
  }
  tcp::socket socket;
  asio::streambuf buf;
  Simulator& sim;
  Server& server;
};
}  // namespace

void Server::do_control_accept() {
  control_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec != asio::error::operation_aborted) do_control_accept();
      return;
    }
    std::make_shared<ControlSession>(std::move(socket), *sim_, *this)->read();
    do_control_accept();
  });
}

}  // namespace af::ibsim
