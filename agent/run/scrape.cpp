#include "run/scrape.h"

#include <spdlog/spdlog.h>

#include <malloc.h>

#include <chrono>
#include <thread>

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

std::vector<std::string_view> components(const std::vector<std::unique_ptr<collector::Collector>> &collectors) {
  std::vector<std::string_view> names{"discover"};
  for (const auto &c : collectors) names.push_back(c->name());
  return names;
}

}  // namespace

Scrape::Scrape(discover::Discovery &discovery, std::vector<std::unique_ptr<collector::Collector>> collectors,
               metrics::Registry &registry, const std::string &mode, const metrics::FeatureSources &features)
    : discovery_(discovery),
      collectors_(std::move(collectors)),
      registry_(registry),
      self_(registry, mode, features, components(collectors_)),
      instances_(registry) {}

void Scrape::report(std::string_view component, const std::string &message) {
  self_.count_error(component);
  // The same failure on every scrape would flood the log: warn once, then only at debug level.
  if (reported_.insert(message).second) spdlog::warn("{}: {}", component, message);
  else spdlog::debug("{}: {}", component, message);
}

bool Scrape::collect(collector::Collector &collector, const discover::DiscoverySnapshot &snapshot, bool new_snapshot,
                     collector::ReadingsByCgroup &readings) {
  bool ok = true;
  {
    StageTimer timer(self_, collector.name());
    try {
      if (new_snapshot) collector.on_discovery(snapshot);
      collector.update(snapshot, readings);
    } catch (const std::exception &e) {
      report(collector.name(), e.what());
      ok = false;
    }
  }
  self_.record(collector.name(), collector.health());
  return ok;
}

void Scrape::on_walk(const discover::DiscoverySnapshot &snapshot) {
  // The collector list is fixed at construction, so the watcher's thread may walk it.
  for (auto &c : collectors_) c->on_walk(snapshot);
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
  self_.set_vnfs_over_limit(snapshot->over_limit);
  const auto walks = discovery_.walks();
  self_.set_discovery_walks({{"event", walks.event}, {"reader", walks.reader}, {"resync", walks.resync}, {"start", walks.start}});

  const bool new_snapshot = snapshot != collected_;
  collected_ = snapshot;
  collector::ReadingsByCgroup readings;
  bool all_ok = true;
  for (auto &c : collectors_) all_ok = collect(*c, *snapshot, new_snapshot, readings) && all_ok;
  view_.record(VnfView::Clock::now(), *snapshot, readings);
  self_.set_tracked_cgroups(snapshot->vnfs.size());
  instances_.update(snapshot->vnfs);
  if (all_ok) ready_ = true;
}

void Scrape::refresh_rates() {
  refresh();
  // Rates need two collections a little apart: the last scrape's if it is recent and saw every
  // VNF, or else one taken now.
  const auto interval = view_.interval_seconds();
  if (!interval || *interval < 0.2 || *interval > 30 || !view_.complete()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    refresh();
  }
}

std::string Scrape::vnfs_json() {
  std::lock_guard lock(mutex_);
  refresh_rates();
  return view_.json();
}

std::string Scrape::vnf_types_json() {
  std::lock_guard lock(mutex_);
  refresh_rates();
  return view_.types_json();
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
