#include "network/netns_devices.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <string>
#include <string_view>

#include "cgroupfs/cgroup_paths.h"

namespace vnf::network {
namespace {

std::string net_dev_of(std::uint64_t pid) { return "/proc/" + std::to_string(pid) + "/net/dev"; }

// Room for one table, read mostly in one system call: a seq_file read returns lines until its
// page is full, so a read that came back with more room left than any line of the table takes
// (a name of IFNAMSIZ and sixteen 20-digit numbers: under 400 bytes) ended at the table's end.
// Only a longer table (some 25 devices or more) needs the read to the end of the file.
class TableBuffer {
 public:
  // Reads the table of `fd` into `table`, valid until the next call; an errno if it cannot.
  int read(int fd, std::string_view &table) {
    constexpr std::size_t kLongestLine = 400;
    ssize_t n;
    while ((n = pread(fd, page_, sizeof page_, 0)) < 0 && errno == EINTR) {
    }
    if (n < 0) return errno;
    if (static_cast<std::size_t>(n) + kLongestLine < sizeof page_) {
      table = std::string_view(page_, static_cast<std::size_t>(n));
      return 0;
    }
    if (const int error = cgroupfs::read_from_start(fd, long_table_)) return error;
    table = long_table_;
    return 0;
  }

 private:
  char page_[4096];
  std::string long_table_;
};

// Forgets the namespaces (a map by netns inode) that `live` (a set or a map by netns inode)
// does not hold, closing their files; `held` counts the files left open.
template <typename Namespaces, typename Live>
void forget_all_but(Namespaces &netns, std::size_t &held, const Live &live) {
  std::erase_if(netns, [&](const auto &entry) {
    if (live.count(entry.first)) return false;
    if (entry.second.file) --held;
    return true;
  });
}

}  // namespace

void NetnsDevices::count_malformed(std::uint64_t pid) {
  cgroupfs::count_unreadable("network", net_dev_of(pid), 0, unreadable_);
}

void NetnsDevices::open_table(std::uint64_t netns, std::uint64_t pid, Netns &n) {
  const auto path = net_dev_of(pid);
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return;  // the task exited
  // The pid is watched by a pidfd, but it may have exited and been reused since its namespace
  // was looked up: the file must be that namespace's.
  TableBuffer buffer;
  std::string_view table;
  const int error = cgroupfs::inode_of("/proc/" + std::to_string(pid) + "/ns/net") == netns
                        ? buffer.read(fd.get(), table)
                        : ESRCH;
  if (error) {
    if (error != ESRCH) cgroupfs::count_unreadable("network", path, error, unreadable_);
    return;
  }
  if (!(n.read = parse_net_dev(table, n.interfaces))) count_malformed(pid);
  if (held_ < max_open_) {
    n.file = std::move(fd);
    ++held_;
  }
}

void NetnsDevices::read_kept(const std::vector<Netns *> &kept, const std::function<void()> &meanwhile) {
  constexpr std::size_t kPerThread = 64;  // files per thread, the caller included: fewer are not worth one
  constexpr std::size_t kChunk = 16;      // taken at a time: a thread held up leaves the rest to others
  std::atomic<std::size_t> next{0};
  const std::function<void()> read_chunks = [&]() noexcept {
    TableBuffer buffer;
    std::string_view table;
    for (std::size_t begin; (begin = next.fetch_add(kChunk, std::memory_order_relaxed)) < kept.size();) {
      for (std::size_t i = begin; i < std::min(begin + kChunk, kept.size()); ++i) {
        Netns &n = *kept[i];
        try {
          if (!(n.error = buffer.read(n.file.get(), table))) n.read = parse_net_dev(table, n.interfaces);
        } catch (const std::bad_alloc &) {  // counted as unreadable, not the end of the process
          n.error = ENOMEM;
        }
      }
    }
  };
  helpers_.run(std::max<std::size_t>(kept.size() / kPerThread, 1) - 1, read_chunks, meanwhile);
}

void NetnsDevices::read(const std::function<NetnsTasks()> &wanted) {
  std::vector<Netns *> kept;
  kept.reserve(held_);
  for (auto &[netns, n] : netns_) {
    n.read = false;
    n.error = 0;
    if (n.file) kept.push_back(&n);
  }
  NetnsTasks tasks;
  read_kept(kept, [&] { tasks = wanted(); });
  forget_all_but(netns_, held_, tasks);
  for (const auto &[netns, pid] : tasks) {
    Netns &n = netns_[netns];
    if (n.read) continue;
    if (n.file && !n.error) {  // read, but not a table
      count_malformed(pid);
      continue;
    }
    if (n.file) {  // the file went bad: open the namespace's table again through its task
      n.file = UniqueFd();
      --held_;
    }
    open_table(netns, pid, n);
  }
}

const std::vector<InterfaceCounters> *NetnsDevices::interfaces(std::uint64_t netns) const {
  auto it = netns_.find(netns);
  return it != netns_.end() && it->second.read ? &it->second.interfaces : nullptr;
}

void NetnsDevices::retain(const std::unordered_set<std::uint64_t> &live) { forget_all_but(netns_, held_, live); }

}  // namespace vnf::network
