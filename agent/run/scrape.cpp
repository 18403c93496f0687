#include "run/scrape.h"

#include <spdlog/spdlog.h>

#include <malloc.h>

#include <chrono>

#include "discover/cgroup_tree.h"

namespace vnf::run {
namespace {

class StageTimer {
 public:
  StageTimer(metrics::SelfMetrics &self, std::string_view stage) : self_(self), stage_(stage) {}
  ~StageTimer() {
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    self_.observe_stage(stage_, elapsed.count());
  }

 private:
  metrics::SelfMetrics &self_;
  std::string_view stage_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

Scrape::Scrape(Options options, discover::Discovery &discovery, Sources sources, metrics::Registry &registry)
    : options_(std::move(options)),
      discovery_(discovery),
      cpu_(std::move(sources.cpu)),
      memory_(std::move(sources.memory)),
      network_(std::move(sources.network)),
      registry_(registry),
      self_(registry, std::string(cpu_->name())),
      cpu_metrics_(registry, cpu_->has_runqueue()),
      memory_metrics_(registry),
      network_metrics_(registry),
      instances_(registry) {}


void Scrape::collect_network(const discover::CgroupTree &tree, const std::vector<std::size_t> &tracked,
                             const std::vector<discover::TrackedVnf> &vnfs) {
  StageTimer timer(self_, "network");
  try {
    network_metrics_.update(vnfs, network_->read(tree, tracked));
    for (const auto &[map, stats] : network_->map_stats()) self_.set_map(map, stats);
  } catch (const std::exception &e) {
    report("network", e.what());
  }
}

void Scrape::collect_memory(const discover::CgroupTree &tree, const std::vector<std::size_t> &tracked,
                            const std::vector<discover::TrackedVnf> &vnfs) {
  if (!memory_) return;
  StageTimer timer(self_, "memory");
  try {
    memory_metrics_.update(vnfs, memory_->read(tree, tracked));
  } catch (const std::exception &e) {
    report("memory", e.what());
  }
}

// Unreadable cgroupfs files are counted per file, logged at debug level by the sources.
void Scrape::count_file_errors() {
  if (auto n = cpu_->read_errors(); n > cpu_file_errors_) {
    self_.count_error("collect", n - cpu_file_errors_);
    cpu_file_errors_ = n;
  }
  if (memory_) {
    if (auto n = memory_->read_errors(); n > memory_file_errors_) {
      self_.count_error("memory", n - memory_file_errors_);
      memory_file_errors_ = n;
    }
  }
  if (auto n = network_->read_errors(); n > network_file_errors_) {
    self_.count_error("network", n - network_file_errors_);
    network_file_errors_ = n;
  }
}

void Scrape::report(std::string_view component, const std::string &message) {
  self_.count_error(component);
  // The same failure on every scrape would flood the log: warn once, then only at debug level.
  if (reported_.insert(message).second) spdlog::warn("{}: {}", component, message);
  else spdlog::debug("{}: {}", component, message);
}

void Scrape::refresh() {
  std::shared_ptr<const discover::DiscoverySnapshot> snapshot;
  {
    StageTimer timer(self_, "discover");
    try {
      snapshot = discovery_.current();
    } catch (const std::exception &e) {
      report("discover", e.what());
      return;  // keep the series of the last good scrape rather than dropping every VNF
    }
  }
  const auto &tree = snapshot->tree;
  const auto &tracked = snapshot->tracked;
  const auto &vnfs = snapshot->vnfs;
  self_.set_vnfs_over_limit(snapshot->over_limit);
  const auto walks = discovery_.walks();
  self_.set_discovery_walks({{"event", walks.event}, {"reader", walks.reader}, {"resync", walks.resync}, {"start", walks.start}});

  collect::CpuUsageByCgroup usage;
  {
    StageTimer timer(self_, "collect");
    try {
      usage = cpu_->read(tree, tracked);
    } catch (const std::exception &e) {
      report("collect", e.what());
      return;
    }
  }
  {
    StageTimer timer(self_, "update");
    cpu_metrics_.update(vnfs, usage);
  }
  collect_memory(tree, tracked, vnfs);
  collect_network(tree, tracked, vnfs);
  count_file_errors();
  self_.set_tracked_cgroups(vnfs.size());
  instances_.update(vnfs);
  if (options_.report_collector_health) options_.report_collector_health(self_);
  ready_ = true;
}

std::string Scrape::metrics_text() {
  std::lock_guard lock(mutex_);
  refresh();
  std::string text;
  {
    StageTimer timer(self_, "serialize");  // recorded for the next scrape: this one is being rendered
    text = registry_.serialize();
  }
  malloc_trim(0);  // a scrape's garbage is proportional to the series: give it back now (see main.cpp)
  return text;
}

}  // namespace vnf::run
