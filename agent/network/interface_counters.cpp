#include "network/interface_counters.h"

#include <array>
#include <charconv>
#include <optional>

namespace vnf::network {
namespace {

constexpr std::size_t kColumns = 16;  // 8 receive, 8 transmit

// The next whitespace-separated number of `line`, consumed; nullopt if there is none.
std::optional<std::uint64_t> next_number(std::string_view &line) {
  const auto start = line.find_first_not_of(' ');
  if (start == std::string_view::npos) return std::nullopt;
  line.remove_prefix(start);
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), value);
  if (ec != std::errc{} || (end != line.data() + line.size() && *end != ' ')) return std::nullopt;
  line.remove_prefix(static_cast<std::size_t>(end - line.data()));
  return value;
}

std::string_view trimmed(std::string_view s) {
  const auto start = s.find_first_not_of(' ');
  return start == std::string_view::npos ? std::string_view{} : s.substr(start);
}

}  // namespace

bool parse_net_dev(std::string_view content, std::vector<InterfaceCounters> &interfaces) {
  interfaces.clear();
  int header = 0;
  while (!content.empty()) {
    const auto eol = content.find('\n');
    std::string_view line = content.substr(0, eol);
    content.remove_prefix(eol == std::string_view::npos ? content.size() : eol + 1);
    if (header < 2) {  // "Inter-|   Receive ..." and " face |bytes packets ..."
      if (line.find('|') == std::string_view::npos) return false;
      ++header;
      continue;
    }
    // Device names cannot hold ':' or blanks (dev_valid_name()), so the first ':' ends it.
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    const auto name = trimmed(line.substr(0, colon));
    if (name.empty()) return false;
    if (name == "lo") continue;  // the namespace talking to itself, on no wire
    line.remove_prefix(colon + 1);
    std::array<std::uint64_t, kColumns> v{};
    for (auto &x : v) {
      auto n = next_number(line);
      if (!n) return false;
      x = *n;
    }
    interfaces.push_back({std::string(name), v[1], v[0], v[2], v[3], v[9], v[8], v[10], v[11]});
  }
  return header == 2;
}

}  // namespace vnf::network
