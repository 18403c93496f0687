#pragma once
// The agent's own health, exported next to the VNF series (vnf_agent_*): which collector
// runs, what each scrape stage costs, errors by component, BPF map fill and overflow, BPF
// program run time and the descriptors kept open.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collector/collector.h"
#include "metrics/counter_follower.h"
#include "metrics/registry.h"

namespace vnf::metrics {

// Where a family of metrics comes from: {feature, source}, e.g. {"memory", "bpf"}.
using FeatureSources = std::vector<std::pair<std::string, std::string>>;

class SelfMetrics {
 public:
  // `collector` is "bpf" or "cgroupfs"; `features` says where each family comes from
  // (vnf_agent_feature); errors are counted by `components`, each from 0 so that its series
  // always exists.
  SelfMetrics(Registry &registry, const std::string &collector, const FeatureSources &features,
              const std::vector<std::string_view> &components);

  void observe_stage(std::string_view stage, double seconds);
  void count_error(std::string_view component, std::uint64_t n = 1);
  void set_tracked_cgroups(std::size_t count);
  void set_vnfs_over_limit(std::size_t count);
  void set_discovery_walks(const std::map<std::string, std::uint64_t> &walks_by_trigger);
  // A collector's health: its maps, programs and descriptors, and its unreadable files as
  // errors of `component`.
  void record(std::string_view component, const collector::Health &health);

 private:
  // Moves a counter forward to a cumulative value kept elsewhere (the kernel, a source).
  void follow(prometheus::Family<prometheus::Counter> &family, const prometheus::Labels &labels, std::uint64_t value,
              double unit = 1);

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
  CounterFollower<std::string> followed_;  // by family and labels
};

}  // namespace vnf::metrics
