#include "network/netns_membership.h"

#include <signal.h>

#include <unordered_set>

#include "cgroupfs/cgroup_paths.h"

namespace vnf::network {

NetnsMembership::NetnsMembership(std::filesystem::path cgroup_root, std::size_t max_watched)
    : root_(std::move(cgroup_root)), exits_(max_watched) {}

std::optional<std::uint64_t> NetnsMembership::member_pid(const cgroupfs::CgroupNode &node) {
  int error = 0;
  const auto path = cgroupfs::cgroup_dir(root_, node.path) / "cgroup.procs";
  if (cgroupfs::read_cgroup_file(path, content_, error) != cgroupfs::FileRead::ok) return std::nullopt;
  auto eol = content_.find('\n');
  return cgroupfs::parse_single_value(std::string_view(content_).substr(0, eol));
}

std::optional<Member> NetnsMembership::member(const cgroupfs::CgroupNode &node, const discover::TrackedVnf &vnf) {
  constexpr auto kTrustFor = std::chrono::seconds(5);
  const auto now = std::chrono::steady_clock::now();
  if (auto it = known_.find(node.id); it != known_.end()) {
    const auto &known = it->second;
    if (known.watched || (now - known.checked < kTrustFor && kill(static_cast<pid_t>(known.pid), 0) == 0))
      return Member{&node, &vnf, known.pid, known.netns_inode};
    known_.erase(it);
  }
  auto pid = member_pid(node);
  if (!pid) return std::nullopt;  // no task, so no namespace to speak of
  // Watched before its namespace is read, so that the pid cannot have been reused in between.
  const bool watched = exits_.watch(node.id, static_cast<pid_t>(*pid));
  auto netns = cgroupfs::inode_of("/proc/" + std::to_string(*pid) + "/ns/net");
  if (!netns) {  // the task just exited
    exits_.forget(node.id);
    return std::nullopt;
  }
  known_[node.id] = {*pid, *netns, now, watched};
  return Member{&node, &vnf, *pid, *netns};
}

const std::vector<Member> &NetnsMembership::refresh(const discover::DiscoverySnapshot &snapshot) {
  for (auto id : exits_.take_exited()) known_.erase(id);
  members_.clear();
  for (std::size_t i = 0; i < snapshot.tracked.size(); ++i)
    if (auto m = member(snapshot.tree.nodes()[snapshot.tracked[i]], snapshot.vnfs[i])) members_.push_back(*m);
  return members_;
}

void NetnsMembership::on_discovery(const discover::DiscoverySnapshot &snapshot) {
  std::unordered_set<std::uint64_t> live;
  for (const auto &vnf : snapshot.vnfs) live.insert(vnf.cgroup_id);
  std::erase_if(known_, [&](const auto &entry) {
    if (live.count(entry.first)) return false;
    exits_.forget(entry.first);
    return true;
  });
  members_.clear();  // they point into the last snapshot
}

}  // namespace vnf::network
