#pragma once
// Per-VNF network series, one per interface of the namespace the VNF owns:
// vnf_network_{receive,transmit}_{packets,bytes,errors}_total{interface},
// vnf_network_{receive,transmit}_packets_dropped_total{interface}; a host-network VNF's socket
// traffic under interface=""; and vnf_network_drops_total{reason}. Counters advance by each
// reading's growth, followed per VNF identity and namespace (metrics::SourceReadings): an
// interface's first reading counts in full, so its series equals the device's counter; a
// container restarted in a new cgroup but the same namespace (a pod's) goes on from the last
// reading; a VNF that moves to another namespace counts that one's from where it stands,
// never as a step back. An interface that is gone at a reading loses its series.

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "discover/tracked_vnf.h"
#include "metrics/counter_follower.h"
#include "metrics/registry.h"
#include "metrics/vnf_series.h"
#include "network/network_usage.h"

namespace vnf::network {

class NetworkMetrics : public metrics::FamilyWriter {
 public:
  explicit NetworkMetrics(metrics::Registry &registry);

  // `network` holds the VNFs read at this scrape; a VNF of `vnfs` missing from it (no task at
  // the moment, or its namespace could not be read) keeps its series as they were.
  void update(const std::vector<discover::TrackedVnf> &vnfs, const NetworkByCgroup &network);
  void write(std::string &out) const override;

  // The fields of an interface's counters, in InterfaceCounters' order.
  enum Field { kRxPackets, kRxBytes, kRxErrors, kRxDropped, kTxPackets, kTxBytes, kTxErrors, kTxDropped, kFields };
  using Counters = std::array<std::uint64_t, kFields>;

 private:
  struct InterfaceTotals {  // since the series was created
    std::string name;
    std::string label;  // interface="..."
    Counters counters{};
    metrics::SourceReadings<kFields> readings;  // by network namespace
    bool device = true;  // false: socket traffic, which has no errors or drops
    bool seen = false;   // read in this update
  };
  struct DropTotal {
    std::uint64_t packets = 0;
    metrics::SourceReadings<1> readings;
    bool seen = false;
  };
  struct Series {
    // By name. A VNF has a few interfaces, walked at every update: side by side in memory.
    std::vector<InterfaceTotals> interfaces;
    std::map<std::string, DropTotal> drops;  // by the reason's label set (reason="...")
  };
  static void add(Series &series, std::uint64_t netns, const std::string &interface, const Counters &now, bool device);
  // Keeps all `series` has through this update, though its VNF was not read.
  static void keep(Series &series);
  // Drops what this update did not read, and leaves the rest unseen for the next.
  static void forget_unseen(Series &series);

  metrics::VnfSeriesSet<Series> series_;
  metrics::WriterRegistration registration_;
};

}  // namespace vnf::network
