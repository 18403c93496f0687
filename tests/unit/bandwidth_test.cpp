#include <gtest/gtest.h>

#include <limits>

#include "cpu/bandwidth_metrics.h"
#include "cpu/bandwidth_records.h"
#include "cpu/cpu_bandwidth.h"
#include "unlabelled_vnf.h"

namespace vnf {
namespace {

using test::named_vnf;
using test::sample_text;

using cpu::parse_cfs_quota;
using cpu::parse_cpu_max;
using cpu::parse_throttling_stat;

TEST(CpuMax, QuotaOverPeriod) {
  auto q = parse_cpu_max("20000 100000\n");
  ASSERT_TRUE(q);
  EXPECT_DOUBLE_EQ(*q->cores, 0.2);
  q = parse_cpu_max("250000 100000\n");
  ASSERT_TRUE(q);
  EXPECT_DOUBLE_EQ(*q->cores, 2.5);
}

TEST(CpuMax, MaxIsUnlimited) {
  auto q = parse_cpu_max("max 100000\n");
  ASSERT_TRUE(q);
  EXPECT_FALSE(q->cores);
}

// Found by tests/fuzz/kernel_files_fuzz: "-0" read as a quota of 0, a limit of 0 cores.
TEST(CpuMax, ZeroQuotaIsMalformed) {
  EXPECT_FALSE(parse_cpu_max("0 100000\n"));
  EXPECT_FALSE(parse_cfs_quota("-0\n", "100000\n"));
  EXPECT_FALSE(parse_cfs_quota("0\n", "100000\n"));
}

TEST(CpuMax, Malformed) {
  for (const char *text : {"", "max", "max 0\n", "20000\n", "x 100000\n", "20000 0\n", "-1 100000\n", "20000 1e5\n"})
    EXPECT_FALSE(parse_cpu_max(text)) << '"' << text << '"';
}

TEST(CfsQuota, V1Files) {
  auto q = parse_cfs_quota("50000\n", "100000\n");
  ASSERT_TRUE(q);
  EXPECT_DOUBLE_EQ(*q->cores, 0.5);
  q = parse_cfs_quota("-1\n", "100000\n");
  ASSERT_TRUE(q);
  EXPECT_FALSE(q->cores) << "-1 is unlimited";
  EXPECT_FALSE(parse_cfs_quota("50000\n", "0\n"));
  EXPECT_FALSE(parse_cfs_quota("fifty\n", "100000\n"));
}

TEST(ThrottlingStat, V2AndV1Units) {
  const std::string v2 =
      "usage_usec 4200000\nuser_usec 4000000\nsystem_usec 200000\nnr_periods 42\nnr_throttled 40\n"
      "throttled_usec 3800123\nnr_bursts 0\nburst_usec 0\n";
  auto s = parse_throttling_stat(v2, true);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->periods, 42u);
  EXPECT_EQ(s->throttled_periods, 40u);
  EXPECT_EQ(s->throttled_ns, 3800123000u);
  s = parse_throttling_stat("nr_periods 5\nnr_throttled 2\nthrottled_time 123456789\n", false);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->throttled_ns, 123456789u) << "v1 counts in ns";
}

// The iterator's record holds what the files show, in ns: the same limit as the files' µs give.
TEST(BandwidthRecord, LimitAndCountersAsTheFilesShowThem) {
  vnf_bandwidth_record r{20'000'000, 100'000'000, 15, 14, 1'115'760'123, 7};
  const auto b = cpu::bandwidth_of(r);
  ASSERT_TRUE(b.limit_cores);
  EXPECT_EQ(*b.limit_cores, *parse_cpu_max("20000 100000\n")->cores);
  EXPECT_EQ(b.periods, 15u);
  EXPECT_EQ(b.throttled_periods, 14u);
  EXPECT_EQ(b.throttled_ns, 1'115'760'123u);
}

TEST(BandwidthRecord, RuntimeInfIsUnlimited) {
  vnf_bandwidth_record r{std::numeric_limits<std::uint64_t>::max(), 100'000'000, 0, 0, 0, 1};
  EXPECT_FALSE(cpu::bandwidth_of(r).limit_cores);
  r.quota_ns = 50'000'000;
  r.period_ns = 0;  // never the kernel's, but no division by zero either
  EXPECT_FALSE(cpu::bandwidth_of(r).limit_cores);
}

TEST(ThrottlingStat, V2WithoutTheCpuControllerHasNone) {
  EXPECT_FALSE(parse_throttling_stat("usage_usec 10\nuser_usec 5\nsystem_usec 5\n", true));
}

TEST(BandwidthMetrics, LimitWhileSetAndCountersFollowGrowth) {
  metrics::Registry registry;
  cpu::BandwidthMetrics m(registry);
  cpu::CpuBandwidth b{0.2, 10, 8, 500'000'000};
  m.update({{7, named_vnf("fw-1")}}, {{7, b}});
  auto text = registry.serialize();
  EXPECT_EQ(sample_text(text, "vnf_cpu_limit_cores", "fw-1"), "0.2") << text;
  EXPECT_EQ(sample_text(text, "vnf_cpu_cfs_periods_total", "fw-1"), "10");
  EXPECT_EQ(sample_text(text, "vnf_cpu_cfs_throttled_periods_total", "fw-1"), "8");
  EXPECT_EQ(sample_text(text, "vnf_cpu_cfs_throttled_seconds_total", "fw-1"), "0.5");

  b = {0.5, 15, 9, 600'000'000};  // a new limit: the counters go on
  m.update({{7, named_vnf("fw-1")}}, {{7, b}});
  text = registry.serialize();
  EXPECT_EQ(sample_text(text, "vnf_cpu_limit_cores", "fw-1"), "0.5") << text;
  EXPECT_EQ(sample_text(text, "vnf_cpu_cfs_periods_total", "fw-1"), "15");
  EXPECT_EQ(sample_text(text, "vnf_cpu_cfs_throttled_seconds_total", "fw-1"), "0.6");

  b = {std::nullopt, 15, 9, 600'000'000};  // the limit lifted: no periods are counted any more
  m.update({{7, named_vnf("fw-1")}}, {{7, b}});
  EXPECT_EQ(registry.serialize().find("fw-1"), std::string::npos) << "series of an unlimited VNF";

  m.update({}, {});
  EXPECT_EQ(registry.serialize().find("fw-1"), std::string::npos) << "stale series";
}

TEST(BandwidthMetrics, AVnfOfSeveralCgroupsSumsThem) {
  metrics::Registry registry;
  cpu::BandwidthMetrics m(registry);
  m.update({{1, named_vnf("lb")}, {2, named_vnf("lb")}}, {{1, {0.5, 4, 1, 0}}, {2, {1.5, 6, 2, 0}}});
  auto text = registry.serialize();
  EXPECT_EQ(sample_text(text, "vnf_cpu_limit_cores", "lb"), "2") << text;
  EXPECT_EQ(sample_text(text, "vnf_cpu_cfs_periods_total", "lb"), "10");
  // One unlimited cgroup makes the VNF unlimited, whichever comes first; the counters of the
  // limited one stay.
  m.update({{1, named_vnf("lb")}, {2, named_vnf("lb")}}, {{1, {0.5, 5, 1, 0}}, {2, {std::nullopt, 6, 2, 0}}});
  text = registry.serialize();
  EXPECT_EQ(text.find("vnf_cpu_limit_cores{"), std::string::npos) << text;
  EXPECT_EQ(sample_text(text, "vnf_cpu_cfs_periods_total", "lb"), "11");
  m.update({{2, named_vnf("lb")}, {1, named_vnf("lb")}}, {{1, {0.5, 6, 1, 0}}});
  text = registry.serialize();
  EXPECT_EQ(text.find("vnf_cpu_limit_cores{"), std::string::npos) << text;
  EXPECT_EQ(sample_text(text, "vnf_cpu_cfs_periods_total", "lb"), "12");
}

TEST(BandwidthMetrics, ACgroupWithoutBandwidthHasNoSeries) {
  metrics::Registry registry;
  cpu::BandwidthMetrics m(registry);
  m.update({{7, named_vnf("fw-1")}}, {});
  EXPECT_EQ(registry.serialize().find("fw-1"), std::string::npos);
}

}  // namespace
}  // namespace vnf
