#pragma once
// A container-like cgroup for tests, laid out as runtimes do: the same relative path in every
// hierarchy that matters (v2, and on hybrid hosts v1 cpu, cpuacct and memory), placed below
// this process's own cgroup (its memory cgroup on hybrid hosts; on cgroup v2, where that one
// cannot give memory to children, below /vnf-agent-tests). Everything it creates is removed by
// the destructor, processes still inside are killed first.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cgroupfs/cgroup_layout.h"

namespace vnf::test {

class TestCgroup {
 public:
  explicit TestCgroup(const std::string &name);
  ~TestCgroup();
  TestCgroup(const TestCgroup &) = delete;
  TestCgroup &operator=(const TestCgroup &) = delete;

  const std::string &name() const { return name_; }
  const std::string &relative_path() const { return relative_path_; }
  // Its directory in the v2 hierarchy (where cgroup_skb programs attach); empty if none.
  std::filesystem::path v2_dir() const;

  // Moves `pid` into the cgroup in every hierarchy.
  void add_process(pid_t pid) const;

  // The kernel's CPU accounting for this cgroup, in ns, from the file the agent's
  // cgroupfs collector also uses: cpu.stat usage_usec (v2) or cpuacct.usage (v1).
  std::uint64_t kernel_cpu_ns() const;

  // Sets a memory limit on this (test-made) cgroup, swap included where the kernel has swap
  // accounting, so that exceeding it means an OOM kill.
  void set_memory_limit(std::uint64_t bytes) const;
  // The kernel's memory accounting: memory.current / memory.usage_in_bytes, the limit file's
  // text, and a memory.stat value by the flavour's name (v2: "anon", v1: "rss").
  std::uint64_t kernel_memory_usage() const;
  std::string kernel_memory_limit_text() const;
  std::uint64_t kernel_memory_stat(const std::string &key) const;
  bool memory_v2() const { return layout_.memory == cgroupfs::MemoryAccounting::v2; }

  // Sets a CFS quota of `quota_us` per `period_us` (cpu.max, or cpu.cfs_{quota,period}_us).
  void set_cpu_limit(std::uint64_t quota_us, std::uint64_t period_us) const;
  // The kernel's throttling counters: cpu.stat's nr_periods, nr_throttled and throttled time,
  // read from the hierarchy the agent's cgroupfs source also uses, time in ns.
  struct Throttling {
    std::uint64_t periods, throttled_periods, throttled_ns;
  };
  Throttling kernel_throttling() const;
  // A "some" or "full" total of cpu.pressure, memory.pressure or io.pressure in the unified
  // hierarchy, in µs.
  std::uint64_t kernel_pressure_us(const std::string &resource, const std::string &kind) const;

  // Removes the cgroup now (it must hold no processes); the destructor then has nothing to do.
  void remove();

 private:
  void create();
  std::filesystem::path memory_dir() const;
  std::filesystem::path bandwidth_dir() const;
  std::string read_memory_file(const std::string &name) const;

  std::string name_;
  std::string relative_path_;
  cgroupfs::CgroupLayout layout_;
  std::vector<std::filesystem::path> leaves_;   // this cgroup, one per hierarchy
  std::vector<std::filesystem::path> parents_;  // test-made parents this cgroup keeps alive
};

}  // namespace vnf::test
