#include <gtest/gtest.h>

#include "config/agent_config.h"
#include "config/listen_address.h"

namespace vnf::config {
namespace {

TEST(Config, EmptyFileKeepsDefaults) {
  auto c = parse_config("", "test.yaml");
  EXPECT_EQ(c.listen, ":9090");
  EXPECT_EQ(c.collector, "auto");
  EXPECT_EQ(c.max_vnfs, 4096u);
}

TEST(Config, ReadsEverySetting) {
  auto c = parse_config(
      "listen: \"127.0.0.1:9100\"\ncollector: cgroupfs\nlog_level: debug\nmax_vnfs: 10\n"
      "cgroup_match:\n  - '^/vnf/(.+)$'\n  - 'fw-[0-9]+'\n",
      "test.yaml");
  EXPECT_EQ(c.listen, "127.0.0.1:9100");
  EXPECT_EQ(c.collector, "cgroupfs");
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.max_vnfs, 10u);
  EXPECT_EQ(c.cgroup_match, (std::vector<std::string>{"^/vnf/(.+)$", "fw-[0-9]+"}));
}

void expect_error(const std::string &yaml, const std::string &message) {
  try {
    parse_config(yaml, "test.yaml");
    FAIL() << "expected an error for: " << yaml;
  } catch (const ConfigError &e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
}

TEST(Config, BadInputNamesTheProblem) {
  expect_error("colector: bpf\n", "test.yaml:1: unknown setting 'colector'");
  expect_error("collector: ebpf\n", "collector 'ebpf' is not one of auto, bpf, cgroupfs");
  expect_error("max_vnfs: many\n", "test.yaml:1: 'max_vnfs' must be a positive integer");
  expect_error("max_vnfs: 0\n", "max_vnfs must be at least 1");
  expect_error("listen: 9090\n", "expected HOST:PORT");
  expect_error("cgroup_match: 'x'\n", "'cgroup_match' must be a list");
  expect_error("- a\n- b\n", "expected a mapping");
  expect_error("listen: [unclosed\n", "invalid YAML");
  expect_error("log_level: loud\n", "log level 'loud'");
  expect_error("vnf_rules:\n  - {match: {pod: x}, network_owner: maybe}\n", "'network_owner' must be true or false");
  expect_error("vnf_rules:\n  - {match: {pod: x}, network_owner: false}\n",
               "a rule needs 'vnf', 'vnf_type' or 'network_owner: true'");
}

// Found by config_fuzz: a key that is a list or a mapping escaped as YAML::BadConversion, not
// as a ConfigError naming the file and the line.
TEST(Config, KeysThatAreNotNamesAreConfigErrors) {
  expect_error("[listen]: ':9090'\n", "test.yaml:1: a key must be a name");
  expect_error("vnf_rules:\n  - {{pod: x}: 1, vnf: y}\n", "test.yaml:2: a key must be a name");
  expect_error("exclude:\n  - {[pod]: x}\n", "test.yaml:2: a key must be a name");
  expect_error("http:\n  ? [max_connections]\n  : 5\n", "test.yaml:2: a key must be a name");
}

TEST(Config, HttpLimits) {
  const HttpLimits defaults;
  EXPECT_EQ(parse_config("", "test.yaml").http, defaults);
  auto c = parse_config("http:\n  max_connections: 4000\n  max_connections_per_client: 400\n  read_timeout_seconds: 5\n"
                        "  idle_timeout_seconds: 90\n  max_body_bytes: 1024\n  max_concurrent_scrapes: 2\n",
                        "test.yaml");
  EXPECT_EQ(c.http.max_connections, 4000u);
  EXPECT_EQ(c.http.max_connections_per_client, 400u);
  EXPECT_EQ(c.http.read_timeout_seconds, 5u);
  EXPECT_EQ(c.http.idle_timeout_seconds, 90u);
  EXPECT_EQ(c.http.max_body_bytes, 1024u);
  EXPECT_EQ(c.http.max_concurrent_scrapes, 2u);
  EXPECT_EQ(parse_config("http: {max_body_bytes: 10}\n", "t").http.max_connections, defaults.max_connections)
      << "a key not given keeps its default";

  expect_error("http: 5\n", "'http' must be a mapping");
  expect_error("http: {max_conections: 5}\n", "test.yaml:1: unknown http setting 'max_conections' (max_connections, max_connections_per_client,");
  expect_error("http: {read_timeout_seconds: soon}\n", "'http.read_timeout_seconds' must be a positive integer");
  expect_error("http: {idle_timeout_seconds: 0}\n", "http.idle_timeout_seconds must be at least 1");
  expect_error("http: {max_connections: 10}\n", "http.max_connections_per_client (128) exceeds http.max_connections (10)");
  expect_error("http: {max_body_bytes: 100000000}\n", "at most 16 MiB");
}

TEST(Config, RuleMayOnlyMakeANetworkOwner) {
  auto c = parse_config("vnf_rules:\n  - {match: {container: '^dataplane$'}, network_owner: true}\n", "test.yaml");
  ASSERT_EQ(c.vnf_rules.size(), 1u);
  EXPECT_TRUE(c.vnf_rules[0].network_owner);
  EXPECT_TRUE(c.vnf_rules[0].vnf.empty());
}

TEST(ListenAddress, Forms) {
  EXPECT_EQ(parse_listen_address(":9090").host, "");
  EXPECT_EQ(parse_listen_address(":9090").port, 9090);
  EXPECT_EQ(parse_listen_address("127.0.0.1:0").port, 0);
  EXPECT_EQ(parse_listen_address("[::1]:9100").host, "::1");
  EXPECT_EQ(parse_listen_address("[::1]:9100").to_string(), "[::1]:9100");
  EXPECT_THROW(parse_listen_address("::1:9100"), std::invalid_argument);
  EXPECT_THROW(parse_listen_address(":70000"), std::invalid_argument);
  EXPECT_THROW(parse_listen_address(":http"), std::invalid_argument);
  EXPECT_THROW(parse_listen_address("9090"), std::invalid_argument);
}

TEST(ListenAddress, MetricsPortReplacesThePort) {
  EXPECT_EQ(with_port(parse_listen_address("0.0.0.0:9090"), "9100").to_string(), "0.0.0.0:9100");
  EXPECT_THROW(with_port(parse_listen_address(":9090"), "abc"), std::invalid_argument);
}

}  // namespace
}  // namespace vnf::config
