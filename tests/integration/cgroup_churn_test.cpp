// Cgroups appear and vanish while Prometheus scrapes: no scrape fails, and a removed
// cgroup's series are gone by the next scrape.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <thread>

#include "support/agent_process.h"
#include "support/exposition.h"
#include "support/privileges.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

const std::vector<std::string> kMatch = {"--cgroup-match", "/(vnftest-[a-z]+-[0-9]+(-[0-9]+)?)$"};

class CgroupChurn : public ::testing::TestWithParam<std::string> {
 protected:
  std::vector<std::string> args() const {
    std::vector<std::string> a{"--collector", GetParam()};
    a.insert(a.end(), kMatch.begin(), kMatch.end());
    return a;
  }
};

TEST_P(CgroupChurn, RemovedCgroupVanishesByNextScrape) {
  VNF_REQUIRE_ROOT_AND_BPF();
  AgentProcess agent(args());
  ASSERT_TRUE(agent.started()) << agent.log();
  const std::string name = "vnftest-gone-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  ASSERT_TRUE(has_vnf(agent.scrape(), name));
  cgroup.remove();
  const std::string after = agent.scrape();
  ASSERT_FALSE(after.empty());
  EXPECT_FALSE(has_vnf(after, name)) << after;
}

TEST_P(CgroupChurn, ScrapesNeverFailWhileCgroupsComeAndGo) {
  VNF_REQUIRE_ROOT_AND_BPF();
  AgentProcess agent(args());
  ASSERT_TRUE(agent.started()) << agent.log();

  std::atomic<bool> done{false};
  std::atomic<int> created{0};
  std::thread churn([&] {
    const std::string base = "vnftest-churn-" + std::to_string(getpid()) + "-";
    for (int round = 0; !done; ++round) {
      std::vector<std::unique_ptr<TestCgroup>> batch;
      for (int i = 0; i < 20; ++i) batch.push_back(std::make_unique<TestCgroup>(base + std::to_string(round * 20 + i)));
      created += 20;
    }  // each batch is removed as the next begins
  });
  int scrapes = 0, failures = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < end) {
    auto reply = agent.get("/metrics");
    ++scrapes;
    if (reply.status != 200) ++failures;
  }
  done = true;
  churn.join();

  const std::string final_scrape = agent.scrape();
  std::cout << "[measured] collector=" << GetParam() << " scrapes=" << scrapes << " failed=" << failures
            << " cgroups created and removed=" << created << "\n";
  EXPECT_GT(scrapes, 10);
  EXPECT_GT(created, 100);
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(final_scrape.find("vnftest-churn-"), std::string::npos) << "stale series after churn";
  EXPECT_NE(final_scrape.find("vnf_agent_scrape_errors_total{component=\"collect\"} 0"), std::string::npos)
      << final_scrape;
}

double walks(const std::string &text, const std::string &trigger) {
  const std::string prefix = "vnf_agent_discovery_walks_total{trigger=\"" + trigger + "\"} ";
  auto pos = text.find(prefix);
  return pos == std::string::npos ? 0 : std::stod(text.substr(pos + prefix.size()));
}

std::size_t count_of(const std::string &text, const std::string &what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(CgroupEvents, NewCgroupIsDiscoveredByTheWatcherWithoutAScrape) {
  VNF_REQUIRE_ROOT_AND_BPF();
  AgentProcess agent({"--collector", "bpf", "--log-level", "debug", kMatch[0], kMatch[1]});
  ASSERT_TRUE(agent.started()) << agent.log();
  const std::string before = agent.scrape();
  const std::string event_walk = "discover: walked on a cgroup event";
  const auto walked_before = count_of(agent.log(), event_walk);
  const std::string name = "vnftest-event-" + std::to_string(getpid());
  const auto made = std::chrono::steady_clock::now();
  TestCgroup cgroup(name);
  // The watcher's walk, awaited without a scrape (which would walk itself): it takes 0.1 s of
  // debounce and a walk on an idle machine, longer on a busy one.
  while (count_of(agent.log(), event_walk) == walked_before &&
         std::chrono::steady_clock::now() - made < std::chrono::seconds(30))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - made).count();
  const std::string after = agent.scrape();
  std::cout << "[measured] the watcher walked " << seconds << " s after the mkdir; walks: event "
            << walks(before, "event") << " -> " << walks(after, "event") << ", forced by the scrape "
            << walks(before, "reader") << " -> " << walks(after, "reader") << "\n";
  EXPECT_TRUE(has_vnf(after, name));
  EXPECT_GE(walks(after, "event"), walks(before, "event") + 1) << "the watcher did not re-walk";
  EXPECT_EQ(walks(after, "reader"), walks(before, "reader")) << "the scrape had to walk: the event was not handled in time";
}

INSTANTIATE_TEST_SUITE_P(Collectors, CgroupChurn, ::testing::Values("bpf", "cgroupfs"),
                         [](const auto &info) { return info.param; });

}  // namespace
}  // namespace vnf::test
