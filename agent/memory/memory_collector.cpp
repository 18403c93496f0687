#include "memory/memory_collector.h"

namespace vnf::memory {

MemoryCollector::MemoryCollector(const cgroupfs::CgroupLayout &layout, std::unique_ptr<MemcgCounters> counters,
                                 metrics::Registry &registry)
    : source_(layout, std::move(counters)), metrics_(registry) {}

void MemoryCollector::update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) {
  const auto memory = source_.read(snapshot.tree, snapshot.tracked);
  metrics_.update(snapshot.vnfs, memory);
  for (const auto &[id, m] : memory) {
    auto &r = readings[id];
    r.memory_bytes = static_cast<double>(m.usage_bytes);
    r.memory_working_set_bytes = static_cast<double>(m.working_set_bytes);
    if (m.limit_bytes) r.memory_limit_bytes = static_cast<double>(*m.limit_bytes);
  }
}

}  // namespace vnf::memory
