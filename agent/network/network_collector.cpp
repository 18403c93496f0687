#include "network/network_collector.h"

namespace vnf::network {

NetworkCollector::NetworkCollector(const std::filesystem::path &cgroup_root, std::unique_ptr<NetworkBackend> backend,
                                   metrics::Registry &registry)
    // Pidfds get half the budget that memory.stat files may fill (cgroupfs/cgroup_files.h).
    : membership_(cgroup_root, cgroupfs::cgroup_file_budget() / 2), backend_(std::move(backend)), metrics_(registry) {}

void NetworkCollector::on_discovery(const discover::DiscoverySnapshot &snapshot) {
  membership_.on_discovery(snapshot);
  backend_->on_discovery(snapshot);
}

void NetworkCollector::update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) {
  const auto &members = membership_.refresh(snapshot);
  backend_->follow(members);
  const auto network = backend_->read(members);
  metrics_.update(snapshot.vnfs, network);
  for (const auto &[id, n] : network) {
    auto &r = readings[id];
    r.rx_packets = static_cast<double>(n.traffic.rx_packets);
    r.tx_packets = static_cast<double>(n.traffic.tx_packets);
  }
}

collector::Health NetworkCollector::health() const {
  collector::Health health;
  backend_->report(health);
  health.descriptors.emplace_back("pidfd", membership_.pidfds());
  return health;
}

}  // namespace vnf::network
