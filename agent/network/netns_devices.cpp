#include "network/netns_devices.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <thread>

#include "cgroupfs/cgroup_paths.h"
#include "common/unique_fd.h"

namespace vnf::network {
namespace {

std::string net_dev_of(std::uint64_t pid) { return "/proc/" + std::to_string(pid) + "/net/dev"; }

// Reads the whole table, mostly in one system call: a seq_file read returns lines until its
// page is full, so a read that came back with more room left than any line of the table takes
// (a name of IFNAMSIZ and sixteen 20-digit numbers: under 400 bytes) ended at the table's end.
// Only a longer table (some 25 devices or more) needs the read to the end of the file.
int read_table(int fd, std::string &content) {
  constexpr std::size_t kPage = 4096, kLongestLine = 400;
  char page[kPage];
  ssize_t n;
  while ((n = pread(fd, page, kPage, 0)) < 0 && errno == EINTR) {
  }
  if (n < 0) return errno;
  if (static_cast<std::size_t>(n) + kLongestLine >= kPage) return cgroupfs::read_from_start(fd, content);
  content.assign(page, static_cast<std::size_t>(n));
  return 0;
}

// Closes the files of the namespaces `live` (a set or a map by netns inode) does not hold.
template <typename Live>
void close_all_but(std::unordered_map<std::uint64_t, int> &open, const Live &live) {
  for (auto it = open.begin(); it != open.end();) {
    if (live.count(it->first)) {
      ++it;
      continue;
    }
    close(it->second);
    it = open.erase(it);
  }
}

}  // namespace

NetnsDevices::~NetnsDevices() {
  for (const auto &[netns, fd] : open_) close(fd);
}

bool NetnsDevices::open_table(std::uint64_t netns, std::uint64_t pid) {
  const auto path = net_dev_of(pid);
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return false;  // the task exited
  // The pid is watched by a pidfd, but it may have exited and been reused since its namespace
  // was looked up: the file must be that namespace's.
  const int error = cgroupfs::inode_of("/proc/" + std::to_string(pid) + "/ns/net") == netns
                        ? read_table(fd.get(), content_)
                        : ESRCH;
  if (error && error != ESRCH) cgroupfs::count_unreadable("network", path, error, unreadable_);
  if (error || open_.size() >= max_open_) return !error;
  open_.emplace(netns, fd.get());
  fd.release();
  return true;
}

std::vector<std::optional<std::vector<InterfaceCounters>>> NetnsDevices::read_open(
    const std::vector<std::pair<std::uint64_t, int>> &namespaces, std::vector<int> &errors,
    const std::function<void()> &meanwhile) const {
  constexpr std::size_t kPerThread = 64;  // fewer are not worth a thread
  constexpr std::size_t kChunk = 16;      // taken at a time: a thread held up leaves the rest to others
  std::vector<std::optional<std::vector<InterfaceCounters>>> tables(namespaces.size());
  errors.assign(namespaces.size(), 0);
  std::atomic<std::size_t> next{0};
  auto read_chunks = [&]() noexcept {
    std::string content;
    for (std::size_t begin; (begin = next.fetch_add(kChunk, std::memory_order_relaxed)) < namespaces.size();) {
      for (std::size_t i = begin; i < std::min(begin + kChunk, namespaces.size()); ++i) {
        try {
          if (!(errors[i] = read_table(namespaces[i].second, content))) tables[i] = parse_net_dev(content);
        } catch (const std::bad_alloc &) {  // counted as unreadable, not the end of the process
          errors[i] = ENOMEM;
        }
      }
    }
  };
  const std::size_t threads = std::min<std::size_t>(readers_, std::max<std::size_t>(1, namespaces.size() / kPerThread));
  {
    std::vector<std::jthread> helpers;
    for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(read_chunks);
    meanwhile();  // if it throws, the helpers still finish and join before the exception leaves
    read_chunks();
  }  // the helpers join here
  return tables;
}

InterfacesByNetns NetnsDevices::read(const std::unordered_map<std::uint64_t, std::uint64_t> &pids,
                                     const std::function<void()> &meanwhile) {
  close_all_but(open_, pids);
  std::vector<std::pair<std::uint64_t, int>> kept;  // netns, its open file
  std::vector<std::pair<std::uint64_t, std::uint64_t>> to_open;  // netns, a task in it
  kept.reserve(open_.size());
  for (const auto &[netns, pid] : pids) {
    if (auto it = open_.find(netns); it != open_.end()) kept.emplace_back(netns, it->second);
    else to_open.emplace_back(netns, pid);
  }
  InterfacesByNetns interfaces;
  interfaces.reserve(pids.size());
  std::vector<int> errors;
  auto tables = read_open(kept, errors, meanwhile);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const auto netns = kept[i].first;
    if (errors[i]) {  // the file went bad: open the namespace's table again through its task
      close(kept[i].second);
      open_.erase(netns);
      to_open.emplace_back(netns, pids.at(netns));
    } else if (tables[i]) {
      interfaces.emplace(netns, std::move(*tables[i]));
    } else {
      cgroupfs::count_unreadable("network", net_dev_of(pids.at(netns)), 0, unreadable_);
    }
  }
  for (const auto &[netns, pid] : to_open) {
    if (!open_table(netns, pid)) continue;
    if (auto table = parse_net_dev(content_)) interfaces.emplace(netns, std::move(*table));
    else cgroupfs::count_unreadable("network", net_dev_of(pid), 0, unreadable_);
  }
  return interfaces;
}

void NetnsDevices::retain(const std::unordered_set<std::uint64_t> &live) { close_all_but(open_, live); }

}  // namespace vnf::network
