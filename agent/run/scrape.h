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
#include "discover/container_cgroup.h"
#include "discover/discovery.h"
#include "collect/memory_source.h"
#include "metrics/cpu_metrics.h"
#include "collect/network_source.h"
#include "metrics/memory_metrics.h"
#include "metrics/network_metrics.h"
#include "metrics/vnf_instances.h"
#include "run/vnf_view.h"
#include "metrics/registry.h"
#include "metrics/self_metrics.h"

namespace vnf::run {

class Scrape {
 public:
  struct Options {
    // Reports collector-specific health (BPF map fill, program run time) into self-metrics.
    std::function<void(metrics::SelfMetrics &)> report_collector_health;
  };

  struct Sources {
    std::unique_ptr<collect::CpuSource> cpu;
    std::unique_ptr<collect::MemorySource> memory;    // null: no memory controller mounted
    std::unique_ptr<collect::NetworkSource> network;
  };

  Scrape(Options options, discover::Discovery &discovery, Sources sources, metrics::Registry &registry);

  // Refreshes every series and returns the exposition. Never throws for a failing stage: the
  // error is counted in vnf_agent_scrape_errors_total and logged once.
  std::shared_ptr<const std::string> metrics_text();

  // GET /v1/vnfs: collects (as a scrape does) and returns the VNFs with their rates as JSON.
  std::string vnfs_json();

  // True once a scrape has read CPU accounting successfully.
  bool ready() const { return ready_.load(); }

 private:
  void refresh();
  void report(std::string_view component, const std::string &message);
  collect::MemoryByCgroup collect_memory(const discover::DiscoverySnapshot &snapshot);
  collect::NetworkByCgroup collect_network(const discover::DiscoverySnapshot &snapshot);
  void count_file_errors();

  Options options_;
  discover::Discovery &discovery_;
  std::unique_ptr<collect::CpuSource> cpu_;
  std::unique_ptr<collect::MemorySource> memory_;
  std::unique_ptr<collect::NetworkSource> network_;
  metrics::Registry &registry_;
  // The exposition's buffer, reused while no response still holds it: a new one of a few MB
  // every scrape costs a page fault per 4 KiB, a tenth of a 1,000-VNF scrape.
  std::shared_ptr<std::string> text_;
  metrics::SelfMetrics self_;
  metrics::CpuMetrics cpu_metrics_;
  metrics::MemoryMetrics memory_metrics_;
  metrics::NetworkMetrics network_metrics_;
  metrics::VnfInstances instances_;
  VnfView view_;
  std::uint64_t cpu_file_errors_ = 0, memory_file_errors_ = 0, network_file_errors_ = 0;  // already counted
  std::mutex mutex_;
  std::atomic<bool> ready_{false};
  std::set<std::string> reported_;  // error messages already logged at warning level
};

}  // namespace vnf::run
