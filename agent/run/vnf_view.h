#pragma once
// GET /v1/vnfs: the current VNFs with their labels, cgroups, current rates (CPU cores, memory
// bytes, packets per second in and out), limits and utilisation of them, for an orchestrator
// or a person without PromQL; GET /v1/vnf-types: the same per vnf_type, averaged and at its
// maximum over the type's instances, as a pool autoscaler polls it. Rates are the change
// between the last two collections.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "collector/vnf_readings.h"
#include "discover/discovery_snapshot.h"

namespace vnf::run {

class VnfView {
 public:
  using Clock = std::chrono::steady_clock;

  void record(Clock::time_point now, const discover::DiscoverySnapshot &snapshot,
              const collector::ReadingsByCgroup &readings);

  // Seconds since the previous collection; nullopt until there were two.
  std::optional<double> interval_seconds() const;
  // Whether every current VNF was also in the previous collection, so all have rates.
  bool complete() const;
  std::string json() const;
  std::string types_json() const;

 private:
  struct Totals {
    std::vector<std::string> cgroups;
    double cpu_ns = 0;
    std::optional<double> memory_bytes, memory_working_set_bytes, rx_packets, tx_packets;
    // Sums over the VNF's cgroups while each has a limit; none once one has none.
    std::optional<double> cpu_limit_cores, memory_limit_bytes;
    bool cpu_limited = true, memory_limited = true;
  };
  using Readings = std::map<discover::VnfIdentity, Totals>;
  // What both endpoints show of one VNF now; none where unknown or unlimited.
  struct Current {
    std::optional<double> cpu_cores, cpu_limit_cores, cpu_utilization;
    std::optional<double> memory_bytes, memory_limit_bytes, memory_utilization;
    std::optional<double> rx_per_second, tx_per_second;
  };
  Current current_of(const Totals &now, const Totals *before) const;

  Readings current_, previous_;
  Clock::time_point current_at_{}, previous_at_{};
};

}  // namespace vnf::run
