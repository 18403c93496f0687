#include "bpf/overflow_counters.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <vector>

#include "bpf/per_cpu.h"

namespace vnf::bpf {

OverflowCounters::OverflowCounters(const bpf_map *overflow) : fd_(bpf_map__fd(overflow)) {}

std::uint64_t OverflowCounters::lost(std::uint32_t slot) const {
  const int ncpus = possible_cpus();
  std::vector<std::uint64_t> per_cpu(static_cast<std::size_t>(ncpus));
  if (bpf_map_lookup_elem(fd_, &slot, per_cpu.data()) != 0) return 0;
  return sum_per_cpu<std::uint64_t>(per_cpu.data(), ncpus);
}

}  // namespace vnf::bpf
