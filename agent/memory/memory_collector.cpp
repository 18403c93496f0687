#include "memory/memory_collector.h"

namespace vnf::memory {

MemoryCollector::MemoryCollector(const cgroupfs::CgroupLayout &layout, std::unique_ptr<MemcgCounters> counters,
                                 metrics::Registry &registry)
    : source_(layout, std::move(counters)), metrics_(registry) {}

void MemoryCollector::update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) {
  const auto memory = source_.read(snapshot.tree, snapshot.tracked);
  metrics_.update(snapshot.vnfs, memory);
  for (const auto &[id, m] : memory) readings[id].memory_bytes = static_cast<double>(m.usage_bytes);
}

}  // namespace vnf::memory
