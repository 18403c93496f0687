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

std::optional<std::string> parse_proc_cgroup(std::string_view content, CpuAccounting accounting) {
  const std::string_view wanted = accounting == CpuAccounting::v1_cpuacct ? "cpuacct" : "cpu";
  while (!content.empty()) {
    const auto eol = content.find('\n');
    const std::string_view line = content.substr(0, eol);
    content.remove_prefix(eol == std::string_view::npos ? content.size() : eol + 1);
    // hierarchy-id:controller-list:path; the path itself may hold ':'.
    const auto first = line.find(':');
    const auto second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    const auto path = line.substr(second + 1);
    if (path.empty() || path.front() != '/') continue;
    std::string_view controllers = line.substr(first + 1, second - first - 1);
    if (accounting == CpuAccounting::v2) {
      if (line.substr(0, first) == "0" && controllers.empty()) return std::string(path);
      continue;
    }
    while (!controllers.empty()) {
      const auto comma = controllers.find(',');
      if (controllers.substr(0, comma) == wanted) return std::string(path);
      controllers.remove_prefix(comma == std::string_view::npos ? controllers.size() : comma + 1);
    }
  }
  return std::nullopt;
}

}  // namespace vnf::cgroupfs
