#include "cpu/cpu_probe.h"

#include "cpu.skel.h"
#include "probe_types.h"

namespace vnf::cpu {
namespace {

int key_mode(cgroupfs::CpuAccounting accounting) {
  switch (accounting) {
    case cgroupfs::CpuAccounting::v1_cpuacct: return VNF_CGROUP_KEY_V1_CPUACCT;
    case cgroupfs::CpuAccounting::v1_cpu: return VNF_CGROUP_KEY_V1_CPU;
    case cgroupfs::CpuAccounting::v2: break;
  }
  return VNF_CGROUP_KEY_V2;
}

}  // namespace

bool kernel_has_sched_info(const bpf::KernelBtf &btf) { return btf.struct_has_member("task_struct", "sched_info"); }

bool kernel_has_sched_info(const char *btf_path) { return kernel_has_sched_info(bpf::KernelBtf(btf_path)); }

CpuProbe::CpuProbe(const Options &options, const bpf::KernelBtf &btf)
    : skel_("the CPU probe"), has_runqueue_(kernel_has_sched_info(btf)), overflow_(skel_->maps.overflow) {
  skel_->rodata->cgroup_key_mode = key_mode(options.accounting);
  skel_.resize(skel_->maps.cpu_stats, options.max_cgroups);
  skel_.resize(skel_->maps.runq_hist, options.max_cgroups);
  skel_.load();
  skel_.attach("sched_switch/sched_wakeup_new/sched_stat_runtime");
}

CpuProbe::~CpuProbe() = default;

const bpf_map *CpuProbe::cpu_stats() const { return skel_->maps.cpu_stats; }
const bpf_map *CpuProbe::runq_hist() const { return skel_->maps.runq_hist; }

std::vector<bpf::ProgramStats> CpuProbe::program_stats() const { return bpf::program_stats(skel_.object()); }

}  // namespace vnf::cpu
