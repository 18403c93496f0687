#pragma once
// A forked child that burns CPU for a fixed time inside a test cgroup, optionally pinned to
// one CPU. It waits, already inside the cgroup, until start() so that all its CPU time is
// charged there.

#include <sys/types.h>

#include <chrono>
#include <optional>

#include "support/test_cgroup.h"

namespace vnf::test {

class BusyChild {
 public:
  BusyChild(const TestCgroup &cgroup, std::chrono::milliseconds duration, std::optional<int> cpu = std::nullopt);
  ~BusyChild();  // kills and reaps the child if it still runs
  BusyChild(const BusyChild &) = delete;
  BusyChild &operator=(const BusyChild &) = delete;

  pid_t pid() const { return pid_; }
  void start();
  // Returns once the child has exited, leaving it unreaped: until wait(), /proc/PID still
  // shows its final accounting (schedstat, stat).
  void wait_exited() const;
  int wait();  // exit code

 private:
  pid_t pid_ = -1;
  int go_fd_ = -1;
};

}  // namespace vnf::test
