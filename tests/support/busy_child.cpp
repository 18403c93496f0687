#include "support/busy_child.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <stdexcept>

namespace vnf::test {
namespace {

double now_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

[[noreturn]] void run_child(int go_fd, std::chrono::milliseconds duration, std::optional<int> cpu) {
  if (cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(*cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) _exit(2);
  }
  char go = 0;
  if (read(go_fd, &go, 1) != 1) _exit(3);
  const double end = now_seconds() + static_cast<double>(duration.count()) / 1000.0;
  while (now_seconds() < end) {
  }
  _exit(0);
}

}  // namespace

BusyChild::BusyChild(const TestCgroup &cgroup, std::chrono::milliseconds duration, std::optional<int> cpu) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    close(fds[1]);
    run_child(fds[0], duration, cpu);
  }
  close(fds[0]);
  go_fd_ = fds[1];
  cgroup.add_process(pid_);
}

BusyChild::~BusyChild() {
  if (go_fd_ >= 0) close(go_fd_);
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void BusyChild::start() {
  char go = 1;
  if (write(go_fd_, &go, 1) != 1) throw std::runtime_error("cannot start the busy child");
}

void BusyChild::wait_exited() const {
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOWAIT) != 0)
    throw std::runtime_error("cannot wait for the busy child");
}

int BusyChild::wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace vnf::test
