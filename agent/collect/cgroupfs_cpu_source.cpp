#include "collect/cgroupfs_cpu_source.h"

#include <spdlog/spdlog.h>

#include <cstring>
#include <stdexcept>

#include "collect/cgroupfs_files.h"

namespace vnf::collect {

CgroupfsCpuSource::CgroupfsCpuSource(const discover::CgroupLayout &layout)
    : root_(layout.cpu_root), accounting_(layout.cpu) {
  if (accounting_ == discover::CpuAccounting::v1_cpu)
    throw std::runtime_error("cgroupfs collector needs cgroup v2 or the v1 cpuacct controller; neither is mounted");
}

CpuUsageByCgroup CgroupfsCpuSource::read(const discover::CgroupTree &tree,
                                         const std::vector<std::size_t> &tracked) {
  CpuUsageByCgroup usage;
  usage.reserve(tracked.size());
  const bool v2 = accounting_ == discover::CpuAccounting::v2;
  const char *file = v2 ? "cpu.stat" : "cpuacct.usage";
  std::string content;
  for (std::size_t index : tracked) {
    const auto &node = tree.nodes()[index];
    auto path = root_ / node.path.substr(1) / file;
    int error = 0;
    auto status = read_cgroup_file(path, content, error);
    if (status == FileRead::gone) continue;
    std::optional<std::uint64_t> value;
    if (status == FileRead::ok)
      value = v2 ? parse_keyed_value(content, "usage_usec") : parse_single_value(content);
    if (!value) {
      ++read_errors_;
      spdlog::debug("cgroupfs: cannot read {}: {}", path.string(),
                    error ? std::strerror(error) : "unexpected content");
      continue;
    }
    usage[node.id].cpu_ns = v2 ? *value * 1000 : *value;
  }
  return usage;
}

}  // namespace vnf::collect
