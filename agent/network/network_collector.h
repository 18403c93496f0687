#pragma once
// Packets, bytes, errors and drops of every VNF: the devices' own counters of each network
// namespace VNFs live in, exported by the namespace's owner (netns_owners.h), the same in
// both collector modes; and, where the network probe loaded, drops by reason and the socket
// traffic of host-network VNFs.

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "collector/collector.h"
#include "network/drop_counts.h"
#include "network/host_sockets.h"
#include "network/net_probe.h"
#include "network/netns_devices.h"
#include "network/netns_membership.h"
#include "network/network_metrics.h"

namespace vnf::network {

class NetworkCollector final : public collector::Collector {
 public:
  struct Options {
    std::filesystem::path cgroup_root;   // the hierarchy the snapshots walk
    std::uint64_t host_netns_inode = 0;  // the agent's own namespace, the host's
    std::filesystem::path unified_root;  // the v2 hierarchy, where socket programs attach
    bool cpu_on_v2 = true;               // whether the snapshots walk the v2 hierarchy
    std::unordered_map<std::uint64_t, std::string> drop_reasons;  // drop_reason_names()
  };

  // `probe` may be null (no BPF): then there are no drops by reason nor host-network traffic.
  NetworkCollector(Options options, std::unique_ptr<NetProbe> probe, metrics::Registry &registry);

  std::string_view name() const override { return "network"; }
  void on_discovery(const discover::DiscoverySnapshot &snapshot) override;
  // Counts the sockets of new VNFs that may be in the host namespace from the start, and lets
  // go of the namespaces of VNFs that are gone.
  void on_walk(const discover::DiscoverySnapshot &snapshot) override;
  void update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) override;
  collector::Health health() const override;

 private:
  // Counts the sockets of the VNFs that may be in the host namespace, and only theirs.
  void follow_locked(const discover::DiscoverySnapshot &snapshot, const std::vector<Member> &members);
  // Chooses, into owners_, who exports each namespace but the host's: namespace_owners() of the
  // members, except that an owner with no task at the moment (a container restarting in its
  // pod) stays the owner while it is tracked: handing its interfaces to another VNF meanwhile
  // would count them twice in sum(), frozen under the one and counted again under the other.
  void owners_locked(const discover::DiscoverySnapshot &snapshot, const std::vector<Member> &members);
  // The readings of `members` from what devices_ read and owners_.
  NetworkByCgroup usage_locked(const std::vector<Member> &members);

  std::uint64_t host_netns_;
  mutable std::mutex mutex_;  // the scrape's thread and discovery's watcher
  NetnsMembership membership_;
  NetnsDevices devices_;
  std::unique_ptr<NetProbe> probe_;
  std::optional<DropCounts> drops_;
  std::optional<HostSockets> sockets_;
  std::unordered_map<std::uint64_t, std::uint64_t> owners_;  // as the last scrape chose them
  std::uint64_t followed_generation_ = 0;  // the newest snapshot the attachments follow
  NetworkMetrics metrics_;
};

}  // namespace vnf::network
