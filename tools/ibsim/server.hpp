// tools/ibsim/server.hpp — the network shell around Simulator: Boost.Asio, one thread.
//
// Accepts API clients on host:port (loopback by default) and an optional line-based control port
// (one command per line, one reply line; see Simulator::control). Every socket event is handed to
// the simulator on the io_context thread; a steady_timer runs Simulator::poll() at the next
// deadline (and at least once a second so the simulated date rolls over).
// Thread-safety: everything runs on the io_context's single thread.
#pragma once

#include <utility>  // before Asio: Boost 1.74 awaitable.hpp uses std::exchange without it (GCC 12)
#include <boost/asio.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "simulator.hpp"

namespace af::ibsim {

class Server final : public Transport {
 public:
  explicit Server(boost::asio::io_context& io) : io_(io), acceptor_(io), control_(io), timer_(io) {}

  void attach(Simulator& sim) { sim_ = &sim; }
  // Binds the API port (0 = any free port) and, if control_port >= 0, the control port (0 = any).
  Status listen(const std::string& host, int port, int control_port);
  int port() const { return port_; }
  int control_port() const { return control_port_; }

  void send(ConnId conn, std::string bytes) override;
  void close(ConnId conn) override;

  // Runs the simulator's due work and re-arms the timer; call after any simulator call made from
  // outside the server (none in normal operation).
  void after_event();

 private:
  struct Session {
    explicit Session(boost::asio::ip::tcp::socket s) : socket(std::move(s)) {}
    boost::asio::ip::tcp::socket socket;
    std::deque<std::string> out;
    bool writing = false;
    bool closing = false;
    std::array<char, 65536> buf{};
  };
  void do_accept();
  void do_read(ConnId id, std::shared_ptr<Session> s);
  void do_write(ConnId id, std::shared_ptr<Session> s);
  void finish(ConnId id, const std::shared_ptr<Session>& s);
  void do_control_accept();
  void rearm();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::acceptor control_;
  boost::asio::steady_timer timer_;
  Simulator* sim_ = nullptr;
  std::map<ConnId, std::shared_ptr<Session>> sessions_;
  std::shared_ptr<Session> pending_;   // socket being registered in Simulator::on_accept
  bool pending_closed_ = false;
  int port_ = 0;
  int control_port_ = -1;
};

}  // namespace af::ibsim
