#include "bpf/kernel_features.h"

#include <bpf/libbpf.h>

#include <array>

namespace vnf::bpf {
namespace {

// 0 means the kernel does not know the map type; 1 that it does; < 0 that it could not tell.
bool map_type_known(bpf_map_type type) { return libbpf_probe_bpf_map_type(type, nullptr) != 0; }

struct Requirement {
  bool KernelFeatures::*feature;
  const char *what;
};

constexpr std::array kRequirements{
    Requirement{&KernelFeatures::task_storage, "task storage maps (Linux 5.11)"},
    Requirement{&KernelFeatures::cgroup_iter, "the cgroup iterator (Linux 6.1)"},
    Requirement{&KernelFeatures::drop_reasons, "drop reasons on kfree_skb (Linux 5.17)"},
    Requirement{&KernelFeatures::ringbuf, "ring buffer maps (Linux 5.8)"},
    Requirement{&KernelFeatures::cfs_bandwidth, "CFS bandwidth control (CONFIG_CFS_BANDWIDTH)"},
    Requirement{&KernelFeatures::cgroup_psi, "per-cgroup pressure stall information (CONFIG_PSI)"},
};

}  // namespace

KernelFeatures KernelFeatures::detect(const KernelBtf &btf) {
  KernelFeatures f;
  f.task_storage = map_type_known(BPF_MAP_TYPE_TASK_STORAGE);
  f.ringbuf = map_type_known(BPF_MAP_TYPE_RINGBUF);
  f.cgroup_iter = btf.has_struct("bpf_iter__cgroup");
  f.drop_reasons = !btf.enum_values("skb_drop_reason").empty();
  f.cfs_bandwidth = btf.struct_has_member("cfs_bandwidth", "nr_throttled");
  f.cgroup_psi = btf.struct_has_member("cgroup", "psi") && btf.struct_has_member("psi_group", "total");
  return f;
}

std::optional<std::string> missing(const KernelFeatures &features, bool KernelFeatures::*feature) {
  if (features.*feature) return std::nullopt;
  for (const auto &r : kRequirements)
    if (r.feature == feature) return std::string("this kernel lacks ") + r.what;
  return std::string("this kernel lacks a feature the probe needs");
}

}  // namespace vnf::bpf
