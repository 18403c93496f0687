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
#include "discover/tracked_vnf.h"
#include "metrics/registry.h"
#include "metrics/vnf_series.h"

namespace vnf::metrics {

class NetworkMetrics : public FamilyWriter {
 public:
  explicit NetworkMetrics(Registry &registry);
  ~NetworkMetrics() override;
  NetworkMetrics(const NetworkMetrics &) = delete;
  NetworkMetrics &operator=(const NetworkMetrics &) = delete;

  void update(const std::vector<discover::TrackedVnf> &vnfs, const collect::NetworkByCgroup &network);
  void write(std::string &out) const override;

 private:
  struct Series {  // totals since the series was created
    collect::NetworkTraffic traffic;
    std::map<std::string, std::uint64_t> drops;  // by the reason's label set (reason="...")
  };

  Registry &registry_;
  VnfSeriesSet<Series> series_;
  std::unordered_map<std::uint64_t, collect::NetworkUsage> last_;  // by cgroup id
};

}  // namespace vnf::metrics
