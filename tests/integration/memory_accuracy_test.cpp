// The agent's memory series against the kernel's own memcg accounting of the same cgroup
// (memory.current / memory.usage_in_bytes, memory.stat, the limit file), in BPF and cgroupfs
// mode; and an OOM kill in a limited cgroup counted once.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <vector>

#include "support/agent_process.h"
#include "support/exposition.h"
#include "support/memory_hog.h"
#include "support/privileges.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;
const std::vector<std::string> kMatch = {"--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"};

std::vector<std::string> args_for(const std::string &collector) {
  std::vector<std::string> args{"--collector", collector};
  args.insert(args.end(), kMatch.begin(), kMatch.end());
  return args;
}

// Within 1% or 1 MiB, whichever is larger.
double tolerance(double expected) { return std::max(expected * 0.01, static_cast<double>(kMiB)); }

class MemoryAccuracy : public ::testing::TestWithParam<std::string> {};

TEST_P(MemoryAccuracy, TouchedAnonymousMemoryMatchesKernel) {
  VNF_REQUIRE_ROOT_AND_BPF();
  AgentProcess agent(args_for(GetParam()));
  ASSERT_TRUE(agent.started()) << agent.log();
  const std::string name = "vnftest-mem-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  cgroup.set_memory_limit(512 * kMiB);
  MemoryHog hog(cgroup, 200 * kMiB);
  ASSERT_TRUE(hog.wait_until_held());

  const std::string text = agent.scrape();
  const double usage = static_cast<double>(cgroup.kernel_memory_usage());
  const double rss = static_cast<double>(cgroup.kernel_memory_stat(cgroup.memory_v2() ? "anon" : "rss"));
  const std::string limit = cgroup.kernel_memory_limit_text();

  const auto agent_usage = vnf_sample(text, "vnf_memory_usage_bytes", name);
  const auto agent_rss = vnf_sample(text, "vnf_memory_rss_bytes", name);
  const auto agent_limit = vnf_sample(text, "vnf_memory_limit_bytes", name);
  const auto agent_working_set = vnf_sample(text, "vnf_memory_working_set_bytes", name);
  ASSERT_TRUE(agent_usage && agent_rss && agent_limit && agent_working_set) << text;
  std::cout << "[measured] collector=" << GetParam() << " usage kernel=" << usage << " agent=" << *agent_usage
            << " rss kernel=" << rss << " agent=" << *agent_rss << " limit kernel=" << limit
            << " agent=" << std::fixed << *agent_limit << "\n";
  EXPECT_GT(rss, 190.0 * kMiB) << "the hog did not touch its memory";
  EXPECT_NEAR(*agent_usage, usage, tolerance(usage));
  EXPECT_NEAR(*agent_rss, rss, tolerance(rss));
  EXPECT_EQ(static_cast<std::uint64_t>(*agent_limit), std::stoull(limit));
  EXPECT_LE(*agent_working_set, *agent_usage);
  EXPECT_GE(*agent_working_set, *agent_rss - tolerance(rss));
  // What the agent keeps open for this VNF: its memory.stat, and a pidfd on its task.
  for (std::string kind : {"memory_stat", "pidfd"}) {
    EXPECT_GE(sample(text, "vnf_agent_open_descriptors{kind=\"" + kind + "\"}").value_or(0), 1) << kind << "\n" << text;
    EXPECT_GT(sample(text, "vnf_agent_open_descriptors_limit{kind=\"" + kind + "\"}").value_or(0), 0) << kind;
  }
}

TEST_P(MemoryAccuracy, UnlimitedCgroupHasNoLimitSeries) {
  VNF_REQUIRE_ROOT_AND_BPF();
  AgentProcess agent(args_for(GetParam()));
  ASSERT_TRUE(agent.started()) << agent.log();
  const std::string name = "vnftest-nolimit-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  const std::string text = agent.scrape();
  EXPECT_TRUE(vnf_sample(text, "vnf_memory_usage_bytes", name)) << text;
  EXPECT_FALSE(vnf_sample(text, "vnf_memory_limit_bytes", name)) << text;
}

TEST_P(MemoryAccuracy, OomKillIsCountedOnce) {
  VNF_REQUIRE_ROOT_AND_BPF();
  AgentProcess agent(args_for(GetParam()));
  ASSERT_TRUE(agent.started()) << agent.log();
  const std::string name = "vnftest-oom-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  cgroup.set_memory_limit(64 * kMiB);
  const auto before = vnf_sample(agent.scrape(), "vnf_memory_oom_kills_total", name);
  ASSERT_TRUE(before);
  EXPECT_EQ(*before, 0);

  MemoryHog hog(cgroup, 256 * kMiB);
  EXPECT_FALSE(hog.wait_until_held()) << "a 256 MiB hog survived a 64 MiB limit";
  EXPECT_EQ(hog.wait_exit(), 128 + 9) << "expected SIGKILL from the OOM killer";

  const std::string text = agent.scrape();
  const auto after = vnf_sample(text, "vnf_memory_oom_kills_total", name);
  ASSERT_TRUE(after) << text;
  std::cout << "[measured] collector=" << GetParam() << " oom kills before=" << *before << " after=" << *after << "\n";
  EXPECT_EQ(*after, 1);
}

// The BPF iterator once wrote its records to its own output, which the kernel caps at one
// read() per walk: beyond about a thousand memcgs the walk failed and every VNF lost its
// memory series. The hierarchy here holds well over that.
TEST_P(MemoryAccuracy, EveryCgroupAmongThousandsHasMemorySeries) {
  VNF_REQUIRE_ROOT_AND_BPF();
  constexpr int kCgroups = 2000;
  const std::string prefix = "vnftest-many-" + std::to_string(getpid()) + "0";
  std::vector<std::unique_ptr<TestCgroup>> cgroups;
  for (int i = 0; i < kCgroups; ++i) cgroups.push_back(std::make_unique<TestCgroup>(prefix + std::to_string(i)));
  AgentProcess agent(args_for(GetParam()));
  ASSERT_TRUE(agent.started()) << agent.log();

  const std::string text = agent.scrape();
  int with_usage = 0;
  for (std::size_t pos = 0; (pos = text.find("\nvnf_memory_usage_bytes{", pos)) != std::string::npos; ++pos) {
    const auto eol = text.find('\n', pos + 1);
    if (text.substr(pos, eol - pos).find(prefix) != std::string::npos) ++with_usage;
  }
  std::cout << "[measured] collector=" << GetParam() << " cgroups=" << kCgroups << " with memory series=" << with_usage
            << "\n";
  EXPECT_EQ(with_usage, kCgroups) << agent.log();
  EXPECT_NE(text.find("vnf_agent_scrape_errors_total{component=\"memory\"} 0\n"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Collectors, MemoryAccuracy, ::testing::Values("bpf", "cgroupfs"),
                         [](const auto &info) { return info.param; });

}  // namespace
}  // namespace vnf::test
