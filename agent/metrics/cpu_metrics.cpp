#include "metrics/cpu_metrics.h"

#include <algorithm>

namespace vnf::metrics {
namespace {

constexpr double kNanosPerSecond = 1e9;

std::uint64_t advance(std::uint64_t now, std::uint64_t before) { return now > before ? now - before : 0; }

// The probe's log2 slots are exported in factor-4 buckets (2 us, 8 us, ... 524 ms, +Inf): half
// the series per VNF, and still the resolution a latency alert needs.
constexpr std::size_t kExportedBuckets = collect::kRunqHistSlots / 2 + 1;
std::size_t bucket_of_slot(std::size_t slot) {
  return slot + 1 >= collect::kRunqHistSlots ? kExportedBuckets - 1 : (slot + 1) / 2;
}

}  // namespace

CpuMetrics::CpuMetrics(Registry &registry, bool with_runqueue)
    : cpu_(registry.counter("vnf_cpu_seconds_total", "CPU time consumed by the VNF's tasks, in seconds.")),
      series_(
          [this](const prometheus::Labels &labels) {
            Series s;
            s.cpu = &cpu_.Add(labels);
            if (runq_wait_) {
              s.runq_wait = &runq_wait_->Add(labels);
              s.runq_latency = &runq_latency_->Add(labels, bounds_);
            }
            return s;
          },
          [this](const Series &s) {
            cpu_.Remove(s.cpu);
            if (s.runq_wait) runq_wait_->Remove(s.runq_wait);
            if (s.runq_latency) runq_latency_->Remove(s.runq_latency);
          }) {
  if (!with_runqueue) return;
  runq_wait_ = &registry.counter("vnf_cpu_runqueue_wait_seconds_total",
                                 "Time the VNF's tasks were runnable but waiting for a CPU, in seconds.");
  runq_latency_ = &registry.histogram(
      "vnf_cpu_runqueue_latency_seconds", "Run-queue latency of the VNF's tasks: from wake-up or preemption to running again.");
  for (std::size_t slot = 0; slot + 1 < collect::kRunqHistSlots; slot += 2)
    bounds_.push_back(collect::runq_slot_upper_bound_seconds(slot));
}

void CpuMetrics::update(const std::vector<discover::TrackedVnf> &vnfs, const collect::CpuUsageByCgroup &usage) {
  std::unordered_map<std::uint64_t, collect::CpuUsage> seen;
  std::vector<double> bucket_increments(kExportedBuckets);

  for (const auto &vnf : vnfs) {
    auto it = usage.find(vnf.cgroup_id);
    if (it == usage.end()) continue;  // vanished while being read
    const auto &now = it->second;
    collect::CpuUsage before;
    if (auto last = last_.find(vnf.cgroup_id); last != last_.end()) before = last->second;

    auto &s = series_.touch(vnf.identity);
    s.cpu->Increment(static_cast<double>(advance(now.cpu_ns, before.cpu_ns)) / kNanosPerSecond);
    if (s.runq_wait) {
      const auto waited = advance(now.runq_wait_ns, before.runq_wait_ns);
      s.runq_wait->Increment(static_cast<double>(waited) / kNanosPerSecond);
      std::fill(bucket_increments.begin(), bucket_increments.end(), 0.0);
      for (std::size_t i = 0; i < collect::kRunqHistSlots; ++i)
        bucket_increments[bucket_of_slot(i)] += static_cast<double>(advance(now.runq_hist[i], before.runq_hist[i]));
      s.runq_latency->ObserveMultiple(bucket_increments, static_cast<double>(waited) / kNanosPerSecond);
    }
    seen.emplace(vnf.cgroup_id, now);
  }
  series_.sweep();
  last_ = std::move(seen);
}

}  // namespace vnf::metrics
