#pragma once
// CPU time and run-queue wait of every VNF, from the CPU probe or from cgroupfs.

#include <memory>

#include "collector/collector.h"
#include "cpu/cpu_metrics.h"
#include "cpu/cpu_usage.h"

namespace vnf::cpu {

class CpuCollector final : public collector::Collector {
 public:
  CpuCollector(std::unique_ptr<CpuSource> source, metrics::Registry &registry);

  // "collect": the label CPU has had since it was the agent's only collector.
  std::string_view name() const override { return "collect"; }
  void on_discovery(const discover::DiscoverySnapshot &snapshot) override { source_->on_discovery(snapshot.tree); }
  void update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) override;
  collector::Health health() const override { return source_->health(); }

 private:
  std::unique_ptr<CpuSource> source_;
  CpuMetrics metrics_;
};

}  // namespace vnf::cpu
