#pragma once
// CPU bandwidth of every tracked cgroup from its cgroupfs files, kept open between scrapes:
// cpu.stat and cpu.max (v2), or cpu.stat, cpu.cfs_quota_us and cpu.cfs_period_us (v1 cpu).

#include <filesystem>
#include <string>
#include <vector>

#include "cgroupfs/cgroup_files.h"
#include "cgroupfs/cgroup_layout.h"
#include "cpu/bandwidth_source.h"

namespace vnf::cpu {

class BandwidthFiles final : public BandwidthSource {
 public:
  explicit BandwidthFiles(const cgroupfs::CgroupLayout &layout);

  CpuBandwidthByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) override;
  void on_discovery(const discover::DiscoverySnapshot &) override {}  // files are kept by use
  collector::Health health() const override;

 private:
  // False if `file` is gone (its cgroup removed) or unreadable, which is counted.
  bool read_file(const std::filesystem::path &file, std::string &out);
  bool read_cgroup(const std::filesystem::path &dir, CpuBandwidth &bandwidth);

  std::filesystem::path root_;
  bool v2_;
  std::uint64_t read_errors_ = 0;
  std::string content_, period_;
  cgroupfs::OpenCgroupFiles files_;
};

}  // namespace vnf::cpu
