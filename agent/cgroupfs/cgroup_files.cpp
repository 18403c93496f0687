#include "cgroupfs/cgroup_files.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

namespace vnf::cgroupfs {
namespace {

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

FileRead status_of(int error) {
  if (!error) return FileRead::ok;
  return error == ENOENT || error == ENODEV ? FileRead::gone : FileRead::failed;
}

// Opens and reads `path`: the open fd, or -1 with `error` set (a failed read closes it).
int open_and_read(const std::filesystem::path &path, std::string &out, int &error) {
  out.clear();
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  error = fd < 0 ? errno : read_from_start(fd, out);
  if (error && fd >= 0) {
    close(fd);
    fd = -1;
  }
  return fd;
}

}  // namespace

int read_from_start(int fd, std::string &out) {
  out.clear();
  char buf[4096];
  for (off_t offset = 0;;) {
    ssize_t n = pread(fd, buf, sizeof buf, offset);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      offset += n;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 ? errno : 0;
  }
}

FileRead read_cgroup_file(const std::filesystem::path &path, std::string &out, int &error) {
  int fd = open_and_read(path, out, error);
  if (fd >= 0) close(fd);
  return status_of(error);
}

OpenCgroupFiles::~OpenCgroupFiles() {
  for (const auto &[path, file] : files_) close(file.fd);
}

FileRead OpenCgroupFiles::read(const std::filesystem::path &path, std::string &out, int &error) {
  auto it = files_.find(path.native());
  if (it != files_.end()) {
    error = read_from_start(it->second.fd, out);
    if (!error) {
      it->second.used = true;
      return FileRead::ok;
    }
    close(it->second.fd);  // the cgroup went away; a new one may have taken its name
    files_.erase(it);
  }
  if (files_.size() >= max_open_) return read_cgroup_file(path, out, error);
  int fd = open_and_read(path, out, error);
  if (fd >= 0) files_.emplace(path.native(), File{fd, true});
  return status_of(error);
}

void OpenCgroupFiles::sweep() {
  for (auto it = files_.begin(); it != files_.end();) {
    if (std::exchange(it->second.used, false)) {
      ++it;
      continue;
    }
    close(it->second.fd);
    it = files_.erase(it);
  }
}

std::size_t cgroup_file_budget() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  const std::size_t half = limit.rlim_cur == RLIM_INFINITY ? 1 << 20 : static_cast<std::size_t>(limit.rlim_cur / 2);
  return half / kOpenCgroupFileSets;
}

void count_unreadable(std::string_view component, const std::filesystem::path &file, int error, std::uint64_t &errors) {
  ++errors;
  spdlog::debug("{}: cannot read {}: {}", component, file.string(), error ? std::strerror(error) : "unexpected content");
}

std::optional<std::uint64_t> parse_keyed_value(std::string_view content, std::string_view key) {
  while (!content.empty()) {
    auto eol = content.find('\n');
    std::string_view line = content.substr(0, eol);
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ' ')
      return parse_u64(line.substr(key.size() + 1));
    if (eol == std::string_view::npos) break;
    content.remove_prefix(eol + 1);
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_single_value(std::string_view content) { return parse_u64(content); }

}  // namespace vnf::cgroupfs
