#include "cgroupfs/cgroup_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace vnf::cgroupfs {
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

class TempFile {
 public:
  TempFile() {
    char name[] = "/tmp/vnf-open-files-XXXXXX";
    close(mkstemp(name));
    path_ = name;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  void write(const std::string &content) const { std::ofstream(path_, std::ios::trunc) << content; }
  const std::filesystem::path &path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(OpenCgroupFiles, RereadsFromTheStartAndClosesWhatIsNoLongerRead) {
  TempFile file;
  file.write("anon 1\n");
  OpenCgroupFiles files(8);
  std::string content;
  int error = 0;
  ASSERT_EQ(files.read(file.path(), content, error), FileRead::ok);
  EXPECT_EQ(content, "anon 1\n");
  EXPECT_EQ(files.held().held, 1u);

  file.write("anon 22\nfile 3\n");  // same inode, new content: the kept fd sees it
  ASSERT_EQ(files.read(file.path(), content, error), FileRead::ok);
  EXPECT_EQ(content, "anon 22\nfile 3\n");

  files.sweep();  // read since the last sweep: kept
  EXPECT_EQ(files.held().held, 1u);
  files.sweep();  // not read since: closed
  EXPECT_EQ(files.held().held, 0u);
  EXPECT_EQ(files.read("/nonexistent/cgroup/memory.stat", content, error), FileRead::gone);
  EXPECT_EQ(files.held().held, 0u);
}

TEST(OpenCgroupFiles, BeyondTheBudgetFilesAreStillRead) {
  TempFile a, b;
  a.write("a\n");
  b.write("b\n");
  OpenCgroupFiles files(1);
  std::string content;
  int error = 0;
  ASSERT_EQ(files.read(a.path(), content, error), FileRead::ok);
  ASSERT_EQ(files.read(b.path(), content, error), FileRead::ok);
  EXPECT_EQ(content, "b\n");
  EXPECT_EQ(files.held().held, 1u);
  EXPECT_EQ(files.held().limit, 1u);
}

}  // namespace
}  // namespace vnf::cgroupfs
