#include "network/netns_devices.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "cgroupfs/cgroup_paths.h"

namespace vnf::network {
namespace {

std::string net_dev_of(std::uint64_t pid) { return "/proc/" + std::to_string(pid) + "/net/dev"; }

// Closes the files of the namespaces `live` (a set or a map by netns inode) does not hold.
template <typename Live>
void close_all_but(std::unordered_map<std::uint64_t, int> &open, const Live &live) {
  for (auto it = open.begin(); it != open.end();) {
    if (live.count(it->first)) {
      ++it;
      continue;
    }
    close(it->second);
    it = open.erase(it);
  }
}

}  // namespace

NetnsDevices::~NetnsDevices() {
  for (const auto &[netns, fd] : open_) close(fd);
}

bool NetnsDevices::read_table(std::uint64_t netns, std::uint64_t pid) {
  if (auto it = open_.find(netns); it != open_.end()) {
    // The namespace is pinned by the file: it reads the same namespace whatever became of
    // the task it was opened through.
    if (cgroupfs::read_from_start(it->second, content_) == 0) return true;
    close(it->second);
    open_.erase(it);
  }
  const auto path = net_dev_of(pid);
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;  // the task exited
  // The pid is watched by a pidfd, but it may have exited and been reused since its namespace
  // was looked up: the file must be that namespace's.
  const int error = cgroupfs::inode_of("/proc/" + std::to_string(pid) + "/ns/net") == netns
                        ? cgroupfs::read_from_start(fd, content_)
                        : ESRCH;
  if (error || open_.size() >= max_open_) {
    close(fd);
    if (error && error != ESRCH) cgroupfs::count_unreadable("network", path, error, unreadable_);
    return !error;
  }
  open_.emplace(netns, fd);
  return true;
}

const InterfacesByNetns &NetnsDevices::read(const std::unordered_map<std::uint64_t, std::uint64_t> &pids) {
  interfaces_.clear();
  close_all_but(open_, pids);
  for (const auto &[netns, pid] : pids) {
    if (!read_table(netns, pid)) continue;
    if (auto table = parse_net_dev(content_)) interfaces_.emplace(netns, std::move(*table));
    else cgroupfs::count_unreadable("network", net_dev_of(pid), 0, unreadable_);
  }
  return interfaces_;
}

void NetnsDevices::retain(const std::unordered_set<std::uint64_t> &live) { close_all_but(open_, live); }

}  // namespace vnf::network
