#pragma once

#include <cstdint>

#include "discover/container_cgroup.h"

namespace vnf::metrics {

// A container cgroup being exported, and the VNF it belongs to.
struct TrackedVnf {
  std::uint64_t cgroup_id = 0;
  discover::VnfIdentity identity;
};

}  // namespace vnf::metrics
