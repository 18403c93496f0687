#pragma once
// What discovery found at one walk: the cgroup tree, and which of its cgroups are VNFs.
// Snapshots are immutable and shared; a new walk makes a new one.

#include <cstddef>
#include <vector>

#include "cgroupfs/cgroup_tree.h"
#include "discover/tracked_vnf.h"

namespace vnf::discover {

struct DiscoverySnapshot {
  cgroupfs::CgroupTree tree;
  std::vector<std::size_t> tracked;  // indexes into tree.nodes(), parallel to vnfs
  std::vector<TrackedVnf> vnfs;
  std::size_t over_limit = 0;  // recognised but left out because of the VNF limit
};

}  // namespace vnf::discover
