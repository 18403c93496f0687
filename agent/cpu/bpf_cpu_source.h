#pragma once
// CPU usage from the CPU probe's maps: cgroup ids are summed over CPUs and rolled up into the
// tracked container cgroups they belong to (a container's sub-cgroups included).

#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bpf/map_reader.h"
#include "cpu/cpu_probe.h"
#include "cpu/cpu_usage.h"

namespace vnf::cpu {

class BpfCpuSource final : public CpuSource {
 public:
  explicit BpfCpuSource(std::unique_ptr<CpuProbe> probe);

  std::string_view name() const override { return "bpf"; }
  bool has_runqueue() const override { return probe_->has_runqueue(); }
  // Entries of cgroups removed since the last read are final (cgroup ids are never reused):
  // their values go to the containers they were part of, and the entries are deleted.
  void on_discovery(const cgroupfs::CgroupTree &tree) override;
  CpuUsageByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) override;
  collector::Health health() const override;

 private:
  std::unordered_map<std::uint64_t, CpuUsage> read_maps();
  std::optional<CpuUsage> read_entry(std::uint64_t cgroup_id) const;
  void delete_entry(std::uint64_t cgroup_id);

  std::unique_ptr<CpuProbe> probe_;
  int ncpus_;
  bpf::MapReader cpu_stats_;
  bpf::MapReader runq_hist_;
  std::uint64_t cpu_stats_entries_ = 0;
  std::uint64_t runq_hist_entries_ = 0;
  // The tracked cgroups each map key was attributed to at the last read, so that when a
  // sub-cgroup is removed its time stays with the containers that are still alive.
  std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> attributed_to_;
  std::unordered_map<std::uint64_t, CpuUsage> retired_;  // by tracked cgroup id
  std::unordered_set<std::uint64_t> unknown_;            // keys read since the last walk, not in it
};

}  // namespace vnf::cpu
