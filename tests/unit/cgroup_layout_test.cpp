#include "cgroupfs/cgroup_layout.h"

#include <gtest/gtest.h>

#include <sstream>

namespace vnf::cgroupfs {
namespace {

// Shapes of /proc/self/mountinfo seen on real hosts.
constexpr const char *kHybrid =
    "25 30 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
    "30 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n"
    "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate\n"
    "32 30 0:28 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd\n"
    "36 30 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,cpu,cpuacct\n"
    "37 30 0:33 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,memory\n";
constexpr const char *kPureV2 =
    "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";

std::vector<CgroupMount> parse(const char *text) {
  std::istringstream in(text);
  return parse_cgroup_mounts(in);
}

TEST(CgroupLayout, ParsesHybridMounts) {
  auto mounts = parse(kHybrid);
  ASSERT_EQ(mounts.size(), 4u);
  EXPECT_TRUE(mounts[0].v2);
  EXPECT_EQ(mounts[0].mount_point, "/sys/fs/cgroup/unified");
  EXPECT_EQ(mounts[2].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
  EXPECT_TRUE(mounts[1].controllers.empty()) << "name=systemd is not a controller";
}

TEST(CgroupLayout, HybridUsesV1CpuacctEvenWithAControllerlessV2) {
  auto layout = choose_cgroup_layout(parse(kHybrid), "");
  EXPECT_EQ(layout.cpu, CpuAccounting::v1_cpuacct);
  EXPECT_EQ(layout.cpu_root, "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(layout.unified_root, "/sys/fs/cgroup/unified");
  EXPECT_EQ(layout.memory, MemoryAccounting::v1);
  EXPECT_EQ(layout.memory_root, "/sys/fs/cgroup/memory");
  EXPECT_EQ(layout.bandwidth, BandwidthAccounting::v1);
  EXPECT_EQ(layout.bandwidth_root, "/sys/fs/cgroup/cpu,cpuacct");
}

TEST(CgroupLayout, PureV2UsesTheUnifiedHierarchy) {
  auto layout = choose_cgroup_layout(parse(kPureV2), "cpuset cpu io memory hugetlb pids rdma misc");
  EXPECT_EQ(layout.cpu, CpuAccounting::v2);
  EXPECT_EQ(layout.cpu_root, "/sys/fs/cgroup");
  EXPECT_EQ(layout.memory, MemoryAccounting::v2);
  EXPECT_EQ(layout.memory_root, "/sys/fs/cgroup");
  EXPECT_EQ(layout.bandwidth, BandwidthAccounting::v2);
  EXPECT_EQ(layout.bandwidth_root, "/sys/fs/cgroup");
}

TEST(CgroupLayout, NoBandwidthWithoutTheCpuController) {
  auto layout = choose_cgroup_layout(parse(kPureV2), "memory pids");
  EXPECT_EQ(layout.bandwidth, BandwidthAccounting::none);
  layout = choose_cgroup_layout(parse("40 30 0:40 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n"), "");
  EXPECT_EQ(layout.bandwidth, BandwidthAccounting::none);
}

TEST(CgroupLayout, NoMemoryController) {
  auto layout = choose_cgroup_layout(parse("40 30 0:40 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n"), "");
  EXPECT_EQ(layout.memory, MemoryAccounting::none);
}

TEST(CgroupLayout, V2WithCpuControllerWinsOverV1) {
  auto layout = choose_cgroup_layout(parse(kHybrid), "cpu memory");
  EXPECT_EQ(layout.cpu, CpuAccounting::v2);
}

TEST(CgroupLayout, CpuWithoutCpuacct) {
  auto layout = choose_cgroup_layout(
      parse("40 30 0:40 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"), "");
  EXPECT_EQ(layout.cpu, CpuAccounting::v1_cpu);
}

TEST(CgroupLayout, UnescapesMountPoints) {
  auto mounts = parse("40 30 0:40 / /mnt/cg\\040v2 rw - cgroup2 cgroup2 rw\n");
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0].mount_point, "/mnt/cg v2");
  // Not octal: no escape the kernel writes, kept as it is (std::stoi threw on it, found by
  // runtime_state_fuzz).
  mounts = parse("40 30 0:40 / /mnt/a\\999b\\08 rw - cgroup2 cgroup2 rw\n");
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0].mount_point, "/mnt/a\\999b\\08");
}

TEST(CgroupLayout, NoCgroupsIsAnError) {
  EXPECT_THROW(choose_cgroup_layout({}, ""), std::runtime_error);
}

}  // namespace
}  // namespace vnf::cgroupfs
