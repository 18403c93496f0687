#include "collect/cgroupfs_files.h"

#include <gtest/gtest.h>

namespace vnf::collect {
namespace {

TEST(CgroupfsFiles, KeyedValueFromCpuStat) {
  const std::string v2 = "usage_usec 3995254\nuser_usec 3990000\nsystem_usec 5254\nnr_periods 0\n";
  EXPECT_EQ(parse_keyed_value(v2, "usage_usec"), 3995254u);
  EXPECT_EQ(parse_keyed_value(v2, "system_usec"), 5254u);
  EXPECT_EQ(parse_keyed_value(v2, "usage"), std::nullopt) << "a prefix of a key is not the key";
  EXPECT_EQ(parse_keyed_value(v2, "throttled_usec"), std::nullopt);
  EXPECT_EQ(parse_keyed_value("usage_usec 12", "usage_usec"), 12u) << "no trailing newline";
  EXPECT_EQ(parse_keyed_value("usage_usec x\n", "usage_usec"), std::nullopt);
}

TEST(CgroupfsFiles, SingleValue) {
  EXPECT_EQ(parse_single_value("3994799504\n"), 3994799504u);
  EXPECT_EQ(parse_single_value(""), std::nullopt);
  EXPECT_EQ(parse_single_value("max\n"), std::nullopt);
  EXPECT_EQ(parse_single_value("-1\n"), std::nullopt);
}

TEST(CgroupfsFiles, MissingFileIsGoneNotFailed) {
  std::string content;
  int error = 0;
  EXPECT_EQ(read_cgroup_file("/nonexistent/cgroup/cpu.stat", content, error), FileRead::gone);
}

}  // namespace
}  // namespace vnf::collect
