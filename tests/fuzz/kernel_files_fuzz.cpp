// libFuzzer target for the parsers of the kernel's files (cgroupfs and /proc): whatever a
// kernel, a later kernel's new fields or a half-written file puts there must end in a value
// or nullopt, never a crash, a hang or undefined behaviour. The first byte picks the parser;
// the rest is the file (for the v1 CFS quota, two files split at the first NUL).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cgroupfs/cgroup_files.h"
#include "cpu/cpu_bandwidth.h"
#include "memory/memory_usage.h"
#include "network/interface_counters.h"
#include "pressure/pressure.h"

namespace {

void check_cores(const std::optional<vnf::cpu::CpuQuota> &quota) {
  // A limit is a positive, finite number of cores: it is exported and divided by.
  if (quota && quota->cores && !(std::isfinite(*quota->cores) && *quota->cores > 0)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view file(reinterpret_cast<const char *>(data) + 1, size - 1);
  using vnf::cgroupfs::MemoryAccounting;
  switch (data[0] % 10) {
    case 0: check_cores(vnf::cpu::parse_cpu_max(file)); break;
    case 1: {
      const auto split = file.find('\0');
      check_cores(vnf::cpu::parse_cfs_quota(file.substr(0, split),
                                             split == std::string_view::npos ? std::string_view() : file.substr(split + 1)));
      break;
    }
    case 2: vnf::cpu::parse_throttling_stat(file, true); break;
    case 3: vnf::cpu::parse_throttling_stat(file, false); break;
    case 4: vnf::pressure::parse_pressure(file); break;
    case 5: vnf::memory::parse_memory_stat(file, MemoryAccounting::v2); break;
    case 6: vnf::memory::parse_memory_stat(file, MemoryAccounting::v1); break;
    case 7: vnf::memory::parse_memory_limit(file, 4096); break;
    case 8: {
      std::vector<vnf::network::InterfaceCounters> interfaces;
      if (vnf::network::parse_net_dev(file, interfaces))
        for (const auto &i : interfaces)
          if (i.name.empty() || i.name == "lo") __builtin_trap();  // lo is left out, names are there
      break;
    }
    case 9:
      vnf::cgroupfs::parse_keyed_value(file, "usage_usec");
      vnf::cgroupfs::parse_single_value(file);
      break;
  }
  return 0;
}
