#pragma once
// One resource's metrics (CPU, memory, network), in the shape of node_exporter's collectors:
// each owns its backend (BPF probes or cgroupfs files), its per-VNF series in the registry and
// the report of its own health. The scrape (run/scrape.h) runs them one after the other, times
// each, logs each failure once and counts failures by the collector's name.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bpf/map_fill.h"
#include "bpf/program_stats.h"
#include "cgroupfs/cgroup_files.h"
#include "collector/vnf_readings.h"
#include "discover/discovery_snapshot.h"

namespace vnf::collector {

// What a collector tells of itself in the vnf_agent_* self-metrics.
struct Health {
  std::vector<bpf::MapFill> maps;
  std::vector<bpf::ProgramStats> programs;
  std::vector<std::pair<std::string, cgroupfs::HeldDescriptors>> descriptors;  // by kind
  std::uint64_t unreadable_files = 0;  // since start; each is logged at debug level
};

class Collector {
 public:
  virtual ~Collector() = default;

  // Its stage and component label in the self-metrics, and its prefix in the log.
  virtual std::string_view name() const = 0;
  // Discovery has a new snapshot, with cgroups and VNFs that came or went since the last one.
  // Sets up and tears down what the collector keeps for them, in the kernel (program links,
  // map entries) and here. Runs before the snapshot's first update.
  virtual void on_discovery(const discover::DiscoverySnapshot &snapshot) = 0;
  // Discovery's watcher walked, after cgroup events, between scrapes: a collector that must
  // act on new VNFs at once, not at the next scrape, does it here. Runs on the watcher's
  // thread, so such a collector guards what it shares with the scrape; must not throw.
  virtual void on_walk(const discover::DiscoverySnapshot &) {}
  // Reads the accounting of every VNF in `snapshot`, brings their series in step, and adds
  // what GET /v1/vnfs shows of them to `readings`. Throws, saying what failed, when it cannot
  // read at all; its series then stay as the last update left them.
  virtual void update(const discover::DiscoverySnapshot &snapshot, ReadingsByCgroup &readings) = 0;
  virtual Health health() const = 0;
};

}  // namespace vnf::collector
