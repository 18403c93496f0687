#pragma once
// Per-VNF network series: vnf_network_{receive,transmit}_{packets,bytes}_total and
// vnf_network_drops_total{reason}. Counters advance by each cgroup's own growth
// (metrics/counter_follower.h); a VNF that moves to another namespace counts that one's
// traffic from zero, never as a step back.

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

  void update(const std::vector<discover::TrackedVnf> &vnfs, const NetworkByCgroup &network);
  void write(std::string &out) const override;

 private:
  struct Series {  // totals since the series was created
    NetworkTraffic traffic;
    std::map<std::string, std::uint64_t> drops;  // by the reason's label set (reason="...")
  };
  using DropKey = std::pair<std::uint64_t, std::string>;  // cgroup id, reason
  struct DropKeyHash {
    std::size_t operator()(const DropKey &k) const { return std::hash<std::string>{}(k.second) * 31 + k.first; }
  };

  metrics::VnfSeriesSet<Series> series_;
  metrics::CounterFollower<std::uint64_t, 4> traffic_;  // by cgroup id
  metrics::CounterFollower<DropKey, 1, DropKeyHash> drops_;
  metrics::WriterRegistration registration_;
};

}  // namespace vnf::network
