#pragma once
// The server's listening sockets, made here rather than by the HTTP library so that a taken
// port fails with a message that says what to do, a second agent cannot share the port
// (no SO_REUSEPORT), and the hook socket has its mode before anyone can connect.

#include <filesystem>

#include "common/unique_fd.h"
#include "config/listen_address.h"

namespace vnf::http {

struct TcpListenSocket {
  UniqueFd fd;
  int port = -1;  // the bound port (the one picked, for port 0)
};

// Binds and listens; an empty host means every IPv6 and IPv4 address (IPv4 only where the
// host has no IPv6). Throws std::runtime_error with an actionable message.
TcpListenSocket listen_tcp(const config::ListenAddress &address);

// Creates the socket file (its directory too) with mode 0660, group vnf-agent where it
// exists, replacing a stale one; throws std::runtime_error.
UniqueFd listen_unix(const std::filesystem::path &path);

}  // namespace vnf::http
