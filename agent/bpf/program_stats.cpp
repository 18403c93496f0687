#include "bpf/program_stats.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

namespace vnf::bpf {

std::vector<ProgramStats> program_stats(const bpf_object *object) {
  std::vector<ProgramStats> stats;
  bpf_program *prog = nullptr;
  bpf_object__for_each_program(prog, object) {
    bpf_prog_info info{};
    __u32 len = sizeof info;
    if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len) != 0) continue;
    stats.push_back({bpf_program__name(prog), info.run_time_ns, info.run_cnt});
  }
  return stats;
}

}  // namespace vnf::bpf
