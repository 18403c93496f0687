#include "metrics/self_metrics.h"

#include "version.h"

namespace vnf::metrics {

SelfMetrics::SelfMetrics(Registry &registry, const std::string &collector, const FeatureSources &features,
                         const std::vector<std::string_view> &components)
    : stage_seconds_(registry.gauge("vnf_agent_scrape_duration_seconds",
                                    "Time the last scrape spent in each stage, in seconds.")),
      errors_(registry.counter("vnf_agent_scrape_errors_total",
                               "Errors met while serving scrapes, by component.")),
      tracked_cgroups_(registry.gauge("vnf_agent_tracked_cgroups",
                                      "Container cgroups the agent currently exports series for.").Add({})),
      vnfs_over_limit_(registry.gauge("vnf_agent_vnfs_over_limit",
                                      "Container cgroups recognised but not exported because --max-vnfs was reached.")
                           .Add({})),
      map_entries_(registry.gauge("vnf_agent_bpf_map_entries", "Entries in a BPF map at the last scrape.")),
      map_capacity_(registry.gauge("vnf_agent_bpf_map_capacity", "Maximum entries of a BPF map.")),
      map_overflow_(registry.counter("vnf_agent_bpf_map_overflow_total",
                                     "Kernel events not counted because a BPF map was full.")),
      program_seconds_(registry.counter("vnf_agent_bpf_program_run_seconds_total",
                                        "Time spent running a BPF program, in seconds (needs kernel.bpf_stats_enabled=1).")),
      program_runs_(registry.counter("vnf_agent_bpf_program_runs_total",
                                     "Runs of a BPF program (needs kernel.bpf_stats_enabled=1).")),
      discovery_walks_(registry.counter("vnf_agent_discovery_walks_total",
                                        "Walks of the cgroup hierarchy, by trigger: event, reader, resync, start.")),
      open_descriptors_(registry.gauge("vnf_agent_open_descriptors",
                                       "Descriptors kept open between scrapes, by kind: memory_stat files, pidfds.")),
      open_descriptors_limit_(registry.gauge("vnf_agent_open_descriptors_limit",
                                             "The most descriptors of a kind the agent keeps open; at the limit it "
                                             "falls back to a slower path.")) {
  registry
      .gauge("vnf_agent_build_info", "Build and runtime facts of the agent; always 1.")
      .Add({{"version", kVersion}, {"revision", kRevision}, {"collector", collector}})
      .Set(1);
  auto &feature = registry.gauge("vnf_agent_feature",
                                 "Where a family of metrics comes from on this kernel: bpf, cgroupfs, procfs or none "
                                 "(docs/compatibility.md); always 1.");
  for (const auto &[name, source] : features) feature.Add({{"feature", name}, {"source", source}}).Set(1);
  for (auto component : components) errors_.Add({{"component", std::string(component)}});
}

void SelfMetrics::observe_stage(std::string_view stage, double seconds) {
  stage_seconds_.Add({{"stage", std::string(stage)}}).Set(seconds);
}

void SelfMetrics::count_error(std::string_view component, std::uint64_t n) {
  errors_.Add({{"component", std::string(component)}}).Increment(static_cast<double>(n));
}

void SelfMetrics::set_tracked_cgroups(std::size_t count) { tracked_cgroups_.Set(static_cast<double>(count)); }

void SelfMetrics::set_vnfs_over_limit(std::size_t count) { vnfs_over_limit_.Set(static_cast<double>(count)); }

void SelfMetrics::follow(prometheus::Family<prometheus::Counter> &family, const prometheus::Labels &labels,
                         std::uint64_t value, double unit) {
  std::string key = family.GetName();
  for (const auto &[name, label] : labels) key.append(1, '\0').append(name).append(1, '\0').append(label);
  if (auto growth = followed_.advance(key, value)) family.Add(labels).Increment(static_cast<double>(growth) * unit);
  else family.Add(labels);
}

void SelfMetrics::set_discovery_walks(const std::map<std::string, std::uint64_t> &walks_by_trigger) {
  for (const auto &[trigger, n] : walks_by_trigger) follow(discovery_walks_, {{"trigger", trigger}}, n);
}

void SelfMetrics::record(std::string_view component, const collector::Health &health) {
  for (const auto &m : health.maps) {
    const prometheus::Labels labels{{"map", m.map}};
    map_entries_.Add(labels).Set(static_cast<double>(m.entries));
    map_capacity_.Add(labels).Set(static_cast<double>(m.capacity));
    follow(map_overflow_, labels, m.overflow);
  }
  for (const auto &p : health.programs) {
    const prometheus::Labels labels{{"program", p.name}};
    follow(program_seconds_, labels, p.run_time_ns, 1e-9);
    follow(program_runs_, labels, p.run_count);
  }
  for (const auto &[kind, descriptors] : health.descriptors) {
    const prometheus::Labels labels{{"kind", kind}};
    open_descriptors_.Add(labels).Set(static_cast<double>(descriptors.held));
    open_descriptors_limit_.Add(labels).Set(static_cast<double>(descriptors.limit));
  }
  follow(errors_, {{"component", std::string(component)}}, health.unreadable_files);
}

}  // namespace vnf::metrics
