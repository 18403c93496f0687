// The VNF's network series against the kernel's interface counters in its namespace, for
// forwarded UDP and TCP traffic (host A -> VNF -> host B, GRO on in the VNF); drops with a
// reason; and socket traffic of a VNF in the host namespace.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include "support/agent_process.h"
#include "support/exposition.h"
#include "support/netns_topology.h"
#include "support/privileges.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

const std::vector<std::string> kMatch = {"--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"};

InterfaceTotals agent_totals(const AgentProcess &agent, const std::string &vnf) {
  const std::string text = agent.scrape();
  auto value = [&](const char *metric) {
    auto v = vnf_sample(text, metric, vnf);
    EXPECT_TRUE(v) << "no " << metric << " for " << vnf << " in:\n" << text;
    return static_cast<std::uint64_t>(v.value_or(0));
  };
  return {value("vnf_network_receive_packets_total"), value("vnf_network_receive_bytes_total"),
          value("vnf_network_transmit_packets_total"), value("vnf_network_transmit_bytes_total")};
}

void iperf(const NetnsTopology &topo, const std::string &client_flags) {
  CommandResult client;
  for (int attempt = 0; attempt < 5; ++attempt) {  // the daemonised server may need a moment
    run_shell("ip netns exec " + topo.host_b() + " iperf3 -s -1 -p 5201 -D");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    client = run_shell("ip netns exec " + topo.host_a() + " iperf3 -c " + NetnsTopology::kHostBAddress +
                       " -p 5201 -t 2 " + client_flags);
    if (client.exit_code == 0) break;
  }
  ASSERT_EQ(client.exit_code, 0) << client.output;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the last packets drain
}

void expect_within_one_percent(const char *what, std::uint64_t kernel, std::uint64_t agent) {
  std::cout << "[measured]   " << what << " kernel=" << kernel << " agent=" << agent << " error="
            << (kernel ? 100.0 * (static_cast<double>(agent) - static_cast<double>(kernel)) / static_cast<double>(kernel) : 0)
            << "%\n";
  EXPECT_NEAR(static_cast<double>(agent), static_cast<double>(kernel), static_cast<double>(kernel) * 0.01) << what;
}

class NetworkAccuracy : public ::testing::TestWithParam<std::string> {};

TEST_P(NetworkAccuracy, ForwardedTrafficMatchesInterfaceCounters) {
  VNF_REQUIRE_ROOT_AND_BPF();
  NetnsTopology topo;
  const std::string name = "vnftest-net-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  NetnsMember member(topo.vnf(), cgroup);
  std::vector<std::string> args{"--collector", GetParam()};
  args.insert(args.end(), kMatch.begin(), kMatch.end());
  AgentProcess agent(args);
  ASSERT_TRUE(agent.started()) << agent.log();

  for (const std::string flags : {"-u -b 50M -l 64", ""}) {
    const auto kernel_before = topo.vnf_interface_totals();
    const auto agent_before = agent_totals(agent, name);
    iperf(topo, flags);
    const auto kernel_after = topo.vnf_interface_totals();
    const auto agent_after = agent_totals(agent, name);
    std::cout << "[measured] collector=" << GetParam() << " iperf3 " << (flags.empty() ? "TCP" : "UDP " + flags) << "\n";
    expect_within_one_percent("rx_packets", kernel_after.rx_packets - kernel_before.rx_packets,
                              agent_after.rx_packets - agent_before.rx_packets);
    expect_within_one_percent("rx_bytes", kernel_after.rx_bytes - kernel_before.rx_bytes,
                              agent_after.rx_bytes - agent_before.rx_bytes);
    expect_within_one_percent("tx_packets", kernel_after.tx_packets - kernel_before.tx_packets,
                              agent_after.tx_packets - agent_before.tx_packets);
    expect_within_one_percent("tx_bytes", kernel_after.tx_bytes - kernel_before.tx_bytes,
                              agent_after.tx_bytes - agent_before.tx_bytes);
    EXPECT_GT(kernel_after.rx_packets - kernel_before.rx_packets, 10000u) << "too little traffic went through";
  }
}

INSTANTIATE_TEST_SUITE_P(Collectors, NetworkAccuracy, ::testing::Values("bpf", "cgroupfs"),
                         [](const auto &info) { return info.param; });

TEST(NetworkDrops, UnroutablePacketIsADropWithAReason) {
  VNF_REQUIRE_ROOT_AND_BPF();
  NetnsTopology topo;
  const std::string name = "vnftest-drop-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  NetnsMember member(topo.vnf(), cgroup);
  std::vector<std::string> args{"--collector", "bpf"};
  args.insert(args.end(), kMatch.begin(), kMatch.end());
  AgentProcess agent(args);
  ASSERT_TRUE(agent.started()) << agent.log();

  // Host A routes everything through the VNF, which has no route to this address.
  run_shell("ip netns exec " + topo.host_a() + " timeout 2 bash -c 'exec 3<>/dev/tcp/" +
            NetnsTopology::kUnroutableAddress + "/9'");
  const std::string text = agent.scrape();
  double unroutable = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("vnf_network_drops_total{", 0) != 0 || line.find("vnf=\"" + name + "\"") == std::string::npos) continue;
    std::cout << "[measured] " << line << "\n";
    if (line.find("reason=\"ip_innoroutes\"") != std::string::npos || line.find("reason=\"ip_inaddrerrors\"") != std::string::npos)
      unroutable += std::stod(line.substr(line.rfind(' ') + 1));
  }
  EXPECT_GE(unroutable, 1) << text;
}

// Sends `n` UDP datagrams of `payload` bytes to itself over loopback, receiving each.
bool loopback_datagrams(int n, std::size_t payload) {
  int rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bool ok = rx >= 0 && tx >= 0 && bind(rx, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0 &&
            getsockname(rx, reinterpret_cast<sockaddr *>(&addr), &len) == 0;
  std::vector<char> buf(payload);
  for (int i = 0; ok && i < n; ++i)
    ok = sendto(tx, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr *>(&addr), sizeof addr) >= 0 &&
         recv(rx, buf.data(), buf.size(), 0) >= 0;
  if (rx >= 0) close(rx);
  if (tx >= 0) close(tx);
  return ok;
}

TEST(NetworkHostNamespace, SocketTrafficCountedByCgroup) {
  VNF_REQUIRE_ROOT_AND_BPF();
  const std::string name = "vnftest-hostnet-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  std::vector<std::string> args{"--collector", "bpf"};
  args.insert(args.end(), kMatch.begin(), kMatch.end());
  AgentProcess agent(args);
  ASSERT_TRUE(agent.started()) << agent.log();

  // Sockets of no VNF (this test's own) are not counted: the socket programs sit on the
  // host-network VNFs' cgroups only, not on the root.
  ASSERT_TRUE(loopback_datagrams(100, 100));
  const std::string idle = agent.scrape();
  EXPECT_NE(idle.find("vnf_agent_bpf_map_entries{map=\"cgroup_traffic\"} 0\n"), std::string::npos) << idle;

  constexpr int kDatagrams = 1000;
  constexpr std::size_t kPayload = 100;  // 128 bytes with IPv4 and UDP headers
  int go[2], done[2];
  ASSERT_EQ(pipe2(go, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(done, O_CLOEXEC), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // in the host namespace, inside the test cgroup once released
    char byte = 0;
    if (read(go[0], &byte, 1) != 1) _exit(2);
    if (!loopback_datagrams(kDatagrams, kPayload)) _exit(3);
    byte = 1;
    if (write(done[1], &byte, 1) != 1) _exit(6);
    for (;;) pause();  // stay, so the VNF keeps a member task
  }
  close(go[0]);
  close(done[1]);
  cgroup.add_process(pid);
  const std::string before = agent.scrape();  // sees the VNF in the host namespace, idle
  ASSERT_EQ(write(go[1], "g", 1), 1);
  close(go[1]);
  char byte = 0;
  const bool finished = read(done[0], &byte, 1) == 1;
  close(done[0]);
  const std::string after = agent.scrape();
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  ASSERT_TRUE(finished) << "the traffic child failed";

  auto delta = [&](const char *metric) {
    auto a = vnf_sample(after, metric, name), b = vnf_sample(before, metric, name);
    EXPECT_TRUE(a && b) << metric << " missing:\n" << after;
    return a.value_or(0) - b.value_or(0);
  };
  const double tx_packets = delta("vnf_network_transmit_packets_total");
  const double rx_packets = delta("vnf_network_receive_packets_total");
  const double tx_bytes = delta("vnf_network_transmit_bytes_total");
  std::cout << "[measured] host-network VNF, " << kDatagrams << " datagrams over loopback: tx_packets=" << tx_packets
            << " rx_packets=" << rx_packets << " tx_bytes=" << tx_bytes << "\n";
  EXPECT_EQ(tx_packets, kDatagrams);
  EXPECT_EQ(rx_packets, kDatagrams);
  EXPECT_EQ(tx_bytes, kDatagrams * (kPayload + 28));
}

}  // namespace
}  // namespace vnf::test
