#include "support/prometheus_server.h"

#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "support/agent_process.h"

namespace vnf::test {

PrometheusServer::PrometheusServer(const std::string &scrape_job) : port_(free_port()) {
  dir_ = std::filesystem::temp_directory_path() / ("vnf-prometheus-" + std::to_string(getpid()) + "-" + std::to_string(port_));
  std::filesystem::create_directories(dir_ / "data");
  std::ofstream(dir_ / "prometheus.yml") << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                         << "scrape_configs:\n" << scrape_job;
  pid_ = fork();
  if (pid_ == 0) {
    const std::string config = "--config.file=" + (dir_ / "prometheus.yml").string();
    const std::string data = "--storage.tsdb.path=" + (dir_ / "data").string();
    const std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port_);
    if (!freopen((dir_ / "log").c_str(), "w", stderr)) _exit(126);
    execl(VNF_PROMETHEUS, VNF_PROMETHEUS, config.c_str(), data.c_str(), listen.c_str(), nullptr);
    _exit(127);
  }
}

PrometheusServer::~PrometheusServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string PrometheusServer::plain_job(int port) {
  return "  - job_name: vnf-agent\n    static_configs:\n      - targets: ['127.0.0.1:" + std::to_string(port) + "']\n";
}

nlohmann::json PrometheusServer::query(const std::string &promql) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(1);
  auto res = client.Get("/api/v1/query", httplib::Params{{"query", promql}}, httplib::Headers{});
  if (!res || res->status != 200) return nullptr;
  return nlohmann::json::parse(res->body, nullptr, false);
}

std::string PrometheusServer::first_value(const std::string &promql) const {
  auto reply = query(promql);
  if (!reply.is_object() || !reply["data"]["result"].is_array() || reply["data"]["result"].empty()) return "";
  return reply["data"]["result"][0]["value"][1].get<std::string>();
}

std::string PrometheusServer::log() const {
  std::ifstream in(dir_ / "log");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace vnf::test
