// The agent's vnf_cpu_seconds_total against the kernel's own accounting of the same cgroup
// (cpu.stat usage_usec on v2, cpuacct.usage on v1), in BPF and in cgroupfs mode.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <thread>

#include "support/agent_process.h"
#include "support/busy_child.h"
#include "support/exposition.h"
#include "support/privileges.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

using namespace std::chrono_literals;

class CpuAccuracy : public ::testing::TestWithParam<std::string> {};

TEST_P(CpuAccuracy, BusyLoopMatchesKernelWithinTwoPercent) {
  VNF_REQUIRE_ROOT_AND_BPF();
  const std::string collector = GetParam();
  const std::string name = "vnftest-cpu-" + std::to_string(getpid());
  AgentProcess agent({"--collector", collector, "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  ASSERT_TRUE(agent.started()) << agent.log();

  TestCgroup cgroup(name);
  BusyChild child(cgroup, 2000ms);
  child.start();

  // While it runs: a loop that never leaves its CPU is counted as it runs, not at the end.
  std::this_thread::sleep_for(1000ms);
  // The scrape lies between two readings of the kernel's counter: what the agent reports can
  // only be what the kernel had at some instant between them.
  const double live_before = static_cast<double>(cgroup.kernel_cpu_ns()) / 1e9;
  const auto live_reported = vnf_sample(agent.scrape(), "vnf_cpu_seconds_total", name);
  const double live_after = static_cast<double>(cgroup.kernel_cpu_ns()) / 1e9;
  ASSERT_TRUE(live_reported);
  std::cout << "[measured] collector=" << collector << " while running: kernel " << live_before << ".."
            << live_after << "s agent=" << *live_reported << "s\n";
  // cgroupfs reads the kernel's own file during the scrape. The probe charges a running task at
  // scheduler ticks, and a task's time from before it joined the cgroup at its first charge there.
  const double probe_slack = collector == "bpf" ? std::max(live_after * 0.02, 0.05) : 0.0;
  EXPECT_GE(*live_reported, live_before - probe_slack);
  EXPECT_LE(*live_reported, live_after + probe_slack);

  ASSERT_EQ(child.wait(), 0);

  const double kernel = static_cast<double>(cgroup.kernel_cpu_ns()) / 1e9;
  const std::string text = agent.scrape();
  const auto reported = vnf_sample(text, "vnf_cpu_seconds_total", name);
  ASSERT_TRUE(reported) << "no vnf_cpu_seconds_total for " << name << " in:\n" << text;
  std::cout << "[measured] collector=" << collector << " kernel=" << kernel << "s agent=" << *reported
            << "s error=" << 100.0 * (*reported - kernel) / kernel << "%\n";
  EXPECT_GT(kernel, 0.1) << "the busy loop did not run";
  EXPECT_NEAR(*reported, kernel, kernel * 0.02);
}

// Runs a process in `cgroup` that forks `count` children, each exiting at once, and reaps them.
// Nearly all their CPU time is fork, exit and teardown: it can only be seen at birth and death.
void run_short_lived(const TestCgroup &cgroup, int count) {
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  const pid_t spawner = fork();
  ASSERT_GE(spawner, 0);
  if (spawner == 0) {
    close(go[1]);
    char byte = 0;
    if (read(go[0], &byte, 1) != 1) _exit(3);
    for (int i = 0; i < count; ++i) {
      const pid_t child = fork();
      if (child == 0) _exit(0);
      if (child < 0 || waitpid(child, nullptr, 0) != child) _exit(4);
    }
    _exit(0);
  }
  close(go[0]);
  cgroup.add_process(spawner);  // its children are born in the cgroup
  const char byte = 1;
  EXPECT_EQ(write(go[1], &byte, 1), 1);
  close(go[1]);
  int status = 0;
  ASSERT_EQ(waitpid(spawner, &status, 0), spawner);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "spawner status " << status;
}

TEST_P(CpuAccuracy, ShortLivedProcessesMatchKernelWithinTwoPercent) {
  VNF_REQUIRE_ROOT_AND_BPF();
  const std::string collector = GetParam();
  const std::string name = "vnftest-short-" + std::to_string(getpid());
  AgentProcess agent({"--collector", collector, "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  ASSERT_TRUE(agent.started()) << agent.log();

  TestCgroup cgroup(name);
  run_short_lived(cgroup, 500);

  const double kernel = static_cast<double>(cgroup.kernel_cpu_ns()) / 1e9;
  const auto reported = vnf_sample(agent.scrape(), "vnf_cpu_seconds_total", name);
  ASSERT_TRUE(reported);
  std::cout << "[measured] collector=" << collector << " 500 short-lived processes: kernel=" << kernel
            << "s agent=" << *reported << "s\n";
  EXPECT_GT(kernel, 0.01) << "the processes did not run";
  // The agent also counts what the spawner ran before it entered the cgroup (tens of us: a
  // task's uncharged time moves with it), the kernel does not.
  EXPECT_NEAR(*reported, kernel, kernel * 0.02);
}

INSTANTIATE_TEST_SUITE_P(Collectors, CpuAccuracy, ::testing::Values("bpf", "cgroupfs"),
                         [](const auto &info) { return info.param; });

}  // namespace
}  // namespace vnf::test
