#include "network/task_exit_watch.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <numeric>
#include <vector>

namespace vnf::network {
namespace {

pid_t sleeping_child() {
  pid_t pid = fork();
  if (pid == 0) {
    pause();
    _exit(0);
  }
  return pid;
}

void end(pid_t pid) {
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

TEST(TaskExitWatch, ReportsAnExitOnceAndOnlyForTheTaskThatExited) {
  TaskExitWatch watch(8);
  pid_t first = sleeping_child(), second = sleeping_child();
  ASSERT_TRUE(watch.watch(1, first));
  ASSERT_TRUE(watch.watch(2, second));
  EXPECT_TRUE(watch.take_exited().empty());

  end(first);
  EXPECT_EQ(watch.take_exited(), std::vector<std::uint64_t>{1});
  EXPECT_TRUE(watch.take_exited().empty());  // no longer watched
  EXPECT_EQ(watch.size(), 1u);
  end(second);
  EXPECT_EQ(watch.take_exited(), std::vector<std::uint64_t>{2});
}

TEST(TaskExitWatch, ExitedBeforeTheSweepStillCountsEvenIfItsPidIsReaped) {
  TaskExitWatch watch(8);
  pid_t child = sleeping_child();
  ASSERT_TRUE(watch.watch(7, child));
  end(child);  // reaped: a pid check could now find a newer process under the same number
  EXPECT_EQ(watch.take_exited(), std::vector<std::uint64_t>{7});
}

TEST(TaskExitWatch, ReportsEveryExitWhenMoreExitAtOnceThanOneWaitReturns) {
  TaskExitWatch watch(256);
  std::vector<pid_t> children;
  for (std::uint64_t key = 0; key < 150; ++key) {
    children.push_back(sleeping_child());
    ASSERT_TRUE(watch.watch(key, children.back()));
  }
  pid_t survivor = sleeping_child();
  ASSERT_TRUE(watch.watch(1000, survivor));
  for (auto pid : children) end(pid);
  auto exited = watch.take_exited();
  std::sort(exited.begin(), exited.end());
  std::vector<std::uint64_t> expected(150);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(exited, expected);
  EXPECT_EQ(watch.size(), 1u);
  EXPECT_TRUE(watch.take_exited().empty());
  end(survivor);
  EXPECT_EQ(watch.take_exited(), std::vector<std::uint64_t>{1000});
}

TEST(TaskExitWatch, SaysNoBeyondItsBudgetOrForAMissingTask) {
  TaskExitWatch watch(1);
  EXPECT_EQ(watch.capacity(), 1u);
  pid_t a = sleeping_child(), b = sleeping_child();
  EXPECT_TRUE(watch.watch(1, a));
  EXPECT_FALSE(watch.watch(2, b));
  EXPECT_TRUE(watch.watch(1, b));  // replacing a key's task needs no second slot
  EXPECT_EQ(watch.size(), 1u);
  watch.forget(1);
  end(a);
  EXPECT_FALSE(watch.watch(3, a));  // reaped: no such task
  EXPECT_EQ(watch.size(), 0u);
  end(b);
}

}  // namespace
}  // namespace vnf::network
