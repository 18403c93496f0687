#include "memory/memory_metrics.h"

namespace vnf::memory {
namespace {

using metrics::FamilyInfo;
using prometheus::MetricType;

const FamilyInfo kUsage{"vnf_memory_usage_bytes",
                        "Memory charged to the VNF's cgroup (memory.current / memory.usage_in_bytes).", MetricType::Gauge};
const FamilyInfo kWorkingSet{"vnf_memory_working_set_bytes", "Memory usage minus inactive file pages.", MetricType::Gauge};
const FamilyInfo kRss{"vnf_memory_rss_bytes", "Anonymous memory of the VNF.", MetricType::Gauge};
const FamilyInfo kCache{"vnf_memory_cache_bytes", "File-backed (page cache) memory of the VNF.", MetricType::Gauge};
const FamilyInfo kLimit{"vnf_memory_limit_bytes", "Memory limit of the VNF's cgroup; absent when unlimited.",
                        MetricType::Gauge};
const FamilyInfo kOomKills{"vnf_memory_oom_kills_total", "Processes of the VNF killed by the OOM killer.",
                           MetricType::Counter};

}  // namespace

MemoryMetrics::MemoryMetrics(metrics::Registry &registry)
    : registration_(registry, {kUsage, kWorkingSet, kRss, kCache, kLimit, kOomKills}, *this) {}

void MemoryMetrics::update(const std::vector<discover::TrackedVnf> &vnfs, const MemoryByCgroup &memory) {
  for (const auto &vnf : vnfs) {
    auto it = memory.find(vnf.cgroup_id);
    if (it == memory.end()) {
      oom_kills_.keep(vnf.cgroup_id);
      continue;
    }
    const auto &m = it->second;
    auto [s, first] = series_.touch_first(vnf.identity);
    if (first) {  // a VNF of several cgroups reports their sum
      s.now = {};
      s.limited = true;
    }
    s.now.usage_bytes += m.usage_bytes;
    s.now.working_set_bytes += m.working_set_bytes;
    s.now.rss_bytes += m.rss_bytes;
    s.now.cache_bytes += m.cache_bytes;
    s.limited = s.limited && m.limit_bytes.has_value();
    s.now.limit_bytes = s.limited ? std::optional(s.now.limit_bytes.value_or(0) + *m.limit_bytes) : std::nullopt;
    s.oom_kills += oom_kills_.advance(vnf.cgroup_id, m.oom_kills);
  }
  series_.sweep();
  oom_kills_.sweep();
}

void MemoryMetrics::write(std::string &out) const {
  series_.write_values(out, kUsage, [](const Series &s) { return s.now.usage_bytes; });
  series_.write_values(out, kWorkingSet, [](const Series &s) { return s.now.working_set_bytes; });
  series_.write_values(out, kRss, [](const Series &s) { return s.now.rss_bytes; });
  series_.write_values(out, kCache, [](const Series &s) { return s.now.cache_bytes; });
  series_.write_values(out, kLimit, [](const Series &s) { return s.now.limit_bytes; });  // none when unlimited
  series_.write_values(out, kOomKills, [](const Series &s) { return s.oom_kills; });
}

}  // namespace vnf::memory
