#pragma once
// What a probe lost to full maps or buffers. Every BPF object keeps these counts the same way:
// one per-CPU array of u64 named `overflow`, one slot per map, indexed by the object's enum in
// bpf/probe_types.h and bumped by count_overflow() (bpf/maps.bpf.h).

#include <cstdint>

struct bpf_map;

namespace vnf::bpf {

class OverflowCounters {
 public:
  explicit OverflowCounters(const bpf_map *overflow);
  // Events lost in `slot`, over every CPU, since load; 0 if unreadable.
  std::uint64_t lost(std::uint32_t slot) const;

 private:
  int fd_;
};

}  // namespace vnf::bpf
