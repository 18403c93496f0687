#pragma once
// Network traffic from the network probe: the device counters and drops of a VNF's own
// namespace, or, for a VNF in the host's namespace, the traffic of its sockets, counted by the
// cgroup_skb programs attached to its cgroup (by v2 id) while it is there.

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "bpf/map_reader.h"
#include "cgroupfs/cgroup_paths.h"
#include "network/net_probe.h"
#include "network/network_backend.h"

namespace vnf::network {

class BpfNetwork final : public NetworkBackend {
 public:
  // `unified_root` is the v2 hierarchy; `cpu_on_v2`, whether the snapshots walk it.
  BpfNetwork(std::unique_ptr<NetProbe> probe, std::unordered_map<std::uint64_t, std::string> reason_names,
             std::uint64_t host_netns_inode, const std::filesystem::path &unified_root, bool cpu_on_v2);

  // Counts the sockets of the VNFs that are in the host namespace, and only theirs.
  void follow(const std::vector<Member> &members) override;
  NetworkByCgroup read(const std::vector<Member> &members) override;
  // Deletes the entries of namespaces and cgroups no VNF used at this snapshot nor the last.
  void on_discovery(const discover::DiscoverySnapshot &snapshot) override;
  void report(collector::Health &health) const override;

 private:
  void read_maps();
  void add_drops(std::uint64_t netns, NetworkUsage &usage) const;

  std::unique_ptr<NetProbe> probe_;
  std::unordered_map<std::uint64_t, std::string> reason_names_;
  std::uint64_t host_netns_;
  std::filesystem::path unified_root_;
  cgroupfs::CgroupIdsIn unified_ids_;
  int ncpus_;
  bpf::MapReader netns_traffic_reader_, netns_drops_reader_, cgroup_traffic_reader_;

  // The maps as the last read found them.
  std::unordered_map<std::uint64_t, NetworkTraffic> netns_traffic_;
  std::unordered_map<std::uint64_t, std::map<std::uint64_t, std::uint64_t>> netns_drops_;
  std::unordered_map<std::uint64_t, NetworkTraffic> cgroup_traffic_;
  std::uint64_t drop_entries_ = 0;
  // What the VNFs used since the last snapshot, and what was unused at the one before.
  std::unordered_set<std::uint64_t> used_netns_, used_cgroups_;
  std::unordered_set<std::uint64_t> idle_netns_, idle_cgroups_;
};

}  // namespace vnf::network
