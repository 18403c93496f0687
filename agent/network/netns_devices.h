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
// does not grow with them as fast as its CPU time does. Each namespace's table is parsed into
// the vector its last one filled: a scrape allocates nothing for the namespaces it knows.

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cgroupfs/cgroup_files.h"
#include "common/helper_threads.h"
#include "common/unique_fd.h"
#include "network/interface_counters.h"

namespace vnf::network {

using NetnsTasks = std::unordered_map<std::uint64_t, std::uint64_t>;  // netns inode -> a task in it

class NetnsDevices {
 public:
  // At most `max_open` files are kept open; up to `readers` threads read them.
  NetnsDevices(std::size_t max_open, unsigned readers) : max_open_(max_open), helpers_(readers ? readers - 1 : 0) {}

  // Reads the interfaces of the namespaces `wanted` returns, each through its task where no file
  // of it is open yet. The kept-open files are read while `wanted` runs: it runs on the calling
  // thread while helper threads have begun reading, and the calling thread joins them after it.
  // A namespace whose table cannot be read is left out: its task just exited (the next scrape
  // finds another), or the table is malformed (counted in unreadable()). The files of
  // namespaces not wanted are closed. What `wanted` throws is thrown once the helpers finished.
  void read(const std::function<NetnsTasks()> &wanted);
  void read(const NetnsTasks &tasks) {
    read([&] { return tasks; });
  }
  // The namespace's interfaces but lo as the last read() found them; null where it did not
  // read them. Valid until the next read() or retain().
  const std::vector<InterfaceCounters> *interfaces(std::uint64_t netns) const;
  // Closes the files of the namespaces not in `live`.
  void retain(const std::unordered_set<std::uint64_t> &live);

  cgroupfs::HeldDescriptors held() const { return {held_, max_open_}; }
  std::uint64_t unreadable() const { return unreadable_; }

 private:
  struct Netns {
    UniqueFd file;  // its /proc/PID/net/dev kept open, unless beyond the budget
    std::vector<InterfaceCounters> interfaces;
    int error = 0;      // of this read of `file`: an errno
    bool read = false;  // `interfaces` hold this read's table
  };
  // Reads namespace `netns` through task `pid` into `n`, keeping the file open if it may.
  void open_table(std::uint64_t netns, std::uint64_t pid, Netns &n);
  // Reads and parses the kept-open files of `kept`, helper threads and the calling thread at
  // once (a thread per 64 files at most), the calling thread joining in after `meanwhile`.
  void read_kept(const std::vector<Netns *> &kept, const std::function<void()> &meanwhile);
  void count_malformed(std::uint64_t pid);

  std::size_t max_open_;
  std::size_t held_ = 0;  // files kept open
  std::unordered_map<std::uint64_t, Netns> netns_;
  HelperThreads helpers_;
  std::uint64_t unreadable_ = 0;
};

}  // namespace vnf::network
