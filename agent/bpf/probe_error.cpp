#include "bpf/probe_error.h"

#include <cerrno>
#include <cstring>

namespace vnf::bpf {

std::string describe_error(int err) {
  err = err < 0 ? -err : err;
  std::string text = std::strerror(err);
  if (err == EPERM || err == EACCES)
    text += " (loading BPF needs root, or CAP_BPF with CAP_PERFMON; use --collector=cgroupfs otherwise)";
  return text;
}

}  // namespace vnf::bpf
