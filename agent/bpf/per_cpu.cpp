#include "bpf/per_cpu.h"

#include <bpf/libbpf.h>

#include <system_error>

namespace vnf::bpf {

int possible_cpus() {
  static const int n = libbpf_num_possible_cpus();
  if (n <= 0) throw std::system_error(-n, std::generic_category(), "cannot count possible CPUs");
  return n;
}

}  // namespace vnf::bpf
