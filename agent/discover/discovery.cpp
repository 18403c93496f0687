#include "discover/discovery.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <unordered_set>

#include "cgroupfs/cgroup_paths.h"

namespace vnf::discover {
namespace {

constexpr auto kResyncPeriod = std::chrono::seconds(30);
constexpr auto kDebounce = std::chrono::milliseconds(100);  // a container start is a burst of mkdirs

}  // namespace

Discovery::Discovery(Options options, Naming naming, std::unique_ptr<CgroupEvents> events)
    : options_(std::move(options)),
      naming_(std::move(naming)),
      events_(std::move(events)),
      metadata_(options_.runtime_state),
      own_(options_.root, cgroup_path_of_pid(getpid(), options_.accounting), getpid()) {
  if (events_) watcher_ = std::thread([this] { watch(); });
}

Discovery::~Discovery() {
  stop_ = true;
  if (watcher_.joinable()) watcher_.join();
}

void Discovery::rename(Naming naming) {
  std::lock_guard lock(mutex_);
  naming_ = std::move(naming);
  stale_ = true;
}

Discovery::Trigger Discovery::changed_locked(Trigger on_events) {
  if (stale_ || !snapshot_) return Trigger::start;
  if (!events_) return Trigger::reader;
  bool changed = events_->drain() > 0;
  if (const auto lost = events_->lost(); lost != lost_seen_) {  // the buffer overflowed: resync
    lost_seen_ = lost;
    changed = true;
  }
  if (changed) return on_events;
  return std::chrono::steady_clock::now() - walked_at_ > kResyncPeriod ? Trigger::resync : Trigger::none;
}

std::shared_ptr<const DiscoverySnapshot> Discovery::current() {
  std::lock_guard lock(mutex_);
  if (auto trigger = changed_locked(Trigger::reader); trigger != Trigger::none) snapshot_ = walk_locked(trigger);
  return snapshot_;
}

bool Discovery::register_vnf(const std::string &cgroup_path, const VnfIdentity &identity) {
  std::error_code ec;
  if (cgroup_path.empty() || cgroup_path.front() != '/' || cgroup_path.find("/../") != std::string::npos ||
      !std::filesystem::is_directory(cgroupfs::cgroup_dir(options_.root, cgroup_path), ec))
    return false;
  registrations_.add(cgroup_path, sanitized_identity(identity));
  std::lock_guard lock(mutex_);
  stale_ = true;  // the next reader walks with it
  return true;
}

std::size_t Discovery::keep_registrations_in(RegistrationFile file) {
  const auto restored = registrations_.keep_in(std::move(file));
  std::lock_guard lock(mutex_);
  stale_ = true;
  return restored;
}

Discovery::Walks Discovery::walks() const {
  std::lock_guard lock(mutex_);
  return walks_;
}

std::shared_ptr<const DiscoverySnapshot> Discovery::walk_locked(Trigger trigger) {
  auto snapshot = std::make_shared<DiscoverySnapshot>();
  snapshot->generation = ++generations_;
  snapshot->tree = cgroupfs::CgroupTree::walk(options_.root);
  std::unordered_set<std::string> container_ids, paths;
  std::unordered_set<std::uint64_t> container_cgroups;
  for (const auto &node : snapshot->tree.nodes()) {
    paths.insert(node.path);
    std::optional<ResolvedVnf> vnf;
    if (auto registered = registrations_.find(node.path)) {  // registrations come before every rule
      vnf = ResolvedVnf{std::move(*registered)};
    } else {
      auto container = naming_.recognizer.recognize(node.path);
      if (!container) continue;
      container_cgroups.insert(node.id);
      if (own_.holds_agent(node.id, node.path)) continue;  // the agent's own container
      if (!container->container_id.empty()) container_ids.insert(container->container_id);
      vnf = naming_.resolver.resolve(*container, metadata_.lookup(*container), node.path);
    }
    if (!vnf) continue;  // excluded, or a pod's sandbox
    if (snapshot->vnfs.size() >= options_.max_vnfs) {
      ++snapshot->over_limit;
      continue;
    }
    snapshot->tracked.push_back(snapshot->tree.index_of(node));
    snapshot->vnfs.push_back({node.id, std::move(vnf->identity), vnf->network_owner});
  }
  metadata_.retain(container_ids);
  own_.retain(container_cgroups);
  registrations_.retain(paths);
  walked_at_ = std::chrono::steady_clock::now();
  stale_ = false;
  switch (trigger) {
    case Trigger::event: ++walks_.event; break;
    case Trigger::reader: ++walks_.reader; break;
    case Trigger::resync: ++walks_.resync; break;
    case Trigger::start: case Trigger::none: ++walks_.start; break;
  }
  return snapshot;
}

void Discovery::set_walk_listener(WalkListener listener) {
  std::lock_guard lock(listener_mutex_);
  listener_ = std::move(listener);
}

void Discovery::watch() {
  pollfd fd{events_->fd(), POLLIN, 0};
  while (!stop_) {
    if (poll(&fd, 1, 500) <= 0) continue;  // wakes twice a second to notice stop_
    std::this_thread::sleep_for(kDebounce);
    std::shared_ptr<const DiscoverySnapshot> walked;
    {
      std::lock_guard lock(mutex_);
      try {
        if (auto trigger = changed_locked(Trigger::event); trigger != Trigger::none) {
          walked = snapshot_ = walk_locked(trigger);
          spdlog::debug("discover: walked on a cgroup event: {} VNFs", walked->vnfs.size());
        }
      } catch (const std::exception &e) {
        spdlog::debug("discover: background walk failed: {}", e.what());  // the next scrape reports it
        stale_ = true;
      }
    }
    std::lock_guard lock(listener_mutex_);
    try {
      if (walked && listener_) listener_(*walked);
    } catch (const std::exception &e) {  // the scrape does the same work again
      spdlog::warn("discover: acting on a new walk failed: {}", e.what());
    }
  }
}

}  // namespace vnf::discover
