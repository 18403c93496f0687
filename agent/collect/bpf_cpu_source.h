#pragma once
// CPU usage from the CPU probe's maps: cgroup ids are summed over CPUs and rolled up into the
// tracked container cgroups they belong to (a container's sub-cgroups included).

#include <unordered_map>
#include <unordered_set>

#include "collect/bpf_map_reader.h"
#include "collect/cpu_usage.h"
#include "probes/cpu_probe.h"

namespace vnf::collect {

struct BpfMapStats {
  std::uint64_t entries = 0;
  std::uint64_t capacity = 0;
  std::uint64_t overflow = 0;  // events lost because the map was full
};

class BpfCpuSource final : public CpuSource {
 public:
  explicit BpfCpuSource(const probes::CpuProbe &probe);

  bool has_runqueue() const override { return probe_.has_runqueue(); }
  std::string_view name() const override { return "bpf"; }
  CpuUsageByCgroup read(const discover::CgroupTree &tree, const std::vector<std::size_t> &tracked) override;

  BpfMapStats cpu_stats_map() const;
  BpfMapStats runq_hist_map() const;

 private:
  std::unordered_map<std::uint64_t, CpuUsage> read_maps();
  void forget(std::uint64_t cgroup_id);

  const probes::CpuProbe &probe_;
  int ncpus_;
  BpfMapReader cpu_stats_;
  BpfMapReader runq_hist_;
  std::uint64_t cpu_stats_entries_ = 0;
  std::uint64_t runq_hist_entries_ = 0;
  // Tracked cgroups each map key was attributed to at the last read: when a sub-cgroup is
  // removed, its time is kept by the containers that are still alive.
  std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> attributed_to_;
  std::unordered_map<std::uint64_t, CpuUsage> retired_;  // by tracked cgroup id
  std::unordered_set<std::uint64_t> unknown_;            // keys missing from the last walk
};

}  // namespace vnf::collect
