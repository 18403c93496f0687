#pragma once
// Which collectors the agent runs, and on which backend: the BPF probes where they load
// (--collector auto or bpf), else cgroupfs and /proc; each choice said once in the log.

#include <memory>
#include <string>
#include <vector>

#include "cgroupfs/cgroup_layout.h"
#include "collector/collector.h"
#include "config/agent_config.h"
#include "discover/cgroup_events.h"
#include "metrics/registry.h"
#include "metrics/self_metrics.h"

namespace vnf::run {

struct Collectors {
  std::string mode;  // "bpf" where BPF probes are in use, else "cgroupfs" (vnf_agent_build_info)
  // Where each family of metrics comes from (vnf_agent_feature): feature -> bpf, cgroupfs,
  // procfs or none, in the order they were decided.
  metrics::FeatureSources features;
  std::vector<std::unique_ptr<collector::Collector>> list;  // in the order a scrape runs them
  std::unique_ptr<discover::CgroupEvents> cgroup_events;    // null without BPF
};

// Throws bpf::ProbeError when --collector=bpf was asked for and BPF cannot be used at all (no
// BTF, no privilege); a kernel that lacks what one probe needs only moves that probe's metrics.
Collectors make_collectors(const config::AgentConfig &config, const cgroupfs::CgroupLayout &layout,
                           metrics::Registry &registry);

}  // namespace vnf::run
