// promtool, Prometheus' own linter, accepts a scrape of the agent with no warnings.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/agent_process.h"
#include "support/busy_child.h"
#include "support/exposition.h"
#include "support/privileges.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

using namespace std::chrono_literals;

class ExpositionLint : public ::testing::TestWithParam<std::string> {};

TEST_P(ExpositionLint, PromtoolCheckMetricsIsClean) {
  VNF_REQUIRE_ROOT_AND_BPF();
  if (std::string(VNF_PROMTOOL).empty()) {
    if (in_ci()) FAIL() << "promtool not found at configure time (Debian package prometheus)";
    GTEST_SKIP() << "promtool not found at configure time (Debian package prometheus)";
  }
  const std::string name = "vnftest-lint-" + std::to_string(getpid());
  AgentProcess agent({"--collector", GetParam(), "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  ASSERT_TRUE(agent.started()) << agent.log();
  TestCgroup cgroup(name);
  BusyChild child(cgroup, 200ms);
  child.start();
  ASSERT_EQ(child.wait(), 0);

  const std::string text = agent.scrape();
  ASSERT_TRUE(has_vnf(text, name)) << text;
  auto result = promtool_check_metrics(text);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, "") << "promtool warnings:\n" << result.output;
}

INSTANTIATE_TEST_SUITE_P(Collectors, ExpositionLint, ::testing::Values("bpf", "cgroupfs"),
                         [](const auto &info) { return info.param; });

}  // namespace
}  // namespace vnf::test
