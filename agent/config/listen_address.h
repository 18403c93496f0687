#pragma once

#include <cstdint>
#include <string>

namespace vnf::config {

struct ListenAddress {
  std::string host;  // empty: all addresses (IPv4 and IPv6)
  std::uint16_t port = 0;

  std::string to_string() const;
};

// Parses ":9090", "0.0.0.0:9090", "127.0.0.1:9090", "[::1]:9090" or "localhost:9090".
// Throws std::invalid_argument with the reason.
ListenAddress parse_listen_address(const std::string &text);

// Replaces the port of `address` with the METRICS_PORT value; throws std::invalid_argument.
ListenAddress with_port(ListenAddress address, const std::string &port_text);

}  // namespace vnf::config
