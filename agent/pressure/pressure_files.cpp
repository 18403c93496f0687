#include "pressure/pressure_files.h"

#include "cgroupfs/cgroup_paths.h"

namespace vnf::pressure {

PressureFiles::PressureFiles(std::filesystem::path unified_root)
    : root_(std::move(unified_root)), files_(cgroupfs::cgroup_file_budget()) {}

bool PressureFiles::read_cgroup(const std::filesystem::path &dir, CgroupPressure &pressure) {
  bool any = false;
  for (std::size_t r = 0; r < kResources; ++r) {
    auto file = dir / (std::string(kResourceNames[r]) + ".pressure");
    int error = 0;
    // Gone: the cgroup was removed, or its PSI is off (cgroup.pressure 0 hides the files).
    auto status = files_.read(file, content_, error);
    if (status == cgroupfs::FileRead::gone) continue;
    if (status == cgroupfs::FileRead::ok) pressure[r] = parse_pressure(content_);
    if (!pressure[r]) {
      cgroupfs::count_unreadable("pressure", file, error, read_errors_);
      continue;
    }
    any = true;
  }
  return any;
}

PressureByCgroup PressureFiles::read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) {
  auto result = cgroupfs::read_tracked<CgroupPressure>(
      tree, tracked, root_, [this](const std::filesystem::path &dir, CgroupPressure &p) { return read_cgroup(dir, p); });
  files_.sweep();
  return result;
}

collector::Health PressureFiles::health() const {
  collector::Health health;
  health.unreadable_files = read_errors_;
  health.descriptors.emplace_back("pressure", files_.held());
  return health;
}

}  // namespace vnf::pressure
