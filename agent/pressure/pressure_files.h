#pragma once
// PSI of every tracked cgroup from its cpu.pressure, memory.pressure and io.pressure in the
// unified hierarchy, kept open between scrapes. On hybrid hosts that hierarchy has no
// controllers, but the kernel accounts pressure to a task's v2 cgroup all the same.

#include <filesystem>
#include <string>
#include <vector>

#include "cgroupfs/cgroup_files.h"
#include "cgroupfs/cgroup_tree.h"
#include "collector/collector.h"
#include "pressure/pressure.h"

namespace vnf::pressure {

class PressureFiles {
 public:
  explicit PressureFiles(std::filesystem::path unified_root);

  // `tree` is the CPU hierarchy's; containers sit at the same relative paths in the unified one.
  PressureByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked);
  collector::Health health() const;

 private:
  // The cgroup's three files; false if it has none.
  bool read_cgroup(const std::filesystem::path &dir, CgroupPressure &pressure);

  std::filesystem::path root_;
  std::uint64_t read_errors_ = 0;
  std::string content_;
  cgroupfs::OpenCgroupFiles files_;
};

}  // namespace vnf::pressure
