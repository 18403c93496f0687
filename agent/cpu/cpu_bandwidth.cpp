#include "cpu/cpu_bandwidth.h"

#include <charconv>

#include "cgroupfs/cgroup_files.h"

namespace vnf::cpu {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

template <typename Integer>
std::optional<Integer> whole(std::string_view s) {
  Integer value{};
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

std::optional<CpuQuota> quota_of(std::optional<std::int64_t> quota_us, std::optional<std::int64_t> period_us) {
  // The kernel takes no quota under 1 ms: a zero one (a limit of no CPU at all, which
  // utilisation would divide by) is malformed.
  if (!quota_us || !period_us || *period_us <= 0 || *quota_us == 0) return std::nullopt;
  if (*quota_us < 0) return CpuQuota{};
  return CpuQuota{static_cast<double>(*quota_us) / static_cast<double>(*period_us)};
}

}  // namespace

std::optional<CpuQuota> parse_cpu_max(std::string_view content) {
  content = trim(content);
  const auto space = content.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto quota = content.substr(0, space), period = trim(content.substr(space + 1));
  if (quota == "max") return whole<std::int64_t>(period).value_or(0) > 0 ? std::optional(CpuQuota{}) : std::nullopt;
  const auto value = whole<std::int64_t>(quota);
  if (!value || *value < 0) return std::nullopt;  // v2 writes "max", never a negative quota
  return quota_of(value, whole<std::int64_t>(period));
}

std::optional<CpuQuota> parse_cfs_quota(std::string_view quota_us, std::string_view period_us) {
  return quota_of(whole<std::int64_t>(trim(quota_us)), whole<std::int64_t>(trim(period_us)));
}

std::optional<ThrottlingStat> parse_throttling_stat(std::string_view content, bool v2) {
  const auto periods = cgroupfs::parse_keyed_value(content, "nr_periods");
  const auto throttled = cgroupfs::parse_keyed_value(content, "nr_throttled");
  const auto time = cgroupfs::parse_keyed_value(content, v2 ? "throttled_usec" : "throttled_time");
  if (!periods || !throttled || !time) return std::nullopt;
  return ThrottlingStat{*periods, *throttled, v2 ? *time * 1000 : *time};
}

}  // namespace vnf::cpu
