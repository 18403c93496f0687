// Context-switch-heavy workload: two processes pinned to one CPU pass a byte back and forth
// over two pipes, so every message is a context switch. Prints nanoseconds per switch.
// Usage: pipe_pingpong [round_trips (default 200000)] [cpu (default 0)]

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

static void pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
}

int main(int argc, char **argv) {
  const long trips = argc > 1 ? std::atol(argv[1]) : 200000;
  const int cpu = argc > 2 ? std::atoi(argv[2]) : 0;
  int ping[2], pong[2];
  if (pipe(ping) != 0 || pipe(pong) != 0) return 1;
  pin(cpu);
  char byte = 0;
  pid_t child = fork();
  if (child == 0) {
    for (long i = 0; i < trips; ++i) {
      if (read(ping[0], &byte, 1) != 1 || write(pong[1], &byte, 1) != 1) _exit(1);
    }
    _exit(0);
  }
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < trips; ++i) {
    if (write(ping[1], &byte, 1) != 1 || read(pong[0], &byte, 1) != 1) return 1;
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  waitpid(child, nullptr, 0);
  // Each round trip is two context switches on the shared CPU.
  std::printf("%.1f\n", std::chrono::duration<double, std::nano>(elapsed).count() / (2.0 * trips));
  return 0;
}
