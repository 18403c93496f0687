#pragma once
// Per-VNF memory series: vnf_memory_{usage,working_set,rss,cache,limit}_bytes and
// vnf_memory_oom_kills_total. A VNF made of several cgroups reports their sum; the limit
// series exists only while a limit is set.

#include <unordered_map>
#include <vector>

#include "collect/memory_source.h"
#include "metrics/registry.h"
#include "discover/tracked_vnf.h"
#include "metrics/vnf_series.h"

namespace vnf::metrics {

class MemoryMetrics {
 public:
  explicit MemoryMetrics(Registry &registry);

  void update(const std::vector<discover::TrackedVnf> &vnfs, const collect::MemoryByCgroup &memory);

 private:
  struct Series {
    prometheus::Gauge *usage, *working_set, *rss, *cache;
    prometheus::Counter *oom_kills;
    prometheus::Labels labels;
    prometheus::Gauge *limit = nullptr;
  };

  prometheus::Family<prometheus::Gauge> &usage_;
  prometheus::Family<prometheus::Gauge> &working_set_;
  prometheus::Family<prometheus::Gauge> &rss_;
  prometheus::Family<prometheus::Gauge> &cache_;
  prometheus::Family<prometheus::Gauge> &limit_;
  prometheus::Family<prometheus::Counter> &oom_kills_;
  VnfSeriesSet<Series> series_;
  std::unordered_map<std::uint64_t, std::uint64_t> last_oom_kills_;  // by cgroup id
};

}  // namespace vnf::metrics
