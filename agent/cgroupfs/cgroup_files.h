#pragma once
// Reading and parsing the small text files cgroupfs exposes.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vnf::cgroupfs {

enum class FileRead { ok, gone, failed };

// Descriptors a source keeps open between scrapes, and the most it may; at the limit it falls
// back to a slower path (vnf_agent_open_descriptors).
struct HeldDescriptors {
  std::size_t held = 0, limit = 0;
};

// Reads a (small) cgroupfs file into `out`. `gone` means the cgroup was removed meanwhile
// (ENOENT/ENODEV), which is part of normal churn, not an error.
FileRead read_cgroup_file(const std::filesystem::path &path, std::string &out, int &error);

// Reads an open proc or cgroupfs file from offset 0 to its end into `out`, which makes the
// kernel generate its content afresh; 0 or an errno.
int read_from_start(int fd, std::string &out);

// Cgroup files read at every scrape, kept open: reading one again is a pread() from offset 0,
// which makes the kernel generate fresh content, instead of an open() that walks the path
// through kernfs and a close() (together more than half the cost of reading memory.stat).
// A file whose cgroup was removed, or replaced by a new one of the same name, is reopened.
// At most `max_open` files are kept; beyond that they are opened for each read.
class OpenCgroupFiles {
 public:
  explicit OpenCgroupFiles(std::size_t max_open) : max_open_(max_open) {}
  ~OpenCgroupFiles();
  OpenCgroupFiles(const OpenCgroupFiles &) = delete;
  OpenCgroupFiles &operator=(const OpenCgroupFiles &) = delete;

  // As read_cgroup_file.
  FileRead read(const std::filesystem::path &path, std::string &out, int &error);
  // Closes the files not read since the last sweep.
  void sweep();
  HeldDescriptors held() const { return {files_.size(), max_open_}; }

 private:
  struct File {
    int fd;
    bool used;
  };
  std::size_t max_open_;
  std::unordered_map<std::string, File> files_;
};

// The number of files one OpenCgroupFiles may keep open: together they get half of what this
// process's soft RLIMIT_NOFILE allows (main() raises it to the hard one), shared evenly by the
// kOpenCgroupFileSets of them (memory.stat, CPU bandwidth, pressure), leaving the rest to
// sockets, BPF objects and the journal.
inline constexpr std::size_t kOpenCgroupFileSets = 3;
std::size_t cgroup_file_budget();

// Counts a file that could not be read (`error`, an errno) or parsed (`error` 0) in `errors`,
// and logs it at debug level under `component`: an unreadable file is a counted error
// (vnf_agent_scrape_errors_total), never a reason to stop reading the others.
void count_unreadable(std::string_view component, const std::filesystem::path &file, int error, std::uint64_t &errors);

// Value of `key` in a flat-keyed file such as cpu.stat ("usage_usec 1234\n...").
std::optional<std::uint64_t> parse_keyed_value(std::string_view content, std::string_view key);

// A file holding one unsigned integer, such as cpuacct.usage.
std::optional<std::uint64_t> parse_single_value(std::string_view content);

}  // namespace vnf::cgroupfs
