#pragma once
// The memory probe (bpf/mem.bpf.c): a cgroup iterator attached to one hierarchy's root; each
// walk records every memcg's usage, limit and OOM kills in a hash the agent reads in batches.

#include <cstdint>
#include <filesystem>

#include "bpf/link.h"
#include "bpf/overflow_counters.h"
#include "bpf/skeleton.h"

struct mem_bpf;
struct bpf_map;

namespace vnf::memory {

class MemcgIterator {
 public:
  // Loads the iterator with room for `max_cgroups` records and attaches it to the hierarchy
  // mounted at `hierarchy_root` (v2, or the v1 memory hierarchy). Throws bpf::ProbeError.
  MemcgIterator(const std::filesystem::path &hierarchy_root, std::uint32_t max_cgroups);
  ~MemcgIterator();

  // One walk of the hierarchy; returns its generation, which the records it wrote carry.
  // Throws std::system_error.
  std::uint64_t walk();
  // The memcg_records hash: u64 cgroup id -> struct vnf_memcg_record.
  const bpf_map *records() const;
  // Cgroups a walk could not record because the hash was full, since load.
  std::uint64_t overflow() const;

 private:
  bpf::Skeleton<mem_bpf> skel_;
  bpf::OverflowCounters overflow_;
  bpf::Link link_;
  std::uint64_t generation_ = 0;
};

}  // namespace vnf::memory
