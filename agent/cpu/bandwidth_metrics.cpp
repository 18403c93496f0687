#include "cpu/bandwidth_metrics.h"

namespace vnf::cpu {
namespace {

using metrics::FamilyInfo;
using prometheus::MetricType;

const FamilyInfo kLimit{"vnf_cpu_limit_cores",
                        "CPU limit of the VNF's cgroup in cores (CFS quota / period); absent when unlimited.",
                        MetricType::Gauge};
const FamilyInfo kPeriods{"vnf_cpu_cfs_periods_total",
                          "CFS bandwidth enforcement periods in which the VNF had runnable tasks.",
                          MetricType::Counter};
const FamilyInfo kThrottledPeriods{"vnf_cpu_cfs_throttled_periods_total",
                                   "CFS bandwidth periods in which the VNF used up its quota and was throttled.",
                                   MetricType::Counter};
const FamilyInfo kThrottledSeconds{"vnf_cpu_cfs_throttled_seconds_total",
                                   "Time the VNF's tasks were held back by its CPU quota, in seconds.",
                                   MetricType::Counter};

}  // namespace

BandwidthMetrics::BandwidthMetrics(metrics::Registry &registry)
    : registration_(registry, {kLimit, kPeriods, kThrottledPeriods, kThrottledSeconds}, *this) {}

void BandwidthMetrics::update(const std::vector<discover::TrackedVnf> &vnfs, const CpuBandwidthByCgroup &bandwidth) {
  unlimited_.clear();
  for (const auto &vnf : vnfs) {
    auto it = bandwidth.find(vnf.cgroup_id);
    if (it == bandwidth.end() || !it->second.limit_cores) {  // no quota, no bandwidth control, or gone
      follower_.keep(vnf.cgroup_id);
      unlimited_.push_back(&vnf.identity);
      continue;
    }
    const auto &b = it->second;
    auto [s, first] = series_.touch_first(vnf.identity);
    s.limit_cores = (first ? 0 : s.limit_cores.value_or(0)) + *b.limit_cores;
    const auto growth = follower_.advance(vnf.cgroup_id, {b.periods, b.throttled_periods, b.throttled_ns});
    s.periods += growth[0];
    s.throttled_periods += growth[1];
    s.throttled_ns += growth[2];
  }
  // A VNF of several cgroups, not all of them limited: its counters stay, it has no limit.
  for (const auto *identity : unlimited_)
    if (auto *s = series_.touched(*identity)) s->limit_cores.reset();
  series_.sweep();
  follower_.sweep();
}

void BandwidthMetrics::write(std::string &out) const {
  series_.write_values(out, kLimit, [](const Series &s) { return s.limit_cores; });
  series_.write_values(out, kPeriods, [](const Series &s) { return s.periods; });
  series_.write_values(out, kThrottledPeriods, [](const Series &s) { return s.throttled_periods; });
  series_.write_values(out, kThrottledSeconds, [](const Series &s) { return static_cast<double>(s.throttled_ns) / 1e9; });
}

}  // namespace vnf::cpu
