#include "cgroupfs/cgroup_paths.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "bpf/per_cpu.h"

namespace vnf::cgroupfs {
namespace {

TEST(CgroupDir, JoinsARelativeCgroupPathBelowItsRoot) {
  EXPECT_EQ(cgroup_dir("/sys/fs/cgroup", "/"), "/sys/fs/cgroup/");
  EXPECT_EQ(cgroup_dir("/sys/fs/cgroup", "/kubepods/pod1"), "/sys/fs/cgroup/kubepods/pod1");
  EXPECT_EQ(cgroup_dir("/sys/fs/cgroup/memory", "a/b"), "/sys/fs/cgroup/memory/a/b");
}

class CgroupIdsInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("vnf-ids-" + std::to_string(getpid()));
    std::filesystem::create_directories(root_ / "a" / "b");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_;
};

TEST_F(CgroupIdsInTest, LooksUpOnceAndForgetsUntracked) {
  const auto tree = CgroupTree::from_paths({{1, "/"}, {2, "/a"}, {3, "/a/b"}});
  CgroupIdsIn ids(root_, false);
  const auto b = ids.id_of(tree.nodes()[2]);
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, inode_of(root_ / "a" / "b"));
  std::filesystem::remove(root_ / "a" / "b");
  EXPECT_EQ(ids.id_of(tree.nodes()[2]), b) << "kept while tracked: ids never change while a cgroup lives";
  const std::vector<std::size_t> tracked{1};
  ids.retain(tree, tracked);
  EXPECT_FALSE(ids.id_of(tree.nodes()[2])) << "forgotten once untracked, and gone on disk";
  EXPECT_EQ(ids.id_of(tree.nodes()[1]), inode_of(root_ / "a"));
}

TEST_F(CgroupIdsInTest, TheWalkedHierarchyNeedsNoLookupAndNoneHasNoIds) {
  const auto tree = CgroupTree::from_paths({{1, "/"}, {42, "/nowhere"}});
  EXPECT_EQ(CgroupIdsIn(root_, true).id_of(tree.nodes()[1]), 42u);
  EXPECT_FALSE(CgroupIdsIn("", false).id_of(tree.nodes()[1]));
}

TEST(ProcCgroup, NamesThePathInTheHierarchyCpuAccountingUses) {
  // A hybrid host's /proc/PID/cgroup: v1 controllers, named hierarchies, the unified one last.
  const std::string hybrid =
      "12:cpu,cpuacct:/kubepods/pod1/c1\n"
      "4:memory:/kubepods/pod1/c1\n"
      "1:name=systemd:/kubepods/pod1/c1\n"
      "0::/kubepods/pod1/c1:with:colons\n";
  EXPECT_EQ(parse_proc_cgroup(hybrid, CpuAccounting::v1_cpuacct), "/kubepods/pod1/c1");
  EXPECT_EQ(parse_proc_cgroup(hybrid, CpuAccounting::v1_cpu), "/kubepods/pod1/c1");
  EXPECT_EQ(parse_proc_cgroup(hybrid, CpuAccounting::v2), "/kubepods/pod1/c1:with:colons");
  EXPECT_EQ(parse_proc_cgroup("0::/system.slice/a.service", CpuAccounting::v2), "/system.slice/a.service");
  // cpuacct only where the controllers are split, and no partial names ("cpuset" is not "cpu").
  EXPECT_FALSE(parse_proc_cgroup("3:cpuset:/x\n2:cpuacct:/y\n", CpuAccounting::v1_cpu));
  EXPECT_EQ(parse_proc_cgroup("3:cpuset:/x\n2:cpuacct:/y\n", CpuAccounting::v1_cpuacct), "/y");
  // Malformed lines are passed over, not taken.
  EXPECT_FALSE(parse_proc_cgroup("", CpuAccounting::v2));
  EXPECT_FALSE(parse_proc_cgroup("0::\n0:/x\n1::relative\n", CpuAccounting::v2));
  EXPECT_FALSE(parse_proc_cgroup("garbage without colons", CpuAccounting::v1_cpu));
}

TEST(SumPerCpu, AddsEachFieldOverCpus) {
  struct Pair {
    std::uint64_t a, b;
  };
  const std::vector<Pair> per_cpu{{1, 10}, {2, 20}, {3, 30}};
  const auto sum = bpf::sum_per_cpu<Pair>(per_cpu.data(), 3);
  EXPECT_EQ(sum.a, 6u);
  EXPECT_EQ(sum.b, 60u);
  const std::vector<std::uint64_t> counters{5, 7};
  EXPECT_EQ(bpf::sum_per_cpu<std::uint64_t>(counters.data(), 2), 12u);
}

}  // namespace
}  // namespace vnf::cgroupfs
