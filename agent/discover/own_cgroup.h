#pragma once
// The agent's own cgroup, so that an agent run as a container (the DaemonSet, `docker run`)
// does not export itself as a VNF. Its path comes from /proc/self/cgroup; where that says
// "/" (a private cgroup namespace hides the real path, as on cgroup v2 Kubernetes nodes), a
// container cgroup is the agent's when its cgroup.procs lists the agent's PID (host PID
// namespace, as the DaemonSet runs it), checked once per cgroup.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace vnf::discover {

class OwnCgroup {
 public:
  // `own_path`: the agent's cgroup in the walked hierarchy ("/a/b"), if known.
  OwnCgroup(std::filesystem::path root, std::optional<std::string> own_path, pid_t pid);

  // True if the cgroup at `path` (id `id`) is the agent's or one of its ancestors below the
  // root: the agent's container, also when the agent sits in a sub-cgroup of it.
  bool holds_agent(std::uint64_t id, const std::string &path);
  // Forgets what was learnt about cgroups that are gone.
  void retain(const std::unordered_set<std::uint64_t> &live_ids);

 private:
  bool lists_agent_pid(const std::string &path) const;

  std::filesystem::path root_;
  std::string own_path_;  // empty: unknown, ask cgroup.procs
  pid_t pid_;
  std::unordered_map<std::uint64_t, bool> checked_;
};

}  // namespace vnf::discover
