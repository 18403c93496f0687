#pragma once
// Why a probe could not be loaded, in words an operator can act on.

#include <stdexcept>
#include <string>

namespace vnf::bpf {

class ProbeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The text of a libbpf error (a negative errno, or errno itself), with what to do when it is a
// missing privilege.
std::string describe_error(int err);

}  // namespace vnf::bpf
