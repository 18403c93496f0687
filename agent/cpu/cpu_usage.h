#pragma once
// CPU accounting of one cgroup, as a source reads it: counters since the cgroup (or the probe)
// started, never deltas; and the one interface both sources (the BPF probe, cgroupfs) share.

#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cgroupfs/cgroup_tree.h"
#include "collector/collector.h"
#include "probe_types.h"

namespace vnf::cpu {

inline constexpr std::size_t kRunqHistSlots = VNF_RUNQ_HIST_SLOTS;

struct CpuUsage {
  std::uint64_t cpu_ns = 0;
  std::uint64_t runq_wait_ns = 0;
  std::array<std::uint64_t, kRunqHistSlots> runq_hist{};

  CpuUsage &operator+=(const CpuUsage &other);
};

// Upper bound, in seconds, of run-queue histogram slot `slot` (the last slot is unbounded).
double runq_slot_upper_bound_seconds(std::size_t slot);

// Keyed by the id of a tracked (container) cgroup.
using CpuUsageByCgroup = std::unordered_map<std::uint64_t, CpuUsage>;

class CpuSource {
 public:
  virtual ~CpuSource() = default;
  virtual std::string_view name() const = 0;  // "bpf" or "cgroupfs"
  virtual bool has_runqueue() const = 0;      // whether run-queue wait is measured

  // A new discovery snapshot, whose cgroups are `tree`: lets go of what is kept for cgroups
  // that are gone.
  virtual void on_discovery(const cgroupfs::CgroupTree &tree) = 0;
  // Usage of every cgroup in `tracked` (indexes into tree.nodes()) that still exists,
  // including its descendants. A cgroup that vanished is left out.
  virtual CpuUsageByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) = 0;
  virtual collector::Health health() const = 0;
};

}  // namespace vnf::cpu
