// End to end with a real Prometheus server (Debian's prometheus): it scrapes the agent and a
// VNF series comes back through Prometheus' HTTP API.

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "support/agent_process.h"
#include "support/privileges.h"
#include "support/prometheus_server.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

TEST(PrometheusEndToEnd, ScrapedVnfSeriesIsQueryable) {
  VNF_REQUIRE_ROOT_AND_BPF();
  if (std::string(VNF_PROMETHEUS).empty()) {
    if (in_ci()) FAIL() << "prometheus not found at configure time (Debian package prometheus)";
    GTEST_SKIP() << "prometheus not found";
  }
  const std::string name = "vnftest-prom-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  AgentProcess agent({"--collector", "bpf", "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  ASSERT_TRUE(agent.started()) << agent.log();
  PrometheusServer prometheus(PrometheusServer::plain_job(agent.port()));

  nlohmann::json result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    auto reply = prometheus.query("vnf_memory_usage_bytes{vnf=\"" + name + "\"}");
    if (reply.is_object() && !reply["data"]["result"].empty()) {
      result = reply["data"]["result"][0];
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_TRUE(result.is_object()) << "no series through Prometheus within 60 s; its log:\n" << prometheus.log();
  std::cout << "[measured] through Prometheus: " << result.dump() << "\n";
  EXPECT_EQ(result["metric"]["job"], "vnf-agent");
  EXPECT_EQ(result["metric"]["vnf"], name);
  auto up = prometheus.query("up{job=\"vnf-agent\"}");
  ASSERT_TRUE(up.is_object());
  EXPECT_EQ(up["data"]["result"][0]["value"][1], "1");
}

}  // namespace
}  // namespace vnf::test
