#pragma once
// Packets, bytes and drops of every VNF, by the network namespace its tasks are in: from the
// network probe, or from the namespace's interface counters without BPF.

#include <memory>

#include "collector/collector.h"
#include "network/netns_membership.h"
#include "network/network_backend.h"
#include "network/network_metrics.h"

namespace vnf::network {

class NetworkCollector final : public collector::Collector {
 public:
  // `cgroup_root` is the hierarchy the snapshots walk.
  NetworkCollector(const std::filesystem::path &cgroup_root, std::unique_ptr<NetworkBackend> backend,
                   metrics::Registry &registry);

  std::string_view name() const override { return "network"; }
  void on_discovery(const discover::DiscoverySnapshot &snapshot) override;
  void update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) override;
  collector::Health health() const override;

 private:
  NetnsMembership membership_;
  std::unique_ptr<NetworkBackend> backend_;
  NetworkMetrics metrics_;
};

}  // namespace vnf::network
