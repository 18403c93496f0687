#include "pressure/pressure_metrics.h"

#include <string>

namespace vnf::pressure {
namespace {

using metrics::FamilyInfo;

std::vector<FamilyInfo> make_families() {
  std::vector<FamilyInfo> families;
  for (const char *kind : {"waiting", "stalled"}) {
    const bool some = std::string_view(kind) == "waiting";
    for (auto resource : kResourceNames) {
      const std::string r(resource);
      families.push_back(
          {"vnf_pressure_" + r + "_" + kind + "_seconds_total",
           some ? "Time at least one of the VNF's tasks was stalled waiting for " + r + " (PSI some), in seconds."
                : "Time all of the VNF's non-idle tasks were stalled on " + r + " at once (PSI full), in seconds.",
           prometheus::MetricType::Counter});
    }
  }
  return families;
}

const std::vector<FamilyInfo> &families() {
  static const std::vector<FamilyInfo> all = make_families();
  return all;
}

}  // namespace

PressureMetrics::PressureMetrics(metrics::Registry &registry) : registration_(registry, families(), *this) {}

void PressureMetrics::update(const std::vector<discover::TrackedVnf> &vnfs, const PressureByCgroup &pressure) {
  for (const auto &vnf : vnfs) {
    auto it = pressure.find(vnf.cgroup_id);
    if (it == pressure.end()) {  // no PSI, or vanished while being read
      follower_.keep(vnf.cgroup_id);
      continue;
    }
    Follower::Counters now{};
    std::array<bool, kSlots> shown{};
    for (std::size_t r = 0; r < kResources; ++r) {
      const auto &totals = it->second[r];
      if (!totals) continue;
      now[r] = totals->some_us;
      shown[r] = true;
      now[kResources + r] = totals->full_us.value_or(0);
      shown[kResources + r] = totals->full_us.has_value();
    }
    auto [s, first] = series_.touch_first(vnf.identity);
    if (first) s.shown = {};
    const auto growth = follower_.advance(vnf.cgroup_id, now);
    for (std::size_t i = 0; i < kSlots; ++i) {
      s.stalled_us[i] += growth[i];
      s.shown[i] = s.shown[i] || shown[i];
    }
  }
  series_.sweep();
  follower_.sweep();
}

void PressureMetrics::write(std::string &out) const {
  for (std::size_t i = 0; i < kSlots; ++i) {
    series_.write_values(out, families()[i], [i](const Series &s) {
      return s.shown[i] ? std::optional(static_cast<double>(s.stalled_us[i]) / 1e6) : std::nullopt;
    });
  }
}

}  // namespace vnf::pressure
