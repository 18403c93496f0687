#pragma once

#include <cstdint>

#include "discover/container_cgroup.h"

namespace vnf::discover {

// A container cgroup being exported, and the VNF it belongs to.
struct TrackedVnf {
  std::uint64_t cgroup_id = 0;
  VnfIdentity identity;
  bool network_owner = false;  // a rule made it its network namespace's owner
};

}  // namespace vnf::discover
