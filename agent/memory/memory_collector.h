#pragma once
// Memory of every VNF: usage, limit and OOM kills from the memcg iterator or cgroupfs, and
// working set, rss and cache from memory.stat.

#include "collector/collector.h"
#include "memory/memory_metrics.h"
#include "memory/memory_source.h"

namespace vnf::memory {

class MemoryCollector final : public collector::Collector {
 public:
  MemoryCollector(const cgroupfs::CgroupLayout &layout, std::unique_ptr<MemcgCounters> counters,
                  metrics::Registry &registry);

  std::string_view name() const override { return "memory"; }
  void on_discovery(const discover::DiscoverySnapshot &snapshot) override { source_.on_discovery(snapshot); }
  void update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) override;
  collector::Health health() const override { return source_.health(); }

 private:
  MemorySource source_;
  MemoryMetrics metrics_;
};

}  // namespace vnf::memory
