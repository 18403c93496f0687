#pragma once
// The CPU probe (bpf/cpu.bpf.c): loaded, attached and owned for the agent's lifetime.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "discover/cgroup_layout.h"
#include "probes/program_stats.h"

struct cpu_bpf;

namespace vnf::probes {

// Why a probe could not be loaded, in words an operator can act on.
class ProbeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CpuProbe {
 public:
  struct Options {
    discover::CpuAccounting accounting = discover::CpuAccounting::v2;
    std::uint32_t max_cgroups = 8192;
  };

  // Opens, loads and attaches the probe; throws ProbeError.
  explicit CpuProbe(const Options &options);
  ~CpuProbe();
  CpuProbe(const CpuProbe &) = delete;
  CpuProbe &operator=(const CpuProbe &) = delete;

  int cpu_stats_map_fd() const;
  int runq_hist_map_fd() const;
  int overflow_map_fd() const;
  std::uint32_t map_capacity() const;  // entries of cpu_stats and of runq_hist
  // Whether runq_hist is filled: the probe reads run-queue wait from the kernel's per-task
  // schedstat counters, which exist only with CONFIG_SCHED_INFO.
  bool has_runqueue() const { return has_runqueue_; }
  std::vector<ProgramStats> program_stats() const;

 private:
  cpu_bpf *skel_ = nullptr;
  bool has_runqueue_ = false;
};

inline constexpr const char *kKernelBtf = "/sys/kernel/btf/vmlinux";

// Throws ProbeError if this kernel cannot run CO-RE probes at all (no BTF at `btf_path`).
void require_kernel_btf(const char *btf_path = kKernelBtf);

// Whether the kernel described by the BTF at `btf_path` keeps per-task schedstat counters
// (task_struct.sched_info, CONFIG_SCHED_INFO): the same test the probe's CO-RE makes at load.
bool kernel_has_sched_info(const char *btf_path = kKernelBtf);

}  // namespace vnf::probes
