#pragma once
// CPU usage from the kernel's own cgroup accounting: cpu.stat usage_usec (v2) or
// cpuacct.usage (v1). One file read per container per scrape; no run-queue data.

#include <atomic>
#include <filesystem>

#include "collect/cpu_usage.h"
#include "discover/cgroup_layout.h"

namespace vnf::collect {

class CgroupfsCpuSource final : public CpuSource {
 public:
  // Throws std::runtime_error if the layout has no readable usage file (v1 cpu without cpuacct).
  explicit CgroupfsCpuSource(const discover::CgroupLayout &layout);

  bool has_runqueue() const override { return false; }
  std::string_view name() const override { return "cgroupfs"; }
  CpuUsageByCgroup read(const discover::CgroupTree &tree, const std::vector<std::size_t> &tracked) override;
  std::uint64_t read_errors() const override { return read_errors_; }

 private:
  std::filesystem::path root_;
  discover::CpuAccounting accounting_;
  std::uint64_t read_errors_ = 0;
};

}  // namespace vnf::collect
