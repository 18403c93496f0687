#include "support/memory_hog.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace vnf::test {
namespace {

[[noreturn]] void run_child(int go_fd, int held_fd, std::size_t bytes) {
  char byte = 0;
  if (read(go_fd, &byte, 1) != 1) _exit(3);
  void *memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) _exit(4);
  std::memset(memory, 0x5a, bytes);  // touch every page
  if (write(held_fd, &byte, 1) != 1) _exit(5);
  for (;;) pause();  // hold it until killed
}

}  // namespace

MemoryHog::MemoryHog(const TestCgroup &cgroup, std::size_t bytes) {
  int go[2], held[2];
  if (pipe2(go, O_CLOEXEC) != 0 || pipe2(held, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    close(go[1]);
    close(held[0]);
    run_child(go[0], held[1], bytes);
  }
  close(go[0]);
  close(held[1]);
  go_fd_ = go[1];
  held_fd_ = held[0];
  cgroup.add_process(pid_);  // before it allocates, so that every page is charged there
  char byte = 1;
  if (write(go_fd_, &byte, 1) != 1) throw std::runtime_error("cannot start the memory hog");
}

MemoryHog::~MemoryHog() {
  close(go_fd_);
  close(held_fd_);
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool MemoryHog::wait_until_held() {
  char byte = 0;
  return read(held_fd_, &byte, 1) == 1;
}

int MemoryHog::wait_exit() {
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace vnf::test
