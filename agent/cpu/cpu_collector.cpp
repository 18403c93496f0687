#include "cpu/cpu_collector.h"

namespace vnf::cpu {

CpuCollector::CpuCollector(std::unique_ptr<CpuSource> source, metrics::Registry &registry)
    : source_(std::move(source)), metrics_(registry, source_->has_runqueue()) {}

void CpuCollector::update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) {
  const auto usage = source_->read(snapshot.tree, snapshot.tracked);
  metrics_.update(snapshot.vnfs, usage);
  for (const auto &[id, u] : usage) readings[id].cpu_ns = static_cast<double>(u.cpu_ns);
}

}  // namespace vnf::cpu
