#include "cpu/bandwidth_collector.h"

namespace vnf::cpu {

BandwidthCollector::BandwidthCollector(std::unique_ptr<BandwidthSource> source, metrics::Registry &registry)
    : source_(std::move(source)), metrics_(registry) {}

void BandwidthCollector::update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) {
  const auto bandwidth = source_->read(snapshot.tree, snapshot.tracked);
  metrics_.update(snapshot.vnfs, bandwidth);
  for (const auto &[id, b] : bandwidth) readings[id].cpu_limit_cores = b.limit_cores;
}

}  // namespace vnf::cpu
