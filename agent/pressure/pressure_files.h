#pragma once
// PSI of every tracked cgroup from its cpu.pressure, memory.pressure and io.pressure in the
// unified hierarchy, kept open between scrapes. On hybrid hosts that hierarchy has no
// controllers, but the kernel accounts pressure to a task's v2 cgroup all the same.

#include <filesystem>
#include <string>
#include <vector>

#include "cgroupfs/cgroup_files.h"
#include "pressure/pressure_source.h"

namespace vnf::pressure {

class PressureFiles final : public PressureSource {
 public:
  explicit PressureFiles(std::filesystem::path unified_root);

  PressureByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) override;
  void on_discovery(const discover::DiscoverySnapshot &) override {}  // files are kept by use
  collector::Health health() const override;

 private:
  // The cgroup's three files; false if it has none.
  bool read_cgroup(const std::filesystem::path &dir, CgroupPressure &pressure);

  std::filesystem::path root_;
  std::uint64_t read_errors_ = 0;
  std::string content_;
  cgroupfs::OpenCgroupFiles files_;
};

}  // namespace vnf::pressure
