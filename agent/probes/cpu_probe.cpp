#include "probes/cpu_probe.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cpu.skel.h"
#include "probe_types.h"

namespace vnf::probes {
namespace {

std::string describe(int err) {
  err = err < 0 ? -err : err;
  std::string text = std::strerror(err);
  if (err == EPERM || err == EACCES)
    text += " (loading BPF needs root, or CAP_BPF with CAP_PERFMON; use --collector=cgroupfs otherwise)";
  return text;
}

int key_mode(discover::CpuAccounting accounting) {
  switch (accounting) {
    case discover::CpuAccounting::v1_cpuacct: return VNF_CGROUP_KEY_V1_CPUACCT;
    case discover::CpuAccounting::v1_cpu: return VNF_CGROUP_KEY_V1_CPU;
    case discover::CpuAccounting::v2: break;
  }
  return VNF_CGROUP_KEY_V2;
}

}  // namespace

void require_kernel_btf(const char *btf_path) {
  if (access(btf_path, R_OK) != 0)
    throw ProbeError(std::string("kernel BTF not readable at ") + btf_path + ": " + std::strerror(errno) +
                     " (the kernel needs CONFIG_DEBUG_INFO_BTF=y; use --collector=cgroupfs otherwise)");
}

bool kernel_has_sched_info(const char *btf_path) {
  btf *kernel = btf__parse(btf_path, nullptr);
  if (!kernel) return false;
  bool found = false;
  const int id = btf__find_by_name_kind(kernel, "task_struct", BTF_KIND_STRUCT);
  if (id > 0) {
    const btf_type *task = btf__type_by_id(kernel, static_cast<__u32>(id));
    const btf_member *member = btf_members(task);
    for (int i = 0; i < btf_vlen(task) && !found; ++i, ++member)
      found = std::strcmp(btf__name_by_offset(kernel, member->name_off), "sched_info") == 0;
  }
  btf__free(kernel);
  return found;
}

CpuProbe::CpuProbe(const Options &options) {
  require_kernel_btf();
  has_runqueue_ = kernel_has_sched_info();
  skel_ = cpu_bpf::open();
  if (!skel_) throw ProbeError("cannot open the CPU probe: " + describe(errno));
  skel_->rodata->cgroup_key_mode = key_mode(options.accounting);
  int err = bpf_map__set_max_entries(skel_->maps.cpu_stats, options.max_cgroups);
  if (!err) err = bpf_map__set_max_entries(skel_->maps.runq_hist, options.max_cgroups);
  if (!err) err = cpu_bpf::load(skel_);
  if (err) {
    cpu_bpf::destroy(skel_);
    throw ProbeError("cannot load the CPU probe: " + describe(err));
  }
  err = cpu_bpf::attach(skel_);
  if (err) {
    cpu_bpf::destroy(skel_);
    throw ProbeError("cannot attach the CPU probe to sched_switch/sched_wakeup_new/sched_stat_runtime: " +
                     describe(err));
  }
}

CpuProbe::~CpuProbe() { cpu_bpf::destroy(skel_); }

int CpuProbe::cpu_stats_map_fd() const { return bpf_map__fd(skel_->maps.cpu_stats); }
int CpuProbe::runq_hist_map_fd() const { return bpf_map__fd(skel_->maps.runq_hist); }
int CpuProbe::overflow_map_fd() const { return bpf_map__fd(skel_->maps.overflow); }
std::uint32_t CpuProbe::map_capacity() const { return bpf_map__max_entries(skel_->maps.cpu_stats); }

std::vector<ProgramStats> CpuProbe::program_stats() const { return probes::program_stats(skel_->obj); }

}  // namespace vnf::probes
