#pragma once
// The interface counters of each network namespace VNFs live in, read at scrape time from a
// member task's /proc/PID/net/dev: the kernel's own dev_get_stats() numbers for every device
// of that namespace, read without entering it (no capability beyond reading /proc).
//
// The file is kept open and re-read with pread() from offset 0, about half the cost of opening
// it each time. An open file holds a reference on its namespace, which keeps the namespace and
// its devices alive: so a file is closed as soon as its namespace has no VNF task in it
// (retain()), and beyond `max_open` files each read opens and closes its own. What a read
// costs is the kernel formatting the table (~8 us for three devices on a small VM): with many
// namespaces the open files are read by several threads at once, so that a scrape's latency
// does not grow with them as fast as its CPU time does.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cgroupfs/cgroup_files.h"
#include "network/interface_counters.h"

namespace vnf::network {

using InterfacesByNetns = std::unordered_map<std::uint64_t, std::vector<InterfaceCounters>>;

class NetnsDevices {
 public:
  // At most `max_open` files are kept open; up to `readers` threads read them.
  NetnsDevices(std::size_t max_open, unsigned readers) : max_open_(max_open), readers_(readers ? readers : 1) {}
  ~NetnsDevices();
  NetnsDevices(const NetnsDevices &) = delete;
  NetnsDevices &operator=(const NetnsDevices &) = delete;

  // The interfaces of each namespace of `pids` (netns inode -> a task in it), opening its file
  // through that task where none is open yet. A namespace whose file cannot be read is left
  // out: its task just exited (the next scrape finds another), or the table is malformed
  // (counted in unreadable()). Files of namespaces not asked for are closed. `meanwhile` runs
  // on the calling thread while other threads have begun reading; what it throws is thrown
  // once they have finished.
  InterfacesByNetns read(const std::unordered_map<std::uint64_t, std::uint64_t> &pids,
                         const std::function<void()> &meanwhile = [] {});
  // Closes the files of the namespaces not in `live`.
  void retain(const std::unordered_set<std::uint64_t> &live);

  cgroupfs::HeldDescriptors held() const { return {open_.size(), max_open_}; }
  std::uint64_t unreadable() const { return unreadable_; }

 private:
  // Reads namespace `netns` through task `pid` into content_, keeping the file open if it may;
  // false if it cannot.
  bool open_table(std::uint64_t netns, std::uint64_t pid);
  // Reads and parses the kept-open files of `namespaces`, several threads at once, the calling
  // thread joining in after `meanwhile`: a table, or nullopt where it could not be read
  // (`errors`: its errno; 0 for a malformed one).
  std::vector<std::optional<std::vector<InterfaceCounters>>> read_open(
      const std::vector<std::pair<std::uint64_t, int>> &namespaces, std::vector<int> &errors,
      const std::function<void()> &meanwhile) const;

  std::size_t max_open_;
  unsigned readers_;
  std::unordered_map<std::uint64_t, int> open_;  // netns inode -> its /proc/PID/net/dev
  std::string content_;
  std::uint64_t unreadable_ = 0;
};

}  // namespace vnf::network
