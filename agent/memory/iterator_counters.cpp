#include "memory/iterator_counters.h"

#include <unistd.h>

#include "mem.skel.h"

namespace vnf::memory {

IteratorCounters::IteratorCounters(const std::filesystem::path &memory_root, bool same_hierarchy,
                                   std::uint32_t max_cgroups)
    : records_(std::make_unique<Records>(
          "the memory cgroup iterator",
          Records::Iterator::Parts{[](mem_bpf &s) { return s.maps.memcg_records; },
                                   [](mem_bpf &s) { return s.maps.record_slots; },
                                   [](mem_bpf &s) { return s.progs.vnf_memcg_dump; }},
          "memcg_records", memory_root, same_hierarchy, max_cgroups)),
      page_size_(static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE))) {}

IteratorCounters::~IteratorCounters() = default;

void IteratorCounters::refresh(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) {
  counters_ = records_->read<MemoryUsage>(tree, tracked, [&](const vnf_memcg_record &r) {
    MemoryUsage usage;
    usage.usage_bytes = r.usage_pages * page_size_;
    if (r.max_pages < unlimited_pages(page_size_)) usage.limit_bytes = r.max_pages * page_size_;
    usage.oom_kills = r.oom_kills;
    return usage;
  });
}

bool IteratorCounters::read(const cgroupfs::CgroupNode &node, const std::filesystem::path &, MemoryUsage &usage) {
  auto it = counters_.find(node.id);
  if (it == counters_.end()) return false;  // not in the memory hierarchy (or just removed)
  usage.usage_bytes = it->second.usage_bytes;
  usage.limit_bytes = it->second.limit_bytes;
  usage.oom_kills = it->second.oom_kills;
  return true;
}

void IteratorCounters::report(collector::Health &health) const {
  auto records = records_->health();
  health.maps.insert(health.maps.end(), records.maps.begin(), records.maps.end());
}

}  // namespace vnf::memory
