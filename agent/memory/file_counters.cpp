#include "memory/file_counters.h"

#include <unistd.h>

#include "cgroupfs/cgroup_files.h"

namespace vnf::memory {

FileCounters::FileCounters(cgroupfs::MemoryAccounting flavour)
    : v2_(flavour == cgroupfs::MemoryAccounting::v2), page_size_(static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE))) {}

bool FileCounters::read(const cgroupfs::CgroupNode &, const std::filesystem::path &dir, MemoryUsage &usage) {
  return read_usage(dir, usage) && read_oom_kills(dir, usage);
}

bool FileCounters::read_usage(const std::filesystem::path &dir, MemoryUsage &usage) {
  int error = 0;
  auto file = dir / (v2_ ? "memory.current" : "memory.usage_in_bytes");
  auto status = cgroupfs::read_cgroup_file(file, content_, error);
  if (status == cgroupfs::FileRead::gone) return false;
  auto value = status == cgroupfs::FileRead::ok ? cgroupfs::parse_single_value(content_) : std::nullopt;
  if (!value) {
    cgroupfs::count_unreadable("memory", file, error, read_errors_);
    return false;
  }
  usage.usage_bytes = *value;
  file = dir / (v2_ ? "memory.max" : "memory.limit_in_bytes");
  if (cgroupfs::read_cgroup_file(file, content_, error) == cgroupfs::FileRead::ok)
    usage.limit_bytes = parse_memory_limit(content_, page_size_);
  return true;
}

bool FileCounters::read_oom_kills(const std::filesystem::path &dir, MemoryUsage &usage) {
  int error = 0;
  auto file = dir / (v2_ ? "memory.events" : "memory.oom_control");
  auto status = cgroupfs::read_cgroup_file(file, content_, error);
  if (status == cgroupfs::FileRead::gone) return false;
  auto kills = status == cgroupfs::FileRead::ok ? cgroupfs::parse_keyed_value(content_, "oom_kill") : std::nullopt;
  if (!kills) {
    cgroupfs::count_unreadable("memory", file, error, read_errors_);
    return false;
  }
  usage.oom_kills = *kills;
  return true;
}

}  // namespace vnf::memory
