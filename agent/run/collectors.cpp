#include "run/collectors.h"

#include <spdlog/spdlog.h>

#include <optional>

#include "bpf/kernel_btf.h"
#include "bpf/kernel_features.h"
#include "bpf/libbpf_logging.h"
#include "cgroupfs/cgroup_paths.h"
#include "cpu/bandwidth_collector.h"
#include "cpu/bandwidth_files.h"
#include "cpu/bandwidth_records.h"
#include "cpu/bpf_cpu_source.h"
#include "cpu/cgroupfs_cpu_source.h"
#include "cpu/cpu_collector.h"
#include "memory/file_counters.h"
#include "memory/iterator_counters.h"
#include "memory/memory_collector.h"
#include "network/network_collector.h"
#include "pressure/pressure_collector.h"
#include "pressure/pressure_files.h"
#include "pressure/pressure_records.h"

namespace vnf::run {
namespace {

// BPF map capacity for a VNF limit: the maps also hold the host's other cgroups.
std::uint32_t map_capacity_for(std::uint32_t max_vnfs) {
  constexpr std::uint32_t kHostCgroupsHeadroom = 1024;
  return max_vnfs * 2 + kHostCgroupsHeadroom;
}

// The kernel's BTF and features where BPF is wanted (not --collector=cgroupfs) and usable;
// nullopt, with `reason` set, where it is not.
struct BpfKernel {
  bpf::KernelBtf btf;
  bpf::KernelFeatures features;
  BpfKernel() : features(bpf::KernelFeatures::detect(btf)) {}
};

void record(Collectors &collectors, std::string feature, std::string source) {
  collectors.features.emplace_back(std::move(feature), std::move(source));
}

// The CPU probe where it loads, unless cgroupfs was asked for. A kernel without what the probe
// needs gets CPU time from cgroupfs and the other probes as usual; a probe that fails on a
// kernel that has it means BPF is not usable here (privileges, a locked-down kernel): with
// --collector=bpf that is an error, otherwise everything comes from cgroupfs (`kernel` reset).
std::unique_ptr<cpu::CpuSource> cpu_source(const config::AgentConfig &config, const cgroupfs::CgroupLayout &layout,
                                           std::optional<BpfKernel> &kernel, std::string &reason) {
  if (kernel) {
    if (auto why = bpf::missing(kernel->features, &bpf::KernelFeatures::task_storage)) {
      spdlog::warn("cpu: CPU time from cgroupfs and no run-queue wait, because {}; the other probes load as usual",
                   *why);
    } else {
      try {
        auto probe = std::make_unique<cpu::CpuProbe>(cpu::CpuProbe::Options{layout.cpu, map_capacity_for(config.max_vnfs)},
                                                     kernel->btf);
        spdlog::info("collector: bpf (scheduler probes{}; cgroups keyed in the {} hierarchy at {})",
                     probe->has_runqueue() ? ", run-queue wait from schedstat" : ", no run-queue wait: no CONFIG_SCHED_INFO",
                     cgroupfs::to_string(layout.cpu), layout.cpu_root.string());
        return std::make_unique<cpu::BpfCpuSource>(std::move(probe));
      } catch (const bpf::ProbeError &e) {
        if (config.collector == "bpf") throw;  // explicitly demanded: do not hide the failure
        kernel.reset();
        reason = e.what();
      }
    }
  }
  auto source = std::make_unique<cpu::CgroupfsCpuSource>(layout);
  if (config.collector == "cgroupfs") spdlog::info("collector: cgroupfs ({})", reason);
  else if (!kernel) spdlog::warn("collector: cgroupfs, because BPF is unavailable: {}", reason);
  return source;
}

std::unique_ptr<memory::MemcgCounters> memcg_counters(const cgroupfs::CgroupLayout &layout, const BpfKernel *kernel,
                                                      std::uint32_t max_cgroups, Collectors &collectors) {
  auto chosen = [&](const char *source) {
    spdlog::info("memory: {} hierarchy at {}; usage and limit from {}", cgroupfs::to_string(layout.memory),
                 layout.memory_root.string(), source);
  };
  if (kernel) {
    if (auto why = bpf::missing(kernel->features, &bpf::KernelFeatures::cgroup_iter)) {
      spdlog::warn("memory: usage and limit from cgroupfs, because {}", *why);
    } else {
      try {
        auto counters = std::make_unique<memory::IteratorCounters>(layout.memory_root,
                                                                   layout.memory_root == layout.cpu_root, max_cgroups);
        chosen("the BPF cgroup iterator");
        record(collectors, "memory", "bpf");
        return counters;
      } catch (const bpf::ProbeError &e) {
        spdlog::warn("memory: usage and limit from cgroupfs, because the cgroup iterator is unavailable: {}", e.what());
      }
    }
  }
  chosen("cgroupfs");
  record(collectors, "memory", "cgroupfs");
  return std::make_unique<memory::FileCounters>(layout.memory);
}

std::unique_ptr<network::NetworkCollector> network_collector(const config::AgentConfig &config,
                                                             const cgroupfs::CgroupLayout &layout,
                                                             const BpfKernel *kernel, metrics::Registry &registry,
                                                             Collectors &collectors) {
  // The agent runs in the host's namespace (the systemd unit; hostNetwork in the DaemonSet).
  network::NetworkCollector::Options options{layout.cpu_root, cgroupfs::inode_of("/proc/self/ns/net").value_or(0),
                                             layout.unified_root, layout.cpu == cgroupfs::CpuAccounting::v2, {}};
  std::unique_ptr<network::NetProbe> probe;
  if (kernel) {
    const auto no_drops = bpf::missing(kernel->features, &bpf::KernelFeatures::drop_reasons);
    try {
      probe = std::make_unique<network::NetProbe>(network::NetProbe::Options{
          map_capacity_for(config.max_vnfs), layout.unified_root, options.host_netns_inode, !no_drops});
      if (!no_drops) options.drop_reasons = network::drop_reason_names(kernel->btf);
      else spdlog::warn("network: no drops by reason, because {}", *no_drops);
      spdlog::info("network: interface counters from /proc/PID/net/dev{}{}", no_drops ? "" : ", drops by reason",
                   probe->socket_counting() ? ", socket probes for host-network VNFs" : "");
    } catch (const bpf::ProbeError &e) {
      spdlog::warn("network: interface counters from /proc/PID/net/dev, but no drops by reason nor host-network "
                   "traffic, because the probe is unavailable: {}", e.what());
    }
  }
  record(collectors, "network_interfaces", "procfs");
  record(collectors, "network_drops", probe && probe->drop_counting() ? "bpf" : "none");
  record(collectors, "host_network_sockets", probe && probe->socket_counting() ? "bpf" : "none");
  return std::make_unique<network::NetworkCollector>(std::move(options), std::move(probe), registry);
}

// Why an iterator probe needing `feature` cannot be used here; nullopt if it can be tried.
std::optional<std::string> iterator_unusable(const BpfKernel *kernel, bool bpf::KernelFeatures::*feature) {
  if (!kernel) return "BPF is not in use";
  if (auto why = bpf::missing(kernel->features, &bpf::KernelFeatures::cgroup_iter)) return why;
  return bpf::missing(kernel->features, feature);
}

// CPU limits and throttling where a cpu controller is mounted: from the CPU bandwidth iterator
// where it loads, else from each cgroup's files.
void add_bandwidth_collector(const cgroupfs::CgroupLayout &layout, const BpfKernel *kernel, std::uint32_t max_cgroups,
                             metrics::Registry &registry, Collectors &collectors) {
  if (layout.bandwidth == cgroupfs::BandwidthAccounting::none) {
    spdlog::warn("cpu_bandwidth: no cpu controller mounted; CPU limits and throttling are off");
    record(collectors, "cpu_bandwidth", "none");
    return;
  }
  const auto where = std::string(cgroupfs::to_string(layout.bandwidth)) + " hierarchy at " + layout.bandwidth_root.string();
  std::unique_ptr<cpu::BandwidthSource> source;
  auto why = iterator_unusable(kernel, &bpf::KernelFeatures::cfs_bandwidth);
  if (!why) {
    try {
      source = std::make_unique<cpu::BandwidthRecords>(layout, max_cgroups);
      spdlog::info("cpu_bandwidth: {}; limits and throttling from the BPF cgroup iterator", where);
      record(collectors, "cpu_bandwidth", "bpf");
    } catch (const bpf::ProbeError &e) {
      why = e.what();
    }
  }
  if (!source) {
    if (kernel) spdlog::warn("cpu_bandwidth: {}; limits and throttling from cgroupfs, because {}", where, *why);
    else spdlog::info("cpu_bandwidth: {}; limits and throttling from cgroupfs", where);
    source = std::make_unique<cpu::BandwidthFiles>(layout);
    record(collectors, "cpu_bandwidth", "cgroupfs");
  }
  collectors.list.push_back(std::make_unique<cpu::BandwidthCollector>(std::move(source), registry));
}

// PSI where the kernel has it (CONFIG_PSI, not booted with psi=0: /proc/pressure is there) and
// a unified hierarchy is mounted, which on hybrid hosts has the files without controllers: from
// the pressure iterator where it loads, else from each cgroup's files.
void add_pressure_collector(const cgroupfs::CgroupLayout &layout, const BpfKernel *kernel, std::uint32_t max_cgroups,
                            metrics::Registry &registry, Collectors &collectors) {
  std::error_code error;
  const bool psi = std::filesystem::exists("/proc/pressure/cpu", error);
  if (!psi || layout.unified_root.empty()) {
    spdlog::warn("pressure: no pressure metrics, because {}",
                 !psi ? "the kernel has no PSI (CONFIG_PSI, or booted with psi=0)" : "no cgroup v2 hierarchy is mounted");
    record(collectors, "pressure", "none");
    return;
  }
  const auto where = "v2 hierarchy at " + layout.unified_root.string();
  std::unique_ptr<pressure::PressureSource> source;
  auto why = iterator_unusable(kernel, &bpf::KernelFeatures::cgroup_psi);
  if (!why) {
    try {
      source = std::make_unique<pressure::PressureRecords>(layout.unified_root, layout.unified_root == layout.cpu_root,
                                                           max_cgroups);
      spdlog::info("pressure: {}; PSI from the BPF cgroup iterator", where);
      record(collectors, "pressure", "bpf");
    } catch (const bpf::ProbeError &e) {
      why = e.what();
    }
  }
  if (!source) {
    if (kernel) spdlog::warn("pressure: {}; PSI from cgroupfs, because {}", where, *why);
    else spdlog::info("pressure: {}; PSI from cgroupfs", where);
    source = std::make_unique<pressure::PressureFiles>(layout.unified_root);
    record(collectors, "pressure", "cgroupfs");
  }
  collectors.list.push_back(std::make_unique<pressure::PressureCollector>(std::move(source), registry));
}

std::unique_ptr<discover::CgroupEvents> cgroup_events(const BpfKernel &kernel) {
  if (auto why = bpf::missing(kernel.features, &bpf::KernelFeatures::ringbuf)) {
    spdlog::warn("discover: no cgroup events, so cgroups are re-walked at every scrape: {}", *why);
    return nullptr;
  }
  try {
    return std::make_unique<discover::CgroupEvents>();
  } catch (const bpf::ProbeError &e) {
    spdlog::warn("discover: no cgroup events, so cgroups are re-walked at every scrape: {}", e.what());
    return nullptr;
  }
}

}  // namespace

Collectors make_collectors(const config::AgentConfig &config, const cgroupfs::CgroupLayout &layout,
                           metrics::Registry &registry) {
  Collectors collectors;
  std::optional<BpfKernel> kernel;
  std::string reason = "requested with --collector=cgroupfs";
  if (config.collector != "cgroupfs") {
    try {
      bpf::route_libbpf_logging();
      bpf::require_kernel_btf();
      kernel.emplace();
    } catch (const bpf::ProbeError &e) {
      if (config.collector == "bpf") throw;
      reason = e.what();
    }
  }
  auto cpu = cpu_source(config, layout, kernel, reason);
  record(collectors, "cpu", std::string(cpu->name()));
  record(collectors, "runqueue", cpu->has_runqueue() ? std::string(cpu->name()) : "none");
  collectors.mode = kernel ? "bpf" : "cgroupfs";
  const BpfKernel *bpf = kernel ? &*kernel : nullptr;
  collectors.list.push_back(std::make_unique<cpu::CpuCollector>(std::move(cpu), registry));
  if (layout.memory == cgroupfs::MemoryAccounting::none) {
    spdlog::warn("memory: no memory controller mounted; memory metrics are off");
    record(collectors, "memory", "none");
  } else {
    auto counters = memcg_counters(layout, bpf, map_capacity_for(config.max_vnfs), collectors);
    collectors.list.push_back(std::make_unique<memory::MemoryCollector>(layout, std::move(counters), registry));
  }
  add_bandwidth_collector(layout, bpf, map_capacity_for(config.max_vnfs), registry, collectors);
  add_pressure_collector(layout, bpf, map_capacity_for(config.max_vnfs), registry, collectors);
  collectors.list.push_back(network_collector(config, layout, bpf, registry, collectors));
  if (bpf) collectors.cgroup_events = cgroup_events(*bpf);
  record(collectors, "cgroup_events", collectors.cgroup_events ? "bpf" : "none");
  return collectors;
}

}  // namespace vnf::run
