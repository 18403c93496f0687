#pragma once
// One cgroup's CPU bandwidth control (CFS quota) as the kernel accounts it, and the parsers of
// the cgroupfs files it comes from: cpu.max and cpu.stat on v2; cpu.cfs_quota_us,
// cpu.cfs_period_us and cpu.stat in the v1 cpu hierarchy.

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace vnf::cpu {

struct CpuBandwidth {
  std::optional<double> limit_cores;  // quota / period; none when unlimited
  std::uint64_t periods = 0;          // enforcement periods that had runnable tasks
  std::uint64_t throttled_periods = 0;
  std::uint64_t throttled_ns = 0;
};

// Keyed by the tracked cgroup's id in the CPU hierarchy (the id its VNF is tracked by).
using CpuBandwidthByCgroup = std::unordered_map<std::uint64_t, CpuBandwidth>;

// The limit a quota and a period (both in µs) set; none for "max" (v2) or a negative quota (v1).
struct CpuQuota {
  std::optional<double> cores;
};
// v2 cpu.max: "max 100000" or "20000 100000". nullopt when malformed.
std::optional<CpuQuota> parse_cpu_max(std::string_view content);
// v1 cpu.cfs_quota_us ("-1" or µs) and cpu.cfs_period_us. nullopt when malformed.
std::optional<CpuQuota> parse_cfs_quota(std::string_view quota_us, std::string_view period_us);

// The throttling counters of cpu.stat: nr_periods, nr_throttled, and throttled_usec (v2) or
// throttled_time in ns (v1). nullopt when the file has none of them: on v2, a cgroup whose
// parent does not delegate the cpu controller has usage only.
struct ThrottlingStat {
  std::uint64_t periods = 0, throttled_periods = 0, throttled_ns = 0;
};
std::optional<ThrottlingStat> parse_throttling_stat(std::string_view content, bool v2);

}  // namespace vnf::cpu
