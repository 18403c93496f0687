#pragma once
// The CPU probe (bpf/cpu.bpf.c): loaded, attached and owned for the agent's lifetime.

#include <cstdint>
#include <vector>

#include "bpf/kernel_btf.h"
#include "bpf/map_fill.h"
#include "bpf/overflow_counters.h"
#include "bpf/program_stats.h"
#include "bpf/skeleton.h"
#include "cgroupfs/cgroup_layout.h"
#include "probe_types.h"

struct cpu_bpf;
struct bpf_map;

namespace vnf::cpu {

class CpuProbe {
 public:
  struct Options {
    cgroupfs::CpuAccounting accounting = cgroupfs::CpuAccounting::v2;  // the hierarchy maps are keyed in
    std::uint32_t max_cgroups = 8192;
  };

  // Opens, loads and attaches the probe; throws bpf::ProbeError.
  CpuProbe(const Options &options, const bpf::KernelBtf &btf);
  ~CpuProbe();

  const bpf_map *cpu_stats() const;  // per-CPU hash: cgroup id -> struct vnf_cpu_stats
  const bpf_map *runq_hist() const;  // hash: cgroup id -> struct vnf_runq_hist
  // What each map lost to being full, since load.
  std::uint64_t overflow(enum vnf_cpu_overflow map) const { return overflow_.lost(map); }
  // Whether runq_hist is filled: the probe reads run-queue wait from the kernel's per-task
  // schedstat counters, which exist only with CONFIG_SCHED_INFO.
  bool has_runqueue() const { return has_runqueue_; }
  std::vector<bpf::ProgramStats> program_stats() const;

 private:
  bpf::Skeleton<cpu_bpf> skel_;
  bool has_runqueue_ = false;
  bpf::OverflowCounters overflow_;
};

// Whether the kernel keeps per-task schedstat counters (task_struct.sched_info,
// CONFIG_SCHED_INFO): the same test the probe's CO-RE makes at load.
bool kernel_has_sched_info(const bpf::KernelBtf &btf);
bool kernel_has_sched_info(const char *btf_path = bpf::kKernelBtf);

}  // namespace vnf::cpu
