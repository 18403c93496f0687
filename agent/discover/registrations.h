#pragma once
// VNFs an orchestrator registered through the API (POST /v1/vnfs): a cgroup path with explicit
// labels, for orchestrators with their own notion of a VNF. A registration names its cgroup
// ahead of every rule and lasts as long as the cgroup does.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

#include "discover/cgroup_layout.h"
#include "discover/container_cgroup.h"

namespace vnf::discover {

class Registrations {
 public:
  void add(const std::string &cgroup_path, const VnfIdentity &identity);
  std::optional<VnfIdentity> find(const std::string &cgroup_path) const;
  // Forgets registrations of cgroups that no longer exist.
  void retain(const std::unordered_set<std::string> &live_paths);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, VnfIdentity> by_path_;
};

// The cgroup of `pid` in the hierarchy that CPU accounting uses, from /proc/PID/cgroup.
std::optional<std::string> cgroup_path_of_pid(long pid, CpuAccounting accounting);

}  // namespace vnf::discover
