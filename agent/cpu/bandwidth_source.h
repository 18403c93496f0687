#pragma once
// Where the CPU bandwidth of every tracked cgroup comes from: the CPU bandwidth iterator's
// records (one walk for every cgroup) or each cgroup's own files.

#include <vector>

#include "cgroupfs/cgroup_tree.h"
#include "collector/collector.h"
#include "cpu/cpu_bandwidth.h"

namespace vnf::cpu {

class BandwidthSource {
 public:
  virtual ~BandwidthSource() = default;

  // `tree` is the CPU hierarchy's; containers sit at the same relative paths in the cpu one.
  // A cgroup without a quota, or without bandwidth control at all (v2: its parent does not
  // delegate cpu), is left out.
  virtual CpuBandwidthByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) = 0;
  virtual void on_discovery(const discover::DiscoverySnapshot &snapshot) = 0;
  virtual collector::Health health() const = 0;
};

}  // namespace vnf::cpu
