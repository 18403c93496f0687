#pragma once
// A snapshot of one cgroup hierarchy: every cgroup's id, path and parent.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace vnf::cgroupfs {

struct CgroupNode {
  static constexpr std::size_t kNoParent = std::numeric_limits<std::size_t>::max();

  std::uint64_t id = 0;  // kernfs id: the directory's inode number, what BPF sees as kn->id
  std::string path;      // relative to the hierarchy root, "/" for the root itself
  std::size_t parent = kNoParent;  // index into CgroupTree::nodes
};

class CgroupTree {
 public:
  // Walks the hierarchy mounted at `root`. Cgroups removed during the walk are skipped, not errors.
  static CgroupTree walk(const std::filesystem::path &root);

  const std::vector<CgroupNode> &nodes() const { return nodes_; }
  const CgroupNode *find(std::uint64_t id) const;
  std::size_t index_of(const CgroupNode &node) const { return &node - nodes_.data(); }

  // For tests: builds a tree from (id, path) pairs whose parents come before their children.
  static CgroupTree from_paths(const std::vector<std::pair<std::uint64_t, std::string>> &cgroups);

 private:
  void add(std::uint64_t id, std::string path, std::size_t parent);

  std::vector<CgroupNode> nodes_;
  std::unordered_map<std::uint64_t, std::size_t> by_id_;
};

}  // namespace vnf::cgroupfs
