#include "cpu/bandwidth_files.h"

#include "cgroupfs/cgroup_paths.h"

namespace vnf::cpu {

BandwidthFiles::BandwidthFiles(const cgroupfs::CgroupLayout &layout)
    : root_(layout.bandwidth_root),
      v2_(layout.bandwidth == cgroupfs::BandwidthAccounting::v2),
      files_(cgroupfs::cgroup_file_budget()) {}

bool BandwidthFiles::read_file(const std::filesystem::path &file, std::string &out) {
  int error = 0;
  const auto status = files_.read(file, out, error);
  if (status == cgroupfs::FileRead::failed) cgroupfs::count_unreadable("cpu_bandwidth", file, error, read_errors_);
  return status == cgroupfs::FileRead::ok;
}

bool BandwidthFiles::read_cgroup(const std::filesystem::path &dir, CpuBandwidth &bandwidth) {
  // The quota first: a cgroup without one has no series, and its cpu.stat need not be read.
  std::optional<CpuQuota> quota;
  const auto quota_file = dir / (v2_ ? "cpu.max" : "cpu.cfs_quota_us");
  if (!read_file(quota_file, content_)) return false;  // v2: gone, or its parent does not delegate cpu
  if (v2_) {
    quota = parse_cpu_max(content_);
  } else {
    if (!read_file(dir / "cpu.cfs_period_us", period_)) return false;
    quota = parse_cfs_quota(content_, period_);
  }
  if (!quota) {
    cgroupfs::count_unreadable("cpu_bandwidth", quota_file, 0, read_errors_);
    return false;
  }
  if (!quota->cores) return false;
  bandwidth.limit_cores = quota->cores;

  const auto stat_file = dir / "cpu.stat";
  if (!read_file(stat_file, content_)) return false;
  const auto stat = parse_throttling_stat(content_, v2_);
  if (!stat) {
    cgroupfs::count_unreadable("cpu_bandwidth", stat_file, 0, read_errors_);
    return false;
  }
  bandwidth.periods = stat->periods;
  bandwidth.throttled_periods = stat->throttled_periods;
  bandwidth.throttled_ns = stat->throttled_ns;
  return true;
}

CpuBandwidthByCgroup BandwidthFiles::read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) {
  auto result = cgroupfs::read_tracked<CpuBandwidth>(
      tree, tracked, root_, [this](const std::filesystem::path &dir, CpuBandwidth &b) { return read_cgroup(dir, b); });
  files_.sweep();
  return result;
}

collector::Health BandwidthFiles::health() const {
  collector::Health health;
  health.unreadable_files = read_errors_;
  health.descriptors.emplace_back("cpu_bandwidth", files_.held());
  return health;
}

}  // namespace vnf::cpu
