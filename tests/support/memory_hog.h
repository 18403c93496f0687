#pragma once
// A forked child that allocates and touches a given amount of anonymous memory inside a test
// cgroup, then holds it until released (or is OOM-killed trying).

#include <sys/types.h>

#include <cstddef>

#include "support/test_cgroup.h"

namespace vnf::test {

class MemoryHog {
 public:
  MemoryHog(const TestCgroup &cgroup, std::size_t bytes);
  ~MemoryHog();  // releases (kills) and reaps the child
  MemoryHog(const MemoryHog &) = delete;
  MemoryHog &operator=(const MemoryHog &) = delete;

  // Waits until the memory is touched; false if the child died first (e.g. OOM-killed).
  bool wait_until_held();
  // Waits for the child to end; its exit code, or 128+signal.
  int wait_exit();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int go_fd_ = -1;
  int held_fd_ = -1;
};

}  // namespace vnf::test
