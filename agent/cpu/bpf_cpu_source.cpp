#include "cpu/bpf_cpu_source.h"

#include <bpf/bpf.h>

#include "bpf/per_cpu.h"

namespace vnf::cpu {
namespace {

std::vector<std::uint64_t> tracked_lineage(const cgroupfs::CgroupTree &tree, const cgroupfs::CgroupNode &node,
                                           const std::vector<bool> &is_tracked) {
  std::vector<std::uint64_t> lineage;
  for (std::size_t i = tree.index_of(node); i != cgroupfs::CgroupNode::kNoParent; i = tree.nodes()[i].parent)
    if (is_tracked[i]) lineage.push_back(tree.nodes()[i].id);
  return lineage;
}

void add_hist(CpuUsage &usage, const vnf_runq_hist &hist) {
  usage.runq_wait_ns += hist.wait_ns;
  for (std::size_t i = 0; i < kRunqHistSlots; ++i) usage.runq_hist[i] += hist.slots[i];
}

}  // namespace

BpfCpuSource::BpfCpuSource(std::unique_ptr<CpuProbe> probe)
    : probe_(std::move(probe)),
      ncpus_(bpf::possible_cpus()),
      cpu_stats_(probe_->cpu_stats()),
      runq_hist_(probe_->runq_hist()) {}

std::unordered_map<std::uint64_t, CpuUsage> BpfCpuSource::read_maps() {
  std::unordered_map<std::uint64_t, CpuUsage> entries;
  entries.reserve(cpu_stats_entries_ + 16);
  cpu_stats_.for_each([&](std::uint64_t id, const void *value) {
    entries[id].cpu_ns += bpf::sum_per_cpu<vnf_cpu_stats>(value, ncpus_).on_cpu_ns;
  });
  cpu_stats_entries_ = entries.size();
  runq_hist_entries_ = 0;
  runq_hist_.for_each([&](std::uint64_t id, const void *value) {
    add_hist(entries[id], *static_cast<const vnf_runq_hist *>(value));
    ++runq_hist_entries_;
  });
  return entries;
}

std::optional<CpuUsage> BpfCpuSource::read_entry(std::uint64_t cgroup_id) const {
  std::vector<unsigned char> value(cpu_stats_.value_bytes());
  std::optional<CpuUsage> usage;
  if (cpu_stats_.lookup(&cgroup_id, value.data()))
    usage.emplace().cpu_ns = bpf::sum_per_cpu<vnf_cpu_stats>(value.data(), ncpus_).on_cpu_ns;
  vnf_runq_hist hist;
  if (runq_hist_.lookup(&cgroup_id, &hist)) {
    if (!usage) usage.emplace();
    add_hist(*usage, hist);
  }
  return usage;
}

void BpfCpuSource::delete_entry(std::uint64_t cgroup_id) {
  bpf_map_delete_elem(cpu_stats_.fd(), &cgroup_id);
  bpf_map_delete_elem(runq_hist_.fd(), &cgroup_id);
}

void BpfCpuSource::on_discovery(const cgroupfs::CgroupTree &tree) {
  for (auto it = attributed_to_.begin(); it != attributed_to_.end();) {
    if (tree.find(it->first)) {
      ++it;
      continue;
    }
    if (auto final_value = read_entry(it->first))
      for (auto owner : it->second)
        if (tree.find(owner)) retired_[owner] += *final_value;
    delete_entry(it->first);
    it = attributed_to_.erase(it);
  }
  // Cgroups created and removed between two walks: nothing to attribute them to.
  for (auto id : unknown_)
    if (!tree.find(id)) delete_entry(id);
  unknown_.clear();
}

CpuUsageByCgroup BpfCpuSource::read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) {
  std::vector<bool> is_tracked(tree.nodes().size(), false);
  CpuUsageByCgroup usage;
  usage.reserve(tracked.size());
  for (std::size_t index : tracked) {
    is_tracked[index] = true;
    usage[tree.nodes()[index].id];  // present even before its first event
  }
  attributed_to_.clear();
  for (auto &[id, value] : read_maps()) {
    const auto *node = tree.find(id);
    if (!node) {
      unknown_.insert(id);  // created after this walk, or removed since: the next walk tells
      continue;
    }
    auto lineage = tracked_lineage(tree, *node, is_tracked);
    for (auto owner : lineage) usage[owner] += value;
    if (!lineage.empty()) attributed_to_.emplace(id, std::move(lineage));
  }
  for (auto it = retired_.begin(); it != retired_.end();) {
    auto u = usage.find(it->first);
    if (u == usage.end()) {
      it = retired_.erase(it);  // the container itself is no longer tracked
      continue;
    }
    u->second += it->second;
    ++it;
  }
  return usage;
}

collector::Health BpfCpuSource::health() const {
  collector::Health health;
  health.maps = {{"cpu_stats", cpu_stats_entries_, cpu_stats_.capacity(), probe_->overflow(VNF_OVERFLOW_CPU_STATS)},
                 {"runq_hist", runq_hist_entries_, runq_hist_.capacity(), probe_->overflow(VNF_OVERFLOW_RUNQ_HIST)}};
  health.programs = probe_->program_stats();
  return health;
}

}  // namespace vnf::cpu
