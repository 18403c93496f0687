#include "bpf/cgroup_iterator.h"

#include <gtest/gtest.h>

#include <set>

namespace vnf::bpf {
namespace {

TEST(SlotTable, HandsOutEverySlotOnceThenSaysNo) {
  SlotTable table(3);
  std::set<std::uint32_t> taken;
  std::uint32_t slot;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(table.take(slot));
    EXPECT_LT(slot, 3u);
    EXPECT_TRUE(taken.insert(slot).second) << "slot " << slot << " handed out twice";
  }
  EXPECT_FALSE(table.take(slot));
}

TEST(SlotTable, AFreedSlotIsHandedOutAgainBeforeAnyNeverUsedOne) {
  SlotTable table(4);
  std::uint32_t a, b, c;
  ASSERT_TRUE(table.take(a));
  ASSERT_TRUE(table.take(b));
  table.give_back(a);
  ASSERT_TRUE(table.take(c));
  EXPECT_EQ(c, a) << "the array stays as short as the most cgroups tracked at once";
  ASSERT_TRUE(table.take(c));
  ASSERT_TRUE(table.take(c));
  EXPECT_FALSE(table.take(c));
  table.give_back(b);
  ASSERT_TRUE(table.take(c));
  EXPECT_EQ(c, b);
}

}  // namespace
}  // namespace vnf::bpf
