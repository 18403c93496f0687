// Run-queue wait against the kernel's own per-task accounting (/proc/PID/schedstat: run_delay,
// the time runnable but waiting, and pcount, the switch-ins that ended a wait): two busy loops
// pinned to one CPU wait for each other about as long as they run; a lone loop waits as long as
// the machine's other tasks make it. Either way the agent says what the kernel says.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "support/agent_process.h"
#include "support/busy_child.h"
#include "support/exposition.h"
#include "support/kernel_release.h"
#include "support/privileges.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

using namespace std::chrono_literals;

struct Schedstat {
  std::uint64_t run_ns = 0;
  std::uint64_t run_delay_ns = 0;
  std::uint64_t pcount = 0;
};

Schedstat read_schedstat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/schedstat");
  Schedstat s;
  in >> s.run_ns >> s.run_delay_ns >> s.pcount;
  EXPECT_TRUE(in) << "cannot read /proc/" << pid << "/schedstat";
  return s;
}

struct RunqueueReading {
  double cpu = 0;
  double wait = 0;
  double waits = 0;  // the latency histogram's _count
  // The kernel's accounting of the same tasks while they were in the cgroup, and since their
  // fork (a task's schedstat starts at zero), the time before the move included.
  double kernel_wait = 0;
  double kernel_waits = 0;
  double kernel_wait_since_fork = 0;
  double kernel_waits_since_fork = 0;
};

RunqueueReading run_loops(const std::string &name, int loops) {
  AgentProcess agent({"--collector", "bpf", "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  EXPECT_TRUE(agent.started()) << agent.log();
  TestCgroup cgroup(name);
  const int cpu = static_cast<int>(std::thread::hardware_concurrency()) - 1;  // least busy with interrupts
  std::vector<std::unique_ptr<BusyChild>> children;
  std::vector<Schedstat> entered;  // each child's counters once it is in the cgroup
  for (int i = 0; i < loops; ++i) {
    children.push_back(std::make_unique<BusyChild>(cgroup, 1500ms, cpu));
    entered.push_back(read_schedstat(children.back()->pid()));
  }
  for (auto &c : children) c->start();

  RunqueueReading r;
  for (std::size_t i = 0; i < children.size(); ++i) {
    children[i]->wait_exited();  // final counters, still readable until reaped
    const Schedstat exited = read_schedstat(children[i]->pid());
    r.kernel_wait += static_cast<double>(exited.run_delay_ns - entered[i].run_delay_ns) / 1e9;
    r.kernel_waits += static_cast<double>(exited.pcount - entered[i].pcount);
  }
  const std::string text = agent.scrape();
  for (auto &c : children) {
    // Unreaped, so still readable; a child preempted after it signalled its exit has made its
    // final switch by now, most likely, and its last wait is in here.
    const Schedstat last = read_schedstat(c->pid());
    r.kernel_wait_since_fork += static_cast<double>(last.run_delay_ns) / 1e9;
    r.kernel_waits_since_fork += static_cast<double>(last.pcount);
    EXPECT_EQ(c->wait(), 0);
  }

  r.cpu = vnf_sample(text, "vnf_cpu_seconds_total", name).value_or(-1);
  r.wait = vnf_sample(text, "vnf_cpu_runqueue_wait_seconds_total", name).value_or(-1);
  r.waits = vnf_sample(text, "vnf_cpu_runqueue_latency_seconds_count", name).value_or(-1);
  std::cout << "[measured] loops=" << loops << " on one CPU: cpu=" << r.cpu << "s runqueue_wait=" << r.wait
            << "s (kernel " << r.kernel_wait << "s in the cgroup, " << r.kernel_wait_since_fork
            << "s since fork) waits=" << r.waits << " (kernel " << r.kernel_waits << ", " << r.kernel_waits_since_fork
            << ")\n";
  return r;
}

// The probe charges each task's run_delay and pcount growth, batched per task. An exited task
// has been flushed at its final switch, so the agent counts what the kernel counted while the
// task was in the cgroup, and at most what it counted since the fork: the debt a child ran up
// between its fork and its move into the cgroup (as long as a busy machine makes it) moves
// with it. Beyond that, only a child preempted between signalling its exit and its final switch
// (one wait, a scheduler slice, ~4 ms at HZ=250) can tell the two apart: 5 ms of wait and 4
// switch-ins per child.
void expect_matches_kernel(const RunqueueReading &r, int loops) {
  EXPECT_GE(r.wait, r.kernel_wait - 0.005 * loops);
  EXPECT_LE(r.wait, r.kernel_wait_since_fork + 0.005 * loops);
  EXPECT_GE(r.waits, r.kernel_waits - 4.0 * loops);
  EXPECT_LE(r.waits, r.kernel_waits_since_fork + 4.0 * loops);
}

TEST(Runqueue, TwoLoopsSharingOneCpuWaitAsTheKernelSays) {
  VNF_REQUIRE_ROOT_AND_BPF();
  VNF_REQUIRE_KERNEL_FEATURE(task_storage);
  auto r = run_loops("vnftest-shared-" + std::to_string(getpid()), 2);
  ASSERT_GT(r.cpu, 0.1) << "the loops did not run";
  // Each loop waits while the other runs: total wait is close to total CPU time.
  EXPECT_GT(r.kernel_wait, 0.5 * r.cpu);
  EXPECT_GT(r.kernel_waits, 10);
  expect_matches_kernel(r, 2);
}

// How long a lone loop waits is the machine's business (hardly at all on an idle one, as long
// as the other tasks of its CPU run on a busy one): the agent says what the kernel says.
TEST(Runqueue, LoneLoopWaitsAsTheKernelSays) {
  VNF_REQUIRE_ROOT_AND_BPF();
  VNF_REQUIRE_KERNEL_FEATURE(task_storage);
  auto r = run_loops("vnftest-alone-" + std::to_string(getpid()), 1);
  ASSERT_GT(r.cpu, 0.1);
  expect_matches_kernel(r, 1);
}

}  // namespace
}  // namespace vnf::test
