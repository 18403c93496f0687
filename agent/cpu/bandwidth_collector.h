#pragma once
// CPU limits and CFS throttling of every VNF, from the cpu controller's files.

#include "collector/collector.h"
#include "cpu/bandwidth_files.h"
#include "cpu/bandwidth_metrics.h"

namespace vnf::cpu {

class BandwidthCollector final : public collector::Collector {
 public:
  BandwidthCollector(const cgroupfs::CgroupLayout &layout, metrics::Registry &registry);

  std::string_view name() const override { return "cpu_bandwidth"; }
  void on_discovery(const discover::DiscoverySnapshot &) override {}  // files are kept by use
  void update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) override;
  collector::Health health() const override { return files_.health(); }

 private:
  BandwidthFiles files_;
  BandwidthMetrics metrics_;
};

}  // namespace vnf::cpu
