#pragma once
// Per-container memory: usage, limit and OOM kills from the memcg iterator (one read for every
// cgroup) or, in cgroupfs mode, from memory.current/memory.max/memory.events (v2) or
// memory.usage_in_bytes/memory.limit_in_bytes/memory.oom_control (v1); then, in both modes,
// from memory.stat what only it has exactly: working set, rss and cache. (The kernel keeps
// those in per-memcg arrays whose index layout is private to each kernel build, so a BPF
// program cannot read them portably.)

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "collect/bpf_cpu_source.h"
#include "collect/cgroupfs_files.h"
#include "discover/cgroup_layout.h"
#include "discover/cgroup_tree.h"
#include "probes/memcg_iterator.h"

namespace vnf::collect {

struct MemoryUsage {
  std::uint64_t usage_bytes = 0;
  std::optional<std::uint64_t> limit_bytes;  // none when unlimited
  std::uint64_t working_set_bytes = 0;       // usage minus inactive file pages
  std::uint64_t rss_bytes = 0;               // anonymous memory
  std::uint64_t cache_bytes = 0;             // file pages
  std::uint64_t oom_kills = 0;
};

// Keyed by the tracked cgroup's id in the CPU hierarchy (the id its VNF is tracked by).
using MemoryByCgroup = std::unordered_map<std::uint64_t, MemoryUsage>;

// What memory.stat holds, by the names of the hierarchy's flavour (v2: anon/file/
// inactive_file; v1: the hierarchical total_rss/total_cache/total_inactive_file).
struct MemoryStat {
  std::uint64_t rss = 0, cache = 0, inactive_file = 0;
};
std::optional<MemoryStat> parse_memory_stat(std::string_view content, discover::MemoryAccounting flavour);

// A v2 memory.max or v1 memory.limit_in_bytes value; nullopt when unlimited.
std::optional<std::uint64_t> parse_memory_limit(std::string_view content, std::uint64_t page_size);

class MemorySource {
 public:
  // `iterator` may be null: usage and limit then come from cgroupfs files.
  MemorySource(const discover::CgroupLayout &layout, std::unique_ptr<probes::MemcgIterator> iterator);

  bool uses_bpf() const { return iterator_ != nullptr; }
  // `tree` is the CPU hierarchy's; containers sit at the same relative paths in the memory one.
  MemoryByCgroup read(const discover::CgroupTree &tree, const std::vector<std::size_t> &tracked);
  std::uint64_t read_errors() const { return read_errors_; }
  // The iterator's record map, as of the last read (none in cgroupfs mode).
  std::vector<std::pair<std::string, BpfMapStats>> map_stats() const;
  HeldDescriptors stat_files() const { return stat_files_.held(); }

 private:
  struct Counters {
    std::uint64_t usage_pages, max_pages, oom_kills;
  };
  std::unordered_map<std::uint64_t, Counters> iterate();
  std::optional<std::uint64_t> memory_cgroup_id(const discover::CgroupNode &node);
  bool read_usage_files(const std::filesystem::path &dir, MemoryUsage &usage);
  bool read_stat_file(const std::filesystem::path &dir, MemoryUsage &usage);
  bool read_oom_file(const std::filesystem::path &dir, MemoryUsage &usage);
  void failed(const std::filesystem::path &file, int error);

  discover::CgroupLayout layout_;
  std::unique_ptr<probes::MemcgIterator> iterator_;
  std::uint64_t page_size_;
  bool same_hierarchy_;
  std::unordered_map<std::uint64_t, std::uint64_t> memory_id_of_;  // CPU-hierarchy id -> memory id
  std::uint64_t read_errors_ = 0;
  std::uint64_t records_ = 0;  // in the iterator's map after the last read
  std::string content_;
  OpenCgroupFiles stat_files_;  // memory.stat of every tracked cgroup, kept open
};

}  // namespace vnf::collect
