#pragma once
// Per-VNF CPU bandwidth series, for VNFs with a CPU limit (a CFS quota: without one the kernel
// counts no periods, and cAdvisor too leaves such containers out): vnf_cpu_limit_cores and the
// CFS counters vnf_cpu_cfs_{periods,throttled_periods,throttled_seconds}_total. A VNF made of
// several cgroups reports the sums over its limited ones; its limit only while each has one.

#include <optional>
#include <vector>

#include "cpu/cpu_bandwidth.h"
#include "discover/tracked_vnf.h"
#include "metrics/counter_follower.h"
#include "metrics/registry.h"
#include "metrics/vnf_series.h"

namespace vnf::cpu {

class BandwidthMetrics : public metrics::FamilyWriter {
 public:
  explicit BandwidthMetrics(metrics::Registry &registry);

  void update(const std::vector<discover::TrackedVnf> &vnfs, const CpuBandwidthByCgroup &bandwidth);
  void write(std::string &out) const override;

 private:
  struct Series {
    std::optional<double> limit_cores;  // none where one of the VNF's cgroups has no quota
    std::uint64_t periods, throttled_periods, throttled_ns;  // since the series was created
  };
  using Follower = metrics::CounterFollower<std::uint64_t, 3>;  // periods, throttled, ns

  metrics::VnfSeriesSet<Series> series_;
  Follower follower_;  // by cgroup id
  std::vector<const discover::VnfIdentity *> unlimited_;  // VNFs with a cgroup without a quota, in this update
  metrics::WriterRegistration registration_;
};

}  // namespace vnf::cpu
