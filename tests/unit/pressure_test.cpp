#include <gtest/gtest.h>

#include "pressure/pressure.h"
#include "pressure/pressure_metrics.h"
#include "pressure/pressure_records.h"
#include "unlabelled_vnf.h"

namespace vnf {
namespace {

using test::named_vnf;
using test::sample_text;

using pressure::parse_pressure;

TEST(Pressure, SomeAndFullTotals) {
  auto p = parse_pressure(
      "some avg10=1.53 avg60=0.87 avg300=0.30 total=2475063\nfull avg10=0.00 avg60=0.01 avg300=0.00 total=12\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->some_us, 2475063u);
  EXPECT_EQ(p->full_us, 12u);
}

TEST(Pressure, CpuBefore513HasNoFullLine) {
  auto p = parse_pressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=77\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->some_us, 77u);
  EXPECT_FALSE(p->full_us);
}

// The iterator's totals are in ns; the files show them in µs, truncated, and so does the agent.
TEST(PressureRecord, MicrosecondsAsTheFilesShowThem) {
  vnf_pressure_record r{1'500'200'999, 20'000, 7'000, 3'999, 42'000'000, 0, 1, 3};
  const auto p = pressure::pressure_of(r);
  const auto &cpu = p[static_cast<std::size_t>(pressure::Resource::cpu)];
  const auto &memory = p[static_cast<std::size_t>(pressure::Resource::memory)];
  const auto &io = p[static_cast<std::size_t>(pressure::Resource::io)];
  ASSERT_TRUE(cpu && memory && io);
  EXPECT_EQ(cpu->some_us, 1'500'200u);
  EXPECT_EQ(cpu->full_us, 20u);
  EXPECT_EQ(memory->some_us, 7u);
  EXPECT_EQ(memory->full_us, 3u);
  EXPECT_EQ(io->some_us, 42'000u);
  EXPECT_EQ(io->full_us, 0u);
}

TEST(PressureRecord, CpuBefore513HasNoFull) {
  vnf_pressure_record r{1000, 0, 0, 0, 0, 0, 0, 1};
  const auto p = pressure::pressure_of(r);
  const auto &cpu = p[static_cast<std::size_t>(pressure::Resource::cpu)];
  ASSERT_TRUE(cpu);
  EXPECT_EQ(cpu->some_us, 1u);
  EXPECT_FALSE(cpu->full_us);
}

TEST(Pressure, Malformed) {
  for (const char *text : {"", "\n", "full avg10=0.00 avg60=0.00 avg300=0.00 total=1\n",
                           "some avg10=0.00 avg60=0.00 avg300=0.00\n", "some avg10=0.00 total=-4\n",
                           "some avg10=0.00 total=12x\n", "some total=1\nfull total=\n"})
    EXPECT_FALSE(parse_pressure(text)) << '"' << text << '"';
}

TEST(PressureMetrics, SecondsFromMicrosecondsAndOnlyTheFilesThereAre) {
  metrics::Registry registry;
  pressure::PressureMetrics m(registry);
  pressure::CgroupPressure p;
  p[0] = pressure::StallTotals{1'500'000, std::nullopt};  // cpu, no full line
  p[1] = pressure::StallTotals{250'000, 100'000};         // memory; no io.pressure
  m.update({{7, named_vnf("upf")}}, {{7, p}});
  auto text = registry.serialize();
  EXPECT_EQ(sample_text(text, "vnf_pressure_cpu_waiting_seconds_total", "upf"), "1.5") << text;
  EXPECT_EQ(sample_text(text, "vnf_pressure_memory_waiting_seconds_total", "upf"), "0.25");
  EXPECT_EQ(sample_text(text, "vnf_pressure_memory_stalled_seconds_total", "upf"), "0.1");
  EXPECT_EQ(text.find("vnf_pressure_cpu_stalled_seconds_total"), std::string::npos);
  EXPECT_EQ(text.find("vnf_pressure_io_"), std::string::npos);

  p[0]->some_us = 2'000'000;
  m.update({{7, named_vnf("upf")}}, {{7, p}});
  EXPECT_EQ(sample_text(registry.serialize(), "vnf_pressure_cpu_waiting_seconds_total", "upf"), "2");

  m.update({}, {});
  EXPECT_EQ(registry.serialize().find("upf"), std::string::npos) << "stale series";
}

}  // namespace
}  // namespace vnf
