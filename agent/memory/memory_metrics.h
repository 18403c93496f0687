#pragma once
// Per-VNF memory series: vnf_memory_{usage,working_set,rss,cache,limit}_bytes and
// vnf_memory_oom_kills_total. A VNF made of several cgroups reports their sum; the limit
// series exists only while a limit is set.

#include <vector>

#include "discover/tracked_vnf.h"
#include "memory/memory_usage.h"
#include "metrics/counter_follower.h"
#include "metrics/registry.h"
#include "metrics/vnf_series.h"

namespace vnf::memory {

class MemoryMetrics : public metrics::FamilyWriter {
 public:
  explicit MemoryMetrics(metrics::Registry &registry);

  void update(const std::vector<discover::TrackedVnf> &vnfs, const MemoryByCgroup &memory);
  void write(std::string &out) const override;

 private:
  struct Series {
    MemoryUsage now;          // limit_bytes set only while every cgroup of the VNF has one
    bool limited;             // every cgroup of the VNF seen so far in this update has a limit
    std::uint64_t oom_kills;  // since the series was created
  };

  metrics::VnfSeriesSet<Series> series_;
  metrics::CounterFollower<std::uint64_t> oom_kills_;  // by cgroup id
  metrics::WriterRegistration registration_;
};

}  // namespace vnf::memory
