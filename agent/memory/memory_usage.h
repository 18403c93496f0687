#pragma once
// One memory cgroup's usage as the memory collector reads it, and the parsers of the cgroupfs
// files it comes from.

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "cgroupfs/cgroup_layout.h"

namespace vnf::memory {

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
std::optional<MemoryStat> parse_memory_stat(std::string_view content, cgroupfs::MemoryAccounting flavour);

// A v2 memory.max or v1 memory.limit_in_bytes value; nullopt when unlimited.
std::optional<std::uint64_t> parse_memory_limit(std::string_view content, std::uint64_t page_size);

// The kernel's "unlimited" memcg limit in pages: LONG_MAX bytes, rounded down to pages.
std::uint64_t unlimited_pages(std::uint64_t page_size);

}  // namespace vnf::memory
