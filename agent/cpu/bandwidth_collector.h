#pragma once
// CPU limits and CFS throttling of every VNF, from the CPU bandwidth iterator or the cpu
// controller's files.

#include <memory>

#include "collector/collector.h"
#include "cpu/bandwidth_metrics.h"
#include "cpu/bandwidth_source.h"

namespace vnf::cpu {

class BandwidthCollector final : public collector::Collector {
 public:
  BandwidthCollector(std::unique_ptr<BandwidthSource> source, metrics::Registry &registry);

  std::string_view name() const override { return "cpu_bandwidth"; }
  void on_discovery(const discover::DiscoverySnapshot &snapshot) override { source_->on_discovery(snapshot); }
  void update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) override;
  collector::Health health() const override { return source_->health(); }

 private:
  std::unique_ptr<BandwidthSource> source_;
  BandwidthMetrics metrics_;
};

}  // namespace vnf::cpu
