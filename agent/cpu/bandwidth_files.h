#pragma once
// CPU bandwidth of every tracked cgroup from its cgroupfs files, kept open between scrapes:
// cpu.stat and cpu.max (v2), or cpu.stat, cpu.cfs_quota_us and cpu.cfs_period_us (v1 cpu).

#include <filesystem>
#include <string>
#include <vector>

#include "cgroupfs/cgroup_files.h"
#include "cgroupfs/cgroup_layout.h"
#include "cgroupfs/cgroup_tree.h"
#include "collector/collector.h"
#include "cpu/cpu_bandwidth.h"

namespace vnf::cpu {

class BandwidthFiles {
 public:
  explicit BandwidthFiles(const cgroupfs::CgroupLayout &layout);

  // `tree` is the CPU hierarchy's; containers sit at the same relative paths in the cpu one.
  // A cgroup without bandwidth control (v2: its parent does not delegate cpu) is left out.
  CpuBandwidthByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked);
  collector::Health health() const;

 private:
  enum class Read { ok, absent, failed };
  Read read_file(const std::filesystem::path &file, std::string &out);
  bool read_cgroup(const std::filesystem::path &dir, CpuBandwidth &bandwidth);

  std::filesystem::path root_;
  bool v2_;
  std::uint64_t read_errors_ = 0;
  std::string content_, period_;
  cgroupfs::OpenCgroupFiles files_;
};

}  // namespace vnf::cpu
