#pragma once
// CPU usage from the kernel's own cgroup accounting: cpu.stat usage_usec (v2) or
// cpuacct.usage (v1). One file read per container per scrape; no run-queue data.

#include <filesystem>

#include "cgroupfs/cgroup_layout.h"
#include "cpu/cpu_usage.h"

namespace vnf::cpu {

class CgroupfsCpuSource final : public CpuSource {
 public:
  // Throws std::runtime_error if the layout has no readable usage file (v1 cpu without cpuacct).
  explicit CgroupfsCpuSource(const cgroupfs::CgroupLayout &layout);

  std::string_view name() const override { return "cgroupfs"; }
  bool has_runqueue() const override { return false; }
  void on_discovery(const cgroupfs::CgroupTree &) override {}  // keeps nothing per cgroup
  CpuUsageByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) override;
  collector::Health health() const override;

 private:
  std::filesystem::path root_;
  cgroupfs::CpuAccounting accounting_;
  std::uint64_t read_errors_ = 0;
};

}  // namespace vnf::cpu
