#pragma once
// The network probe (bpf/net.bpf.c): device-level traffic and drops per network namespace,
// and socket traffic per cgroup v2 id for VNFs in the host namespace, whose devices the
// device probes skip. The socket programs are attached to those VNFs' cgroups only, not to
// the root: every other socket on the host (kubelet, pods with a namespace of their own) then
// pays nothing for them.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "probes/cpu_probe.h"

struct net_bpf;
struct bpf_link;

namespace vnf::probes {

class NetProbe {
 public:
  struct Options {
    std::uint32_t max_namespaces = 4096;
    std::filesystem::path unified_root;  // the v2 hierarchy, where cgroup_skb attaches; empty: none
  };

  // Loads and attaches the device and drop probes (ProbeError if they cannot); the socket
  // counters are best effort: socket_counting() says whether this kernel and these
  // privileges allow them (tried once on the hierarchy's root).
  explicit NetProbe(const Options &options);
  ~NetProbe();
  NetProbe(const NetProbe &) = delete;
  NetProbe &operator=(const NetProbe &) = delete;

  int netns_traffic_fd() const;
  int netns_drops_fd() const;
  int cgroup_traffic_fd() const;
  int overflow_fd() const;
  std::uint32_t capacity(int map_fd) const;
  bool socket_counting() const { return socket_counting_; }
  // Counts the sockets of exactly these cgroups (v2 id -> path below the v2 root): attaches the
  // socket programs to new ones, detaches them from the others. Cgroups that cannot be
  // attached (just removed) are left out and tried again at the next call.
  void count_sockets_of(const std::unordered_map<std::uint64_t, std::string_view> &cgroups);
  // Inode of the namespace whose devices the probes skip: the agent's own, the host's.
  std::uint64_t host_netns_inode() const { return host_netns_inode_; }
  std::vector<ProgramStats> program_stats() const;

 private:
  // The ingress and egress links of one cgroup; false if they could not be made.
  bool attach_sockets(const std::filesystem::path &cgroup, std::vector<bpf_link *> &links);

  net_bpf *skel_ = nullptr;
  std::filesystem::path unified_root_;
  std::uint64_t host_netns_inode_ = 0;
  bool socket_counting_ = false;
  std::unordered_map<std::uint64_t, std::vector<bpf_link *>> socket_links_;  // by cgroup v2 id
};

// The kernel's drop reason names (enum skb_drop_reason from its BTF), lower case and without
// the SKB_DROP_REASON_ prefix: 2 -> "not_specified". Empty if the kernel has no such BTF.
std::unordered_map<std::uint64_t, std::string> load_drop_reason_names();

}  // namespace vnf::probes
