#include "network/network_usage.h"

#include <sstream>

namespace vnf::network {

std::optional<NetworkTraffic> parse_net_dev(std::string_view content) {
  NetworkTraffic total;
  std::istringstream lines{std::string(content)};
  std::string line;
  int header = 0;
  while (std::getline(lines, line)) {
    if (header < 2) {  // two header lines
      ++header;
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string::npos) return std::nullopt;
    std::istringstream fields(line.substr(colon + 1));
    std::uint64_t v[16];
    for (auto &x : v)
      if (!(fields >> x)) return std::nullopt;
    total.rx_bytes += v[0];
    total.rx_packets += v[1];
    total.tx_bytes += v[8];
    total.tx_packets += v[9];
  }
  if (header < 2) return std::nullopt;
  return total;
}

}  // namespace vnf::network
