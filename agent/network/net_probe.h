#pragma once
// The network probe (bpf/net.bpf.c): drops by reason per network namespace, and socket
// traffic per cgroup v2 id for VNFs in the host namespace, whose devices are not theirs. The
// socket programs are attached to those VNFs' cgroups only, not to the root: every other
// socket on the host (kubelet, pods with a namespace of their own) then pays nothing for them.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "bpf/kernel_btf.h"
#include "bpf/link.h"
#include "bpf/overflow_counters.h"
#include "bpf/program_stats.h"
#include "bpf/skeleton.h"
#include "probe_types.h"

struct net_bpf;
struct bpf_map;

namespace vnf::network {

class NetProbe {
 public:
  struct Options {
    std::uint32_t max_namespaces = 4096;
    std::filesystem::path unified_root;  // the v2 hierarchy, where cgroup_skb attaches; empty: none
    std::uint64_t host_netns_inode = 0;  // the namespace whose drops are skipped: the agent's own
    bool drops = true;  // load the drop probe (its kernel has drop reasons on kfree_skb)
  };

  // Loads and attaches the drop probe (bpf::ProbeError if it cannot); the socket counters are
  // best effort: socket_counting() says whether this kernel and these privileges allow them
  // (tried once on the hierarchy's root).
  explicit NetProbe(const Options &options);
  bool drop_counting() const { return drop_counting_; }
  ~NetProbe();

  const bpf_map *netns_drops() const;     // per-CPU hash: struct vnf_drop_key -> u64
  const bpf_map *cgroup_traffic() const;  // per-CPU hash: cgroup v2 id -> struct vnf_traffic
  std::uint64_t overflow(enum vnf_net_overflow map) const { return overflow_.lost(map); }
  bool socket_counting() const { return socket_counting_; }
  // Starts counting the sockets of the v2 cgroup `id`, whose directory is `dir`; false if it
  // cannot (the cgroup was just removed, say).
  bool count_sockets_of(std::uint64_t id, const std::filesystem::path &dir);
  void stop_counting_sockets_of(std::uint64_t id) { socket_links_.erase(id); }
  bool counts_sockets_of(std::uint64_t id) const { return socket_links_.count(id) > 0; }
  // The v2 ids of the cgroups whose sockets are counted.
  std::vector<std::uint64_t> socket_cgroups() const;
  std::vector<bpf::ProgramStats> program_stats() const;

 private:
  using SocketLinks = std::array<bpf::Link, 2>;  // ingress, egress
  bool attach_sockets(const std::filesystem::path &cgroup, SocketLinks &links);

  bpf::Skeleton<net_bpf> skel_;
  bpf::OverflowCounters overflow_;
  bool socket_counting_ = false;
  bool drop_counting_ = false;
  std::unordered_map<std::uint64_t, SocketLinks> socket_links_;  // by cgroup v2 id
};

// The kernel's drop reason names (enum skb_drop_reason), lower case and without the
// SKB_DROP_REASON_ prefix: 2 -> "not_specified". Empty if the kernel's BTF has no such enum.
std::unordered_map<std::uint64_t, std::string> drop_reason_names(const bpf::KernelBtf &btf);

}  // namespace vnf::network
