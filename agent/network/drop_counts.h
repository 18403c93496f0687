#pragma once
// Packets the stack dropped, by kernel drop reason, in each network namespace a VNF lives in:
// the network probe's kfree_skb counts, which cost nothing while nothing is dropped.

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "bpf/map_reader.h"
#include "collector/collector.h"
#include "network/net_probe.h"

namespace vnf::network {

class DropCounts {
 public:
  // `reason_names`: the kernel's names of its drop reasons (drop_reason_names()).
  DropCounts(const NetProbe &probe, std::unordered_map<std::uint64_t, std::string> reason_names);

  // Reads the counts; then drops_in() answers.
  void read();
  // The drops in namespace `netns` by reason name, and the namespace counts as in use.
  std::map<std::string, std::uint64_t> drops_in(std::uint64_t netns);
  // Deletes the entries of namespaces in use neither since the last sweep nor before it: the
  // map stays bounded by the namespaces VNFs live in, and a reused inode starts from nothing.
  void sweep();
  void report(collector::Health &health) const;

 private:
  const NetProbe &probe_;
  std::unordered_map<std::uint64_t, std::string> reason_names_;
  int ncpus_;
  bpf::MapReader reader_;
  std::unordered_map<std::uint64_t, std::map<std::uint64_t, std::uint64_t>> drops_;  // netns -> reason -> n
  std::uint64_t entries_ = 0;
  std::unordered_set<std::uint64_t> used_, idle_;  // namespaces in use since the last sweep; unused at it
};

}  // namespace vnf::network
