#include "metrics/cpu_metrics.h"

#include "metrics/text_exposition.h"

namespace vnf::metrics {
namespace {

constexpr double kNanosPerSecond = 1e9;
const FamilyInfo kCpu{"vnf_cpu_seconds_total", "CPU time consumed by the VNF's tasks, in seconds.",
                      prometheus::MetricType::Counter};
const FamilyInfo kRunqWait{"vnf_cpu_runqueue_wait_seconds_total",
                           "Time the VNF's tasks were runnable but waiting for a CPU, in seconds.",
                           prometheus::MetricType::Counter};
const FamilyInfo kRunqLatency{"vnf_cpu_runqueue_latency_seconds",
                              "Run-queue latency of the VNF's tasks: from wake-up or preemption to running again.",
                              prometheus::MetricType::Histogram};

std::uint64_t advance(std::uint64_t now, std::uint64_t before) { return now > before ? now - before : 0; }

std::size_t bucket_of_slot(std::size_t slot) {
  return slot + 1 >= collect::kRunqHistSlots ? kRunqExportedBuckets - 1 : (slot + 1) / 2;
}

double seconds(std::uint64_t ns) { return static_cast<double>(ns) / kNanosPerSecond; }

}  // namespace

CpuMetrics::CpuMetrics(Registry &registry, bool with_runqueue) : registry_(registry), with_runqueue_(with_runqueue) {
  std::vector<FamilyInfo> families{kCpu};
  if (with_runqueue) {
    families.push_back(kRunqWait);
    families.push_back(kRunqLatency);
    std::vector<double> bounds;
    for (std::size_t slot = 0; slot + 1 < collect::kRunqHistSlots; slot += 2)
      bounds.push_back(collect::runq_slot_upper_bound_seconds(slot));
    le_ = bucket_labels(bounds);
  }
  registry.add_writer(families, *this);
}

CpuMetrics::~CpuMetrics() { registry_.remove_writer(*this); }

void CpuMetrics::update(const std::vector<discover::TrackedVnf> &vnfs, const collect::CpuUsageByCgroup &usage) {
  std::unordered_map<std::uint64_t, collect::CpuUsage> seen;
  for (const auto &vnf : vnfs) {
    auto it = usage.find(vnf.cgroup_id);
    if (it == usage.end()) continue;  // vanished while being read
    const auto &now = it->second;
    collect::CpuUsage before;
    if (auto last = last_.find(vnf.cgroup_id); last != last_.end()) before = last->second;

    auto &s = series_.touch(vnf.identity);
    s.cpu_ns += advance(now.cpu_ns, before.cpu_ns);
    if (with_runqueue_) {
      s.runq_wait_ns += advance(now.runq_wait_ns, before.runq_wait_ns);
      for (std::size_t i = 0; i < collect::kRunqHistSlots; ++i)
        s.runq_waits[bucket_of_slot(i)] += advance(now.runq_hist[i], before.runq_hist[i]);
    }
    seen.emplace(vnf.cgroup_id, now);
  }
  series_.sweep();
  last_ = std::move(seen);
}

void CpuMetrics::write(std::string &out) const {
  series_.write_values(out, kCpu, [](const Series &s) { return seconds(s.cpu_ns); });
  if (!with_runqueue_) return;
  series_.write_values(out, kRunqWait, [](const Series &s) { return seconds(s.runq_wait_ns); });
  series_.write_family(out, kRunqLatency, [this](std::string &o, std::string_view labels, const Series &s) {
    write_histogram(o, kRunqLatency.name, labels, le_, s.runq_waits, seconds(s.runq_wait_ns));
  });
}

}  // namespace vnf::metrics
