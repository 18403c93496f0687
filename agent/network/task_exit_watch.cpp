#include "network/task_exit_watch.h"

#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace vnf::network {

TaskExitWatch::TaskExitWatch(std::size_t max_watched)
    : max_watched_(max_watched), epoll_(epoll_create1(EPOLL_CLOEXEC)) {
  unsupported_ = !epoll_;
}

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
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = key;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0) {
    close(fd);
    return false;
  }
  pidfds_.emplace(key, fd);
  return true;
}

void TaskExitWatch::forget(std::uint64_t key) {
  if (auto it = pidfds_.find(key); it != pidfds_.end()) {
    // Out of the set explicitly: a close alone leaves it there while a forked child holds a copy.
    epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, it->second, nullptr);
    close(it->second);
    pidfds_.erase(it);
  }
}

std::vector<std::uint64_t> TaskExitWatch::take_exited() {
  std::vector<std::uint64_t> exited;
  if (pidfds_.empty()) return exited;
  std::array<epoll_event, 64> events;
  for (;;) {
    const int n = epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    // Forgetting each as it comes takes it out of the set, so the next wait reports others.
    for (int i = 0; i < n; ++i) {
      exited.push_back(events[i].data.u64);
      forget(events[i].data.u64);
    }
    if (n < static_cast<int>(events.size())) break;
  }
  return exited;
}

}  // namespace vnf::network
