#pragma once
// Per-container memory: usage, limit and OOM kills from the memcg counters (the iterator's
// records or each cgroup's files); then, in both modes, from memory.stat what only it has
// exactly: working set, rss and cache. (The kernel keeps those in per-memcg arrays whose index
// layout is private to each kernel build, so a BPF program cannot read them portably.)

#include <memory>
#include <string>
#include <vector>

#include "cgroupfs/cgroup_files.h"
#include "cgroupfs/cgroup_layout.h"
#include "memory/memcg_counters.h"
#include "memory/memory_usage.h"

namespace vnf::memory {

class MemorySource {
 public:
  MemorySource(const cgroupfs::CgroupLayout &layout, std::unique_ptr<MemcgCounters> counters);

  // `tree` is the CPU hierarchy's; containers sit at the same relative paths in the memory one.
  MemoryByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked);
  void on_discovery(const discover::DiscoverySnapshot &snapshot) { counters_->on_discovery(snapshot); }
  collector::Health health() const;

 private:
  bool read_stat_file(const std::filesystem::path &dir, MemoryUsage &usage);

  std::filesystem::path root_;
  cgroupfs::MemoryAccounting flavour_;
  std::unique_ptr<MemcgCounters> counters_;
  std::uint64_t read_errors_ = 0;
  std::string content_;
  cgroupfs::OpenCgroupFiles stat_files_;  // memory.stat of every tracked cgroup, kept open
};

}  // namespace vnf::memory
