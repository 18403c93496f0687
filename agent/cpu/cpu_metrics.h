#pragma once
// Per-VNF CPU series: vnf_cpu_seconds_total, and where the source knows it,
// vnf_cpu_runqueue_wait_seconds_total and vnf_cpu_runqueue_latency_seconds. Counters advance
// by each cgroup's own growth (metrics/counter_follower.h), so a VNF made of several cgroups,
// or one whose sub-cgroup goes away, keeps counting forward.

#include <array>
#include <string>
#include <vector>

#include "cpu/cpu_usage.h"
#include "discover/tracked_vnf.h"
#include "metrics/counter_follower.h"
#include "metrics/registry.h"
#include "metrics/vnf_series.h"

namespace vnf::cpu {

// The probe's log2 slots are exported in factor-4 buckets (2 us, 8 us, ... 524 ms, +Inf): half
// the series per VNF, and still the resolution a latency alert needs.
inline constexpr std::size_t kRunqExportedBuckets = kRunqHistSlots / 2 + 1;

class CpuMetrics : public metrics::FamilyWriter {
 public:
  CpuMetrics(metrics::Registry &registry, bool with_runqueue);

  void update(const std::vector<discover::TrackedVnf> &vnfs, const CpuUsageByCgroup &usage);
  std::size_t series_count() const { return series_.size(); }
  void write(std::string &out) const override;

 private:
  struct Series {  // totals since the series was created
    std::uint64_t cpu_ns;
    std::uint64_t runq_wait_ns;
    std::array<std::uint64_t, kRunqExportedBuckets> runq_waits;  // per bucket, not cumulative
  };
  // cpu_ns, runq_wait_ns, then the histogram's slots
  using Follower = metrics::CounterFollower<std::uint64_t, 2 + kRunqHistSlots>;

  bool with_runqueue_;
  std::vector<std::string> le_;  // the latency buckets' label sets
  metrics::VnfSeriesSet<Series> series_;
  Follower follower_;  // by cgroup id
  metrics::WriterRegistration registration_;
};

}  // namespace vnf::cpu
