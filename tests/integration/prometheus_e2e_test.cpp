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
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

class PrometheusServer {
 public:
  PrometheusServer(int scrape_port) : port_(free_port()) {
    dir_ = std::filesystem::temp_directory_path() / ("vnf-prometheus-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_ / "data");
    std::ofstream(dir_ / "prometheus.yml") << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                           << "scrape_configs:\n  - job_name: vnf-agent\n    static_configs:\n"
                                           << "      - targets: ['127.0.0.1:" << scrape_port << "']\n";
    pid_ = fork();
    if (pid_ == 0) {
      const std::string config = "--config.file=" + (dir_ / "prometheus.yml").string();
      const std::string data = "--storage.tsdb.path=" + (dir_ / "data").string();
      const std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port_);
      freopen((dir_ / "log").c_str(), "w", stderr);
      execl(VNF_PROMETHEUS, VNF_PROMETHEUS, config.c_str(), data.c_str(), listen.c_str(), nullptr);
      _exit(127);
    }
  }
  ~PrometheusServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  nlohmann::json query(const std::string &promql) const {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(1);
    auto res = client.Get("/api/v1/query", httplib::Params{{"query", promql}}, httplib::Headers{});
    if (!res || res->status != 200) return nullptr;
    return nlohmann::json::parse(res->body, nullptr, false);
  }
  std::string log() const {
    std::ifstream in(dir_ / "log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  int port_;
  pid_t pid_ = -1;
  std::filesystem::path dir_;
};

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
  PrometheusServer prometheus(agent.port());

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
