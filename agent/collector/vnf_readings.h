#pragma once
// What GET /v1/vnfs shows of each VNF cgroup, as the collectors read it at one scrape: the
// totals its rates are computed from, and the limits its utilisation is taken of.

#include <cstdint>
#include <optional>
#include <unordered_map>

namespace vnf::collector {

struct CgroupReadings {
  std::optional<double> cpu_ns;
  std::optional<double> memory_bytes, memory_working_set_bytes;
  std::optional<double> cpu_limit_cores, memory_limit_bytes;  // none when unlimited
  std::optional<double> rx_packets, tx_packets;
};

using ReadingsByCgroup = std::unordered_map<std::uint64_t, CgroupReadings>;  // by cgroup id

}  // namespace vnf::collector
