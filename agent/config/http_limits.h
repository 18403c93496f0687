#pragma once
// What the HTTP server lets clients take: connections, time and memory. Past a limit a
// connection is closed, or a request answered 503, at once; nobody else waits for it.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace vnf::config {

struct HttpLimits {
  std::uint32_t max_connections = 1024;           // on the TCP port and the socket together
  std::uint32_t max_connections_per_client = 128;  // per client IP address (not on the socket)
  std::uint32_t read_timeout_seconds = 10;        // to receive a request, head and body
  std::uint32_t idle_timeout_seconds = 60;        // a keep-alive connection between requests
  std::uint32_t max_body_bytes = 64 * 1024;
  std::uint32_t max_concurrent_scrapes = 40;      // /metrics requests in flight; they share one collection

  // Throws ConfigError (config/agent_config.h) naming the offending key.
  void validate() const;
  bool operator==(const HttpLimits &) const = default;
};

// Every limit by its key in config.yaml's `http:` section (the flag is --http-<key, dashed>),
// with the text of its --help.
struct HttpLimitKey {
  std::string key;
  std::uint32_t HttpLimits::*member;
  std::string help;
};
const std::vector<HttpLimitKey> &http_limit_keys();

}  // namespace vnf::config
