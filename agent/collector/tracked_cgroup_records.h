#pragma once
// The records a cgroup iterator probe wrote for the tracked cgroups: each tracked cgroup gets a
// slot of the probe's records, found through its id in the probe's hierarchy (which on hybrid
// hosts differs from its id in the CPU hierarchy that cgroups are tracked in); one walk per read
// fills them.

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <unordered_set>
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

  // Loads `probe` with room for `max_cgroups` tracked cgroups in its records `map` and attaches
  // it to the hierarchy at `root`; `same_as_walked`: that is the CPU hierarchy itself. Throws
  // bpf::ProbeError.
  TrackedCgroupRecords(const std::string &probe, typename Iterator::Parts parts, std::string map,
                       const std::filesystem::path &root, bool same_as_walked, std::uint32_t max_cgroups)
      : iterator_(probe, parts, root, max_cgroups), map_(std::move(map)), ids_(root, same_as_walked) {}

  // One walk; then `convert(record)` of each tracked cgroup of `tree` the walk recorded, by its
  // id in `tree`. A cgroup tracked for the first time gets its slot before the walk; one left
  // without (every slot taken) is counted in overflow(). Throws std::system_error.
  template <typename Value, typename Convert>
  std::unordered_map<std::uint64_t, Value> read(const cgroupfs::CgroupTree &tree,
                                                const std::vector<std::size_t> &tracked, Convert convert) {
    for (std::size_t index : tracked) {
      const auto &node = tree.nodes()[index];
      if (iterator_.tracks(node.id)) continue;
      // Not in the probe's hierarchy (yet): no slot, and nothing to read.
      if (auto id = ids_.id_of(node); id && !iterator_.track(node.id, *id)) ++overflow_;
    }
    iterator_.walk();
    std::unordered_map<std::uint64_t, Value> values;
    values.reserve(tracked.size());
    for (std::size_t index : tracked) {
      const auto id = tree.nodes()[index].id;
      if (const Record *record = iterator_.find(id)) values.emplace(id, convert(*record));
    }
    return values;
  }
  // Frees the slots of cgroups no longer tracked and forgets their ids.
  void on_discovery(const discover::DiscoverySnapshot &snapshot) {
    std::unordered_set<std::uint64_t> live;
    live.reserve(snapshot.tracked.size());
    for (std::size_t index : snapshot.tracked) live.insert(snapshot.tree.nodes()[index].id);
    iterator_.retain([&](std::uint64_t id) { return live.count(id) != 0; });
    ids_.retain(snapshot.tree, snapshot.tracked);
  }
  Health health() const {
    Health health;
    health.maps.push_back({map_, iterator_.size(), iterator_.capacity(), overflow_});
    return health;
  }

 private:
  Iterator iterator_;
  std::string map_;
  cgroupfs::CgroupIdsIn ids_;
  std::uint64_t overflow_ = 0;  // tracked cgroups left without a slot, summed over reads
};

}  // namespace vnf::collector
