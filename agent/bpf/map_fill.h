#pragma once
// How full one BPF map is: vnf_agent_bpf_map_entries, _capacity and _overflow_total.

#include <cstdint>
#include <string>

namespace vnf::bpf {

struct MapFill {
  std::string map;
  std::uint64_t entries = 0;
  std::uint64_t capacity = 0;
  std::uint64_t overflow = 0;  // what was lost because the map was full, since load
};

}  // namespace vnf::bpf
