// The VNF's network series against the kernel's own interface counters in its namespace
// (/sys/class/net/*/statistics), for forwarded UDP and TCP traffic (host A -> VNF -> host B)
// on every offload setting, in both collectors at once; interfaces that come and go; a
// namespace two VNFs share; drops with a reason; and the socket traffic of a VNF in the host
// namespace from the moment it is discovered.

#include <bpf/bpf.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "support/agent_process.h"
#include "support/exposition.h"
#include "support/netns_topology.h"
#include "support/kernel_release.h"
#include "support/privileges.h"
#include "support/test_cgroup.h"

namespace vnf::test {
namespace {

const std::vector<std::string> kMatch = {"--cgroup-match", "/(vnftest-[a-z]+-[0-9]+)$"};

std::vector<std::string> agent_args(const std::string &collector) {
  std::vector<std::string> args{"--collector", collector};
  args.insert(args.end(), kMatch.begin(), kMatch.end());
  return args;
}

constexpr std::array<const char *, 8> kFamilies{
    "vnf_network_receive_packets_total",  "vnf_network_receive_bytes_total",
    "vnf_network_receive_errors_total",   "vnf_network_receive_packets_dropped_total",
    "vnf_network_transmit_packets_total", "vnf_network_transmit_bytes_total",
    "vnf_network_transmit_errors_total",  "vnf_network_transmit_packets_dropped_total"};

std::array<std::uint64_t, 8> fields(const InterfaceStatistics &s) {
  return {s.rx_packets, s.rx_bytes, s.rx_errors, s.rx_dropped, s.tx_packets, s.tx_bytes, s.tx_errors, s.tx_dropped};
}

// The interfaces `vnf` has series for.
std::set<std::string> interfaces_in(const std::string &text, const std::string &vnf) {
  std::set<std::string> names;
  std::istringstream lines(text);
  const std::string label = "vnf=\"" + vnf + "\"";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(std::string(kFamilies[0]) + "{", 0) != 0 || line.find(label) == std::string::npos) continue;
    auto at = line.find("interface=\"");
    if (at != std::string::npos) names.insert(line.substr(at + 11, line.find('"', at + 11) - at - 11));
  }
  return names;
}

// A scrape between two readings of the kernel's counters: every interface's eight series lie
// between them (equal, when nothing moved meanwhile), and there are series for no other.
void expect_kernel_counters(const std::string &what, const NetnsTopology &topo, const AgentProcess &agent,
                            const std::string &vnf) {
  const auto before = topo.vnf_interfaces();
  const std::string text = agent.scrape();
  const auto after = topo.vnf_interfaces();
  std::set<std::string> names;
  for (const auto &[name, stats] : after) names.insert(name);
  EXPECT_EQ(interfaces_in(text, vnf), names) << what << ":\n" << text;
  for (const auto &[name, stats] : after) {
    const auto low = fields(before.count(name) ? before.at(name) : InterfaceStatistics{}), high = fields(stats);
    std::cout << "[measured] " << what << " " << name << ":";
    for (std::size_t f = 0; f < kFamilies.size(); ++f) {
      const auto v = vnf_interface_sample(text, kFamilies[f], vnf, name);
      ASSERT_TRUE(v) << what << ": no " << kFamilies[f] << "{interface=\"" << name << "\"}:\n" << text;
      EXPECT_LE(low[f], *v) << what << " " << name << " " << kFamilies[f];
      EXPECT_LE(*v, high[f]) << what << " " << name << " " << kFamilies[f];
      std::cout << " " << *v << (low[f] == high[f] && *v == high[f] ? "=" : "~") << high[f];
    }
    std::cout << "\n";
  }
}

void iperf(const NetnsTopology &topo, const std::string &client_flags) {
  CommandResult client;
  for (int attempt = 0; attempt < 5; ++attempt) {  // the daemonised server may need a moment
    run_shell("ip netns exec " + topo.host_b() + " iperf3 -s -1 -p 5201 -D");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    client = run_shell("ip netns exec " + topo.host_a() + " iperf3 -c " + NetnsTopology::kHostBAddress +
                       " -p 5201 " + client_flags);
    if (client.exit_code == 0) break;
  }
  ASSERT_EQ(client.exit_code, 0) << client.output;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the last packets drain
}

// Sends `n` Ethernet frames of an ethertype nothing handles (0x88b5, for local experiments)
// out of `dev` in namespace `netns`: the receiving interface counts them as dropped.
void send_unhandled_frames(const std::string &netns, const std::string &dev, int n) {
  must_run("ip netns exec " + netns + " python3 -c \"import socket; s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); "
           "s.bind(('" + dev + "', 0)); [s.send(b'\\xff' * 6 + b'\\x02' * 6 + b'\\x88\\xb5' + b'x' * 50) for _ in range(" +
           std::to_string(n) + ")]\"");
}

struct OffloadSetting {
  const char *name;
  NetnsTopology::Offloads offloads;
};

void PrintTo(const OffloadSetting &setting, std::ostream *os) { *os << setting.name; }

class NetworkAccuracy : public ::testing::TestWithParam<OffloadSetting> {};

TEST_P(NetworkAccuracy, EveryInterfaceEqualsItsKernelCountersInBothCollectors) {
  VNF_REQUIRE_ROOT_AND_BPF();
  NetnsTopology topo(GetParam().offloads);
  const std::string name = "vnftest-net-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  NetnsMember member(topo.vnf(), cgroup);
  AgentProcess bpf(agent_args("bpf")), cgroupfs(agent_args("cgroupfs"));
  ASSERT_TRUE(bpf.started()) << bpf.log();
  ASSERT_TRUE(cgroupfs.started()) << cgroupfs.log();

  // A fixed volume, not a fixed time, so that a slow machine (an emulated kernel) moves as much.
  for (const std::string flags : {"-u -b 50M -l 64 -n 1M", "-n 64M"}) {
    const auto start = topo.vnf_interfaces();
    iperf(topo, flags);
    const bool udp = flags[1] == 'u';
    const std::string what = std::string(GetParam().name) + (udp ? " UDP" : " TCP");
    expect_kernel_counters(what + " bpf", topo, bpf, name);
    expect_kernel_counters(what + " cgroupfs", topo, cgroupfs, name);
    // Held by name: a reference into the map the call returns would dangle (AddressSanitizer).
    const auto end = topo.vnf_interfaces();
    const auto &v0 = end.at("v0");
    if (udp) EXPECT_GT(v0.rx_packets - start.at("v0").rx_packets, 10000u) << "too little traffic went through";
    else EXPECT_GT(v0.rx_bytes - start.at("v0").rx_bytes, 32u << 20) << "too little traffic went through";
  }
}

INSTANTIATE_TEST_SUITE_P(Offloads, NetworkAccuracy,
                         ::testing::Values(OffloadSetting{"defaults", {false, true}},
                                           OffloadSetting{"vnf_gro", {true, true}},
                                           OffloadSetting{"no_segmentation", {false, false}},
                                           OffloadSetting{"vnf_gro_no_segmentation", {true, false}}),
                         [](const auto &info) { return std::string(info.param.name); });

TEST(NetworkInterfaces, SeriesComeAndGoWithTheNamespacesInterfaces) {
  VNF_REQUIRE_ROOT_AND_BPF();
  NetnsTopology topo;
  const std::string name = "vnftest-ifaces-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  NetnsMember member(topo.vnf(), cgroup);
  AgentProcess agent(agent_args("bpf"));
  ASSERT_TRUE(agent.started()) << agent.log();
  iperf(topo, "-u -b 10M -t 1");
  send_unhandled_frames(topo.host_a(), "a0", 5);  // the VNF's v0 receives and drops them
  EXPECT_GE(topo.vnf_interfaces().at("v0").rx_dropped, 5u) << "the kernel counted no drops";
  expect_kernel_counters("two interfaces", topo, agent, name);

  // A new pair of interfaces, both in the VNF (a secondary network, say), with traffic of its own.
  must_run("ip -n " + topo.vnf() + " link add d0 type veth peer name d1");
  must_run("ip -n " + topo.vnf() + " addr add 198.19.254.1/24 dev d0");
  for (const char *dev : {"d0", "d1"}) must_run("ip -n " + topo.vnf() + " link set " + dev + " up");
  send_unhandled_frames(topo.vnf(), "d0", 3);
  EXPECT_EQ(topo.vnf_interfaces().at("d1").rx_dropped, 3u);
  expect_kernel_counters("interfaces added", topo, agent, name);

  must_run("ip -n " + topo.vnf() + " link del v1");  // and host B's b0 with it
  expect_kernel_counters("an interface removed", topo, agent, name);
  EXPECT_FALSE(interfaces_in(agent.scrape(), name).count("v1"));
}

TEST(NetworkSharedNamespace, TwoVnfsInOneNamespaceCountItOnce) {
  VNF_REQUIRE_ROOT_AND_BPF();
  NetnsTopology topo;
  const std::string first = "vnftest-poda-" + std::to_string(getpid()), second = "vnftest-podb-" + std::to_string(getpid());
  TestCgroup a(first), b(second);
  std::optional<NetnsMember> in_a(std::in_place, topo.vnf(), a);
  NetnsMember in_b(topo.vnf(), b);
  AgentProcess agent(agent_args("cgroupfs"));
  ASSERT_TRUE(agent.started()) << agent.log();
  iperf(topo, "-u -b 10M -t 1");

  // sum() over the VNFs, as a dashboard takes it, counts the namespace once, and only the
  // owner has the namespace's series.
  auto expect_counted_once = [&](const std::string &when) {
    const auto before = topo.vnf_interfaces();
    const std::string text = agent.scrape();
    const auto after = topo.vnf_interfaces();
    EXPECT_EQ(interfaces_in(text, first), (std::set<std::string>{"v0", "v1"})) << when << ": the first by name owns it:\n" << text;
    EXPECT_TRUE(interfaces_in(text, second).empty()) << when << ":\n" << text;
    for (const auto &[interface, stats] : after) {
      std::uint64_t sum = 0;
      for (const auto &vnf : {first, second}) sum += vnf_interface_sample(text, kFamilies[0], vnf, interface).value_or(0);
      std::cout << "[measured] shared namespace, " << when << ", " << interface << " rx_packets: sum over VNFs " << sum
                << ", kernel " << stats.rx_packets << "\n";
      EXPECT_LE(before.at(interface).rx_packets, sum) << when;
      EXPECT_LE(sum, stats.rx_packets) << when;
    }
  };
  expect_counted_once("both running");
  in_a.reset();  // the owner's container restarts: no task for a moment
  iperf(topo, "-u -b 10M -t 1");
  expect_counted_once("the owner without a task");
  in_a.emplace(topo.vnf(), a);
  iperf(topo, "-u -b 10M -t 1");
  expect_counted_once("the owner back");
}

TEST(NetworkDrops, UnroutablePacketIsADropWithAReason) {
  VNF_REQUIRE_ROOT_AND_BPF();
  VNF_REQUIRE_KERNEL_FEATURE(drop_reasons);
  NetnsTopology topo;
  const std::string name = "vnftest-drop-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  NetnsMember member(topo.vnf(), cgroup);
  AgentProcess agent(agent_args("bpf"));
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

// Programs attached to the cgroup at `dir` for `type`, as the kernel reports them.
std::uint32_t attached_programs(const std::filesystem::path &dir, bpf_attach_type type) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return 0;
  std::uint32_t ids[8], count = 8, flags = 0;
  const bool ok = bpf_prog_query(fd, type, 0, &flags, ids, &count) == 0;
  close(fd);
  return ok ? count : 0;
}

TEST(NetworkHostNamespace, SocketTrafficCountedFromDiscoveryWithoutAScrape) {
  VNF_REQUIRE_ROOT_AND_BPF();
  AgentProcess agent(agent_args("bpf"));
  ASSERT_TRUE(agent.started()) << agent.log();
  // Sockets of no VNF (this test's own) are not counted: the socket programs sit on the
  // host-network VNFs' cgroups only, not on the root.
  ASSERT_TRUE(loopback_datagrams(100, 100));
  const std::string idle = agent.scrape();
  EXPECT_NE(idle.find("vnf_agent_bpf_map_entries{map=\"cgroup_traffic\"} 0\n"), std::string::npos) << idle;

  // A new VNF, seen by the agent through the cgroup event alone: no scrape from here on until
  // its traffic is over.
  const std::string name = "vnftest-hostnet-" + std::to_string(getpid());
  TestCgroup cgroup(name);
  const auto dir = cgroup.v2_dir();
  ASSERT_FALSE(dir.empty()) << "no cgroup v2 hierarchy";
  bool attached = false;
  for (int i = 0; i < 200 && !attached; ++i) {  // the watcher walks ~100 ms after the event
    attached = attached_programs(dir, BPF_CGROUP_INET_EGRESS) > 0 && attached_programs(dir, BPF_CGROUP_INET_INGRESS) > 0;
    if (!attached) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(attached) << "the agent did not attach to " << dir << " on discovery\n" << agent.log();

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
  ASSERT_EQ(write(go[1], "g", 1), 1);
  close(go[1]);
  char byte = 0;
  const bool finished = read(done[0], &byte, 1) == 1;
  close(done[0]);
  const std::string first = agent.scrape();
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  ASSERT_TRUE(finished) << "the traffic child failed";

  auto value = [&](const char *metric) {
    auto v = vnf_interface_sample(first, metric, name, "");
    EXPECT_TRUE(v) << metric << "{interface=\"\"} missing:\n" << first;
    return v.value_or(0);
  };
  const auto tx_packets = value("vnf_network_transmit_packets_total");
  const auto rx_packets = value("vnf_network_receive_packets_total");
  const auto tx_bytes = value("vnf_network_transmit_bytes_total");
  std::cout << "[measured] host-network VNF, " << kDatagrams << " datagrams before its first scrape: tx_packets="
            << tx_packets << " rx_packets=" << rx_packets << " tx_bytes=" << tx_bytes << "\n";
  EXPECT_EQ(tx_packets, static_cast<std::uint64_t>(kDatagrams));
  EXPECT_EQ(rx_packets, static_cast<std::uint64_t>(kDatagrams));
  EXPECT_EQ(tx_bytes, kDatagrams * (kPayload + 28));
  EXPECT_FALSE(vnf_interface_sample(first, "vnf_network_receive_errors_total", name, "")) << "sockets have no device errors";
}

}  // namespace
}  // namespace vnf::test
