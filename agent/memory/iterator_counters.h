#pragma once
// Memory counters from the memcg iterator: one walk of the memory hierarchy per read records
// every memcg's usage, limit and OOM kills, read back in batches; no file per cgroup.

#include <memory>
#include <unordered_map>
#include <vector>

#include "bpf/map_reader.h"
#include "cgroupfs/cgroup_paths.h"
#include "memory/memcg_counters.h"
#include "memory/memcg_iterator.h"

namespace vnf::memory {

class IteratorCounters final : public MemcgCounters {
 public:
  // `same_hierarchy`: the memory hierarchy is the walked (CPU) one, whose ids need no lookup.
  IteratorCounters(std::unique_ptr<MemcgIterator> iterator, const std::filesystem::path &memory_root,
                   bool same_hierarchy);

  void refresh() override;
  bool read(const cgroupfs::CgroupNode &node, const std::filesystem::path &dir, MemoryUsage &usage) override;
  // Deletes the records of cgroups the last walks no longer saw.
  void on_discovery(const discover::DiscoverySnapshot &snapshot) override;
  void report(collector::Health &health) const override;

 private:
  struct Counters {
    std::uint64_t usage_pages, max_pages, oom_kills;
  };

  std::unique_ptr<MemcgIterator> iterator_;
  bpf::MapReader records_;
  cgroupfs::CgroupIdsIn memory_ids_;
  std::uint64_t page_size_;
  std::unordered_map<std::uint64_t, Counters> counters_;  // by memory cgroup id, as of the last walk
  std::vector<std::uint64_t> stale_;  // records of cgroups the last walk did not see
};

}  // namespace vnf::memory
