#pragma once
// CPU, memory and IO pressure (PSI) of every VNF, from the unified hierarchy's files.

#include "collector/collector.h"
#include "pressure/pressure_files.h"
#include "pressure/pressure_metrics.h"

namespace vnf::pressure {

class PressureCollector final : public collector::Collector {
 public:
  PressureCollector(std::filesystem::path unified_root, metrics::Registry &registry);

  std::string_view name() const override { return "pressure"; }
  void on_discovery(const discover::DiscoverySnapshot &) override {}  // files are kept by use
  void update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) override;
  collector::Health health() const override { return files_.health(); }

 private:
  PressureFiles files_;
  PressureMetrics metrics_;
};

}  // namespace vnf::pressure
