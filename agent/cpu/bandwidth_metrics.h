#pragma once
// Per-VNF CPU bandwidth series: vnf_cpu_limit_cores (while a quota is set) and the CFS
// counters vnf_cpu_cfs_{periods,throttled_periods,throttled_seconds}_total. A VNF made of
// several cgroups reports their sum; its limit only while each of them has one.

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
    std::optional<double> limit_cores;
    bool limited;  // every cgroup of the VNF seen so far in this update has a quota
    std::uint64_t periods, throttled_periods, throttled_ns;  // since the series was created
  };
  using Follower = metrics::CounterFollower<std::uint64_t, 3>;  // periods, throttled, ns

  metrics::VnfSeriesSet<Series> series_;
  Follower follower_;  // by cgroup id
  metrics::WriterRegistration registration_;
};

}  // namespace vnf::cpu
