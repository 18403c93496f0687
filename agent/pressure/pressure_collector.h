#pragma once
// CPU, memory and IO pressure (PSI) of every VNF, from the pressure iterator or the unified
// hierarchy's files.

#include <memory>

#include "collector/collector.h"
#include "pressure/pressure_metrics.h"
#include "pressure/pressure_source.h"

namespace vnf::pressure {

class PressureCollector final : public collector::Collector {
 public:
  PressureCollector(std::unique_ptr<PressureSource> source, metrics::Registry &registry);

  std::string_view name() const override { return "pressure"; }
  void on_discovery(const discover::DiscoverySnapshot &snapshot) override { source_->on_discovery(snapshot); }
  void update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) override;
  collector::Health health() const override { return source_->health(); }

 private:
  std::unique_ptr<PressureSource> source_;
  PressureMetrics metrics_;
};

}  // namespace vnf::pressure
