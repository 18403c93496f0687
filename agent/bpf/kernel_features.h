#pragma once
// What this kernel offers the probes, asked before loading them: a probe whose kernel lacks
// something it needs is not loaded at all, and only its metrics come from elsewhere (a
// documented fallback, see docs/compatibility.md), while every other probe loads as usual.

#include <optional>
#include <string>

#include "bpf/kernel_btf.h"

namespace vnf::bpf {

struct KernelFeatures {
  bool task_storage = true;  // BPF_MAP_TYPE_TASK_STORAGE (5.11): the CPU probe's per-task marks
  bool cgroup_iter = true;   // iter/cgroup (6.1): the memory probe
  bool drop_reasons = true;  // kfree_skb with enum skb_drop_reason (5.17): drops by reason
  bool ringbuf = true;       // BPF_MAP_TYPE_RINGBUF (5.8): cgroup events
  bool cfs_bandwidth = true; // CONFIG_CFS_BANDWIDTH: the CPU bandwidth iterator's counters
  bool cgroup_psi = true;    // CONFIG_PSI, a struct psi_group per cgroup: the pressure iterator

  // Asks the kernel (map types are probed by creating one) and its BTF. A map-type probe
  // that fails for another reason (no privilege) counts as present: loading then says why.
  static KernelFeatures detect(const KernelBtf &btf);
};

// Why a probe needing `feature` cannot load on this kernel, for logs; nullopt if it can.
std::optional<std::string> missing(const KernelFeatures &features, bool KernelFeatures::*feature);

}  // namespace vnf::bpf
