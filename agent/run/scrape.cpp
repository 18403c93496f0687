#include "run/scrape.h"

#include <spdlog/spdlog.h>

#include <malloc.h>

#include <chrono>
#include <thread>

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


collect::MemoryByCgroup Scrape::collect_memory(const discover::DiscoverySnapshot &snapshot) {
  if (!memory_) return {};
  StageTimer timer(self_, "memory");
  try {
    auto memory = memory_->read(snapshot.tree, snapshot.tracked);
    memory_metrics_.update(snapshot.vnfs, memory);
    for (const auto &[map, stats] : memory_->map_stats()) self_.set_map(map, stats);
    self_.set_open_descriptors("memory_stat", memory_->stat_files());
    return memory;
  } catch (const std::exception &e) {
    report("memory", e.what());
    return {};
  }
}

collect::NetworkByCgroup Scrape::collect_network(const discover::DiscoverySnapshot &snapshot) {
  StageTimer timer(self_, "network");
  try {
    auto network = network_->read(snapshot.tree, snapshot.tracked);
    network_metrics_.update(snapshot.vnfs, network);
    for (const auto &[map, stats] : network_->map_stats()) self_.set_map(map, stats);
    self_.set_open_descriptors("pidfd", network_->pidfds());
    return network;
  } catch (const std::exception &e) {
    report("network", e.what());
    return {};
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
  const auto memory = collect_memory(*snapshot);
  const auto network = collect_network(*snapshot);
  count_file_errors();
  view_.record(VnfView::Clock::now(), *snapshot, usage, memory, network);
  self_.set_tracked_cgroups(vnfs.size());
  instances_.update(vnfs);
  if (options_.report_collector_health) options_.report_collector_health(self_);
  ready_ = true;
}

std::string Scrape::vnfs_json() {
  std::lock_guard lock(mutex_);
  refresh();
  // Rates need two collections a little apart: the last scrape's if it is recent and saw every
  // VNF, or else one taken now.
  const auto interval = view_.interval_seconds();
  if (!interval || *interval < 0.2 || *interval > 30 || !view_.complete()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    refresh();
  }
  return view_.json();
}

std::shared_ptr<const std::string> Scrape::metrics_text() {
  std::lock_guard lock(mutex_);
  refresh();
  // use_count() only ever falls behind our back (a response finishing), never rises: the
  // worst a race does is allocate a new buffer.
  if (!text_ || text_.use_count() > 1) text_ = std::make_shared<std::string>();
  {
    StageTimer timer(self_, "serialize");  // recorded for the next scrape: this one is being rendered
    registry_.serialize(*text_);
  }
  if (text_->capacity() > 2 * text_->size()) text_->shrink_to_fit();  // fewer VNFs than at the peak
  malloc_trim(0);  // a scrape's garbage is proportional to the series: give it back now (see main.cpp)
  return text_;
}

}  // namespace vnf::run
