#include "run/scrape.h"

#include <spdlog/spdlog.h>

#include <malloc.h>

#include <chrono>
#include <unordered_set>

#include "discover/cgroup_tree.h"
#include "metrics/vnf_labels.h"

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

Scrape::Scrape(Options options, Naming naming, Sources sources, metrics::Registry &registry,
               discover::RuntimeStatePaths runtime_state)
    : options_(std::move(options)),
      naming_(std::make_shared<const Naming>(std::move(naming))),
      metadata_(std::move(runtime_state)),
      cpu_(std::move(sources.cpu)),
      memory_(std::move(sources.memory)),
      network_(std::move(sources.network)),
      registry_(registry),
      self_(registry, std::string(cpu_->name())),
      cpu_metrics_(registry, cpu_->has_runqueue()),
      memory_metrics_(registry),
      network_metrics_(registry),
      instances_(registry) {}

void Scrape::rename(Naming naming) {
  auto next = std::make_shared<const Naming>(std::move(naming));
  std::lock_guard lock(mutex_);
  naming_ = std::move(next);
}

void Scrape::collect_network(const discover::CgroupTree &tree, const std::vector<std::size_t> &tracked,
                             const std::vector<metrics::TrackedVnf> &vnfs) {
  StageTimer timer(self_, "network");
  try {
    network_metrics_.update(vnfs, network_->read(tree, tracked));
    for (const auto &[map, stats] : network_->map_stats()) self_.set_map(map, stats);
  } catch (const std::exception &e) {
    report("network", e.what());
  }
}

void Scrape::collect_memory(const discover::CgroupTree &tree, const std::vector<std::size_t> &tracked,
                            const std::vector<metrics::TrackedVnf> &vnfs) {
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
  discover::CgroupTree tree;
  {
    StageTimer timer(self_, "discover");
    try {
      tree = discover::CgroupTree::walk(options_.layout.cpu_root);
    } catch (const std::exception &e) {
      report("discover", e.what());
      return;  // keep the series of the last good scrape rather than dropping every VNF
    }
  }

  std::vector<std::size_t> tracked;
  std::vector<metrics::TrackedVnf> vnfs;
  std::unordered_set<std::string> container_ids;
  std::size_t over_limit = 0;
  for (const auto &node : tree.nodes()) {
    auto container = naming_->recognizer.recognize(node.path);
    if (!container) continue;
    if (!container->container_id.empty()) container_ids.insert(container->container_id);
    auto identity = naming_->resolver.resolve(*container, metadata_.lookup(*container), node.path);
    if (!identity) continue;  // excluded, or a pod's sandbox
    if (vnfs.size() >= options_.max_vnfs) {
      ++over_limit;
      continue;
    }
    tracked.push_back(tree.index_of(node));
    vnfs.push_back({node.id, metrics::sanitized(std::move(*identity))});
  }
  metadata_.retain(container_ids);
  self_.set_vnfs_over_limit(over_limit);

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
