#pragma once
// The agent's own health, exported next to the VNF series (vnf_agent_*): which collector
// runs, what each scrape stage costs, errors by component, BPF map fill and overflow, and
// BPF program run time.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "collect/bpf_cpu_source.h"
#include "collect/cgroupfs_files.h"
#include "metrics/registry.h"
#include "probes/cpu_probe.h"

namespace vnf::metrics {

class SelfMetrics {
 public:
  // Components whose errors are counted; each starts at 0 so the series always exist.
  static constexpr std::string_view kComponents[] = {"discover", "collect", "memory", "network"};

  SelfMetrics(Registry &registry, const std::string &collector);

  void observe_stage(std::string_view stage, double seconds);
  void count_error(std::string_view component, std::uint64_t n = 1);
  void set_tracked_cgroups(std::size_t count);
  void set_vnfs_over_limit(std::size_t count);
  void set_map(std::string_view map, const collect::BpfMapStats &stats);
  void set_programs(const std::vector<probes::ProgramStats> &programs);
  void set_discovery_walks(const std::map<std::string, std::uint64_t> &walks_by_trigger);
  void set_open_descriptors(std::string_view kind, const collect::HeldDescriptors &descriptors);

 private:
  // Moves a counter forward to a cumulative value the kernel keeps.
  void follow(prometheus::Family<prometheus::Counter> &family, const prometheus::Labels &labels, double value);

  prometheus::Family<prometheus::Gauge> &stage_seconds_;
  prometheus::Family<prometheus::Counter> &errors_;
  prometheus::Gauge &tracked_cgroups_;
  prometheus::Gauge &vnfs_over_limit_;
  prometheus::Family<prometheus::Gauge> &map_entries_;
  prometheus::Family<prometheus::Gauge> &map_capacity_;
  prometheus::Family<prometheus::Counter> &map_overflow_;
  prometheus::Family<prometheus::Counter> &program_seconds_;
  prometheus::Family<prometheus::Counter> &program_runs_;
  prometheus::Family<prometheus::Counter> &discovery_walks_;
  prometheus::Family<prometheus::Gauge> &open_descriptors_;
  prometheus::Family<prometheus::Gauge> &open_descriptors_limit_;
  std::map<std::pair<const void *, prometheus::Labels>, double> followed_;
};

}  // namespace vnf::metrics
