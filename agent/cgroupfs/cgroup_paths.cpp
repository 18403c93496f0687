#include "cgroupfs/cgroup_paths.h"

#include <sys/stat.h>

#include <unordered_set>

namespace vnf::cgroupfs {

std::filesystem::path cgroup_dir(const std::filesystem::path &root, std::string_view cgroup_path) {
  if (!cgroup_path.empty() && cgroup_path.front() == '/') cgroup_path.remove_prefix(1);
  return root / cgroup_path;
}

std::optional<std::uint64_t> inode_of(const std::filesystem::path &path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return std::nullopt;
  return st.st_ino;
}

CgroupIdsIn::CgroupIdsIn(std::filesystem::path root, bool same_as_walked)
    : root_(std::move(root)), same_as_walked_(same_as_walked) {}

std::optional<std::uint64_t> CgroupIdsIn::id_of(const CgroupNode &node) {
  if (same_as_walked_) return node.id;
  if (root_.empty()) return std::nullopt;
  if (auto it = ids_.find(node.id); it != ids_.end()) return it->second;
  auto id = inode_of(cgroup_dir(root_, node.path));
  if (id) ids_.emplace(node.id, *id);
  return id;
}

void CgroupIdsIn::retain(const CgroupTree &tree, std::span<const std::size_t> tracked) {
  if (ids_.empty()) return;
  std::unordered_set<std::uint64_t> live;
  live.reserve(tracked.size());
  for (std::size_t index : tracked) live.insert(tree.nodes()[index].id);
  std::erase_if(ids_, [&](const auto &entry) { return !live.count(entry.first); });
}

}  // namespace vnf::cgroupfs
