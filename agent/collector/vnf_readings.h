#pragma once
// What GET /v1/vnfs shows of each VNF cgroup, as the collectors read it at one scrape: the
// totals its rates are computed from.

#include <cstdint>
#include <optional>
#include <unordered_map>

namespace vnf::collector {

struct CgroupReadings {
  std::optional<double> cpu_ns;
  std::optional<double> memory_bytes;
  std::optional<double> rx_packets, tx_packets;
};

using ReadingsByCgroup = std::unordered_map<std::uint64_t, CgroupReadings>;  // by cgroup id

}  // namespace vnf::collector
