#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cgroupfs/cgroup_paths.h"
#include "network/interface_counters.h"
#include "network/netns_devices.h"
#include "network/netns_owners.h"
#include "network/network_metrics.h"

namespace vnf {
namespace {

const std::string kTable =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
    "    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0\n"
    "    v0: 1000000   10000    1    3    0     0          0         7  2000000   20000    2    4    0     0       0          0\n"
    "net1: 18446744073709551615 5 0 0 0 0 0 0 6 7 0 0 0 0 0 0\n";

TEST(NetDev, EveryInterfaceButLoopbackWithItsOwnCounters) {
  std::vector<network::InterfaceCounters> t{{"stale"}, {"from"}, {"before"}};
  ASSERT_TRUE(network::parse_net_dev(kTable, t));
  ASSERT_EQ(t.size(), 2u) << "what the vector held before is replaced";
  const auto &v0 = t[0];
  EXPECT_EQ(v0.name, "v0");
  EXPECT_EQ(v0.rx_bytes, 1000000u);
  EXPECT_EQ(v0.rx_packets, 10000u);
  EXPECT_EQ(v0.rx_errors, 1u);
  EXPECT_EQ(v0.rx_dropped, 3u);
  EXPECT_EQ(v0.tx_bytes, 2000000u);
  EXPECT_EQ(v0.tx_packets, 20000u);
  EXPECT_EQ(v0.tx_errors, 2u);
  EXPECT_EQ(v0.tx_dropped, 4u);
  EXPECT_EQ(t[1].name, "net1");
  EXPECT_EQ(t[1].rx_bytes, 18446744073709551615u) << "64-bit counters";
  EXPECT_EQ(t[1].tx_packets, 7u);
}

TEST(NetDev, MalformedTablesAreRejected) {
  std::vector<network::InterfaceCounters> t;
  EXPECT_FALSE(network::parse_net_dev("", t)) << "no header";
  EXPECT_FALSE(network::parse_net_dev(kTable + "   bad: 1 2 3\n", t)) << "short line";
  EXPECT_FALSE(network::parse_net_dev(kTable + "  bad 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", t)) << "no colon";
  EXPECT_FALSE(network::parse_net_dev(kTable + "  x: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 -16\n", t)) << "not a number";
  EXPECT_FALSE(network::parse_net_dev(kTable + "  y: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 99999999999999999999\n", t))
      << "out of range";
  ASSERT_TRUE(network::parse_net_dev(kTable.substr(0, kTable.find("    lo:")), t));
  EXPECT_TRUE(t.empty());
}

std::uint64_t sysfs_counter(const std::string &interface, const char *name) {
  std::ifstream in("/sys/class/net/" + interface + "/statistics/" + name);
  std::uint64_t v = 0;
  in >> v;
  return v;
}

// This process's own namespace through the same kept-open file the agent reads VNFs' through,
// against the kernel's sysfs counters read before and after.
TEST(NetnsDevices, ReadsANamespaceThroughATaskAndLetsItGo) {
  const auto netns = cgroupfs::inode_of("/proc/self/ns/net");
  ASSERT_TRUE(netns);
  std::vector<std::string> names;
  for (const auto &e : std::filesystem::directory_iterator("/sys/class/net"))
    if (e.path().filename() != "lo") names.push_back(e.path().filename());
  if (names.empty()) GTEST_SKIP() << "no interface but lo in this namespace";

  network::NetnsDevices devices(8, 2);
  for (int round = 0; round < 2; ++round) {  // opened, then re-read from offset 0
    std::map<std::string, std::uint64_t> before;
    for (const auto &n : names) before[n] = sysfs_counter(n, "rx_bytes");
    devices.read({{*netns, static_cast<std::uint64_t>(getpid())}});
    const auto *read = devices.interfaces(*netns);
    ASSERT_NE(read, nullptr);
    for (const auto &i : *read) {
      EXPECT_LE(before[i.name], i.rx_bytes) << i.name;
      EXPECT_LE(i.rx_bytes, sysfs_counter(i.name, "rx_bytes")) << i.name;
      EXPECT_EQ(i.tx_errors, sysfs_counter(i.name, "tx_errors")) << i.name;
    }
    EXPECT_EQ(read->size(), names.size());
    EXPECT_EQ(devices.held().held, 1u);
  }
  devices.retain({});
  EXPECT_EQ(devices.held().held, 0u) << "a namespace no VNF is in is not held";
  devices.read({{*netns + 1, 999999999}});
  EXPECT_EQ(devices.interfaces(*netns + 1), nullptr) << "no such task";
  EXPECT_EQ(devices.interfaces(*netns), nullptr) << "not asked for";
  EXPECT_EQ(devices.unreadable(), 0u) << "a task that exited is churn, not an error";
}

TEST(NetnsDevices, BeyondItsBudgetReadsWithoutHolding) {
  const auto netns = cgroupfs::inode_of("/proc/self/ns/net");
  ASSERT_TRUE(netns);
  network::NetnsDevices devices(0, 1);
  devices.read({{*netns, static_cast<std::uint64_t>(getpid())}});
  EXPECT_NE(devices.interfaces(*netns), nullptr);
  EXPECT_EQ(devices.held().held, 0u);
}

discover::TrackedVnf tracked(std::uint64_t id, const std::string &vnf, const std::string &type, bool owner = false) {
  discover::TrackedVnf v;
  v.cgroup_id = id;
  v.identity.vnf = vnf;
  v.identity.vnf_type = type;
  v.network_owner = owner;
  return v;
}

TEST(NetnsOwners, OneOwnerPerNamespaceWhateverTheOrder) {
  cgroupfs::CgroupNode a{1, "/pod/b-sidecar"}, b{2, "/pod/a-main"}, c{3, "/other"};
  const auto sidecar = tracked(1, "pod-1", "sidecar"), main = tracked(2, "pod-1", "main"), other = tracked(3, "fw", "fw");
  std::vector<network::Member> members{{&a, &sidecar, 10, 100}, {&b, &main, 11, 100}, {&c, &other, 12, 200}};
  auto owners = network::namespace_owners(members);
  ASSERT_EQ(owners.size(), 2u);
  EXPECT_EQ(owners[100], 1u) << "first by identity: vnf, then vnf_type";
  EXPECT_EQ(owners[200], 2u);
  std::swap(members[0], members[1]);
  EXPECT_EQ(network::namespace_owners(members)[100], 0u) << "the same VNF in another order";

  const auto marked = tracked(1, "pod-1", "sidecar", true);
  members = {{&a, &marked, 10, 100}, {&b, &main, 11, 100}};
  EXPECT_EQ(network::namespace_owners(members)[100], 0u) << "a rule's network_owner comes first";
}

network::InterfaceCounters interface(const std::string &name, std::uint64_t base) {
  return {name, base, base * 100, base / 10, base / 20, base * 2, base * 200, base / 5, base / 4};
}

std::string sample(const std::string &text, const std::string &metric, const std::string &interface) {
  const std::string needle = metric + "{container=\"\",namespace=\"\",pod=\"\",vnf=\"router-1\",vnf_type=\"\",interface=\"" +
                             interface + "\"} ";
  auto at = text.find(needle);
  if (at == std::string::npos) return "absent";
  at += needle.size();
  return text.substr(at, text.find('\n', at) - at);
}

// One VNF, router-1 (cgroup 5), read in namespace 100.
struct NetworkMetricsTest : ::testing::Test {
  metrics::Registry registry;
  network::NetworkMetrics m{registry};
  discover::TrackedVnf vnf = tracked(5, "router-1", "");
  network::NetworkUsage u{100, {}, std::nullopt, {}};
  std::vector<network::InterfaceCounters> read;  // what u.interfaces shows

  void set_interfaces(std::vector<network::InterfaceCounters> interfaces) {
    read = std::move(interfaces);
    u.interfaces = read;
  }
};

TEST_F(NetworkMetricsTest, OneSeriesPerInterfaceThatComesAndGoes) {
  set_interfaces({interface("n3", 1000), interface("n6", 2000)});
  m.update({vnf}, {{5, u}});
  auto text = registry.serialize();
  EXPECT_EQ(sample(text, "vnf_network_receive_packets_total", "n3"), "1000") << "first reading in full:\n" << text;
  EXPECT_EQ(sample(text, "vnf_network_receive_bytes_total", "n6"), "200000");
  EXPECT_EQ(sample(text, "vnf_network_receive_errors_total", "n3"), "100");
  EXPECT_EQ(sample(text, "vnf_network_receive_packets_dropped_total", "n3"), "50");
  EXPECT_EQ(sample(text, "vnf_network_transmit_packets_total", "n6"), "4000");
  EXPECT_EQ(sample(text, "vnf_network_transmit_bytes_total", "n3"), "200000");
  EXPECT_EQ(sample(text, "vnf_network_transmit_errors_total", "n6"), "400");
  EXPECT_EQ(sample(text, "vnf_network_transmit_packets_dropped_total", "n6"), "500");

  set_interfaces({interface("n3", 1500), interface("net2", 7)});  // n6 left, net2 came
  m.update({vnf}, {{5, u}});
  text = registry.serialize();
  EXPECT_EQ(sample(text, "vnf_network_receive_packets_total", "n3"), "1500");
  EXPECT_EQ(sample(text, "vnf_network_receive_packets_total", "n6"), "absent") << text;
  EXPECT_EQ(sample(text, "vnf_network_transmit_errors_total", "n6"), "absent");
  EXPECT_EQ(sample(text, "vnf_network_receive_packets_total", "net2"), "7");

  m.update({vnf}, {});  // not read this time (no task for a moment): everything stays
  EXPECT_EQ(sample(registry.serialize(), "vnf_network_receive_packets_total", "n3"), "1500");
  EXPECT_EQ(sample(registry.serialize(), "vnf_network_receive_packets_total", "net2"), "7");

  // The VNF restarted in a new namespace whose counters start lower: fresh growth, no step back.
  u.netns_inode = 200;
  set_interfaces({interface("n3", 40)});
  m.update({vnf}, {{5, u}});
  EXPECT_EQ(sample(registry.serialize(), "vnf_network_receive_packets_total", "n3"), "1540");

  m.update({}, {});
  EXPECT_EQ(registry.serialize().find("router-1"), std::string::npos) << "stale series";
}

TEST_F(NetworkMetricsTest, ARestartedContainerInItsPodsNamespaceGoesOn) {
  set_interfaces({interface("eth0", 1000)});
  u.drops["no_socket"] = 7;
  m.update({vnf}, {{5, u}});
  // The container restarts: a new cgroup, the same labels, the pod's same namespace.
  auto restarted = vnf;
  restarted.cgroup_id = 6;
  set_interfaces({interface("eth0", 1100)});
  u.drops["no_socket"] = 9;
  m.update({restarted}, {{6, u}});
  const auto text = registry.serialize();
  EXPECT_EQ(sample(text, "vnf_network_receive_packets_total", "eth0"), "1100") << "not 1000 + 1100:\n" << text;
  EXPECT_NE(text.find("reason=\"no_socket\"} 9"), std::string::npos) << text;
}

// A container restarting overlaps its old cgroup (no task left, so not read) with its new one:
// while a cgroup of the identity is unread, nothing of the identity's goes, in either order.
TEST_F(NetworkMetricsTest, WhileACgroupOfTheIdentityIsUnreadEverythingStays) {
  set_interfaces({interface("n3", 10), interface("n6", 20)});
  m.update({vnf}, {{5, u}});
  auto restarted = vnf;
  restarted.cgroup_id = 6;
  set_interfaces({interface("n3", 11)});  // the new cgroup's reading has no n6
  m.update({vnf, restarted}, {{6, u}});
  EXPECT_EQ(sample(registry.serialize(), "vnf_network_receive_packets_total", "n6"), "20");
  m.update({restarted, vnf}, {{6, u}});
  EXPECT_EQ(sample(registry.serialize(), "vnf_network_receive_packets_total", "n6"), "20") << "the other order";
  EXPECT_EQ(sample(registry.serialize(), "vnf_network_receive_packets_total", "n3"), "11");
  m.update({restarted}, {{6, u}});  // the old cgroup is gone
  EXPECT_EQ(sample(registry.serialize(), "vnf_network_receive_packets_total", "n6"), "absent");
  EXPECT_EQ(sample(registry.serialize(), "vnf_network_receive_packets_total", "n3"), "11");
}

TEST_F(NetworkMetricsTest, SocketTrafficHasNoInterfaceAndDropsHaveReasons) {
  u.sockets = network::SocketTraffic{1, 2, 3, 4};
  u.drops["ip_innoroutes"] = 2;
  m.update({vnf}, {{5, u}});
  auto text = registry.serialize();
  EXPECT_EQ(sample(text, "vnf_network_receive_bytes_total", ""), "2") << text;
  EXPECT_EQ(sample(text, "vnf_network_transmit_packets_total", ""), "3");
  EXPECT_EQ(sample(text, "vnf_network_receive_errors_total", ""), "absent") << "sockets have no device errors";
  EXPECT_NE(text.find("vnf=\"router-1\",vnf_type=\"\",reason=\"ip_innoroutes\"} 2"), std::string::npos) << text;

  // Another VNF now owns the namespace: this one's drops and traffic go.
  m.update({vnf}, {{5, network::NetworkUsage{100, {}, std::nullopt, {}}}});
  text = registry.serialize();
  EXPECT_EQ(text.find("ip_innoroutes"), std::string::npos) << text;
  EXPECT_EQ(sample(text, "vnf_network_receive_bytes_total", ""), "absent");
}

}  // namespace
}  // namespace vnf
