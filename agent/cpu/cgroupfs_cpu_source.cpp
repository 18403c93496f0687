#include "cpu/cgroupfs_cpu_source.h"

#include <stdexcept>

#include "cgroupfs/cgroup_files.h"
#include "cgroupfs/cgroup_paths.h"

namespace vnf::cpu {

CgroupfsCpuSource::CgroupfsCpuSource(const cgroupfs::CgroupLayout &layout)
    : root_(layout.cpu_root), accounting_(layout.cpu) {
  if (accounting_ == cgroupfs::CpuAccounting::v1_cpu)
    throw std::runtime_error("cgroupfs collector needs cgroup v2 or the v1 cpuacct controller; neither is mounted");
}

CpuUsageByCgroup CgroupfsCpuSource::read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) {
  CpuUsageByCgroup usage;
  usage.reserve(tracked.size());
  const bool v2 = accounting_ == cgroupfs::CpuAccounting::v2;
  const char *file = v2 ? "cpu.stat" : "cpuacct.usage";
  std::string content;
  for (std::size_t index : tracked) {
    const auto &node = tree.nodes()[index];
    const auto path = cgroupfs::cgroup_dir(root_, node.path) / file;
    int error = 0;
    auto status = cgroupfs::read_cgroup_file(path, content, error);
    if (status == cgroupfs::FileRead::gone) continue;
    std::optional<std::uint64_t> value;
    if (status == cgroupfs::FileRead::ok)
      value = v2 ? cgroupfs::parse_keyed_value(content, "usage_usec") : cgroupfs::parse_single_value(content);
    if (!value) {
      cgroupfs::count_unreadable("cpu", path, error, read_errors_);
      continue;
    }
    usage[node.id].cpu_ns = v2 ? *value * 1000 : *value;
  }
  return usage;
}

collector::Health CgroupfsCpuSource::health() const {
  collector::Health health;
  health.unreadable_files = read_errors_;
  return health;
}

}  // namespace vnf::cpu
