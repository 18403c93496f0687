#pragma once
// The series one kind of per-VNF metric keeps for every live VNF identity: created on first
// sight, removed by sweep() once an update no longer mentions the VNF. This is what keeps the
// registry free of stale series.

#include <functional>
#include <map>

#include "discover/container_cgroup.h"
#include "metrics/vnf_labels.h"

namespace vnf::metrics {

template <typename Series>
class VnfSeriesSet {
 public:
  using Create = std::function<Series(const prometheus::Labels &)>;
  using Remove = std::function<void(const Series &)>;

  VnfSeriesSet(Create create, Remove remove) : create_(std::move(create)), remove_(std::move(remove)) {}

  // The VNF's series, created if new; marks the VNF live in this update.
  Series &touch(const discover::VnfIdentity &identity) {
    auto it = series_.find(identity);
    if (it == series_.end()) it = series_.emplace(identity, Entry{create_(vnf_labels(identity)), false}).first;
    it->second.live = true;
    return it->second.series;
  }

  // Removes the series of every VNF not touched since the last sweep.
  void sweep() {
    for (auto it = series_.begin(); it != series_.end();) {
      if (it->second.live) {
        it->second.live = false;
        ++it;
        continue;
      }
      remove_(it->second.series);
      it = series_.erase(it);
    }
  }

  std::size_t size() const { return series_.size(); }

 private:
  struct Entry {
    Series series;
    bool live;
  };
  Create create_;
  Remove remove_;
  std::map<discover::VnfIdentity, Entry> series_;
};

}  // namespace vnf::metrics
