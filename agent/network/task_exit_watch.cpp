#include "network/task_exit_watch.h"

#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace vnf::network {

TaskExitWatch::~TaskExitWatch() {
  for (const auto &[key, fd] : pidfds_) close(fd);
}

bool TaskExitWatch::watch(std::uint64_t key, pid_t pid) {
  forget(key);
  if (unsupported_ || pidfds_.size() >= max_watched_) return false;
  // The raw system call: glibc's wrapper is recent, and 2.36 declares it without C linkage.
  const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) {
    unsupported_ = errno == ENOSYS;
    return false;
  }
  pidfds_.emplace(key, fd);
  return true;
}

void TaskExitWatch::forget(std::uint64_t key) {
  if (auto it = pidfds_.find(key); it != pidfds_.end()) {
    close(it->second);
    pidfds_.erase(it);
  }
}

std::vector<std::uint64_t> TaskExitWatch::take_exited() {
  std::vector<pollfd> fds;
  std::vector<std::uint64_t> keys, exited;
  fds.reserve(pidfds_.size());
  keys.reserve(pidfds_.size());
  for (const auto &[key, fd] : pidfds_) {
    fds.push_back({fd, POLLIN, 0});
    keys.push_back(key);
  }
  if (fds.empty() || poll(fds.data(), fds.size(), 0) <= 0) return exited;
  for (std::size_t i = 0; i < fds.size(); ++i)
    if (fds[i].revents) exited.push_back(keys[i]);
  for (auto key : exited) forget(key);
  return exited;
}

}  // namespace vnf::network
