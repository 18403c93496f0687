#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "run/vnf_view.h"
#include "unlabelled_vnf.h"

namespace vnf {
namespace {

using nlohmann::json;
using run::VnfView;
using test::named_vnf;

// Three VNFs: two firewalls (one limited in CPU and memory, one not), one router.
discover::DiscoverySnapshot snapshot() {
  discover::DiscoverySnapshot s;
  s.tree = cgroupfs::CgroupTree::from_paths({{1, "/"}, {2, "/fw-a"}, {3, "/fw-b"}, {4, "/rt"}});
  s.tracked = {1, 2, 3};
  s.vnfs = {{2, named_vnf("fw-a", "firewall")}, {3, named_vnf("fw-b", "firewall")}, {4, named_vnf("rt", "router")}};
  return s;
}

collector::ReadingsByCgroup readings(double seconds) {
  collector::ReadingsByCgroup r;
  // fw-a: 0.5 cores of a 1-core limit, 150 bytes (a working set of 100) of 400, 1000 packets/s in.
  r[2] = {seconds * 0.5e9, 150, 100, 1.0, 400, seconds * 1000, 0};
  // fw-b: 1.5 cores, no limits, 3000 packets/s in.
  r[3] = {seconds * 1.5e9, 300, 250, std::nullopt, std::nullopt, seconds * 3000, 0};
  // rt: no readings of its network.
  r[4] = {seconds * 0.25e9, 50, 50, 0.5, 100, std::nullopt, std::nullopt};
  return r;
}

VnfView two_collections() {
  VnfView view;
  const auto start = VnfView::Clock::time_point{} + std::chrono::hours(1);
  view.record(start, snapshot(), readings(10));
  view.record(start + std::chrono::seconds(2), snapshot(), readings(12));
  return view;
}

const json &entry(const json &list, const char *key, const char *value) {
  for (const auto &e : list)
    if (e[key] == value) return e;
  static const json none;
  return none;
}

TEST(VnfView, LimitsAndUtilisationOfEachVnf) {
  const auto doc = json::parse(two_collections().json());
  EXPECT_DOUBLE_EQ(doc["interval_seconds"].get<double>(), 2);
  const auto &a = entry(doc["vnfs"], "vnf", "fw-a");
  EXPECT_DOUBLE_EQ(a["cpu_cores"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(a["cpu_limit_cores"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(a["cpu_utilization"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(a["memory_limit_bytes"].get<double>(), 400);
  EXPECT_DOUBLE_EQ(a["memory_utilization"].get<double>(), 0.25) << "of the working set, not the usage";
  const auto &b = entry(doc["vnfs"], "vnf", "fw-b");
  EXPECT_TRUE(b["cpu_limit_cores"].is_null()) << "unlimited";
  EXPECT_TRUE(b["cpu_utilization"].is_null());
  EXPECT_TRUE(b["memory_utilization"].is_null());
  EXPECT_DOUBLE_EQ(b["receive_packets_per_second"].get<double>(), 3000);
}

TEST(VnfView, FirstCollectionHasLimitsButNoRates) {
  VnfView view;
  view.record(VnfView::Clock::time_point{} + std::chrono::hours(1), snapshot(), readings(10));
  const auto doc = json::parse(view.json());
  const auto &a = entry(doc["vnfs"], "vnf", "fw-a");
  EXPECT_TRUE(a["cpu_cores"].is_null());
  EXPECT_TRUE(a["cpu_utilization"].is_null()) << "no rate, no utilisation";
  EXPECT_DOUBLE_EQ(a["memory_utilization"].get<double>(), 0.25) << "memory is a level, not a rate";
}

TEST(VnfView, PerTypeAverageAndMaxOverItsInstances) {
  const auto doc = json::parse(two_collections().types_json());
  ASSERT_EQ(doc["vnf_types"].size(), 2u) << doc.dump(2);
  const auto &fw = entry(doc["vnf_types"], "vnf_type", "firewall");
  EXPECT_EQ(fw["instances"], 2);
  EXPECT_DOUBLE_EQ(fw["cpu_cores"]["average"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(fw["cpu_cores"]["max"].get<double>(), 1.5);
  // Only fw-a has limits: the utilisation spread is over it alone.
  EXPECT_DOUBLE_EQ(fw["cpu_utilization"]["average"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(fw["memory_utilization"]["max"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(fw["memory_bytes"]["average"].get<double>(), 225);
  EXPECT_DOUBLE_EQ(fw["receive_packets_per_second"]["average"].get<double>(), 2000);
  EXPECT_DOUBLE_EQ(fw["receive_packets_per_second"]["max"].get<double>(), 3000);
  const auto &rt = entry(doc["vnf_types"], "vnf_type", "router");
  EXPECT_EQ(rt["instances"], 1);
  EXPECT_TRUE(rt["receive_packets_per_second"]["average"].is_null()) << "no instance has a value";
  EXPECT_DOUBLE_EQ(rt["cpu_utilization"]["max"].get<double>(), 0.5);
}

TEST(VnfView, AVnfOfSeveralCgroupsIsLimitedOnlyIfEachIs) {
  discover::DiscoverySnapshot s;
  s.tree = cgroupfs::CgroupTree::from_paths({{1, "/"}, {2, "/lb/a"}, {3, "/lb/b"}});
  s.tracked = {1, 2};
  s.vnfs = {{2, named_vnf("lb", "lb")}, {3, named_vnf("lb", "lb")}};
  collector::ReadingsByCgroup r;
  r[2] = {0, 10, 10, 0.5, 100, 0, 0};
  r[3] = {0, 10, 10, 1.5, std::nullopt, 0, 0};
  VnfView view;
  view.record(VnfView::Clock::time_point{} + std::chrono::hours(1), s, r);
  const auto doc = json::parse(view.json());
  ASSERT_EQ(doc["vnfs"].size(), 1u);
  EXPECT_DOUBLE_EQ(doc["vnfs"][0]["cpu_limit_cores"].get<double>(), 2.0);
  EXPECT_TRUE(doc["vnfs"][0]["memory_limit_bytes"].is_null()) << "one cgroup without a memory limit";
}

}  // namespace
}  // namespace vnf
