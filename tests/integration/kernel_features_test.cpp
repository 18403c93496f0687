// Which source the agent uses for each family on the running kernel (vnf_agent_feature),
// against what the compatibility table predicts from the kernel's release alone: every probe
// whose features this kernel has is loaded, and only the others' families move.

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include "support/agent_process.h"
#include "support/exposition.h"
#include "support/kernel_release.h"
#include "support/privileges.h"

namespace vnf::test {
namespace {

// feature -> source, from the agent's vnf_agent_feature samples.
std::map<std::string, std::string> feature_sources(const std::string &text) {
  std::map<std::string, std::string> sources;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("vnf_agent_feature{", 0) != 0) continue;
    auto label = [&](const std::string &name) {
      const auto at = line.find(name + "=\"") + name.size() + 2;
      return line.substr(at, line.find('"', at) - at);
    };
    sources[label("feature")] = label("source");
  }
  return sources;
}

TEST(KernelFeatures, EveryFamilyComesFromTheSourceTheKernelAllows) {
  VNF_REQUIRE_ROOT_AND_BPF();
  const bool tasks = running_kernel_has(KernelFeature::task_storage);
  const bool iterator = running_kernel_has(KernelFeature::cgroup_iter);
  const std::map<std::string, std::string> expected{
      {"cpu", tasks ? "bpf" : "cgroupfs"},
      {"runqueue", tasks ? "bpf" : "none"},
      {"memory", iterator ? "bpf" : "cgroupfs"},
      {"network_interfaces", "procfs"},
      {"network_drops", running_kernel_has(KernelFeature::drop_reasons) ? "bpf" : "none"},
      {"host_network_sockets", "bpf"},
      {"cgroup_events", running_kernel_has(KernelFeature::ringbuf) ? "bpf" : "none"},
      {"cpu_bandwidth", iterator ? "bpf" : "cgroupfs"},
      {"pressure", kernel_lacks_psi() ? "none" : iterator ? "bpf" : "cgroupfs"},
  };
  // --collector=bpf demands BPF: on an older kernel it still starts, with the fallbacks.
  AgentProcess agent({"--collector", "bpf"});
  ASSERT_TRUE(agent.started()) << agent.log();
  const std::string text = agent.scrape();
  EXPECT_EQ(feature_sources(text), expected) << text;
  for (const auto &[feature, source] : feature_sources(text))
    std::cout << "[measured] " << feature << ": " << source << "\n";
  EXPECT_NE(text.find("vnf_agent_build_info{collector=\"bpf\""), std::string::npos) << text;
}

TEST(KernelFeatures, CgroupfsCollectorUsesNoProbe) {
  VNF_REQUIRE_ROOT_AND_BPF();
  AgentProcess agent({"--collector", "cgroupfs"});
  ASSERT_TRUE(agent.started()) << agent.log();
  const std::map<std::string, std::string> expected{
      {"cpu", "cgroupfs"}, {"runqueue", "none"}, {"memory", "cgroupfs"}, {"network_interfaces", "procfs"},
      {"network_drops", "none"}, {"host_network_sockets", "none"}, {"cgroup_events", "none"},
      {"cpu_bandwidth", "cgroupfs"}, {"pressure", kernel_lacks_psi() ? "none" : "cgroupfs"}};
  EXPECT_EQ(feature_sources(agent.scrape()), expected);
}

}  // namespace
}  // namespace vnf::test
