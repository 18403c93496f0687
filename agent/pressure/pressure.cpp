#include "pressure/pressure.h"

#include <charconv>

namespace vnf::pressure {
namespace {

// The total= field of one line; nullopt if it has none or it is not a number.
std::optional<std::uint64_t> total_of(std::string_view line) {
  constexpr std::string_view kKey = " total=";
  const auto at = line.find(kKey);
  if (at == std::string_view::npos) return std::nullopt;
  line.remove_prefix(at + kKey.size());
  line = line.substr(0, line.find(' '));
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), value);
  if (error != std::errc{} || end != line.data() + line.size() || line.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<StallTotals> parse_pressure(std::string_view content) {
  std::optional<std::uint64_t> some, full;
  while (!content.empty()) {
    const auto eol = content.find('\n');
    const auto line = content.substr(0, eol);
    if (line.starts_with("some ")) {
      some = total_of(line);
      if (!some) return std::nullopt;
    } else if (line.starts_with("full ")) {
      full = total_of(line);
      if (!full) return std::nullopt;
    }
    if (eol == std::string_view::npos) break;
    content.remove_prefix(eol + 1);
  }
  if (!some) return std::nullopt;
  return StallTotals{*some, full};
}

}  // namespace vnf::pressure
