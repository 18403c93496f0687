// The agent's PSI series against the kernel's own *.pressure files of the same cgroup, in BPF
// and in cgroupfs mode: CPU pressure from two loops sharing one CPU, memory pressure from a
// file read through a page cache limited below its size.

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "support/agent_process.h"
#include "support/busy_child.h"
#include "support/exposition.h"
#include "support/kernel_release.h"
#include "support/privileges.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

using namespace std::chrono_literals;

class Pressure : public ::testing::TestWithParam<std::string> {};

int first_allowed_cpu() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) return cpu;
  return 0;
}

// The agent's value lies between the kernel's totals read before and after its scrape.
void expect_between(double reported_seconds, std::uint64_t before_us, std::uint64_t after_us) {
  EXPECT_GE(reported_seconds, static_cast<double>(before_us) / 1e6);
  EXPECT_LE(reported_seconds, static_cast<double>(after_us) / 1e6);
}

TEST_P(Pressure, TwoLoopsOnOneCpuWaitAsCpuPressureSays) {
  VNF_REQUIRE_ROOT_AND_BPF();
  VNF_REQUIRE_PSI();
  const std::string collector = GetParam();
  const std::string name = "vnftest-cpupsi-" + std::to_string(getpid());
  AgentProcess agent({"--collector", collector, "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  ASSERT_TRUE(agent.started()) << agent.log();

  TestCgroup cgroup(name);
  const int cpu = first_allowed_cpu();
  BusyChild first(cgroup, 2500ms, cpu), second(cgroup, 2500ms, cpu);
  first.start();
  second.start();
  std::this_thread::sleep_for(1500ms);

  const auto before = cgroup.kernel_pressure_us("cpu", "some");
  const std::string text = agent.scrape();
  const auto after = cgroup.kernel_pressure_us("cpu", "some");
  const auto waiting = vnf_sample(text, "vnf_pressure_cpu_waiting_seconds_total", name);
  ASSERT_TRUE(waiting) << "no vnf_pressure_cpu_waiting_seconds_total for " << name << " in:\n" << text;
  std::cout << "[measured] collector=" << collector << " cpu some: kernel " << before / 1e6 << ".." << after / 1e6
            << "s agent " << *waiting << "s\n";
  expect_between(*waiting, before, after);
  // One of the two always waits while the other runs.
  EXPECT_GT(*waiting, 0.75);
  EXPECT_EQ(first.wait(), 0);
  EXPECT_EQ(second.wait(), 0);
}

// A file on a disk (or, in tests/vm, on a share with a page cache): tmpfs pages cannot be
// reclaimed without swap.
std::filesystem::path page_cache_dir() {
  const char *dir = std::getenv("VNF_TEST_PAGE_CACHE_DIR");
  return dir && *dir ? dir : "/var/tmp";
}

// Forks a reader into `cgroup` that drops `file` from the page cache and reads it `passes`
// times; returns its exit status.
int read_through_page_cache(const TestCgroup &cgroup, const std::filesystem::path &file, int passes) {
  int go[2];
  if (pipe2(go, O_CLOEXEC) != 0) return -1;
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    close(go[1]);
    char byte = 0;
    if (read(go[0], &byte, 1) != 1) _exit(3);
    const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) _exit(4);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);  // so that its pages are charged here
    std::vector<char> buf(1 << 20);
    for (int pass = 0; pass < passes; ++pass) {
      for (off_t at = 0;;) {
        const ssize_t n = pread(fd, buf.data(), buf.size(), at);
        if (n < 0) _exit(5);
        if (n == 0) break;
        at += n;
      }
    }
    _exit(0);
  }
  close(go[0]);
  cgroup.add_process(pid);
  const char byte = 1;
  const bool started = write(go[1], &byte, 1) == 1;
  close(go[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  return started && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_P(Pressure, ReadingPastTheMemoryLimitShowsMemoryPressure) {
  VNF_REQUIRE_ROOT_AND_BPF();
  VNF_REQUIRE_PSI();
  const std::string collector = GetParam();
  const std::string name = "vnftest-mempsi-" + std::to_string(getpid());
  AgentProcess agent({"--collector", collector, "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  ASSERT_TRUE(agent.started()) << agent.log();

  constexpr std::size_t kFileBytes = 96u << 20, kLimitBytes = 16u << 20;
  const auto file = page_cache_dir() / ("vnftest-mempsi-" + std::to_string(getpid()));
  struct Remove {
    std::filesystem::path path;
    ~Remove() { std::filesystem::remove(path); }
  } remove_file{file};
  {
    const int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0) << "cannot create " << file;
    std::vector<char> chunk(1 << 20, 'v');
    for (std::size_t written = 0; written < kFileBytes; written += chunk.size())
      ASSERT_EQ(write(fd, chunk.data(), chunk.size()), static_cast<ssize_t>(chunk.size()));
    ASSERT_EQ(fsync(fd), 0);
    close(fd);
  }

  TestCgroup cgroup(name);
  cgroup.set_memory_limit(kLimitBytes);
  ASSERT_EQ(read_through_page_cache(cgroup, file, 3), 0);

  const auto before = cgroup.kernel_pressure_us("memory", "some");
  const std::string text = agent.scrape();
  const auto after = cgroup.kernel_pressure_us("memory", "some");
  const auto waiting = vnf_sample(text, "vnf_pressure_memory_waiting_seconds_total", name);
  ASSERT_TRUE(waiting) << "no vnf_pressure_memory_waiting_seconds_total for " << name << " in:\n" << text;
  std::cout << "[measured] collector=" << collector << " memory some: kernel " << before / 1e6 << ".."
            << after / 1e6 << "s agent " << *waiting << "s\n";
  EXPECT_GT(before, 0u) << "reclaiming " << (3 * kFileBytes - kLimitBytes) / (1 << 20)
                        << " MiB of page cache stalled no one";
  expect_between(*waiting, before, after);
  EXPECT_GT(*waiting, 0);
}

INSTANTIATE_TEST_SUITE_P(Collectors, Pressure, ::testing::Values("bpf", "cgroupfs"),
                         [](const auto &info) { return info.param; });

}  // namespace
}  // namespace vnf::test
