// The agent's CPU limit and CFS throttling series against the kernel's own cpu.stat (and
// cpu.max / cpu.cfs_quota_us), in BPF and in cgroupfs mode.

#include <gtest/gtest.h>

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

class CpuBandwidth : public ::testing::TestWithParam<std::string> {};

struct Reported {
  double periods, throttled_periods, throttled_seconds;
};

Reported reported(const std::string &text, const std::string &name) {
  auto periods = vnf_sample(text, "vnf_cpu_cfs_periods_total", name);
  auto throttled = vnf_sample(text, "vnf_cpu_cfs_throttled_periods_total", name);
  auto seconds = vnf_sample(text, "vnf_cpu_cfs_throttled_seconds_total", name);
  EXPECT_TRUE(periods && throttled && seconds) << "no throttling series for " << name << " in:\n" << text;
  return {periods.value_or(-1), throttled.value_or(-1), seconds.value_or(-1)};
}

// What the agent reports can only be what the kernel had at some instant between the readings
// before and after the scrape; cpu.stat shows µs on v2, the agent may have the ns.
void expect_between(const Reported &r, const TestCgroup::Throttling &before, const TestCgroup::Throttling &after) {
  EXPECT_GE(r.periods, static_cast<double>(before.periods));
  EXPECT_LE(r.periods, static_cast<double>(after.periods));
  EXPECT_GE(r.throttled_periods, static_cast<double>(before.throttled_periods));
  EXPECT_LE(r.throttled_periods, static_cast<double>(after.throttled_periods));
  EXPECT_GE(r.throttled_seconds, static_cast<double>(before.throttled_ns) / 1e9);
  EXPECT_LE(r.throttled_seconds, static_cast<double>(after.throttled_ns + 999) / 1e9);
}

TEST_P(CpuBandwidth, BusyLoopUnderAFifthOfACoreIsThrottledAsTheKernelCounts) {
  VNF_REQUIRE_ROOT_AND_BPF();
  const std::string collector = GetParam();
  const std::string name = "vnftest-quota-" + std::to_string(getpid());
  AgentProcess agent({"--collector", collector, "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  ASSERT_TRUE(agent.started()) << agent.log();

  TestCgroup cgroup(name);
  cgroup.set_cpu_limit(20000, 100000);
  BusyChild child(cgroup, 2500ms);
  child.start();

  std::this_thread::sleep_for(1500ms);
  const auto before = cgroup.kernel_throttling();
  const std::string live = agent.scrape();
  const auto after = cgroup.kernel_throttling();
  const auto limit = vnf_sample(live, "vnf_cpu_limit_cores", name);
  ASSERT_TRUE(limit) << "no vnf_cpu_limit_cores for " << name << " in:\n" << live;
  EXPECT_DOUBLE_EQ(*limit, 0.2);
  const auto r = reported(live, name);
  std::cout << "[measured] collector=" << collector << " while running: periods " << before.periods << ".."
            << after.periods << " agent " << r.periods << "; throttled " << before.throttled_periods << ".."
            << after.throttled_periods << " agent " << r.throttled_periods << "; throttled seconds "
            << static_cast<double>(before.throttled_ns) / 1e9 << ".." << static_cast<double>(after.throttled_ns) / 1e9
            << " agent " << r.throttled_seconds << "\n";
  expect_between(r, before, after);
  // A loop that wants a whole core under a fifth of one is held back in nearly every period
  // (for how long in each depends on how soon a busy machine lets it use its fifth).
  EXPECT_GT(r.throttled_periods, 5);
  EXPECT_GT(r.throttled_seconds, 0.0);

  ASSERT_EQ(child.wait(), 0);
  const auto end_before = cgroup.kernel_throttling();
  const auto end = reported(agent.scrape(), name);
  expect_between(end, end_before, cgroup.kernel_throttling());
}

TEST_P(CpuBandwidth, NoLimitNoLimitSeries) {
  VNF_REQUIRE_ROOT_AND_BPF();
  const std::string name = "vnftest-nolimit-" + std::to_string(getpid());
  AgentProcess agent({"--collector", GetParam(), "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  ASSERT_TRUE(agent.started()) << agent.log();
  TestCgroup cgroup(name);
  BusyChild child(cgroup, 300ms);
  child.start();
  ASSERT_EQ(child.wait(), 0);
  const std::string text = agent.scrape();
  EXPECT_TRUE(vnf_sample(text, "vnf_cpu_seconds_total", name)) << text;
  // Without a quota the kernel counts no periods: no limit, and no CFS counters either.
  for (const char *family : {"vnf_cpu_limit_cores", "vnf_cpu_cfs_periods_total", "vnf_cpu_cfs_throttled_periods_total",
                             "vnf_cpu_cfs_throttled_seconds_total"})
    EXPECT_FALSE(vnf_sample(text, family, name)) << "unlimited, yet " << family << ":\n" << text;

  // A limit set on a live VNF shows at the next scrape, with its counters.
  cgroup.set_cpu_limit(150000, 100000);
  const auto limited = agent.scrape();
  const auto limit = vnf_sample(limited, "vnf_cpu_limit_cores", name);
  ASSERT_TRUE(limit) << limited;
  EXPECT_DOUBLE_EQ(*limit, 1.5);
  EXPECT_EQ(reported(limited, name).throttled_periods, 0);
}

INSTANTIATE_TEST_SUITE_P(Collectors, CpuBandwidth, ::testing::Values("bpf", "cgroupfs"),
                         [](const auto &info) { return info.param; });

}  // namespace
}  // namespace vnf::test
