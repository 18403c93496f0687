#pragma once
// The numbers one kind of per-VNF metric keeps for every live VNF identity, next to the
// VNF's label set: created on first sight, removed by sweep() once an update no longer
// mentions the VNF. This is what keeps the registry free of stale series.

#include <map>
#include <string>
#include <string_view>
#include <iterator>
#include <utility>

#include "discover/container_cgroup.h"
#include "metrics/vnf_labels.h"

namespace vnf::metrics {

template <typename Series>
class VnfSeriesSet {
 public:
  // The VNF's series (value-initialised if new); marks the VNF live in this update.
  Series &touch(const discover::VnfIdentity &identity) {
    auto it = series_.find(identity);
    if (it == series_.end()) it = series_.emplace(identity, Entry{vnf_label_set(identity), Series{}, false}).first;
    it->second.live = true;
    return it->second.series;
  }

  // Removes the series of every VNF not touched since the last sweep.
  void sweep() {
    for (auto it = series_.begin(); it != series_.end();)
      it = std::exchange(it->second.live, false) ? std::next(it) : series_.erase(it);
  }

  // Calls f(label set, series) for every VNF, in identity order.
  template <typename F>
  void for_each(F &&f) const {
    for (const auto &[identity, entry] : series_) f(std::string_view(entry.labels), entry.series);
  }

  std::size_t size() const { return series_.size(); }
  bool empty() const { return series_.empty(); }

 private:
  struct Entry {
    std::string labels;
    Series series;
    bool live;
  };
  std::map<discover::VnfIdentity, Entry> series_;
};

}  // namespace vnf::metrics
