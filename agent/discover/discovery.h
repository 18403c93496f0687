#pragma once
// Which container cgroups exist and which VNF each belongs to, kept current: re-walked when
// the cgroup event probe reports a change (within ~100 ms, from a watcher thread), before any
// reader uses it if events are pending, and every 30 s as a safety net. Without the event
// probe, every reader gets a fresh walk.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "cgroupfs/cgroup_layout.h"
#include "discover/cgroup_events.h"
#include "discover/container_cgroup.h"
#include "discover/discovery_snapshot.h"
#include "discover/metadata/metadata_store.h"
#include "discover/own_cgroup.h"
#include "discover/registrations.h"
#include "discover/vnf_identity.h"

namespace vnf::discover {

// How cgroups become VNFs: which are containers, and what each is called.
struct Naming {
  ContainerRecognizer recognizer;
  IdentityResolver resolver;
};

class Discovery {
 public:
  struct Options {
    std::filesystem::path root;  // the hierarchy to walk (the CPU one)
    cgroupfs::CpuAccounting accounting = cgroupfs::CpuAccounting::v2;  // which one it is
    std::uint32_t max_vnfs = 4096;
    RuntimeStatePaths runtime_state;
  };

  // `events` may be null: then every current() walks.
  Discovery(Options options, Naming naming, std::unique_ptr<CgroupEvents> events);
  ~Discovery();
  Discovery(const Discovery &) = delete;
  Discovery &operator=(const Discovery &) = delete;

  // The current snapshot, re-walked first if anything changed. Throws if the walk fails.
  std::shared_ptr<const DiscoverySnapshot> current();
  // New naming rules, applied from the next walk on (which happens at once).
  void rename(Naming naming);
  // Names the cgroup at `cgroup_path` (relative to the walked hierarchy) as `identity`, ahead
  // of every rule, from the next walk on. False if there is no such cgroup; std::runtime_error
  // if the registration cannot be saved (see keep_registrations_in).
  bool register_vnf(const std::string &cgroup_path, const VnfIdentity &identity);
  // Restores the registrations saved in `file` and saves them there from now on, so that an
  // agent restart keeps them (Registrations::keep_in); returns how many were restored.
  std::size_t keep_registrations_in(RegistrationFile file);
  cgroupfs::CpuAccounting accounting() const { return options_.accounting; }

  // Called on the watcher's thread with each snapshot the watcher walks (after cgroup events):
  // what must happen when a VNF appears, not at the next scrape. Replacing the listener (an
  // empty one: none) waits for a call in progress, so that what it uses may go afterwards.
  using WalkListener = std::function<void(const DiscoverySnapshot &)>;
  void set_walk_listener(WalkListener listener);

  // Walks so far by what caused them: "event" (the watcher, after cgroup events), "reader"
  // (a reader found events the watcher had not handled yet, or there is no event probe),
  // "resync" (the periodic safety net), "start" (first walk and reloads).
  struct Walks {
    std::uint64_t event = 0, reader = 0, resync = 0, start = 0;
  };
  Walks walks() const;

 private:
  enum class Trigger { none, event, reader, resync, start };
  std::shared_ptr<const DiscoverySnapshot> walk_locked(Trigger trigger);
  Trigger changed_locked(Trigger on_events);
  void watch();

  Options options_;
  Naming naming_;
  std::unique_ptr<CgroupEvents> events_;
  MetadataStore metadata_;
  OwnCgroup own_;
  Registrations registrations_;
  mutable std::mutex mutex_;
  std::shared_ptr<const DiscoverySnapshot> snapshot_;
  std::chrono::steady_clock::time_point walked_at_{};
  std::uint64_t lost_seen_ = 0;
  bool stale_ = true;
  std::uint64_t generations_ = 0;  // walks made
  Walks walks_;
  std::mutex listener_mutex_;  // held while the listener runs
  WalkListener listener_;
  std::atomic<bool> stop_{false};
  std::thread watcher_;
};

}  // namespace vnf::discover
