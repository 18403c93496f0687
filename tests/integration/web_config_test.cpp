// TLS and basic auth through --web.config.file, against real clients: a Prometheus server
// scrapes over TLS with a client certificate and a password; curl and openssl check what is
// refused (a wrong password: 401; no client certificate under RequireAndVerifyClientCert: the
// handshake); a certificate replaced on disk is served after SIGHUP, and after a change
// alone, without a failed scrape; a broken file on reload keeps the settings in force.

#include <crypt.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "support/agent_process.h"
#include "support/privileges.h"
#include "support/prometheus_server.h"

namespace vnf::test {
namespace {

using Clock = std::chrono::steady_clock;

const char *kPassword = "scrape-s3cret";

std::string bcrypt(const std::string &password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  crypt_gensalt_rn("$2y$", 10, nullptr, 0, salt, sizeof salt);  // htpasswd -B's default cost
  auto data = std::make_unique<crypt_data>();
  return crypt_r(password.c_str(), salt, data.get());
}

// A CA, two server certificates for 127.0.0.1 (the second replaces the first), a client
// certificate from the CA and one from a CA the agent does not trust.
class Certificates {
 public:
  Certificates() : dir_(std::filesystem::temp_directory_path() / ("vnf-tls-" + std::to_string(getpid()))) {
    std::filesystem::create_directories(dir_);
    const std::string d = dir_.string();
    auto ok = run_shell(
        "set -e; cd " + d + "\n"
        "ca() { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=$1 "
        "-keyout $1.key -out $1.crt 2>/dev/null; }\n"
        "leaf() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=$1 -keyout $1.key -out $1.csr "
        "2>/dev/null; printf \"$3\" > $1.ext; openssl x509 -req -in $1.csr -CA $2.crt -CAkey $2.key -CAcreateserial -days 2 "
        "-extfile $1.ext -out $1.crt 2>/dev/null; }\n"
        "ca ca; ca stranger-ca\n"
        "leaf server1 ca 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth'\n"
        "leaf server2 ca 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth'\n"
        "leaf client ca 'extendedKeyUsage=clientAuth'\n"
        "leaf stranger stranger-ca 'extendedKeyUsage=clientAuth'\n"
        "cp server1.crt server.crt; cp server1.key server.key\n");
    ready_ = ok.exit_code == 0;
    output_ = ok.output;
  }
  ~Certificates() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  bool ready() const { return ready_; }
  const std::string &output() const { return output_; }
  std::string path(const std::string &name) const { return (dir_ / name).string(); }
  const std::filesystem::path &dir() const { return dir_; }
  std::string serial(const std::string &cert) const {
    return run_shell("openssl x509 -noout -serial -in " + path(cert)).output;
  }
  // Puts server<n> in place as server.crt/.key, each by an atomic rename as a secret update does.
  void serve(int n) const {
    for (const char *ext : {".key", ".crt"}) {
      std::filesystem::copy_file(path("server" + std::to_string(n) + ext), path(std::string("next") + ext),
                                 std::filesystem::copy_options::overwrite_existing);
      std::filesystem::rename(path(std::string("next") + ext), path(std::string("server") + ext));
    }
  }

 private:
  std::filesystem::path dir_;
  bool ready_ = false;
  std::string output_;
};

std::string web_config(const Certificates &certs) {
  return "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
         "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"
         "http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n"
         "basic_auth_users:\n  prometheus: " + bcrypt(kPassword) + "\n";
}

struct Curl {
  int exit_code;
  std::string code;  // "000": no HTTP answer
};

// curl against the agent; `options` adds or replaces credentials.
Curl curl(const Certificates &certs, int port, const std::string &path, const std::string &options) {
  auto r = run_shell("curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert " + certs.path("ca.crt") + " " +
                     options + " https://127.0.0.1:" + std::to_string(port) + path);
  return {r.exit_code, r.output};
}

std::string with_client(const Certificates &certs, const std::string &name = "client") {
  return "--cert " + certs.path(name + ".crt") + " --key " + certs.path(name + ".key");
}

// The serial of the certificate the agent presents now.
std::string served_serial(const Certificates &certs, int port) {
  return run_shell("openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " -CAfile " + certs.path("ca.crt") + " " +
                   "-cert " + certs.path("client.crt") + " -key " + certs.path("client.key") +
                   " </dev/null 2>/dev/null | openssl x509 -noout -serial")
      .output;
}

bool eventually(const std::function<bool()> &condition, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return condition();
}

class WebConfigFile : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(certs_.ready()) << certs_.output();
    std::ofstream(certs_.path("web.yml")) << web_config(certs_);
  }
  Certificates certs_;
};

TEST_F(WebConfigFile, RefusesWhatItMustAtTheRightLayer) {
  AgentProcess agent({"--collector", "cgroupfs", "--web.config.file", certs_.path("web.yml")});
  ASSERT_TRUE(agent.started()) << agent.log();
  const int port = agent.port();
  const std::string password = " -u prometheus:" + std::string(kPassword);

  EXPECT_EQ(curl(certs_, port, "/metrics", with_client(certs_) + password).code, "200");
  EXPECT_EQ(curl(certs_, port, "/metrics", with_client(certs_) + " -u prometheus:wrong").code, "401");
  EXPECT_EQ(curl(certs_, port, "/metrics", with_client(certs_) + " -u someone:" + kPassword).code, "401");
  EXPECT_EQ(curl(certs_, port, "/metrics", with_client(certs_)).code, "401") << "no credentials";
  EXPECT_EQ(curl(certs_, port, "/nowhere", with_client(certs_)).code, "401") << "which paths exist is not told";
  EXPECT_EQ(curl(certs_, port, "/healthz", with_client(certs_)).code, "200") << "probes carry no password";

  auto no_cert = curl(certs_, port, "/healthz", password);
  EXPECT_NE(no_cert.exit_code, 0);
  EXPECT_EQ(no_cert.code, "000") << "refused at the handshake, before any HTTP";
  auto stranger = curl(certs_, port, "/healthz", with_client(certs_, "stranger") + password);
  EXPECT_NE(stranger.exit_code, 0);
  EXPECT_EQ(stranger.code, "000") << "a certificate from another CA is refused at the handshake";
  auto plain = run_shell("curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://127.0.0.1:" + std::to_string(port) + "/healthz");
  EXPECT_EQ(plain.output, "000") << "no plain HTTP on a TLS port";

  auto headers = run_shell("curl -s -D - -o /dev/null --cacert " + certs_.path("ca.crt") + " " + with_client(certs_) + password +
                           " https://127.0.0.1:" + std::to_string(port) + "/metrics");
  EXPECT_NE(headers.output.find("X-Content-Type-Options: nosniff"), std::string::npos) << headers.output;
  EXPECT_NE(agent.log().find("wrong user or password for 'prometheus'"), std::string::npos);
  EXPECT_EQ(agent.log().find("wrong\""), std::string::npos);
  EXPECT_EQ(agent.log().find(kPassword), std::string::npos) << "a password was logged";
}

TEST_F(WebConfigFile, PrometheusScrapesOverTlsWithBasicAuthThroughCertificateReloads) {
  if (std::string(VNF_PROMETHEUS).empty()) {
    if (in_ci()) FAIL() << "prometheus not found at configure time (Debian package prometheus)";
    GTEST_SKIP() << "prometheus not found";
  }
  AgentProcess agent({"--collector", "cgroupfs", "--web.config.file", certs_.path("web.yml")});
  ASSERT_TRUE(agent.started()) << agent.log();
  const int port = agent.port();
  PrometheusServer prometheus("  - job_name: vnf-agent\n    scheme: https\n    tls_config:\n      ca_file: " + certs_.path("ca.crt") +
                              "\n      cert_file: " + certs_.path("client.crt") + "\n      key_file: " + certs_.path("client.key") +
                              "\n    basic_auth:\n      username: prometheus\n      password: " + kPassword +
                              "\n    static_configs:\n      - targets: ['127.0.0.1:" + std::to_string(port) + "']\n");
  ASSERT_TRUE(eventually([&] { return prometheus.first_value("vnf_agent_build_info{job=\"vnf-agent\"}") == "1"; },
                         std::chrono::seconds(60)))
      << "no scrape over TLS within 60 s; Prometheus' log:\n" << prometheus.log() << "\nthe agent's:\n" << agent.log();

  // Prometheus has scraped again since now (a sample of up, failed or not).
  auto scraped_since_now = [&] {
    auto count = [&] {
      const auto n = prometheus.first_value("count_over_time(up{job=\"vnf-agent\"}[10m])");
      return n.empty() ? 0 : std::stoi(n);
    };
    const int before = count();
    return eventually([&] { return count() > before + 1; }, std::chrono::seconds(30));  // +1: one in flight may predate
  };

  const auto first = certs_.serial("server1.crt"), second = certs_.serial("server2.crt");
  ASSERT_NE(first, second);
  EXPECT_EQ(served_serial(certs_, port), first);
  certs_.serve(2);
  agent.signal(SIGHUP);
  EXPECT_TRUE(eventually([&] { return served_serial(certs_, port) == second; }, std::chrono::seconds(10)))
      << "the new certificate is not served after SIGHUP\n" << agent.log();
  EXPECT_TRUE(scraped_since_now());
  certs_.serve(1);  // no signal: the change on disk is enough
  EXPECT_TRUE(eventually([&] { return served_serial(certs_, port) == first; }, std::chrono::seconds(10)))
      << "a certificate changed on disk is not served\n" << agent.log();
  EXPECT_TRUE(scraped_since_now());

  std::ofstream(certs_.path("web.yml")) << "tls_server_config: {cert_file: server.crt}\n";  // broken
  agent.signal(SIGHUP);
  EXPECT_TRUE(eventually([&] { return agent.log().find("rejected (SIGHUP), the one in force stays") != std::string::npos; },
                         std::chrono::seconds(10)))
      << agent.log();
  EXPECT_EQ(curl(certs_, port, "/metrics", with_client(certs_) + " -u prometheus:" + kPassword).code, "200");

  EXPECT_TRUE(scraped_since_now());

  // Every scrape since the start went through: through both certificate changes and the broken file.
  const auto scrapes = prometheus.first_value("count_over_time(up{job=\"vnf-agent\"}[10m])");
  const auto worst = prometheus.first_value("min_over_time(up{job=\"vnf-agent\"}[10m])");
  std::cout << "[measured] scrapes over TLS: " << scrapes << ", lowest up: " << worst << "\n";
  EXPECT_EQ(worst, "1") << "a scrape failed; Prometheus' log:\n" << prometheus.log();
}

TEST(WebConfigStart, AnInvalidFileIsOneLineAndExitOne) {
  const auto file = std::filesystem::temp_directory_path() / ("vnf-web-" + std::to_string(getpid()) + ".yml");
  std::ofstream(file) << "tls_server_config:\n  cert_file: /nonexistent/server.crt\n  key_file: /nonexistent/server.key\n";
  auto r = run_agent_command({"run", "--collector", "cgroupfs", "--listen", "127.0.0.1:0", "--web.config.file", file.string()},
                             std::chrono::seconds(20));
  std::filesystem::remove(file);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("cannot read cert_file /nonexistent/server.crt"), std::string::npos) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

}  // namespace
}  // namespace vnf::test
