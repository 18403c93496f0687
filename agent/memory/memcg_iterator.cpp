#include "memory/memcg_iterator.h"

#include "bpf/cgroup_iterator.h"
#include "mem.skel.h"
#include "probe_types.h"

namespace vnf::memory {

MemcgIterator::MemcgIterator(const std::filesystem::path &hierarchy_root, std::uint32_t max_cgroups)
    : skel_("the memory cgroup iterator"), overflow_(skel_->maps.overflow) {
  skel_.resize(skel_->maps.memcg_records, max_cgroups);
  skel_.load();
  link_ = bpf::attach_cgroup_iterator(skel_->progs.vnf_memcg_dump, hierarchy_root, "the memory cgroup iterator");
}

MemcgIterator::~MemcgIterator() = default;

const bpf_map *MemcgIterator::records() const { return skel_->maps.memcg_records; }

std::uint64_t MemcgIterator::overflow() const { return overflow_.lost(VNF_OVERFLOW_MEMCG_RECORDS); }

std::uint64_t MemcgIterator::walk() {
  skel_->bss->walk_generation = ++generation_;  // .bss is mapped into this process
  bpf::run_cgroup_iterator(link_, "the memory cgroup iterator");
  return generation_;
}

}  // namespace vnf::memory
