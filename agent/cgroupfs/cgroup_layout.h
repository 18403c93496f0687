#pragma once
// Where the cgroup hierarchies are mounted, and which one holds per-container CPU accounting.

#include <filesystem>
#include <istream>
#include <string>
#include <vector>

namespace vnf::cgroupfs {

// One cgroup (v1 or v2) line of /proc/self/mountinfo.
struct CgroupMount {
  std::filesystem::path mount_point;
  bool v2 = false;
  std::vector<std::string> controllers;  // v1: from the super options (e.g. "cpu", "cpuacct")
};

// Parses /proc/<pid>/mountinfo, keeping cgroup and cgroup2 mounts.
std::vector<CgroupMount> parse_cgroup_mounts(std::istream &mountinfo);

enum class CpuAccounting {
  v2,          // cpu.stat usage_usec in the unified hierarchy
  v1_cpuacct,  // cpuacct.usage in the v1 cpuacct hierarchy
  v1_cpu,      // cpu hierarchy without cpuacct: only the BPF probe can account
};

enum class MemoryAccounting {
  none,  // no memory controller mounted: no memory metrics
  v2,    // memory.current, memory.stat, memory.events in the unified hierarchy
  v1,    // memory.usage_in_bytes, memory.stat, memory.oom_control in the v1 memory hierarchy
};

enum class BandwidthAccounting {
  none,  // no cpu controller: no CPU limits nor throttling
  v2,    // cpu.max and cpu.stat in the unified hierarchy
  v1,    // cpu.cfs_quota_us, cpu.cfs_period_us and cpu.stat in the v1 cpu hierarchy
};

struct CgroupLayout {
  CpuAccounting cpu = CpuAccounting::v2;
  std::filesystem::path cpu_root;      // hierarchy that CPU metrics are keyed and walked in
  std::filesystem::path unified_root;  // cgroup2 mount, empty if none
  MemoryAccounting memory = MemoryAccounting::none;
  std::filesystem::path memory_root;   // containers sit at the same relative path as in cpu_root
  BandwidthAccounting bandwidth = BandwidthAccounting::none;
  std::filesystem::path bandwidth_root;  // likewise
};

// Picks the CPU hierarchy: v2 when the cpu controller is enabled there (pure v2 hosts),
// otherwise v1 cpuacct, then v1 cpu, then a controller-less v2 (cpu.stat still has usage_usec).
// Memory: v2 when the memory controller is enabled there, otherwise the v1 memory hierarchy.
// CPU bandwidth (limits, throttling): v2 when the cpu controller is enabled there, otherwise
// the v1 cpu hierarchy. Pressure (PSI) is in the unified hierarchy, controllers or not.
// `v2_controllers` is the content of the v2 root's cgroup.controllers.
// Throws std::runtime_error when no cgroup hierarchy is mounted.
CgroupLayout choose_cgroup_layout(const std::vector<CgroupMount> &mounts,
                                  const std::string &v2_controllers);

// Reads /proc/self/mountinfo and the v2 root's cgroup.controllers.
CgroupLayout detect_cgroup_layout();

const char *to_string(CpuAccounting accounting);
const char *to_string(MemoryAccounting accounting);
const char *to_string(BandwidthAccounting accounting);

}  // namespace vnf::cgroupfs
