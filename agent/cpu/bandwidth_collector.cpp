#include "cpu/bandwidth_collector.h"

namespace vnf::cpu {

BandwidthCollector::BandwidthCollector(const cgroupfs::CgroupLayout &layout, metrics::Registry &registry)
    : files_(layout), metrics_(registry) {}

void BandwidthCollector::update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) {
  const auto bandwidth = files_.read(snapshot.tree, snapshot.tracked);
  metrics_.update(snapshot.vnfs, bandwidth);
  for (const auto &[id, b] : bandwidth) readings[id].cpu_limit_cores = b.limit_cores;
}

}  // namespace vnf::cpu
