#pragma once
// The interface counters of each network namespace VNFs live in, read at scrape time from a
// member task's /proc/PID/net/dev: the kernel's own dev_get_stats() numbers for every device
// of that namespace, read without entering it (no capability beyond reading /proc).
//
// The file is kept open and re-read with pread() from offset 0, about a quarter of the cost of
// opening it each time. An open file holds a reference on its namespace, which keeps the
// namespace and its devices alive: so a file is closed as soon as its namespace has no VNF
// task in it (retain()), and beyond `max_open` files each read opens and closes its own.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cgroupfs/cgroup_files.h"
#include "network/interface_counters.h"

namespace vnf::network {

using InterfacesByNetns = std::unordered_map<std::uint64_t, std::vector<InterfaceCounters>>;

class NetnsDevices {
 public:
  explicit NetnsDevices(std::size_t max_open) : max_open_(max_open) {}
  ~NetnsDevices();
  NetnsDevices(const NetnsDevices &) = delete;
  NetnsDevices &operator=(const NetnsDevices &) = delete;

  // The interfaces of each namespace of `pids` (netns inode -> a task in it), opening its file
  // through that task where none is open yet. A namespace whose file cannot be read is left
  // out: its task just exited (the next scrape finds another), or the table is malformed
  // (counted in unreadable()). Files of namespaces not asked for are closed.
  const InterfacesByNetns &read(const std::unordered_map<std::uint64_t, std::uint64_t> &pids);
  // Closes the files of the namespaces not in `live`.
  void retain(const std::unordered_set<std::uint64_t> &live);

  cgroupfs::HeldDescriptors held() const { return {open_.size(), max_open_}; }
  std::uint64_t unreadable() const { return unreadable_; }

 private:
  // Reads namespace `netns` into content_ through its open file or task `pid`; false if it
  // cannot.
  bool read_table(std::uint64_t netns, std::uint64_t pid);

  std::size_t max_open_;
  std::unordered_map<std::uint64_t, int> open_;  // netns inode -> its /proc/PID/net/dev
  InterfacesByNetns interfaces_;
  std::string content_;
  std::uint64_t unreadable_ = 0;
};

}  // namespace vnf::network
