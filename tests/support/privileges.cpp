#include "support/privileges.h"

#include <unistd.h>

#include <cstdlib>

namespace vnf::test {

std::optional<std::string> missing_root_or_bpf() {
  if (geteuid() != 0) return "needs root: creates cgroups and loads BPF programs";
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) return "needs kernel BTF at /sys/kernel/btf/vmlinux";
  return std::nullopt;
}

bool in_ci() {
  const char *ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

}  // namespace vnf::test
