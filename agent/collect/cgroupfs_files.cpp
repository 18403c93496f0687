#include "collect/cgroupfs_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

namespace vnf::collect {
namespace {

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

}  // namespace

FileRead read_cgroup_file(const std::filesystem::path &path, std::string &out, int &error) {
  out.clear();
  error = 0;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = errno;
    return (error == ENOENT || error == ENODEV) ? FileRead::gone : FileRead::failed;
  }
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    break;
  }
  close(fd);
  if (error) return (error == ENOENT || error == ENODEV) ? FileRead::gone : FileRead::failed;
  return FileRead::ok;
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

}  // namespace vnf::collect
