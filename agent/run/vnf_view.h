#pragma once
// GET /v1/vnfs: the current VNFs with their labels, cgroups and current rates (CPU cores,
// memory bytes, packets per second in and out), for an orchestrator or a person without PromQL.
// Rates are the change between the last two collections.

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

 private:
  struct Totals {
    std::vector<std::string> cgroups;
    double cpu_ns = 0;
    std::optional<double> memory_bytes, rx_packets, tx_packets;
  };
  using Readings = std::map<discover::VnfIdentity, Totals>;

  Readings current_, previous_;
  Clock::time_point current_at_{}, previous_at_{};
};

}  // namespace vnf::run
