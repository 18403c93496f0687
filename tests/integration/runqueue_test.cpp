// Run-queue wait: two busy loops pinned to one CPU wait for each other about as long as they
// run; a lone loop hardly waits.

#include <gtest/gtest.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <thread>

#include "support/agent_process.h"
#include "support/busy_child.h"
#include "support/exposition.h"
#include "support/privileges.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

using namespace std::chrono_literals;

struct RunqueueReading {
  double cpu = 0;
  double wait = 0;
  double latency_count = 0;
};

RunqueueReading run_loops(const std::string &name, int loops) {
  AgentProcess agent({"--collector", "bpf", "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  EXPECT_TRUE(agent.started()) << agent.log();
  TestCgroup cgroup(name);
  const int cpu = static_cast<int>(std::thread::hardware_concurrency()) - 1;  // least busy with interrupts
  std::vector<std::unique_ptr<BusyChild>> children;
  for (int i = 0; i < loops; ++i) children.push_back(std::make_unique<BusyChild>(cgroup, 1500ms, cpu));
  for (auto &c : children) c->start();
  for (auto &c : children) EXPECT_EQ(c->wait(), 0);

  const std::string text = agent.scrape();
  RunqueueReading r;
  r.cpu = vnf_sample(text, "vnf_cpu_seconds_total", name).value_or(-1);
  r.wait = vnf_sample(text, "vnf_cpu_runqueue_wait_seconds_total", name).value_or(-1);
  r.latency_count = vnf_sample(text, "vnf_cpu_runqueue_latency_seconds_count", name).value_or(-1);
  std::cout << "[measured] loops=" << loops << " on one CPU: cpu=" << r.cpu << "s runqueue_wait=" << r.wait
            << "s waits=" << r.latency_count << "\n";
  return r;
}

TEST(Runqueue, TwoLoopsSharingOneCpuWait) {
  VNF_REQUIRE_ROOT_AND_BPF();
  auto r = run_loops("vnftest-shared-" + std::to_string(getpid()), 2);
  ASSERT_GT(r.cpu, 1.0);
  // Each loop waits while the other runs: total wait is close to total CPU time.
  EXPECT_GT(r.wait, 0.5 * r.cpu);
  EXPECT_GT(r.latency_count, 10);
}

TEST(Runqueue, LoneLoopBarelyWaits) {
  VNF_REQUIRE_ROOT_AND_BPF();
  auto r = run_loops("vnftest-alone-" + std::to_string(getpid()), 1);
  ASSERT_GT(r.cpu, 1.0);
  EXPECT_GE(r.wait, 0);
  EXPECT_LT(r.wait, 0.1 * r.cpu);
}

}  // namespace
}  // namespace vnf::test
