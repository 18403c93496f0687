#include "cpu/cpu_usage.h"

#include <cmath>
#include <limits>

namespace vnf::cpu {

CpuUsage &CpuUsage::operator+=(const CpuUsage &other) {
  cpu_ns += other.cpu_ns;
  runq_wait_ns += other.runq_wait_ns;
  for (std::size_t i = 0; i < kRunqHistSlots; ++i) runq_hist[i] += other.runq_hist[i];
  return *this;
}

double runq_slot_upper_bound_seconds(std::size_t slot) {
  // Slot i holds waits in [2^i, 2^(i+1)) microseconds (see bpf/probe_types.h).
  if (slot + 1 >= kRunqHistSlots) return std::numeric_limits<double>::infinity();
  return std::ldexp(1.0, static_cast<int>(slot) + 1) * 1e-6;
}

}  // namespace vnf::cpu
