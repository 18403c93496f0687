#pragma once
// The server's live connections: who may connect (the total and per-client limits) and which
// connection has overstayed its time to send a request. Connections are opened and closed by
// the event thread; expire() runs on a timer thread and closes, under the table's lock, only
// descriptors that are still open.

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vnf::http {

// The client's IP address as text ("127.0.0.2", "2001:db8::1"; an IPv4-mapped IPv6 address as
// its IPv4 one), or "" for a unix socket peer.
std::string client_address(const sockaddr *address, socklen_t length);

enum class Admission { accepted, connection_limit, client_limit };

class ConnectionTable {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = std::uint64_t;

  ConnectionTable(std::size_t max_connections, std::size_t max_per_client);

  // Whether one more connection from `client` ("" for the socket: no per-client limit) fits.
  Admission admit(const std::string &client) const;
  // A connection from `client` on descriptor `fd`, which must send a request by `deadline`.
  Id opened(const std::string &client, int fd, Clock::time_point deadline);
  void closed(Id id);
  // A request must arrive by `deadline` (a new one started, or the connection went idle); an
  // earlier deadline already set stays.
  void arm(Id id, Clock::time_point deadline);
  // The request has arrived: no deadline until the next one.
  void disarm(Id id);
  // Calls `close_fd` for every connection whose deadline passed, under the lock that closed()
  // takes, so that the descriptor is still this connection's; returns how many.
  std::size_t expire(Clock::time_point now, const std::function<void(int)> &close_fd);

  std::size_t open() const;
  std::size_t open_from(const std::string &client) const;

 private:
  struct Entry {
    std::string client;
    int fd;
    Clock::time_point deadline;  // max(): none
  };
  std::size_t max_connections_, max_per_client_;
  mutable std::mutex mutex_;
  Id next_id_ = 1;
  std::unordered_map<Id, Entry> entries_;
  std::unordered_map<std::string, std::size_t> per_client_;
};

}  // namespace vnf::http
