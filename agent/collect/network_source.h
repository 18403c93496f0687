#pragma once
// Per-container network traffic. A container's network namespace is found through a member
// task (/proc/PID/ns/net). BPF mode: the namespace's device counters and drops from the network
// probe, or, for containers in the host namespace, their sockets' traffic by cgroup v2 id.
// Fallback: /proc/PID/net/dev, the namespace's interface counters.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "collect/bpf_cpu_source.h"
#include "collect/cgroupfs_files.h"
#include "collect/task_exit_watch.h"
#include "discover/cgroup_layout.h"
#include "discover/cgroup_tree.h"
#include "probes/net_probe.h"

namespace vnf::collect {

struct NetworkTraffic {
  std::uint64_t rx_packets = 0, rx_bytes = 0, tx_packets = 0, tx_bytes = 0;
};

struct NetworkUsage {
  NetworkTraffic traffic;
  std::map<std::string, std::uint64_t> drops;  // by drop reason; BPF mode only
  std::uint64_t netns_inode = 0;
};

// Keyed by the tracked cgroup's id in the CPU hierarchy.
using NetworkByCgroup = std::unordered_map<std::uint64_t, NetworkUsage>;

// Sums the interfaces of a /proc/PID/net/dev table; nullopt if it is malformed.
std::optional<NetworkTraffic> parse_net_dev(std::string_view content);

class NetworkSource {
 public:
  // `probe` may be null: then the fallback reads /proc/PID/net/dev.
  NetworkSource(const discover::CgroupLayout &layout, probes::NetProbe *probe);

  NetworkByCgroup read(const discover::CgroupTree &tree, const std::vector<std::size_t> &tracked);
  std::uint64_t read_errors() const { return read_errors_; }
  std::vector<std::pair<std::string, BpfMapStats>> map_stats() const;
  HeldDescriptors pidfds() const { return {exits_.size(), exits_.capacity()}; }

 private:
  std::optional<std::uint64_t> member_pid(const discover::CgroupNode &node);
  // The namespace of the cgroup's tasks, looked up through a member task and kept until that
  // task exits: runtimes set a container's namespace before it starts, and looking it up again
  // (cgroup.procs, /proc/PID/ns/net) costs more than the rest of the network stage. Where the
  // task cannot be watched with a pidfd, the answer is trusted for a few seconds instead.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> namespace_of(const discover::CgroupNode &node);
  std::optional<std::uint64_t> unified_cgroup_id(const discover::CgroupNode &node);
  void read_bpf_maps();
  // The host-network VNFs' cgroups of one read: v2 id -> path (views into the read's tree).
  using HostNetworkCgroups = std::unordered_map<std::uint64_t, std::string_view>;
  void collect_garbage(const std::unordered_set<std::uint64_t> &used_netns, const HostNetworkCgroups &used_cgroups);

  discover::CgroupLayout layout_;
  probes::NetProbe *probe_;
  std::unordered_map<std::uint64_t, std::string> reason_names_;
  std::uint64_t host_netns_ = 0;
  int ncpus_ = 1;
  std::uint64_t read_errors_ = 0;
  std::string content_;

  // The maps, as read this scrape.
  std::unordered_map<std::uint64_t, NetworkTraffic> netns_traffic_;
  std::unordered_map<std::uint64_t, std::map<std::uint64_t, std::uint64_t>> netns_drops_;
  std::unordered_map<std::uint64_t, NetworkTraffic> cgroup_traffic_;
  std::uint64_t drop_entries_ = 0;
  // Keys no tracked VNF used at the last read: removed if still unused at this one.
  std::unordered_set<std::uint64_t> idle_netns_, idle_cgroups_;
  struct KnownNamespace {
    std::uint64_t pid, netns_inode;
    std::chrono::steady_clock::time_point checked;
    bool watched;  // `pid` is in exits_, so the entry lasts until it exits
  };
  std::unordered_map<std::uint64_t, KnownNamespace> namespaces_;  // by cgroup id
  TaskExitWatch exits_;                                           // by cgroup id
  std::unordered_map<std::uint64_t, std::uint64_t> unified_ids_;  // CPU-hierarchy id -> v2 id (hybrid hosts)
};

}  // namespace vnf::collect
