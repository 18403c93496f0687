#pragma once
// The records a cgroup iterator probe wrote for the tracked cgroups: walks the probe's
// hierarchy once per read and looks each tracked cgroup up by its id there, which on hybrid
// hosts differs from its id in the CPU hierarchy that cgroups are tracked in.

#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "bpf/cgroup_iterator.h"
#include "cgroupfs/cgroup_paths.h"
#include "collector/collector.h"
#include "discover/discovery_snapshot.h"

namespace vnf::collector {

template <typename Skel, typename Record>
class TrackedCgroupRecords {
 public:
  using Iterator = bpf::CgroupIterator<Skel, Record>;

  // Loads `probe` with room for `max_cgroups` records in its hash `map` and attaches it to the
  // hierarchy at `root`; `same_as_walked`: that is the CPU hierarchy itself. Throws bpf::ProbeError.
  TrackedCgroupRecords(const std::string &probe, typename Iterator::Parts parts, std::string map,
                       const std::filesystem::path &root, bool same_as_walked, std::uint32_t max_cgroups)
      : iterator_(probe, parts, root, max_cgroups), map_(std::move(map)), ids_(root, same_as_walked) {}

  // One walk; then `convert(record)` of each tracked cgroup of `tree` the walk recorded, by its
  // id in `tree`. Throws std::system_error.
  template <typename Value, typename Convert>
  std::unordered_map<std::uint64_t, Value> read(const cgroupfs::CgroupTree &tree,
                                                const std::vector<std::size_t> &tracked, Convert convert) {
    iterator_.walk();
    std::unordered_map<std::uint64_t, Value> values;
    values.reserve(tracked.size());
    for (std::size_t index : tracked) {
      const auto &node = tree.nodes()[index];
      const auto id = ids_.id_of(node);
      const Record *record = id ? iterator_.find(*id) : nullptr;
      if (record) values.emplace(node.id, convert(*record));  // else not there, or just removed
    }
    return values;
  }
  // Deletes the records of cgroups the last walk no longer saw; forgets untracked cgroups' ids.
  void on_discovery(const discover::DiscoverySnapshot &snapshot) {
    iterator_.drop_stale();
    ids_.retain(snapshot.tree, snapshot.tracked);
  }
  Health health() const {
    Health health;
    health.maps.push_back({map_, iterator_.size(), iterator_.capacity(), iterator_.overflow()});
    return health;
  }

 private:
  Iterator iterator_;
  std::string map_;
  cgroupfs::CgroupIdsIn ids_;
};

}  // namespace vnf::collector
