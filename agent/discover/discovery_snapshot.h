#pragma once
// What discovery found at one walk: the cgroup tree, and which of its cgroups are VNFs.
// Snapshots are immutable and shared; a new walk makes a new one.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "cgroupfs/cgroup_tree.h"
#include "discover/tracked_vnf.h"

namespace vnf::discover {

struct DiscoverySnapshot {
  cgroupfs::CgroupTree tree;
  std::vector<std::size_t> tracked;  // indexes into tree.nodes(), parallel to vnfs
  std::vector<TrackedVnf> vnfs;
  std::size_t over_limit = 0;  // recognised but left out because of the VNF limit
  // Counts the walks: of two snapshots, the later has the higher one (readers on two threads
  // may get them in either order).
  std::uint64_t generation = 0;
};

}  // namespace vnf::discover
