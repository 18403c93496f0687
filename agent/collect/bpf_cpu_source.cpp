#include "collect/bpf_cpu_source.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <stdexcept>
#include <system_error>

namespace vnf::collect {
namespace {

std::vector<std::uint64_t> tracked_lineage(const discover::CgroupTree &tree, const discover::CgroupNode &node,
                                           const std::vector<bool> &is_tracked) {
  std::vector<std::uint64_t> lineage;
  for (std::size_t i = tree.index_of(node); i != discover::CgroupNode::kNoParent; i = tree.nodes()[i].parent)
    if (is_tracked[i]) lineage.push_back(tree.nodes()[i].id);
  return lineage;
}

}  // namespace

BpfCpuSource::BpfCpuSource(const probes::CpuProbe &probe)
    : probe_(probe),
      ncpus_(possible_cpus()),
      cpu_stats_(probe.cpu_stats_map_fd(), sizeof(vnf_cpu_stats) * static_cast<std::size_t>(ncpus_)),
      runq_hist_(probe.runq_hist_map_fd(), sizeof(vnf_runq_hist)) {}

std::unordered_map<std::uint64_t, CpuUsage> BpfCpuSource::read_maps() {
  std::unordered_map<std::uint64_t, CpuUsage> entries;
  entries.reserve(cpu_stats_entries_ + 16);
  cpu_stats_.for_each([&](std::uint64_t id, const void *value) {
    const auto *per_cpu = static_cast<const vnf_cpu_stats *>(value);
    auto &u = entries[id];
    for (int cpu = 0; cpu < ncpus_; ++cpu) u.cpu_ns += per_cpu[cpu].on_cpu_ns;
  });
  cpu_stats_entries_ = entries.size();
  runq_hist_entries_ = 0;
  runq_hist_.for_each([&](std::uint64_t id, const void *value) {
    const auto *hist = static_cast<const vnf_runq_hist *>(value);
    auto &u = entries[id];
    u.runq_wait_ns += hist->wait_ns;
    for (std::size_t i = 0; i < kRunqHistSlots; ++i) u.runq_hist[i] += hist->slots[i];
    ++runq_hist_entries_;
  });
  return entries;
}

void BpfCpuSource::forget(std::uint64_t cgroup_id) {
  bpf_map_delete_elem(probe_.cpu_stats_map_fd(), &cgroup_id);
  bpf_map_delete_elem(probe_.runq_hist_map_fd(), &cgroup_id);
}

CpuUsageByCgroup BpfCpuSource::read(const discover::CgroupTree &tree, const std::vector<std::size_t> &tracked) {
  std::vector<bool> is_tracked(tree.nodes().size(), false);
  CpuUsageByCgroup usage;
  usage.reserve(tracked.size());
  for (std::size_t index : tracked) {
    is_tracked[index] = true;
    usage[tree.nodes()[index].id];  // present even before its first event
  }

  std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> attributed_to;
  std::unordered_set<std::uint64_t> unknown;
  for (auto &[id, value] : read_maps()) {
    if (const auto *node = tree.find(id)) {
      auto lineage = tracked_lineage(tree, *node, is_tracked);
      for (auto owner : lineage) usage[owner] += value;
      if (!lineage.empty()) attributed_to.emplace(id, std::move(lineage));
      continue;
    }
    if (auto it = attributed_to_.find(id); it != attributed_to_.end()) {
      // Removed since the last read; cgroup ids are never reused, so these values are final.
      for (auto owner : it->second)
        if (tree.find(owner)) retired_[owner] += value;
      forget(id);
    } else if (unknown_.count(id)) {
      forget(id);  // missing from two consecutive walks: created and removed between reads
    } else {
      unknown.insert(id);  // possibly created after this walk: look again next time
    }
  }
  for (auto it = retired_.begin(); it != retired_.end();) {
    auto u = usage.find(it->first);
    if (u == usage.end()) {
      it = retired_.erase(it);  // the container itself is gone
      continue;
    }
    u->second += it->second;
    ++it;
  }
  attributed_to_ = std::move(attributed_to);
  unknown_ = std::move(unknown);
  return usage;
}

BpfMapStats BpfCpuSource::cpu_stats_map() const {
  return {cpu_stats_entries_, probe_.map_capacity(), read_percpu_counter(probe_.overflow_map_fd(), VNF_OVERFLOW_CPU_STATS)};
}

BpfMapStats BpfCpuSource::runq_hist_map() const {
  return {runq_hist_entries_, probe_.map_capacity(), read_percpu_counter(probe_.overflow_map_fd(), VNF_OVERFLOW_RUNQ_HIST)};
}

}  // namespace vnf::collect
