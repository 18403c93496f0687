#pragma once
// Memory counters from the memcg iterator (bpf/mem.bpf.c): one walk of the memory hierarchy per
// read records each tracked cgroup's usage, limit and OOM kills in its slot; no file per cgroup.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <unordered_map>
#include <vector>

#include "collector/tracked_cgroup_records.h"
#include "memory/memcg_counters.h"
#include "probe_types.h"

struct mem_bpf;

namespace vnf::memory {

class IteratorCounters final : public MemcgCounters {
 public:
  // Loads the iterator with room for `max_cgroups` cgroups and attaches it to the memory
  // hierarchy at `memory_root`; `same_hierarchy`: that is the walked (CPU) one, whose ids need
  // no lookup. Throws bpf::ProbeError.
  IteratorCounters(const std::filesystem::path &memory_root, bool same_hierarchy, std::uint32_t max_cgroups);
  ~IteratorCounters() override;

  void refresh(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) override;
  bool read(const cgroupfs::CgroupNode &node, const std::filesystem::path &dir, MemoryUsage &usage) override;
  void on_discovery(const discover::DiscoverySnapshot &snapshot) override { records_->on_discovery(snapshot); }
  void report(collector::Health &health) const override;

 private:
  using Records = collector::TrackedCgroupRecords<mem_bpf, vnf_memcg_record>;
  std::unique_ptr<Records> records_;
  std::uint64_t page_size_;
  MemoryByCgroup counters_;  // usage, limit and OOM kills as of the last walk
};

}  // namespace vnf::memory
