// Every metric the Grafana dashboard queries is one the agent exports (seen in a real scrape
// with every kind of series present) or one the Prometheus rules record.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "support/agent_process.h"
#include "support/netns_topology.h"
#include "support/privileges.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

// Metric names in a PromQL expression: label matchers, grouping labels and strings removed
// first, so that only series selectors and functions remain.
std::set<std::string> metrics_in(std::string expr) {
  expr = std::regex_replace(expr, std::regex(R"(\{[^}]*\})"), " ");
  expr = std::regex_replace(expr, std::regex(R"((by|without)\s*\([^)]*\))"), " ");
  expr = std::regex_replace(expr, std::regex(R"("[^"]*")"), " ");
  expr = std::regex_replace(expr, std::regex(R"(\[[^\]]*\])"), " ");
  std::set<std::string> names;
  const std::regex identifier(R"([a-zA-Z_:][a-zA-Z0-9_:]*)");
  for (std::sregex_iterator it(expr.begin(), expr.end(), identifier), end; it != end; ++it) {
    const std::string name = it->str();
    const auto after = static_cast<std::size_t>(it->position() + it->length());
    const bool function = after < expr.size() && expr[after] == '(';
    if (!function && (name.rfind("vnf", 0) == 0 || name == "up") && name != "vnf_type") names.insert(name);
  }
  return names;
}

std::set<std::string> dashboard_metrics(const nlohmann::json &dashboard) {
  std::set<std::string> names;
  for (const auto &panel : dashboard["panels"])
    for (const auto &target : panel["targets"])
      for (const auto &n : metrics_in(target["expr"].get<std::string>())) names.insert(n);
  for (const auto &variable : dashboard["templating"]["list"]) {
    if (!variable.contains("query") || !variable["query"].is_object()) continue;
    std::smatch m;
    const std::string query = variable["query"]["query"];
    if (std::regex_search(query, m, std::regex(R"(label_values\((\w+),)"))) names.insert(m[1].str());
  }
  return names;
}

std::set<std::string> exported(const std::string &exposition) {
  std::set<std::string> names;
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line[0] != '#') names.insert(line.substr(0, line.find_first_of("{ ")));
  return names;
}

std::set<std::string> recorded() {
  std::set<std::string> names;
  std::ifstream rules(std::string(VNF_SOURCE_DIR) + "/packaging/prometheus/vnf-agent.rules.yml");
  std::smatch m;
  for (std::string line; std::getline(rules, line);)
    if (std::regex_search(line, m, std::regex(R"(- record: (\S+))"))) names.insert(m[1].str());
  return names;
}

TEST(GrafanaDashboard, TheCheckCatchesAnUnknownMetric) {
  EXPECT_EQ(metrics_in(R"(sum by (vnf_type) (rate(vnf_bogus_total{vnf="a{b}"}[5m])) / vnf_type:x:avg)"),
            (std::set<std::string>{"vnf_bogus_total", "vnf_type:x:avg"}));
}

TEST(GrafanaDashboard, EveryQueriedMetricIsExported) {
  VNF_REQUIRE_ROOT_AND_BPF();
  std::ifstream file(std::string(VNF_SOURCE_DIR) + "/packaging/grafana/vnf-agent-dashboard.json");
  const auto dashboard = nlohmann::json::parse(file);

  // One VNF with every kind of series: CPU and its limit, throttling and pressure, memory and
  // its limit, traffic, a drop, a scaling event.
  NetnsTopology topo;
  const std::string name = "vnftest-grafana-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  cgroup.set_memory_limit(512 * 1024 * 1024);  // so that the limit series exist
  cgroup.set_cpu_limit(200000, 100000);
  NetnsMember member(topo.vnf(), cgroup);
  AgentProcess agent({"--collector", "bpf", "--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"});
  ASSERT_TRUE(agent.started()) << agent.log();
  run_shell("ip netns exec " + topo.host_a() + " timeout 2 bash -c 'exec 3<>/dev/tcp/" +
            NetnsTopology::kUnroutableAddress + "/9'");
  auto scale = run_agent_command({"scale", "--socket", agent.socket_path().string(), "--type", "firewall",
                                  "--direction", "out"}, std::chrono::seconds(20));
  ASSERT_EQ(scale.exit_code, 0) << scale.output;

  auto known = exported(agent.scrape());
  for (const auto &n : recorded()) known.insert(n);
  known.insert("up");  // Prometheus' own
  for (const auto &metric : dashboard_metrics(dashboard))
    EXPECT_TRUE(known.count(metric)) << "the dashboard queries " << metric << ", which the agent does not export";
  EXPECT_GE(dashboard_metrics(dashboard).size(), 15u);
}

}  // namespace
}  // namespace vnf::test
