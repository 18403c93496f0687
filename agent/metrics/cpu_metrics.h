#pragma once
// Per-VNF CPU series: vnf_cpu_seconds_total, vnf_cpu_runqueue_wait_seconds_total and
// vnf_cpu_runqueue_latency_seconds. Series follow the live VNFs exactly: added when a VNF is
// first seen, removed in the update after it vanishes, and never decreasing while it lives
// (counters advance by each cgroup's own delta, so a VNF made of several cgroups, or one
// whose sub-cgroup goes away, keeps counting forward).

#include <map>
#include <unordered_map>
#include <vector>

#include "collect/cpu_usage.h"
#include "discover/container_cgroup.h"
#include "metrics/registry.h"

namespace vnf::metrics {

struct TrackedVnf {
  std::uint64_t cgroup_id = 0;
  discover::VnfIdentity identity;
};

class CpuMetrics {
 public:
  explicit CpuMetrics(Registry &registry);

  void update(const std::vector<TrackedVnf> &vnfs, const collect::CpuUsageByCgroup &usage);
  std::size_t series_count() const { return series_.size(); }

 private:
  struct Series {
    prometheus::Counter *cpu = nullptr;
    prometheus::Counter *runq_wait = nullptr;
    prometheus::Histogram *runq_latency = nullptr;
  };
  Series &series_for(const discover::VnfIdentity &identity, bool with_runqueue);
  void remove(const Series &series);

  prometheus::Family<prometheus::Counter> &cpu_;
  prometheus::Family<prometheus::Counter> &runq_wait_;
  prometheus::Family<prometheus::Histogram> &runq_latency_;
  prometheus::Histogram::BucketBoundaries bounds_;
  std::map<discover::VnfIdentity, Series> series_;
  std::unordered_map<std::uint64_t, collect::CpuUsage> last_;  // by cgroup id
};

}  // namespace vnf::metrics
