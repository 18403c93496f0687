#include "memory/memory_source.h"

#include "cgroupfs/cgroup_paths.h"

namespace vnf::memory {

MemorySource::MemorySource(const cgroupfs::CgroupLayout &layout, std::unique_ptr<MemcgCounters> counters)
    : root_(layout.memory_root),
      flavour_(layout.memory),
      counters_(std::move(counters)),
      stat_files_(cgroupfs::cgroup_file_budget()) {}

bool MemorySource::read_stat_file(const std::filesystem::path &dir, MemoryUsage &usage) {
  int error = 0;
  auto file = dir / "memory.stat";
  auto status = stat_files_.read(file, content_, error);
  if (status == cgroupfs::FileRead::gone) return false;
  auto stat = status == cgroupfs::FileRead::ok ? parse_memory_stat(content_, flavour_) : std::nullopt;
  if (!stat) {
    cgroupfs::count_unreadable("memory", file, error, read_errors_);
    return false;
  }
  usage.rss_bytes = stat->rss;
  usage.cache_bytes = stat->cache;
  usage.working_set_bytes = usage.usage_bytes > stat->inactive_file ? usage.usage_bytes - stat->inactive_file : 0;
  return true;
}

MemoryByCgroup MemorySource::read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) {
  MemoryByCgroup result;
  counters_->refresh(tree, tracked);
  for (std::size_t index : tracked) {
    const auto &node = tree.nodes()[index];
    const auto dir = cgroupfs::cgroup_dir(root_, node.path);
    MemoryUsage usage;
    if (!counters_->read(node, dir, usage) || !read_stat_file(dir, usage)) continue;
    result.emplace(node.id, usage);
  }
  stat_files_.sweep();
  return result;
}

collector::Health MemorySource::health() const {
  collector::Health health;
  counters_->report(health);
  health.unreadable_files += read_errors_;
  health.descriptors.emplace_back("memory_stat", stat_files_.held());
  return health;
}

}  // namespace vnf::memory
