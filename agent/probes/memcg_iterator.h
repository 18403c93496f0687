#pragma once
// The memory probe (bpf/mem.bpf.c): a cgroup iterator attached to one hierarchy's root; each
// walk records every memcg's usage, limit and OOM kills in a hash the agent reads in batches.

#include <cstdint>
#include <filesystem>

#include "probe_types.h"

struct mem_bpf;
struct bpf_link;

namespace vnf::probes {

class MemcgIterator {
 public:
  // Loads the iterator with room for `max_cgroups` records and attaches it to the hierarchy
  // mounted at `hierarchy_root` (v2, or the v1 memory hierarchy). Throws ProbeError.
  MemcgIterator(const std::filesystem::path &hierarchy_root, std::uint32_t max_cgroups);
  ~MemcgIterator();
  MemcgIterator(const MemcgIterator &) = delete;
  MemcgIterator &operator=(const MemcgIterator &) = delete;

  // One walk of the hierarchy; returns its generation, which the records it wrote carry.
  // Throws std::system_error.
  std::uint64_t walk();
  // The memcg_records hash: u64 cgroup id -> struct vnf_memcg_record.
  int records_fd() const;
  std::uint32_t capacity() const;
  // Cgroups a walk could not record because the hash was full, since load.
  std::uint64_t dropped() const;
  int program_fd() const;

 private:
  mem_bpf *skel_ = nullptr;
  bpf_link *link_ = nullptr;
  std::uint64_t generation_ = 0;
};

}  // namespace vnf::probes
