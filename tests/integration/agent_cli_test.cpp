// Start-up errors are one actionable line and a non-zero exit; endpoints answer as documented;
// SIGTERM and SIGINT stop the agent cleanly.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <chrono>
#include <thread>

#include "support/agent_process.h"
#include "support/busy_child.h"
#include "support/privileges.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

using namespace std::chrono_literals;

std::size_t line_count(const std::string &text) { return std::count(text.begin(), text.end(), '\n'); }

TEST(AgentCli, PortInUseIsOneLineAndExitOne) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len), 0);
  const std::string port = std::to_string(ntohs(addr.sin_port));

  auto result = run_agent_command({"run", "--collector", "cgroupfs", "--listen", "127.0.0.1:" + port}, 10s);
  close(fd);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("Address already in use"), std::string::npos) << result.output;
  EXPECT_EQ(line_count(result.output), 1u) << result.output;
}

TEST(AgentCli, UnreadableConfigFails) {
  auto result = run_agent_command({"run", "--config", "/nonexistent/vnf-agent.yaml"}, 10s);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("cannot read config file /nonexistent/vnf-agent.yaml"), std::string::npos)
      << result.output;
  EXPECT_EQ(line_count(result.output), 1u) << result.output;
}

TEST(AgentCli, InvalidConfigNamesFileAndLine) {
  auto path = std::filesystem::temp_directory_path() / ("vnf-agent-bad-" + std::to_string(getpid()) + ".yaml");
  std::ofstream(path) << "listen: \":9090\"\ncolector: bpf\n";
  auto result = run_agent_command({"run", "--config", path.string()}, 10s);
  std::filesystem::remove(path);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find(path.string() + ":2: unknown setting 'colector'"), std::string::npos) << result.output;
}

TEST(AgentCli, UnknownFlagPrintsUsage) {
  auto result = run_agent_command({"run", "--no-such-flag"}, 10s);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("--no-such-flag"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("--listen"), std::string::npos) << "usage expected:\n" << result.output;
}

TEST(AgentCli, VersionPrintsVersion) {
  auto result = run_agent_command({"--version"}, 10s);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output.rfind("vnf-agent ", 0), 0u) << result.output;
}

TEST(AgentCli, EndpointsAndGracefulStop) {
  AgentProcess agent({"--collector", "cgroupfs"});
  ASSERT_TRUE(agent.started()) << agent.log();
  EXPECT_EQ(agent.get("/healthz").status, 200);
  EXPECT_EQ(agent.get("/readyz").status, 200);
  auto metrics = agent.get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("vnf_agent_build_info{collector=\"cgroupfs\""), std::string::npos) << metrics.body;
  EXPECT_EQ(agent.get("/no-such-page").status, 404);
  EXPECT_EQ(agent.stop(), 0) << agent.log();
}

TEST(AgentCli, SigintStopsCleanly) {
  AgentProcess agent({"--collector", "cgroupfs"});
  ASSERT_TRUE(agent.started()) << agent.log();
  EXPECT_EQ(agent.stop(SIGINT), 0) << agent.log();
  EXPECT_NE(agent.log().find("SIGINT: shutting down"), std::string::npos) << agent.log();
}

TEST(AgentCli, MetricsPortEnvironmentSetsThePort) {
  auto agent = AgentProcess::with_metrics_port({"--collector", "cgroupfs"});
  ASSERT_TRUE(agent.started()) << "nothing answered on METRICS_PORT=" << agent.port() << ":\n" << agent.log();
  EXPECT_NE(agent.log().find("(port " + std::to_string(agent.port()) + ")"), std::string::npos) << agent.log();
}

TEST(AgentCli, VnfsJsonListsVnfsWithRates) {
  VNF_REQUIRE_ROOT_AND_BPF();
  const std::string name = "vnftest-json-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  AgentProcess agent({"--collector", "bpf", "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  ASSERT_TRUE(agent.started()) << agent.log();
  BusyChild child(cgroup, std::chrono::milliseconds(1500));
  child.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // The rate's window runs from the collection of this scrape to the one /v1/vnfs makes, so
  // it lies between the two kernel readings around them.
  const auto kernel_seconds = [&] { return static_cast<double>(cgroup.kernel_cpu_ns()) / 1e9; };
  const auto t0 = std::chrono::steady_clock::now();
  const double u0 = kernel_seconds();
  agent.scrape();
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto reply = agent.get("/v1/vnfs");
  const double u1 = kernel_seconds();
  const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  child.wait();
  ASSERT_EQ(reply.status, 200);
  auto doc = nlohmann::json::parse(reply.body);
  const nlohmann::json *vnf = nullptr;
  for (const auto &v : doc["vnfs"])
    if (v["vnf"] == name) vnf = &v;
  ASSERT_NE(vnf, nullptr) << reply.body;
  EXPECT_EQ((*vnf)["cgroups"][0].get<std::string>(), cgroup.relative_path());
  ASSERT_TRUE((*vnf)["cpu_cores"].is_number()) << reply.body;
  ASSERT_TRUE(doc["interval_seconds"].is_number()) << reply.body;
  const double window = doc["interval_seconds"].get<double>(), cores = (*vnf)["cpu_cores"].get<double>();
  std::cout << "[measured] /v1/vnfs cpu_cores of a busy loop: " << cores << " over " << window << " s; kernel "
            << u1 - u0 << " s of CPU in the " << t << " s around it\n";
  // Within the window the loop used at most what the kernel counted around it, and at least
  // that less what it could have used outside the window (one CPU for the rest of the time).
  // Slack: the probe flushes a task's runtime at least every tick, and each collection reads
  // its counters a little before it takes its time.
  constexpr double kSlackSeconds = 0.03;
  EXPECT_LE(cores * window, u1 - u0 + kSlackSeconds);
  EXPECT_GE(cores * window, u1 - u0 - (t - window) - kSlackSeconds);
  EXPECT_GT(cores, 0.0);
  EXPECT_TRUE((*vnf)["memory_bytes"].is_number());
}

TEST(AgentCli, WrongMethodIs405) {
  AgentProcess agent({"--collector", "cgroupfs"});
  ASSERT_TRUE(agent.started()) << agent.log();
  httplib::Client client("127.0.0.1", agent.port());
  auto reply = client.Post("/metrics", "x", "text/plain");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 405);
  EXPECT_EQ(reply->get_header_value("Allow"), "GET, HEAD");
}

}  // namespace
}  // namespace vnf::test
