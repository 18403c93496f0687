#pragma once
// Socket traffic of the VNFs in the host's network namespace, whose devices are not theirs:
// the network probe's cgroup_skb programs, attached to each such VNF's cgroup (by v2 id).
//
// A VNF is attached as soon as a walk finds it (the discovery watcher's, after the cgroup
// event; without the event probe, the scrape's) and its namespace is not known to be its own:
// a new container's cgroup exists before its first task does, and only a task tells the
// namespace, so waiting for one would lose the traffic of a container's first moments. It is
// detached once its task turns out to be in a namespace of its own (those are counted at
// their devices), or when it is no longer tracked.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <unordered_map>
#include <vector>

#include "bpf/map_reader.h"
#include "cgroupfs/cgroup_paths.h"
#include "collector/collector.h"
#include "discover/discovery_snapshot.h"
#include "network/net_probe.h"
#include "network/netns_membership.h"

namespace vnf::network {

struct SocketTraffic {
  std::uint64_t rx_packets = 0, rx_bytes = 0, tx_packets = 0, tx_bytes = 0;
};

class HostSockets {
 public:
  // `unified_root` is the v2 hierarchy; `cpu_on_v2`, whether the snapshots walk it.
  HostSockets(NetProbe &probe, std::uint64_t host_netns_inode, const std::filesystem::path &unified_root, bool cpu_on_v2);

  // Brings the attachments in line with `snapshot`, whose VNFs that have a task are `members`:
  // attached are the VNFs in the host namespace and those with no task yet.
  void follow(const discover::DiscoverySnapshot &snapshot, const std::vector<Member> &members);
  // Reads the counts; then traffic_of() answers for the VNFs counted.
  void read();
  // The traffic of a member in the host namespace; nullopt if its sockets are not counted.
  std::optional<SocketTraffic> traffic_of(const Member &member);
  void report(collector::Health &health) const;

 private:
  NetProbe &probe_;
  std::uint64_t host_netns_;
  std::filesystem::path unified_root_;
  cgroupfs::CgroupIdsIn unified_ids_;
  int ncpus_;
  bpf::MapReader traffic_reader_;
  std::unordered_map<std::uint64_t, SocketTraffic> traffic_;  // by v2 id, as last read
};

}  // namespace vnf::network
