#pragma once
// The memory probe (bpf/mem.bpf.c): a cgroup iterator attached to one hierarchy's root; each
// read() walks the hierarchy in the kernel and returns every memcg's usage and limit.

#include <filesystem>
#include <vector>

#include "probe_types.h"

struct mem_bpf;
struct bpf_link;

namespace vnf::probes {

class MemcgIterator {
 public:
  // Loads the iterator and attaches it to the hierarchy mounted at `hierarchy_root` (v2, or the
  // v1 memory hierarchy). Throws ProbeError.
  explicit MemcgIterator(const std::filesystem::path &hierarchy_root);
  ~MemcgIterator();
  MemcgIterator(const MemcgIterator &) = delete;
  MemcgIterator &operator=(const MemcgIterator &) = delete;

  // One walk of the hierarchy, pre-order. Throws std::system_error.
  std::vector<vnf_memcg_record> read() const;
  int program_fd() const;

 private:
  mem_bpf *skel_ = nullptr;
  bpf_link *link_ = nullptr;
};

}  // namespace vnf::probes
