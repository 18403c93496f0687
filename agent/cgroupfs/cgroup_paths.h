#pragma once
// Where a cgroup is on disk, and what its id is, in each mounted hierarchy.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "cgroupfs/cgroup_layout.h"
#include "cgroupfs/cgroup_tree.h"

namespace vnf::cgroupfs {

// The cgroup path, in the hierarchy that CPU accounting uses, that a /proc/PID/cgroup file
// names; nullopt where it names none (or no path from the root).
std::optional<std::string> parse_proc_cgroup(std::string_view content, CpuAccounting accounting);

// The directory of the cgroup at `cgroup_path` ("/" or "/a/b", relative to its hierarchy) in
// the hierarchy mounted at `root`.
std::filesystem::path cgroup_dir(const std::filesystem::path &root, std::string_view cgroup_path);

// Reads every tracked cgroup of `tree` (`tracked` indexes its nodes) in the hierarchy mounted
// at `root`, where runtimes lay containers out at the same relative paths:
// `read(dir, value)` fills the cgroup's value and says whether it has one. The cgroups that
// do, by id in `tree`.
template <typename Value, typename Read>
std::unordered_map<std::uint64_t, Value> read_tracked(const CgroupTree &tree, std::span<const std::size_t> tracked,
                                                      const std::filesystem::path &root, Read read) {
  std::unordered_map<std::uint64_t, Value> values;
  values.reserve(tracked.size());
  for (std::size_t index : tracked) {
    const auto &node = tree.nodes()[index];
    Value value{};
    if (read(cgroup_dir(root, node.path), value)) values.emplace(node.id, value);
  }
  return values;
}

// The inode number of `path`: a cgroup's id in its hierarchy, or a namespace's (/proc/PID/ns/*).
// nullopt if it cannot be stat'ed (gone, say).
std::optional<std::uint64_t> inode_of(const std::filesystem::path &path);

// The ids that tracked cgroups of the walked hierarchy have in a second one (the v1 memory or
// the v2 hierarchy of a hybrid host), where runtimes lay a container out at the same relative
// path. Each is looked up once and kept while its cgroup is tracked: ids never change while a
// cgroup lives.
class CgroupIdsIn {
 public:
  // `root` is where the second hierarchy is mounted (empty: none); `same_as_walked`, whether it
  // is the walked hierarchy itself, whose ids need no lookup.
  CgroupIdsIn(std::filesystem::path root, bool same_as_walked);

  std::optional<std::uint64_t> id_of(const CgroupNode &node);
  // Forgets every cgroup but those in `tracked` (indexes into tree.nodes()).
  void retain(const CgroupTree &tree, std::span<const std::size_t> tracked);

 private:
  std::filesystem::path root_;
  bool same_as_walked_;
  std::unordered_map<std::uint64_t, std::uint64_t> ids_;  // walked-hierarchy id -> id there
};

}  // namespace vnf::cgroupfs
