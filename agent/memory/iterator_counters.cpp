#include "memory/iterator_counters.h"

#include <bpf/bpf.h>
#include <unistd.h>

#include "probe_types.h"

namespace vnf::memory {

IteratorCounters::IteratorCounters(std::unique_ptr<MemcgIterator> iterator, const std::filesystem::path &memory_root,
                                   bool same_hierarchy)
    : iterator_(std::move(iterator)),
      records_(iterator_->records()),
      memory_ids_(memory_root, same_hierarchy),
      page_size_(static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE))) {}

void IteratorCounters::refresh() {
  const auto generation = iterator_->walk();
  counters_.clear();
  stale_.clear();
  records_.for_each([&](std::uint64_t id, const void *value) {
    const auto *r = static_cast<const vnf_memcg_record *>(value);
    if (r->generation == generation) counters_.emplace(id, Counters{r->usage_pages, r->max_pages, r->oom_kills});
    else stale_.push_back(id);
  });
}

bool IteratorCounters::read(const cgroupfs::CgroupNode &node, const std::filesystem::path &, MemoryUsage &usage) {
  auto id = memory_ids_.id_of(node);
  auto it = id ? counters_.find(*id) : counters_.end();
  if (it == counters_.end()) return false;  // not in the memory hierarchy (or just removed)
  usage.usage_bytes = it->second.usage_pages * page_size_;
  if (it->second.max_pages < unlimited_pages(page_size_)) usage.limit_bytes = it->second.max_pages * page_size_;
  usage.oom_kills = it->second.oom_kills;
  return true;
}

void IteratorCounters::on_discovery(const discover::DiscoverySnapshot &snapshot) {
  for (auto id : stale_) bpf_map_delete_elem(records_.fd(), &id);
  stale_.clear();
  memory_ids_.retain(snapshot.tree, snapshot.tracked);
}

void IteratorCounters::report(collector::Health &health) const {
  health.maps.push_back({"memcg_records", counters_.size(), records_.capacity(), iterator_->overflow()});
}

}  // namespace vnf::memory
