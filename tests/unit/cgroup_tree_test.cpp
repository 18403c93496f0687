#include "cgroupfs/cgroup_tree.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vnf::cgroupfs {
namespace {

TEST(CgroupTree, WalksDirectoriesWithInodeIdsAndParents) {
  auto root = std::filesystem::temp_directory_path() / ("vnf-tree-" + std::to_string(getpid()));
  std::filesystem::create_directories(root / "a" / "b");
  std::filesystem::create_directories(root / "c");
  { std::ofstream(root / "a" / "cpu.stat") << "usage_usec 1\n"; }  // files are not cgroups

  auto tree = CgroupTree::walk(root);
  std::filesystem::remove_all(root);

  ASSERT_EQ(tree.nodes().size(), 4u);
  EXPECT_EQ(tree.nodes()[0].path, "/");
  const CgroupNode *b = nullptr;
  for (const auto &n : tree.nodes())
    if (n.path == "/a/b") b = &n;
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(tree.nodes()[b->parent].path, "/a");
  EXPECT_EQ(tree.find(b->id), b);
}

TEST(CgroupTree, MissingRootThrows) {
  EXPECT_THROW(CgroupTree::walk("/nonexistent/cgroup/root"), std::system_error);
}

TEST(CgroupTree, FromPathsLinksParents) {
  auto tree = CgroupTree::from_paths({{1, "/"}, {2, "/kubepods"}, {3, "/kubepods/pod1"}});
  EXPECT_EQ(tree.find(3)->parent, 1u);
  EXPECT_EQ(tree.find(2)->parent, 0u);
  EXPECT_EQ(tree.find(4), nullptr);
}

}  // namespace
}  // namespace vnf::cgroupfs
