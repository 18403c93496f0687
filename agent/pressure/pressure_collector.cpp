#include "pressure/pressure_collector.h"

namespace vnf::pressure {

PressureCollector::PressureCollector(std::filesystem::path unified_root, metrics::Registry &registry)
    : files_(std::move(unified_root)), metrics_(registry) {}

void PressureCollector::update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &) {
  metrics_.update(snapshot.vnfs, files_.read(snapshot.tree, snapshot.tracked));
}

}  // namespace vnf::pressure
