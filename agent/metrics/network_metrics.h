#pragma once
// Per-VNF network series: vnf_network_{receive,transmit}_{packets,bytes}_total and
// vnf_network_drops_total{reason}. Counters advance by each cgroup's own delta; a source that
// starts again from zero (a new namespace, a namespace entry recycled) counts as fresh growth,
// never as a step back.

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "collect/network_source.h"
#include "metrics/registry.h"
#include "discover/tracked_vnf.h"
#include "metrics/vnf_series.h"

namespace vnf::metrics {

class NetworkMetrics {
 public:
  explicit NetworkMetrics(Registry &registry);

  void update(const std::vector<discover::TrackedVnf> &vnfs, const collect::NetworkByCgroup &network);

 private:
  struct Series {
    prometheus::Counter *rx_packets, *rx_bytes, *tx_packets, *tx_bytes;
    prometheus::Labels labels;
    std::map<std::string, prometheus::Counter *> drops;
  };

  prometheus::Family<prometheus::Counter> &rx_packets_, &rx_bytes_, &tx_packets_, &tx_bytes_, &drops_;
  VnfSeriesSet<Series> series_;
  std::unordered_map<std::uint64_t, collect::NetworkUsage> last_;  // by cgroup id
};

}  // namespace vnf::metrics
