#pragma once
// Pressure stall information (PSI) of one cgroup as its *.pressure files show it: for CPU,
// memory and IO, the time at least one task was stalled waiting for the resource ("some",
// exported as waiting) and the time all non-idle tasks were ("full", stalled).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace vnf::pressure {

enum class Resource : std::size_t { cpu, memory, io };
inline constexpr std::size_t kResources = 3;
inline constexpr std::array<std::string_view, kResources> kResourceNames{"cpu", "memory", "io"};

struct StallTotals {
  std::uint64_t some_us = 0;
  std::optional<std::uint64_t> full_us;  // cpu.pressure has no "full" line before 5.13
};

// By Resource; none where the cgroup has no such file.
using CgroupPressure = std::array<std::optional<StallTotals>, kResources>;
// Keyed by the tracked cgroup's id in the CPU hierarchy (the id its VNF is tracked by).
using PressureByCgroup = std::unordered_map<std::uint64_t, CgroupPressure>;

// "some avg10=0.12 avg60=0.05 avg300=0.01 total=123456\nfull ... total=789\n": the totals,
// in µs. nullopt when there is no "some" line or a total is malformed.
std::optional<StallTotals> parse_pressure(std::string_view content);

}  // namespace vnf::pressure
