#include <gtest/gtest.h>

#include "network/network_metrics.h"
#include "network/network_usage.h"

namespace vnf {
namespace {

TEST(NetDev, SumsEveryInterface) {
  const std::string table =
      "Inter-|   Receive                                                |  Transmit\n"
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
      "    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0\n"
      "    v0: 1000000   10000    0    3    0     0          0         0  2000000   20000    0    0    0     0       0          0\n";
  auto t = network::parse_net_dev(table);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->rx_bytes, 1000100u);
  EXPECT_EQ(t->rx_packets, 10002u);
  EXPECT_EQ(t->tx_bytes, 2000100u);
  EXPECT_EQ(t->tx_packets, 20002u);
  EXPECT_FALSE(network::parse_net_dev("")) << "no header";
  EXPECT_FALSE(network::parse_net_dev(table + "   bad: 1 2 3\n")) << "short line";
}

TEST(NetworkMetrics, CountersGrowAcrossNamespaceChangesAndDropsGetReasons) {
  metrics::Registry registry;
  network::NetworkMetrics m(registry);
  discover::VnfIdentity id;
  id.vnf = "router-1";
  network::NetworkUsage u;
  u.netns_inode = 100;
  u.traffic.rx_packets = 10;
  u.drops["ip_innoroutes"] = 2;
  m.update({{5, id}}, {{5, u}});
  u.traffic.rx_packets = 15;
  m.update({{5, id}}, {{5, u}});
  auto text = registry.serialize();
  EXPECT_NE(text.find("vnf_network_receive_packets_total{container=\"\",namespace=\"\",pod=\"\",vnf=\"router-1\",vnf_type=\"\"} 15"),
            std::string::npos) << text;
  EXPECT_NE(text.find("vnf=\"router-1\",vnf_type=\"\",reason=\"ip_innoroutes\"} 2"), std::string::npos) << text;

  // The VNF moved to a new namespace whose counters start lower: fresh growth, not a step back.
  u.netns_inode = 200;
  u.traffic.rx_packets = 4;
  m.update({{5, id}}, {{5, u}});
  EXPECT_NE(registry.serialize().find("vnf=\"router-1\",vnf_type=\"\"} 19"), std::string::npos) << registry.serialize();

  m.update({}, {});
  EXPECT_EQ(registry.serialize().find("router-1"), std::string::npos) << "stale series";
}

}  // namespace
}  // namespace vnf
