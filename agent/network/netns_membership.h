#pragma once
// Which network namespace each VNF's tasks are in, found through a member task (cgroup.procs,
// then /proc/PID/ns/net) and kept until that task exits: runtimes set a container's namespace
// before it starts, and looking it up again costs more than the rest of the network stage.
// Where the task cannot be watched with a pidfd, the answer is trusted for a few seconds.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cgroupfs/cgroup_files.h"
#include "discover/discovery_snapshot.h"
#include "network/task_exit_watch.h"

namespace vnf::network {

// A VNF cgroup with a task, and the namespace that task is in.
struct Member {
  const cgroupfs::CgroupNode *cgroup;  // in the snapshot it was found in
  const discover::TrackedVnf *vnf;     // likewise
  std::uint64_t pid;
  std::uint64_t netns_inode;
};

class NetnsMembership {
 public:
  // `cgroup_root` is the hierarchy the snapshots walk; at most `max_watched` pidfds are held.
  NetnsMembership(std::filesystem::path cgroup_root, std::size_t max_watched);

  // The VNFs of `snapshot` that have a task, each with its namespace: looked up for those whose
  // task exited, or that had none yet. Valid while `snapshot` lives, until the next call.
  const std::vector<Member> &refresh(const discover::DiscoverySnapshot &snapshot);
  // Forgets the VNFs `snapshot` no longer tracks.
  void on_discovery(const discover::DiscoverySnapshot &snapshot);
  cgroupfs::HeldDescriptors pidfds() const { return {exits_.size(), exits_.capacity()}; }

 private:
  std::optional<std::uint64_t> member_pid(const cgroupfs::CgroupNode &node);
  std::optional<Member> member(const cgroupfs::CgroupNode &node, const discover::TrackedVnf &vnf);

  struct Known {
    std::uint64_t pid, netns_inode;
    std::chrono::steady_clock::time_point checked;
    bool watched;  // `pid` is in exits_, so the entry lasts until it exits
  };
  std::filesystem::path root_;
  std::unordered_map<std::uint64_t, Known> known_;  // by cgroup id
  TaskExitWatch exits_;                             // by cgroup id
  std::vector<Member> members_;
  std::string content_;
};

}  // namespace vnf::network
