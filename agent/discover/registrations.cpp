#include "discover/registrations.h"

#include <fstream>
#include <sstream>

namespace vnf::discover {

void Registrations::add(const std::string &cgroup_path, const VnfIdentity &identity) {
  std::lock_guard lock(mutex_);
  by_path_[cgroup_path] = identity;
}

std::optional<VnfIdentity> Registrations::find(const std::string &cgroup_path) const {
  std::lock_guard lock(mutex_);
  auto it = by_path_.find(cgroup_path);
  if (it == by_path_.end()) return std::nullopt;
  return it->second;
}

void Registrations::retain(const std::unordered_set<std::string> &live_paths) {
  std::lock_guard lock(mutex_);
  for (auto it = by_path_.begin(); it != by_path_.end();) {
    if (live_paths.count(it->first)) ++it;
    else it = by_path_.erase(it);
  }
}

std::size_t Registrations::size() const {
  std::lock_guard lock(mutex_);
  return by_path_.size();
}

std::optional<std::string> cgroup_path_of_pid(long pid, CpuAccounting accounting) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
  const char *wanted = accounting == CpuAccounting::v1_cpuacct ? "cpuacct" : "cpu";
  for (std::string line; std::getline(in, line);) {
    // hierarchy-id:controller-list:path
    auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    if (accounting == CpuAccounting::v2) {
      if (line.compare(0, first, "0") == 0 && controllers.empty()) return line.substr(second + 1);
      continue;
    }
    std::stringstream list(controllers);
    for (std::string c; std::getline(list, c, ',');)
      if (c == wanted) return line.substr(second + 1);
  }
  return std::nullopt;
}

}  // namespace vnf::discover
