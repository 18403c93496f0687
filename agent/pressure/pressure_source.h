#pragma once
// Where the PSI totals of every tracked cgroup come from: the pressure iterator's records (one
// walk for every cgroup) or each cgroup's own *.pressure files.

#include <vector>

#include "cgroupfs/cgroup_tree.h"
#include "collector/collector.h"
#include "pressure/pressure.h"

namespace vnf::pressure {

class PressureSource {
 public:
  virtual ~PressureSource() = default;

  // `tree` is the CPU hierarchy's; containers sit at the same relative paths in the unified one.
  // A cgroup without PSI (switched off, or removed) is left out.
  virtual PressureByCgroup read(const cgroupfs::CgroupTree &tree, const std::vector<std::size_t> &tracked) = 0;
  virtual void on_discovery(const discover::DiscoverySnapshot &snapshot) = 0;
  virtual collector::Health health() const = 0;
};

}  // namespace vnf::pressure
