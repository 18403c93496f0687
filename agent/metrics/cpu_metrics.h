#pragma once
// Per-VNF CPU series: vnf_cpu_seconds_total, and where the collector knows it,
// vnf_cpu_runqueue_wait_seconds_total and vnf_cpu_runqueue_latency_seconds. Counters advance
// by each cgroup's own delta, so a VNF made of several cgroups, or one whose sub-cgroup goes
// away, keeps counting forward.

#include <unordered_map>
#include <vector>

#include "collect/cpu_usage.h"
#include "metrics/registry.h"
#include "discover/tracked_vnf.h"
#include "metrics/vnf_series.h"

namespace vnf::metrics {

class CpuMetrics {
 public:
  CpuMetrics(Registry &registry, bool with_runqueue);

  void update(const std::vector<discover::TrackedVnf> &vnfs, const collect::CpuUsageByCgroup &usage);
  std::size_t series_count() const { return series_.size(); }

 private:
  struct Series {
    prometheus::Counter *cpu = nullptr;
    prometheus::Counter *runq_wait = nullptr;
    prometheus::Histogram *runq_latency = nullptr;
  };

  prometheus::Family<prometheus::Counter> &cpu_;
  prometheus::Family<prometheus::Counter> *runq_wait_ = nullptr;
  prometheus::Family<prometheus::Histogram> *runq_latency_ = nullptr;
  prometheus::Histogram::BucketBoundaries bounds_;
  VnfSeriesSet<Series> series_;
  std::unordered_map<std::uint64_t, collect::CpuUsage> last_;  // by cgroup id
};

}  // namespace vnf::metrics
