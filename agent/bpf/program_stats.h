#pragma once
// Run time and run count of each program of a loaded BPF object (kernel.bpf_stats_enabled=1).

#include <cstdint>
#include <string>
#include <vector>

struct bpf_object;

namespace vnf::bpf {

struct ProgramStats {
  std::string name;
  std::uint64_t run_time_ns = 0;  // both stay 0 unless kernel.bpf_stats_enabled=1
  std::uint64_t run_count = 0;
};

std::vector<ProgramStats> program_stats(const bpf_object *object);

}  // namespace vnf::bpf
