#pragma once
// One VNF's network readings at a scrape, as the network collector hands them to its metrics.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include "network/host_sockets.h"
#include "network/interface_counters.h"

namespace vnf::network {

struct NetworkUsage {
  std::uint64_t netns_inode = 0;  // where it was counted
  // Its namespace's interfaces, if it owns that namespace (netns_owners.h); a VNF that shares
  // the namespace without owning it has none. They stay where the reader put them.
  std::span<const InterfaceCounters> interfaces;
  std::optional<SocketTraffic> sockets;        // a host-network VNF's socket traffic (BPF only)
  std::map<std::string, std::uint64_t> drops;  // by drop reason; BPF only, owners only
};

// Keyed by the tracked cgroup's id in the CPU hierarchy.
using NetworkByCgroup = std::unordered_map<std::uint64_t, NetworkUsage>;

}  // namespace vnf::network
