#include "collect/memory_source.h"

#include <bpf/bpf.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstring>

#include "collect/bpf_map_reader.h"
#include "collect/cgroupfs_files.h"

namespace vnf::collect {
namespace {

using discover::MemoryAccounting;

std::uint64_t unlimited_pages(std::uint64_t page_size) { return static_cast<std::uint64_t>(LONG_MAX) / page_size; }

}  // namespace

std::optional<MemoryStat> parse_memory_stat(std::string_view content, MemoryAccounting flavour) {
  const bool v2 = flavour == MemoryAccounting::v2;
  auto rss = parse_keyed_value(content, v2 ? "anon" : "total_rss");
  auto cache = parse_keyed_value(content, v2 ? "file" : "total_cache");
  auto inactive_file = parse_keyed_value(content, v2 ? "inactive_file" : "total_inactive_file");
  if (!rss || !cache || !inactive_file) return std::nullopt;
  return MemoryStat{*rss, *cache, *inactive_file};
}

std::optional<std::uint64_t> parse_memory_limit(std::string_view content, std::uint64_t page_size) {
  if (content.starts_with("max")) return std::nullopt;
  auto value = parse_single_value(content);
  // v1 shows "unlimited" as the largest page-aligned value a long holds.
  if (!value || *value >= unlimited_pages(page_size) * page_size) return std::nullopt;
  return value;
}

MemorySource::MemorySource(const discover::CgroupLayout &layout, std::unique_ptr<probes::MemcgIterator> iterator)
    : layout_(layout),
      iterator_(std::move(iterator)),
      page_size_(static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE))),
      same_hierarchy_(layout.memory_root == layout.cpu_root),
      stat_files_(cgroup_file_budget()) {}

void MemorySource::failed(const std::filesystem::path &file, int error) {
  ++read_errors_;
  spdlog::debug("memory: cannot read {}: {}", file.string(), error ? std::strerror(error) : "unexpected content");
}

std::unordered_map<std::uint64_t, MemorySource::Counters> MemorySource::iterate() {
  const auto generation = iterator_->walk();
  std::unordered_map<std::uint64_t, Counters> counters;
  std::vector<std::uint64_t> removed;  // records of cgroups this walk did not see
  BpfMapReader(iterator_->records_fd(), sizeof(vnf_memcg_record)).for_each([&](std::uint64_t id, const void *value) {
    const auto *r = static_cast<const vnf_memcg_record *>(value);
    if (r->generation == generation) counters.emplace(id, Counters{r->usage_pages, r->max_pages, r->oom_kills});
    else removed.push_back(id);
  });
  for (auto id : removed) bpf_map_delete_elem(iterator_->records_fd(), &id);
  records_ = counters.size();
  return counters;
}

std::vector<std::pair<std::string, BpfMapStats>> MemorySource::map_stats() const {
  if (!iterator_) return {};
  return {{"memcg_records", {records_, iterator_->capacity(), iterator_->dropped()}}};
}

std::optional<std::uint64_t> MemorySource::memory_cgroup_id(const discover::CgroupNode &node) {
  if (same_hierarchy_) return node.id;
  if (auto it = memory_id_of_.find(node.id); it != memory_id_of_.end()) return it->second;
  struct stat st {};
  if (stat((layout_.memory_root / node.path.substr(1)).c_str(), &st) != 0) return std::nullopt;
  memory_id_of_.emplace(node.id, st.st_ino);  // ids never change while a cgroup lives
  return st.st_ino;
}

bool MemorySource::read_usage_files(const std::filesystem::path &dir, MemoryUsage &usage) {
  const bool v2 = layout_.memory == MemoryAccounting::v2;
  int error = 0;
  auto file = dir / (v2 ? "memory.current" : "memory.usage_in_bytes");
  auto status = read_cgroup_file(file, content_, error);
  if (status == FileRead::gone) return false;
  auto value = status == FileRead::ok ? parse_single_value(content_) : std::nullopt;
  if (!value) {
    failed(file, error);
    return false;
  }
  usage.usage_bytes = *value;
  file = dir / (v2 ? "memory.max" : "memory.limit_in_bytes");
  if (read_cgroup_file(file, content_, error) == FileRead::ok) usage.limit_bytes = parse_memory_limit(content_, page_size_);
  return true;
}

bool MemorySource::read_stat_file(const std::filesystem::path &dir, MemoryUsage &usage) {
  int error = 0;
  auto file = dir / "memory.stat";
  auto status = stat_files_.read(file, content_, error);
  if (status == FileRead::gone) return false;
  auto stat = status == FileRead::ok ? parse_memory_stat(content_, layout_.memory) : std::nullopt;
  if (!stat) {
    failed(file, error);
    return false;
  }
  usage.rss_bytes = stat->rss;
  usage.cache_bytes = stat->cache;
  usage.working_set_bytes = usage.usage_bytes > stat->inactive_file ? usage.usage_bytes - stat->inactive_file : 0;
  return true;
}

bool MemorySource::read_oom_file(const std::filesystem::path &dir, MemoryUsage &usage) {
  int error = 0;
  auto file = dir / (layout_.memory == MemoryAccounting::v2 ? "memory.events" : "memory.oom_control");
  auto status = read_cgroup_file(file, content_, error);
  if (status == FileRead::gone) return false;
  auto kills = status == FileRead::ok ? parse_keyed_value(content_, "oom_kill") : std::nullopt;
  if (!kills) {
    failed(file, error);
    return false;
  }
  usage.oom_kills = *kills;
  return true;
}

MemoryByCgroup MemorySource::read(const discover::CgroupTree &tree, const std::vector<std::size_t> &tracked) {
  MemoryByCgroup result;
  if (layout_.memory == MemoryAccounting::none) return result;
  std::unordered_map<std::uint64_t, Counters> counters;
  if (iterator_) counters = iterate();

  std::unordered_map<std::uint64_t, std::uint64_t> memory_ids;
  for (std::size_t index : tracked) {
    const auto &node = tree.nodes()[index];
    const auto dir = layout_.memory_root / node.path.substr(1);
    MemoryUsage usage;
    if (iterator_) {
      auto id = memory_cgroup_id(node);
      auto it = id ? counters.find(*id) : counters.end();
      if (it == counters.end()) continue;  // not in the memory hierarchy (or just removed)
      memory_ids.emplace(node.id, *id);
      usage.usage_bytes = it->second.usage_pages * page_size_;
      if (it->second.max_pages < unlimited_pages(page_size_)) usage.limit_bytes = it->second.max_pages * page_size_;
      usage.oom_kills = it->second.oom_kills;
    } else if (!read_usage_files(dir, usage) || !read_oom_file(dir, usage)) {
      continue;
    }
    if (!read_stat_file(dir, usage)) continue;
    result.emplace(node.id, usage);
  }
  stat_files_.sweep();
  if (!same_hierarchy_) memory_id_of_ = std::move(memory_ids);  // forget cgroups no longer tracked
  return result;
}

}  // namespace vnf::collect
