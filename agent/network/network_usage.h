#pragma once
// One VNF's network traffic as the network collector reads it, and the parser of the
// /proc/PID/net/dev table it comes from without BPF.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vnf::network {

struct NetworkTraffic {
  std::uint64_t rx_packets = 0, rx_bytes = 0, tx_packets = 0, tx_bytes = 0;
};

struct NetworkUsage {
  NetworkTraffic traffic;
  std::map<std::string, std::uint64_t> drops;  // by drop reason; BPF mode only
  std::uint64_t netns_inode = 0;               // where it was counted
};

// Keyed by the tracked cgroup's id in the CPU hierarchy.
using NetworkByCgroup = std::unordered_map<std::uint64_t, NetworkUsage>;

// Sums the interfaces of a /proc/PID/net/dev table; nullopt if it is malformed.
std::optional<NetworkTraffic> parse_net_dev(std::string_view content);

}  // namespace vnf::network
