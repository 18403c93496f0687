#pragma once
// One scrape of /metrics: take discovery's current snapshot of the VNFs, run every collector
// over it (each timed, its failures logged once and counted under its name), bring the VNF
// counts in step and render the exposition. Nothing runs between scrapes; concurrent scrapes
// are serialised.

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "collector/collector.h"
#include "discover/discovery.h"
#include "metrics/registry.h"
#include "metrics/self_metrics.h"
#include "metrics/vnf_instances.h"
#include "run/vnf_view.h"

namespace vnf::run {

class Scrape {
 public:
  // `mode` ("bpf" or "cgroupfs") is what vnf_agent_build_info says of the collectors, and
  // `features` what vnf_agent_feature says of each family.
  Scrape(discover::Discovery &discovery, std::vector<std::unique_ptr<collector::Collector>> collectors,
         metrics::Registry &registry, const std::string &mode, const metrics::FeatureSources &features);

  // Refreshes every series and returns the exposition. Never throws for a failing collector:
  // the error is counted in vnf_agent_scrape_errors_total and logged once.
  std::shared_ptr<const std::string> metrics_text();

  // GET /v1/vnfs: collects (as a scrape does) and returns the VNFs with their rates as JSON.
  std::string vnfs_json();
  // GET /v1/vnf-types: the same, per vnf_type.
  std::string vnf_types_json();

  // Discovery's watcher walked (discover::Discovery::WalkListener): tells every collector.
  void on_walk(const discover::DiscoverySnapshot &snapshot);

  // True once a scrape has run every collector without a failure.
  bool ready() const { return ready_.load(); }

 private:
  void refresh();
  // Collects so that the view has rates over a fair interval. Called with mutex_ held.
  void refresh_rates();
  // Runs one collector; false if it failed.
  bool collect(collector::Collector &collector, const discover::DiscoverySnapshot &snapshot, bool new_snapshot,
               collector::ReadingsByCgroup &readings);
  void report(std::string_view component, const std::string &message);

  discover::Discovery &discovery_;
  std::vector<std::unique_ptr<collector::Collector>> collectors_;
  metrics::Registry &registry_;
  // The exposition's buffer, reused while no response still holds it: a new one of a few MB
  // every scrape costs a page fault per 4 KiB, a tenth of a 1,000-VNF scrape.
  std::shared_ptr<std::string> text_;
  metrics::SelfMetrics self_;
  metrics::VnfInstances instances_;
  VnfView view_;
  std::shared_ptr<const discover::DiscoverySnapshot> collected_;  // the snapshot the collectors know of
  std::mutex mutex_;
  std::atomic<bool> ready_{false};
  std::set<std::string> reported_;  // error messages already logged at warning level
};

}  // namespace vnf::run
