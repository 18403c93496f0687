#pragma once
// Where a memory cgroup's usage, limit and OOM kills come from: the memcg iterator's records
// (one walk for every tracked cgroup) or each cgroup's own files.

#include <filesystem>
#include <vector>

#include "cgroupfs/cgroup_tree.h"
#include "collector/collector.h"
#include "memory/memory_usage.h"

namespace vnf::memory {

class MemcgCounters {
 public:
  virtual ~MemcgCounters() = default;

  // Once per read, before the cgroups of `tracked` (indexes into tree.nodes()) are asked for.
  virtual void refresh(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) = 0;
  // Sets usage_bytes, limit_bytes and oom_kills of `node`, whose directory in the memory
  // hierarchy is `dir`; false if it is not there (removed, or not in the memory hierarchy).
  virtual bool read(const cgroupfs::CgroupNode &node, const std::filesystem::path &dir, MemoryUsage &usage) = 0;
  virtual void on_discovery(const discover::DiscoverySnapshot &snapshot) = 0;
  // Adds its maps and unreadable files to `health`.
  virtual void report(collector::Health &health) const = 0;
};

}  // namespace vnf::memory
