#include "memory/memory_usage.h"

#include <climits>

#include "cgroupfs/cgroup_files.h"

namespace vnf::memory {

std::uint64_t unlimited_pages(std::uint64_t page_size) { return static_cast<std::uint64_t>(LONG_MAX) / page_size; }

std::optional<MemoryStat> parse_memory_stat(std::string_view content, cgroupfs::MemoryAccounting flavour) {
  const bool v2 = flavour == cgroupfs::MemoryAccounting::v2;
  auto rss = cgroupfs::parse_keyed_value(content, v2 ? "anon" : "total_rss");
  auto cache = cgroupfs::parse_keyed_value(content, v2 ? "file" : "total_cache");
  auto inactive_file = cgroupfs::parse_keyed_value(content, v2 ? "inactive_file" : "total_inactive_file");
  if (!rss || !cache || !inactive_file) return std::nullopt;
  return MemoryStat{*rss, *cache, *inactive_file};
}

std::optional<std::uint64_t> parse_memory_limit(std::string_view content, std::uint64_t page_size) {
  if (content.starts_with("max")) return std::nullopt;
  auto value = cgroupfs::parse_single_value(content);
  // v1 shows "unlimited" as the largest page-aligned value a long holds.
  if (!value || *value >= unlimited_pages(page_size) * page_size) return std::nullopt;
  return value;
}

}  // namespace vnf::memory
