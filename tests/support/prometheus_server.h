#pragma once
// A real Prometheus server (Debian's prometheus) on a free loopback port, scraping every
// second with the scrape job it is given; removed with its data when it goes.

#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace vnf::test {

class PrometheusServer {
 public:
  // `scrape_job`: one entry of scrape_configs, as YAML indented for the list ("  - job_name: ...").
  explicit PrometheusServer(const std::string &scrape_job);
  ~PrometheusServer();
  PrometheusServer(const PrometheusServer &) = delete;
  PrometheusServer &operator=(const PrometheusServer &) = delete;

  // The plain-HTTP job of the agent on `port`, named vnf-agent.
  static std::string plain_job(int port);

  // GET /api/v1/query; null if Prometheus does not answer (yet).
  nlohmann::json query(const std::string &promql) const;
  // The value of the first sample of `promql`, if any.
  std::string first_value(const std::string &promql) const;
  std::string log() const;
  const std::filesystem::path &dir() const { return dir_; }

 private:
  int port_;
  pid_t pid_ = -1;
  std::filesystem::path dir_;
};

}  // namespace vnf::test
