#include "discover/own_cgroup.h"

#include <fstream>

#include "cgroupfs/cgroup_paths.h"

namespace vnf::discover {

OwnCgroup::OwnCgroup(std::filesystem::path root, std::optional<std::string> own_path, pid_t pid)
    : root_(std::move(root)), pid_(pid) {
  if (own_path && *own_path != "/" && !own_path->empty()) own_path_ = *own_path;
}

bool OwnCgroup::holds_agent(std::uint64_t id, const std::string &path) {
  if (path == "/") return false;
  if (!own_path_.empty())
    return own_path_ == path || (own_path_.size() > path.size() && own_path_.starts_with(path) &&
                                 own_path_[path.size()] == '/');
  auto [it, inserted] = checked_.try_emplace(id, false);
  if (inserted) it->second = lists_agent_pid(path);
  return it->second;
}

bool OwnCgroup::lists_agent_pid(const std::string &path) const {
  std::ifstream procs(cgroupfs::cgroup_dir(root_, path) / "cgroup.procs");
  for (long pid; procs >> pid;)
    if (pid == pid_) return true;
  return false;
}

void OwnCgroup::retain(const std::unordered_set<std::uint64_t> &live_ids) {
  std::erase_if(checked_, [&](const auto &entry) { return !live_ids.count(entry.first); });
}

}  // namespace vnf::discover
