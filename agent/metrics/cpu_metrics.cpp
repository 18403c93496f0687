#include "metrics/cpu_metrics.h"

#include <set>

#include "metrics/vnf_labels.h"

namespace vnf::metrics {
namespace {

constexpr double kNanosPerSecond = 1e9;

std::uint64_t advance(std::uint64_t now, std::uint64_t before) { return now > before ? now - before : 0; }

}  // namespace

CpuMetrics::CpuMetrics(Registry &registry)
    : cpu_(registry.counter("vnf_cpu_seconds_total", "CPU time consumed by the VNF's tasks, in seconds.")),
      runq_wait_(registry.counter("vnf_cpu_runqueue_wait_seconds_total",
                                  "Time the VNF's tasks were runnable but waiting for a CPU, in seconds.")),
      runq_latency_(registry.histogram("vnf_cpu_runqueue_latency_seconds",
                                       "Run-queue latency of the VNF's tasks: from wake-up or preemption to running again.")) {
  for (std::size_t slot = 0; slot + 1 < collect::kRunqHistSlots; ++slot)
    bounds_.push_back(collect::runq_slot_upper_bound_seconds(slot));
}

CpuMetrics::Series &CpuMetrics::series_for(const discover::VnfIdentity &identity, bool with_runqueue) {
  auto &s = series_[identity];
  if (!s.cpu) s.cpu = &cpu_.Add(vnf_labels(identity));
  if (with_runqueue && !s.runq_wait) {
    s.runq_wait = &runq_wait_.Add(vnf_labels(identity));
    s.runq_latency = &runq_latency_.Add(vnf_labels(identity), bounds_);
  }
  return s;
}

void CpuMetrics::remove(const Series &series) {
  cpu_.Remove(series.cpu);
  if (series.runq_wait) runq_wait_.Remove(series.runq_wait);
  if (series.runq_latency) runq_latency_.Remove(series.runq_latency);
}

void CpuMetrics::update(const std::vector<TrackedVnf> &vnfs, const collect::CpuUsageByCgroup &usage) {
  std::unordered_map<std::uint64_t, collect::CpuUsage> seen;
  std::set<discover::VnfIdentity> live;
  std::vector<double> bucket_increments(collect::kRunqHistSlots);

  for (const auto &vnf : vnfs) {
    auto it = usage.find(vnf.cgroup_id);
    if (it == usage.end()) continue;  // vanished while being read
    const auto &now = it->second;
    collect::CpuUsage before;
    if (auto last = last_.find(vnf.cgroup_id); last != last_.end()) before = last->second;

    auto &s = series_for(vnf.identity, now.has_runqueue);
    s.cpu->Increment(static_cast<double>(advance(now.cpu_ns, before.cpu_ns)) / kNanosPerSecond);
    if (s.runq_wait && now.has_runqueue) {
      const auto waited = advance(now.runq_wait_ns, before.runq_wait_ns);
      s.runq_wait->Increment(static_cast<double>(waited) / kNanosPerSecond);
      for (std::size_t i = 0; i < collect::kRunqHistSlots; ++i)
        bucket_increments[i] = static_cast<double>(advance(now.runq_hist[i], before.runq_hist[i]));
      s.runq_latency->ObserveMultiple(bucket_increments, static_cast<double>(waited) / kNanosPerSecond);
    }
    seen.emplace(vnf.cgroup_id, now);
    live.insert(vnf.identity);
  }

  for (auto it = series_.begin(); it != series_.end();) {
    if (live.count(it->first)) {
      ++it;
      continue;
    }
    remove(it->second);
    it = series_.erase(it);
  }
  last_ = std::move(seen);
}

}  // namespace vnf::metrics
