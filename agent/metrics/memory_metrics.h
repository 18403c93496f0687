#pragma once
// Per-VNF memory series: vnf_memory_{usage,working_set,rss,cache,limit}_bytes and
// vnf_memory_oom_kills_total. A VNF made of several cgroups reports their sum; the limit
// series exists only while a limit is set.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "collect/memory_source.h"
#include "discover/tracked_vnf.h"
#include "metrics/registry.h"
#include "metrics/vnf_series.h"

namespace vnf::metrics {

class MemoryMetrics : public FamilyWriter {
 public:
  explicit MemoryMetrics(Registry &registry);
  ~MemoryMetrics() override;
  MemoryMetrics(const MemoryMetrics &) = delete;
  MemoryMetrics &operator=(const MemoryMetrics &) = delete;

  void update(const std::vector<discover::TrackedVnf> &vnfs, const collect::MemoryByCgroup &memory);
  void write(std::string &out) const override;

 private:
  struct Series {
    collect::MemoryUsage now;  // limit_bytes set only while every cgroup of the VNF has one
    bool limited;              // every cgroup of the VNF seen so far in this update has a limit
    std::uint64_t oom_kills;   // since the series was created
  };

  Registry &registry_;
  VnfSeriesSet<Series> series_;
  std::unordered_map<std::uint64_t, std::uint64_t> last_oom_kills_;  // by cgroup id
};

}  // namespace vnf::metrics
