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

namespace vnf::run {

struct Collectors {
  std::string mode;  // "bpf" where the CPU probe loaded, else "cgroupfs" (vnf_agent_build_info)
  std::vector<std::unique_ptr<collector::Collector>> list;  // in the order a scrape runs them
  std::unique_ptr<discover::CgroupEvents> cgroup_events;    // null without BPF
};

// Throws bpf::ProbeError when --collector=bpf was asked for and the CPU probe cannot load.
Collectors make_collectors(const config::AgentConfig &config, const cgroupfs::CgroupLayout &layout,
                           metrics::Registry &registry);

}  // namespace vnf::run
