#pragma once
// The network probe (bpf/net.bpf.c): device-level traffic and drops per network namespace,
// and socket traffic per cgroup v2 id for VNFs in the host namespace, whose devices the
// device probes skip.

#include <cstdint>
#include <filesystem>
#include <string>
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
    std::filesystem::path unified_root;  // where the cgroup_skb programs attach; empty: none
  };

  // Loads and attaches the device and drop probes (ProbeError if they cannot); the socket
  // counters are best effort: socket_counting() says whether they run.
  explicit NetProbe(const Options &options);
  ~NetProbe();
  NetProbe(const NetProbe &) = delete;
  NetProbe &operator=(const NetProbe &) = delete;

  int netns_traffic_fd() const;
  int netns_drops_fd() const;
  int cgroup_traffic_fd() const;
  int overflow_fd() const;
  std::uint32_t capacity(int map_fd) const;
  bool socket_counting() const { return !cgroup_links_.empty(); }
  std::vector<ProgramStats> program_stats() const;

 private:
  net_bpf *skel_ = nullptr;
  std::vector<bpf_link *> cgroup_links_;
};

// The kernel's drop reason names (enum skb_drop_reason from its BTF), lower case and without
// the SKB_DROP_REASON_ prefix: 2 -> "not_specified". Empty if the kernel has no such BTF.
std::unordered_map<std::uint64_t, std::string> load_drop_reason_names();

}  // namespace vnf::probes
