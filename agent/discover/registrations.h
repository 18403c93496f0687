#pragma once
// VNFs an orchestrator registered through the API (POST /v1/vnfs): a cgroup path with explicit
// labels, for orchestrators with their own notion of a VNF. A registration names its cgroup
// ahead of every rule and lasts as long as the cgroup does, agent restarts included once it
// keeps them in a file (keep_in).

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

#include "cgroupfs/cgroup_layout.h"
#include "discover/container_cgroup.h"
#include "discover/registration_file.h"

namespace vnf::discover {

class Registrations {
 public:
  // Takes the registrations saved in `file` and saves every change there from now on; returns
  // how many it took. A file that cannot be used is renamed to <file>.bad, so that nothing in
  // it is lost or overwritten, and the exception says so; saving still goes to `file`.
  std::size_t keep_in(RegistrationFile file);
  // Throws std::runtime_error, and changes nothing, if the file cannot be saved.
  void add(const std::string &cgroup_path, const VnfIdentity &identity);
  std::optional<VnfIdentity> find(const std::string &cgroup_path) const;
  // Forgets registrations of cgroups that no longer exist. A failed save is logged: the file
  // then still names cgroups that are gone, which the next start forgets in turn.
  void retain(const std::unordered_set<std::string> &live_paths);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, VnfIdentity> by_path_;
  std::optional<RegistrationFile> file_;
};

// The cgroup of `pid` in the hierarchy that CPU accounting uses, from /proc/PID/cgroup.
std::optional<std::string> cgroup_path_of_pid(long pid, cgroupfs::CpuAccounting accounting);

}  // namespace vnf::discover
