#include "cpu/cpu_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vnf::cpu {
using metrics::Registry;
namespace {

discover::VnfIdentity vnf(const std::string &name) {
  discover::VnfIdentity id;
  id.vnf = name;
  id.vnf_type = "firewall";
  return id;
}

CpuUsage cpu(std::uint64_t ns, std::uint64_t wait_ns = 0) {
  CpuUsage u;
  u.cpu_ns = ns;
  u.runq_wait_ns = wait_ns;
  return u;
}

std::string line_of(const std::string &text, const std::string &prefix) {
  auto pos = text.find(prefix);
  if (pos == std::string::npos) return "";
  return text.substr(pos, text.find('\n', pos) - pos);
}

TEST(CpuMetrics, SeriesFollowLiveVnfsAndCountersNeverGoBack) {
  Registry registry;
  CpuMetrics m(registry, true);
  m.update({{1, vnf("fw-1")}}, {{1, cpu(2'000'000'000)}});
  EXPECT_EQ(line_of(registry.serialize(), "vnf_cpu_seconds_total{"),
            "vnf_cpu_seconds_total{container=\"\",namespace=\"\",pod=\"\",vnf=\"fw-1\",vnf_type=\"firewall\"} 2");

  // A second cgroup of the same VNF appears; the first one's sub-cgroup vanished and it reads lower.
  m.update({{1, vnf("fw-1")}, {2, vnf("fw-1")}}, {{1, cpu(1'500'000'000)}, {2, cpu(1'000'000'000)}});
  EXPECT_EQ(m.series_count(), 1u);
  EXPECT_NE(registry.serialize().find("vnf=\"fw-1\",vnf_type=\"firewall\"} 3\n"), std::string::npos)
      << registry.serialize();

  m.update({}, {});
  EXPECT_EQ(m.series_count(), 0u);
  EXPECT_EQ(registry.serialize().find("fw-1"), std::string::npos) << "stale series";
}

TEST(CpuMetrics, CgroupMissingFromUsageIsRemoved) {
  Registry registry;
  CpuMetrics m(registry, true);
  m.update({{1, vnf("a")}, {2, vnf("b")}}, {{1, cpu(1)}, {2, cpu(1)}});
  m.update({{1, vnf("a")}, {2, vnf("b")}}, {{1, cpu(2)}});  // b vanished while being read
  auto text = registry.serialize();
  EXPECT_NE(text.find("vnf=\"a\""), std::string::npos);
  EXPECT_EQ(text.find("vnf=\"b\""), std::string::npos);
}

TEST(CpuMetrics, RunqueueSeriesOnlyWhereKnown) {
  {
    Registry registry;
    CpuMetrics m(registry, false);
    m.update({{1, vnf("fs")}}, {{1, cpu(1000)}});
    EXPECT_EQ(registry.serialize().find("vnf_cpu_runqueue"), std::string::npos);
  }
  Registry registry;
  CpuMetrics m(registry, true);
  auto u = cpu(1000, 3'000'000);
  u.runq_hist[0] = 4;  // < 2 us
  u.runq_hist[11] = 1;  // [2048, 4096) us
  m.update({{1, vnf("fs")}}, {{1, u}});
  auto text = registry.serialize();
  EXPECT_NE(text.find("vnf_cpu_runqueue_wait_seconds_total{container=\"\",namespace=\"\",pod=\"\",vnf=\"fs\",vnf_type=\"firewall\"} 0.003"),
            std::string::npos) << text;
  EXPECT_NE(text.find("vnf_cpu_runqueue_latency_seconds_count{container=\"\",namespace=\"\",pod=\"\",vnf=\"fs\",vnf_type=\"firewall\"} 5"),
            std::string::npos) << text;
  EXPECT_NE(text.find("le=\"2e-06\"} 4"), std::string::npos) << text;
  EXPECT_NE(text.find("le=\"0.002048\"} 4"), std::string::npos) << "slot 11 is above 2.048 ms\n" << text;
  EXPECT_NE(text.find("le=\"0.008192\"} 5"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n') > 0, true);
  EXPECT_NE(text.find("le=\"0.524288\"} 5"), std::string::npos) << text;
}

TEST(CpuMetrics, BucketBoundsDoubleFromTwoMicroseconds) {
  EXPECT_DOUBLE_EQ(runq_slot_upper_bound_seconds(0), 2e-6);
  EXPECT_DOUBLE_EQ(runq_slot_upper_bound_seconds(9), 1024e-6);
  EXPECT_TRUE(std::isinf(runq_slot_upper_bound_seconds(kRunqHistSlots - 1)));
}

}  // namespace
}  // namespace vnf::cpu
