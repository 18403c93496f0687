#include "metrics/memory_metrics.h"

#include <map>

namespace vnf::metrics {

MemoryMetrics::MemoryMetrics(Registry &registry)
    : usage_(registry.gauge("vnf_memory_usage_bytes", "Memory charged to the VNF's cgroup (memory.current / memory.usage_in_bytes).")),
      working_set_(registry.gauge("vnf_memory_working_set_bytes", "Memory usage minus inactive file pages.")),
      rss_(registry.gauge("vnf_memory_rss_bytes", "Anonymous memory of the VNF.")),
      cache_(registry.gauge("vnf_memory_cache_bytes", "File-backed (page cache) memory of the VNF.")),
      limit_(registry.gauge("vnf_memory_limit_bytes", "Memory limit of the VNF's cgroup; absent when unlimited.")),
      oom_kills_(registry.counter("vnf_memory_oom_kills_total", "Processes of the VNF killed by the OOM killer.")),
      series_(
          [this](const prometheus::Labels &labels) {
            return Series{&usage_.Add(labels), &working_set_.Add(labels), &rss_.Add(labels),
                          &cache_.Add(labels), &oom_kills_.Add(labels), labels};
          },
          [this](const Series &s) {
            usage_.Remove(s.usage);
            working_set_.Remove(s.working_set);
            rss_.Remove(s.rss);
            cache_.Remove(s.cache);
            oom_kills_.Remove(s.oom_kills);
            if (s.limit) limit_.Remove(s.limit);
          }) {}

void MemoryMetrics::update(const std::vector<discover::TrackedVnf> &vnfs, const collect::MemoryByCgroup &memory) {
  struct Sum {
    collect::MemoryUsage total;
    bool limited = true;  // every cgroup of the VNF has a limit
    std::uint64_t new_oom_kills = 0;
  };
  std::map<discover::VnfIdentity, Sum> sums;
  std::unordered_map<std::uint64_t, std::uint64_t> oom_seen;
  for (const auto &vnf : vnfs) {
    auto it = memory.find(vnf.cgroup_id);
    if (it == memory.end()) continue;
    const auto &m = it->second;
    auto &sum = sums[vnf.identity];
    sum.total.usage_bytes += m.usage_bytes;
    sum.total.working_set_bytes += m.working_set_bytes;
    sum.total.rss_bytes += m.rss_bytes;
    sum.total.cache_bytes += m.cache_bytes;
    sum.limited = sum.limited && m.limit_bytes.has_value();
    if (m.limit_bytes) sum.total.limit_bytes = sum.total.limit_bytes.value_or(0) + *m.limit_bytes;
    const auto before = last_oom_kills_.count(vnf.cgroup_id) ? last_oom_kills_[vnf.cgroup_id] : 0;
    if (m.oom_kills > before) sum.new_oom_kills += m.oom_kills - before;
    oom_seen.emplace(vnf.cgroup_id, m.oom_kills);
  }
  for (const auto &[identity, sum] : sums) {
    auto &s = series_.touch(identity);
    s.usage->Set(static_cast<double>(sum.total.usage_bytes));
    s.working_set->Set(static_cast<double>(sum.total.working_set_bytes));
    s.rss->Set(static_cast<double>(sum.total.rss_bytes));
    s.cache->Set(static_cast<double>(sum.total.cache_bytes));
    s.oom_kills->Increment(static_cast<double>(sum.new_oom_kills));
    if (sum.limited && sum.total.limit_bytes) {
      if (!s.limit) s.limit = &limit_.Add(s.labels);
      s.limit->Set(static_cast<double>(*sum.total.limit_bytes));
    } else if (s.limit) {
      limit_.Remove(s.limit);
      s.limit = nullptr;
    }
  }
  series_.sweep();
  last_oom_kills_ = std::move(oom_seen);
}

}  // namespace vnf::metrics
