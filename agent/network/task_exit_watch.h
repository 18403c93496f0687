#pragma once
// Tells which watched tasks have exited, for the price of one epoll_wait() per scrape, whatever
// the number watched: each task is held by a pidfd, which becomes readable when the task exits
// and, unlike a pid, can never name a later process that reused the number.

#include <sys/types.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "common/unique_fd.h"

namespace vnf::network {

class TaskExitWatch {
 public:
  // At most `max_watched` pidfds are held; beyond that, or where pidfd_open() is missing
  // (kernels before 5.3), watch() says no and the caller checks the task some other way.
  explicit TaskExitWatch(std::size_t max_watched);
  ~TaskExitWatch();
  TaskExitWatch(const TaskExitWatch &) = delete;
  TaskExitWatch &operator=(const TaskExitWatch &) = delete;

  // Watches `pid` under `key`, replacing what `key` watched before. False if it cannot.
  bool watch(std::uint64_t key, pid_t pid);
  void forget(std::uint64_t key);
  // The keys whose task has exited since it was watched; they are no longer watched.
  std::vector<std::uint64_t> take_exited();
  std::size_t size() const { return pidfds_.size(); }
  std::size_t capacity() const { return max_watched_; }

 private:
  std::size_t max_watched_;
  bool unsupported_ = false;
  UniqueFd epoll_;  // every pidfd, keyed by its watch key
  std::unordered_map<std::uint64_t, int> pidfds_;
};

}  // namespace vnf::network
