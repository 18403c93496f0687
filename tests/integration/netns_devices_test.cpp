// The network collector's reader of /proc/PID/net/dev over many namespaces at once, as on a node
// with hundreds of pods: the kept-open files are read by helper threads while the caller works
// out which namespaces it wants, and every namespace's table must land in its own slot.

#include "network/netns_devices.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "cgroupfs/cgroup_paths.h"
#include "support/privileges.h"

namespace vnf::test {
namespace {

// Tasks, each alone in a network namespace of its own with a veth pair x<i>/y<i>, that exit
// when the object goes.
class Namespaces {
 public:
  explicit Namespaces(std::size_t n) {
    int ready[2];
    if (pipe(hold_) != 0 || pipe(ready) != 0) return;
    for (std::size_t i = 0; i < n; ++i) {
      const pid_t pid = fork();
      if (pid == 0) {
        close(hold_[1]);
        char c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1 || c != 'y') _exit(1);
        while (read(hold_[0], &c, 1) > 0) {  // until the test closes its end
        }
        _exit(0);
      }
      if (pid < 0) break;
      char c = 0;
      if (read(ready[0], &c, 1) != 1 || c != 'y') break;
      pids_.push_back(pid);
    }
    close(ready[0]);
    close(ready[1]);
  }
  ~Namespaces() {
    if (hold_[1] >= 0) close(hold_[1]);
    if (hold_[0] >= 0) close(hold_[0]);
    for (pid_t pid : pids_) waitpid(pid, nullptr, 0);
  }
  // One `ip -batch` for all the pairs.
  bool add_veths() const {
    const auto batch = ::testing::TempDir() + "/netns_devices.batch";
    {
      std::ofstream out(batch);
      for (std::size_t i = 0; i < pids_.size(); ++i)
        out << "link add x" << i << " netns " << pids_[i] << " type veth peer name y" << i << " netns " << pids_[i]
            << "\n";
    }
    const bool ok = std::system(("ip -batch " + batch).c_str()) == 0;
    std::remove(batch.c_str());
    return ok;
  }
  void end(std::size_t i) {
    kill(pids_[i], SIGKILL);
    waitpid(pids_[i], nullptr, 0);
  }
  const std::vector<pid_t> &pids() const { return pids_; }

 private:
  int hold_[2] = {-1, -1};
  std::vector<pid_t> pids_;
};

TEST(NetnsDevices, ReadsManyNamespacesOnSeveralThreadsEachIntoItsOwn) {
  VNF_REQUIRE_ROOT_AND_BPF();
  constexpr std::size_t kNamespaces = 200;  // three threads' worth at 64 each
  Namespaces ns(kNamespaces);
  ASSERT_EQ(ns.pids().size(), kNamespaces);
  ASSERT_TRUE(ns.add_veths());
  network::NetnsTasks tasks;
  std::vector<std::uint64_t> inode(kNamespaces);
  for (std::size_t i = 0; i < kNamespaces; ++i) {
    auto netns = cgroupfs::inode_of("/proc/" + std::to_string(ns.pids()[i]) + "/ns/net");
    ASSERT_TRUE(netns);
    inode[i] = *netns;
    tasks.emplace(*netns, ns.pids()[i]);
  }
  auto expect_own_pair = [&](const network::NetnsDevices &devices, std::size_t i) {
    const auto *interfaces = devices.interfaces(inode[i]);
    ASSERT_NE(interfaces, nullptr) << "namespace " << i;
    std::set<std::string> names;
    for (const auto &x : *interfaces) names.insert(x.name);
    EXPECT_EQ(names, (std::set<std::string>{"x" + std::to_string(i), "y" + std::to_string(i)})) << "namespace " << i;
  };

  network::NetnsDevices devices(kNamespaces, 4);
  devices.read(tasks);  // opened one by one through their tasks
  for (std::size_t i = 0; i < kNamespaces; ++i) expect_own_pair(devices, i);
  EXPECT_EQ(devices.held().held, kNamespaces);
  for (int round = 0; round < 20; ++round) {  // the kept-open files, read by helpers and the caller
    bool asked = false;
    devices.read([&] {
      asked = true;
      return tasks;
    });
    ASSERT_TRUE(asked);
    for (std::size_t i = 0; i < kNamespaces; ++i) expect_own_pair(devices, i);
  }

  // A third of the tasks exit: their namespaces are no longer wanted and their files go.
  for (std::size_t i = 0; i < kNamespaces; i += 3) {
    ns.end(i);
    tasks.erase(inode[i]);
  }
  devices.read(tasks);
  for (std::size_t i = 0; i < kNamespaces; ++i) {
    if (i % 3 == 0) EXPECT_EQ(devices.interfaces(inode[i]), nullptr) << "namespace " << i;
    else expect_own_pair(devices, i);
  }
  EXPECT_EQ(devices.held().held, tasks.size());
  EXPECT_EQ(devices.unreadable(), 0u);
}

// Beyond its budget the reader opens, reads and closes each file at every read, and the rest
// are still read from their kept-open files.
TEST(NetnsDevices, BeyondItsBudgetTheRestAreReadThroughTheirTasks) {
  VNF_REQUIRE_ROOT_AND_BPF();
  constexpr std::size_t kNamespaces = 150, kBudget = 100;
  Namespaces ns(kNamespaces);
  ASSERT_EQ(ns.pids().size(), kNamespaces);
  ASSERT_TRUE(ns.add_veths());
  network::NetnsTasks tasks;
  for (pid_t pid : ns.pids()) tasks.emplace(*cgroupfs::inode_of("/proc/" + std::to_string(pid) + "/ns/net"), pid);
  network::NetnsDevices devices(kBudget, 4);
  for (int round = 0; round < 3; ++round) {
    devices.read(tasks);
    std::size_t read = 0;
    for (const auto &[netns, pid] : tasks) read += devices.interfaces(netns) && devices.interfaces(netns)->size() == 2;
    EXPECT_EQ(read, kNamespaces) << "round " << round;
    EXPECT_EQ(devices.held().held, kBudget);
  }
}

}  // namespace
}  // namespace vnf::test
