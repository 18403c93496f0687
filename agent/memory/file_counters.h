#pragma once
// Memory counters from each cgroup's own files: memory.current, memory.max and memory.events
// (v2), or memory.usage_in_bytes, memory.limit_in_bytes and memory.oom_control (v1).

#include <string>

#include "memory/memcg_counters.h"

namespace vnf::memory {

class FileCounters final : public MemcgCounters {
 public:
  explicit FileCounters(cgroupfs::MemoryAccounting flavour);

  void refresh(const cgroupfs::CgroupTree &, const std::vector<std::size_t> &) override {}
  bool read(const cgroupfs::CgroupNode &node, const std::filesystem::path &dir, MemoryUsage &usage) override;
  void on_discovery(const discover::DiscoverySnapshot &) override {}  // keeps nothing per cgroup
  void report(collector::Health &health) const override { health.unreadable_files += read_errors_; }

 private:
  bool read_usage(const std::filesystem::path &dir, MemoryUsage &usage);
  bool read_oom_kills(const std::filesystem::path &dir, MemoryUsage &usage);

  bool v2_;
  std::uint64_t page_size_;
  std::uint64_t read_errors_ = 0;
  std::string content_;
};

}  // namespace vnf::memory
