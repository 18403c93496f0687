#include "cpu/cpu_metrics.h"

#include "metrics/text_exposition.h"

namespace vnf::cpu {
namespace {

using metrics::FamilyInfo;

constexpr double kNanosPerSecond = 1e9;
const FamilyInfo kCpu{"vnf_cpu_seconds_total", "CPU time consumed by the VNF's tasks, in seconds.",
                      prometheus::MetricType::Counter};
const FamilyInfo kRunqWait{"vnf_cpu_runqueue_wait_seconds_total",
                           "Time the VNF's tasks were runnable but waiting for a CPU, in seconds.",
                           prometheus::MetricType::Counter};
const FamilyInfo kRunqLatency{"vnf_cpu_runqueue_latency_seconds",
                              "Run-queue latency of the VNF's tasks: from wake-up or preemption to running again.",
                              prometheus::MetricType::Histogram};

std::size_t bucket_of_slot(std::size_t slot) {
  return slot + 1 >= kRunqHistSlots ? kRunqExportedBuckets - 1 : (slot + 1) / 2;
}

double seconds(std::uint64_t ns) { return static_cast<double>(ns) / kNanosPerSecond; }

template <typename Counters>
Counters counters_of(const CpuUsage &u) {
  Counters c{u.cpu_ns, u.runq_wait_ns};
  for (std::size_t i = 0; i < kRunqHistSlots; ++i) c[2 + i] = u.runq_hist[i];
  return c;
}

std::vector<FamilyInfo> families(bool with_runqueue) {
  if (!with_runqueue) return {kCpu};
  return {kCpu, kRunqWait, kRunqLatency};
}

std::vector<std::string> latency_buckets() {
  std::vector<double> bounds;
  for (std::size_t slot = 0; slot + 1 < kRunqHistSlots; slot += 2) bounds.push_back(runq_slot_upper_bound_seconds(slot));
  return metrics::bucket_labels(bounds);
}

}  // namespace

CpuMetrics::CpuMetrics(metrics::Registry &registry, bool with_runqueue)
    : with_runqueue_(with_runqueue),
      le_(with_runqueue ? latency_buckets() : std::vector<std::string>{}),
      registration_(registry, families(with_runqueue), *this) {}

void CpuMetrics::update(const std::vector<discover::TrackedVnf> &vnfs, const CpuUsageByCgroup &usage) {
  for (const auto &vnf : vnfs) {
    auto it = usage.find(vnf.cgroup_id);
    if (it == usage.end()) {  // vanished while being read
      follower_.keep(vnf.cgroup_id);
      continue;
    }
    const auto growth = follower_.advance(vnf.cgroup_id, counters_of<Follower::Counters>(it->second));
    auto &s = series_.touch(vnf.identity);
    s.cpu_ns += growth[0];
    if (!with_runqueue_) continue;
    s.runq_wait_ns += growth[1];
    for (std::size_t i = 0; i < kRunqHistSlots; ++i) s.runq_waits[bucket_of_slot(i)] += growth[2 + i];
  }
  series_.sweep();
  follower_.sweep();
}

void CpuMetrics::write(std::string &out) const {
  series_.write_values(out, kCpu, [](const Series &s) { return seconds(s.cpu_ns); });
  if (!with_runqueue_) return;
  series_.write_values(out, kRunqWait, [](const Series &s) { return seconds(s.runq_wait_ns); });
  series_.write_family(out, kRunqLatency, [this](std::string &o, std::string_view labels, const Series &s) {
    metrics::write_histogram(o, kRunqLatency.name, labels, le_, s.runq_waits, seconds(s.runq_wait_ns));
  });
}

}  // namespace vnf::cpu
