#pragma once
// Per-VNF PSI series: vnf_pressure_{cpu,memory,io}_{waiting,stalled}_seconds_total, from the
// "some" and "full" totals. A VNF made of several cgroups reports their sum; a family is
// absent for a VNF none of whose cgroups has it (no "full" line for CPU before 5.13).

#include <array>
#include <vector>

#include "discover/tracked_vnf.h"
#include "metrics/counter_follower.h"
#include "metrics/registry.h"
#include "metrics/vnf_series.h"
#include "pressure/pressure.h"

namespace vnf::pressure {

class PressureMetrics : public metrics::FamilyWriter {
 public:
  explicit PressureMetrics(metrics::Registry &registry);

  void update(const std::vector<discover::TrackedVnf> &vnfs, const PressureByCgroup &pressure);
  void write(std::string &out) const override;

 private:
  // Counters by slot: some of cpu, memory, io, then full of cpu, memory, io.
  static constexpr std::size_t kSlots = 2 * kResources;
  struct Series {
    std::array<std::uint64_t, kSlots> stalled_us;  // since the series was created
    std::array<bool, kSlots> shown;                // some cgroup of the VNF has it, in this update
  };
  using Follower = metrics::CounterFollower<std::uint64_t, kSlots>;

  metrics::VnfSeriesSet<Series> series_;
  Follower follower_;  // by cgroup id
  metrics::WriterRegistration registration_;
};

}  // namespace vnf::pressure
