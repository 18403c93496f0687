#include "pressure/pressure_collector.h"

namespace vnf::pressure {

PressureCollector::PressureCollector(std::unique_ptr<PressureSource> source, metrics::Registry &registry)
    : source_(std::move(source)), metrics_(registry) {}

void PressureCollector::update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &) {
  metrics_.update(snapshot.vnfs, source_->read(snapshot.tree, snapshot.tracked));
}

}  // namespace vnf::pressure
