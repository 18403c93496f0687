#include "metrics/memory_metrics.h"

#include "metrics/text_exposition.h"

namespace vnf::metrics {
namespace {

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

MemoryMetrics::MemoryMetrics(Registry &registry) : registry_(registry) {
  registry.add_writer({kUsage, kWorkingSet, kRss, kCache, kLimit, kOomKills}, *this);
}

MemoryMetrics::~MemoryMetrics() { registry_.remove_writer(*this); }

void MemoryMetrics::update(const std::vector<discover::TrackedVnf> &vnfs, const collect::MemoryByCgroup &memory) {
  std::unordered_map<std::uint64_t, std::uint64_t> oom_seen;
  for (const auto &vnf : vnfs) {
    auto it = memory.find(vnf.cgroup_id);
    if (it == memory.end()) continue;
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
    const auto last = last_oom_kills_.find(vnf.cgroup_id);
    const auto before = last == last_oom_kills_.end() ? 0 : last->second;
    if (m.oom_kills > before) s.oom_kills += m.oom_kills - before;
    oom_seen.emplace(vnf.cgroup_id, m.oom_kills);
  }
  series_.sweep();
  last_oom_kills_ = std::move(oom_seen);
}

void MemoryMetrics::write(std::string &out) const {
  if (series_.empty()) return;
  auto gauge = [&](const FamilyInfo &family, std::uint64_t collect::MemoryUsage::*field) {
    write_header(out, family);
    series_.for_each(
        [&](std::string_view labels, const Series &s) { write_sample(out, family.name, "", labels, {}, s.now.*field); });
  };
  gauge(kUsage, &collect::MemoryUsage::usage_bytes);
  gauge(kWorkingSet, &collect::MemoryUsage::working_set_bytes);
  gauge(kRss, &collect::MemoryUsage::rss_bytes);
  gauge(kCache, &collect::MemoryUsage::cache_bytes);

  bool any_limit = false;
  series_.for_each([&](std::string_view, const Series &s) { any_limit = any_limit || s.now.limit_bytes.has_value(); });
  if (any_limit) {
    write_header(out, kLimit);
    series_.for_each([&](std::string_view labels, const Series &s) {
      if (s.now.limit_bytes) write_sample(out, kLimit.name, "", labels, {}, *s.now.limit_bytes);
    });
  }
  write_header(out, kOomKills);
  series_.for_each(
      [&](std::string_view labels, const Series &s) { write_sample(out, kOomKills.name, "", labels, {}, s.oom_kills); });
}

}  // namespace vnf::metrics
