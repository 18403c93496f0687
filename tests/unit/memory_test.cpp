#include <gtest/gtest.h>

#include "memory/memory_metrics.h"
#include "memory/memory_usage.h"

namespace vnf {
namespace {

using cgroupfs::MemoryAccounting;

TEST(MemoryStat, V2Names) {
  const std::string stat = "anon 209715200\nfile 598016\nkernel 1234\ninactive_anon 0\nactive_file 4096\ninactive_file 593920\n";
  auto s = memory::parse_memory_stat(stat, MemoryAccounting::v2);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->rss, 209715200u);
  EXPECT_EQ(s->cache, 598016u);
  EXPECT_EQ(s->inactive_file, 593920u);
}

TEST(MemoryStat, V1UsesHierarchicalTotals) {
  const std::string stat = "cache 1\nrss 2\ninactive_file 3\ntotal_cache 10\ntotal_rss 20\ntotal_inactive_file 30\n";
  auto s = memory::parse_memory_stat(stat, MemoryAccounting::v1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->rss, 20u);
  EXPECT_EQ(s->cache, 10u);
  EXPECT_EQ(s->inactive_file, 30u);
  EXPECT_FALSE(memory::parse_memory_stat("cache 1\nrss 2\n", MemoryAccounting::v1)) << "totals missing";
}

TEST(MemoryLimit, UnlimitedForms) {
  EXPECT_EQ(memory::parse_memory_limit("max\n", 4096), std::nullopt);
  EXPECT_EQ(memory::parse_memory_limit("9223372036854771712\n", 4096), std::nullopt) << "v1 unlimited";
  EXPECT_EQ(memory::parse_memory_limit("314572800\n", 4096), 314572800u);
  EXPECT_EQ(memory::parse_memory_limit("garbage\n", 4096), std::nullopt);
}

TEST(MemoryMetrics, LimitSeriesFollowsTheLimitAndOomKillsCountDeltas) {
  metrics::Registry registry;
  memory::MemoryMetrics m(registry);
  discover::VnfIdentity id;
  id.vnf = "fw-1";
  memory::MemoryUsage u;
  u.usage_bytes = 100;
  u.oom_kills = 2;  // before the agent saw the cgroup: still the cgroup's lifetime count
  m.update({{7, id}}, {{7, u}});
  auto text = registry.serialize();
  EXPECT_EQ(text.find("vnf_memory_limit_bytes{"), std::string::npos) << text;
  EXPECT_NE(text.find("vnf_memory_oom_kills_total{container=\"\",namespace=\"\",pod=\"\",vnf=\"fw-1\",vnf_type=\"\"} 2"),
            std::string::npos) << text;

  u.limit_bytes = 4096;
  u.oom_kills = 3;
  m.update({{7, id}}, {{7, u}});
  text = registry.serialize();
  EXPECT_NE(text.find("vnf_memory_limit_bytes{container=\"\",namespace=\"\",pod=\"\",vnf=\"fw-1\",vnf_type=\"\"} 4096"),
            std::string::npos) << text;
  EXPECT_NE(text.find("vnf=\"fw-1\",vnf_type=\"\"} 3"), std::string::npos) << text;

  u.limit_bytes.reset();
  m.update({{7, id}}, {{7, u}});
  EXPECT_EQ(registry.serialize().find("vnf_memory_limit_bytes{"), std::string::npos);

  m.update({}, {});
  EXPECT_EQ(registry.serialize().find("fw-1"), std::string::npos) << "stale series";
}

}  // namespace
}  // namespace vnf
