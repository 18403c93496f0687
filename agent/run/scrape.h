#pragma once
// One scrape of /metrics: walk the cgroup hierarchy, recognise the containers, read their
// CPU accounting, bring the registry's per-VNF series in step, and render the exposition.
// Nothing runs between scrapes; concurrent scrapes are serialised.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "collect/cpu_usage.h"
#include "discover/cgroup_layout.h"
#include "discover/container_cgroup.h"
#include "metrics/cpu_metrics.h"
#include "metrics/registry.h"
#include "metrics/self_metrics.h"

namespace vnf::run {

class Scrape {
 public:
  struct Options {
    discover::CgroupLayout layout;
    std::uint32_t max_vnfs = 4096;
    // Reports collector-specific health (BPF map fill, program run time) into self-metrics.
    std::function<void(metrics::SelfMetrics &)> report_collector_health;
  };

  Scrape(Options options, discover::ContainerRecognizer recognizer, std::unique_ptr<collect::CpuSource> cpu,
         metrics::Registry &registry);

  // Refreshes every series and returns the exposition. Never throws for a failing stage: the
  // error is counted in vnf_agent_scrape_errors_total and logged once.
  std::string metrics_text();

  // True once a scrape has read CPU accounting successfully.
  bool ready() const { return ready_.load(); }

 private:
  void refresh();
  void report(std::string_view component, const std::string &message);

  Options options_;
  discover::ContainerRecognizer recognizer_;
  std::unique_ptr<collect::CpuSource> cpu_;
  metrics::Registry &registry_;
  metrics::SelfMetrics self_;
  metrics::CpuMetrics cpu_metrics_;
  std::mutex mutex_;
  std::atomic<bool> ready_{false};
  std::set<std::string> reported_;  // error messages already logged at warning level
};

}  // namespace vnf::run
