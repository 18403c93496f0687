#pragma once
// The numbers one kind of per-VNF metric keeps for every live VNF identity, next to the
// VNF's label set: created on first sight, removed by sweep() once an update no longer
// mentions the VNF. This is what keeps the registry free of stale series.
//
// The series lie in one vector, so that writing a family walks memory in order; a hash index
// finds a VNF's entry. A removed entry's place is taken by the last one, so the exposition's
// order of VNFs is stable but not sorted.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "discover/container_cgroup.h"
#include "metrics/registry.h"
#include "metrics/text_exposition.h"
#include "metrics/vnf_labels.h"

namespace vnf::metrics {

struct VnfIdentityHash {
  std::size_t operator()(const discover::VnfIdentity &id) const {
    std::size_t h = 0;
    for (const auto *part : {&id.vnf, &id.vnf_type, &id.namespace_name, &id.pod, &id.container})
      h = h * 31 + std::hash<std::string>{}(*part);
    return h;
  }
};

template <typename Series>
class VnfSeriesSet {
 public:
  static constexpr auto kRetiredFor = std::chrono::minutes(10);
  static constexpr std::size_t kMaxRetired = 4096;

  // The VNF's series (value-initialised if new), and whether this is the first touch since
  // the last sweep; marks the VNF live in this update.
  // `now` (for tests) is read only for a VNF not yet in the set: every scrape touches them all.
  std::pair<Series &, bool> touch_first(const discover::VnfIdentity &identity,
                                        std::optional<std::chrono::steady_clock::time_point> now = std::nullopt) {
    auto found = index_.find(identity);
    if (found == index_.end()) {
      // Built before it is indexed, and taken from the retired ones only once it is in: an
      // allocation that fails leaves both as they were.
      std::string labels = vnf_label_set(identity);
      auto retired = retired_.find(labels);
      const bool back = retired != retired_.end() &&
                        now.value_or(std::chrono::steady_clock::now()) - retired->second.since <= kRetiredFor;
      entries_.push_back(Entry{nullptr, std::move(labels), back ? retired->second.series : Series{}, false});
      try {
        found = index_.emplace(identity, entries_.size() - 1).first;
      } catch (...) {
        entries_.pop_back();
        throw;
      }
      entries_.back().identity = &found->first;
      if (retired != retired_.end()) retired_.erase(retired);
    }
    Entry &e = entries_[found->second];
    return {e.series, !std::exchange(e.live, true)};
  }
  Series &touch(const discover::VnfIdentity &identity) { return touch_first(identity).first; }
  // The VNF's series if this update touched it already, else null; creates nothing.
  Series *touched(const discover::VnfIdentity &identity) {
    auto found = index_.find(identity);
    if (found == index_.end() || !entries_[found->second].live) return nullptr;
    return &entries_[found->second].series;
  }

  // Removes the series of every VNF not touched since the last sweep.
  void sweep(std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now()) {
    std::erase_if(retired_, [&](const auto &r) { return now - r.second.since > kRetiredFor; });
    for (std::size_t i = 0; i < entries_.size();) {
      if (std::exchange(entries_[i].live, false)) {
        ++i;
        continue;
      }
      retire(std::move(entries_[i].labels), std::move(entries_[i].series), now);
      index_.erase(*entries_[i].identity);
      if (i + 1 != entries_.size()) {
        entries_[i] = std::move(entries_.back());
        index_[*entries_[i].identity] = i;
      }
      entries_.pop_back();
    }
    // After a wave of VNFs is gone, give their room back rather than keep the peak.
    if (entries_.capacity() > 4 * entries_.size() + 16) entries_.shrink_to_fit();
  }

  // Writes one family: its header, then what `samples(out, label set, series)` writes for
  // each VNF. A family no VNF wrote a sample for is left out whole.
  template <typename Samples>
  void write_family(std::string &out, const FamilyInfo &family, Samples samples) const {
    const auto start = out.size();
    write_header(out, family);
    const auto body = out.size();
    for (const auto &e : entries_) samples(out, std::string_view(e.labels), e.series);
    if (out.size() == body) out.resize(start);
  }

  // A family of one number per VNF, `value(series)`; where that is an empty optional, the VNF
  // has no sample.
  template <typename Value>
  void write_values(std::string &out, const FamilyInfo &family, Value value) const {
    write_family(out, family, [&](std::string &o, std::string_view labels, const Series &s) {
      const std::optional v{value(s)};  // an optional stays one, a number becomes one
      if (v) write_sample(o, family.name, "", labels, {}, *v);
    });
  }

  // Calls `visit(series)` for every VNF's series.
  template <typename Visit>
  void for_each(Visit visit) {
    for (auto &e : entries_) visit(e.series);
  }

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::size_t retired() const { return retired_.size(); }

 private:
  struct Retired {
    Series series;
    std::chrono::steady_clock::time_point since;
  };

  // Kept by label set, the one string that names the identity, moved from the entry, not copied.
  void retire(std::string labels, Series series, std::chrono::steady_clock::time_point now) {
    if (retired_.size() >= kMaxRetired) {  // a wave of VNFs gone: the oldest are forgotten first
      auto oldest = retired_.begin();
      for (auto it = retired_.begin(); it != retired_.end(); ++it)
        if (it->second.since < oldest->second.since) oldest = it;
      retired_.erase(oldest);
    }
    retired_.insert_or_assign(std::move(labels), Retired{std::move(series), now});
  }

  struct Entry {
    const discover::VnfIdentity *identity;  // the index's key: node-based, so it stays put
    std::string labels;
    Series series;
    bool live;
  };
  std::vector<Entry> entries_;
  std::unordered_map<discover::VnfIdentity, std::size_t, VnfIdentityHash> index_;
  std::unordered_map<std::string, Retired> retired_;  // by label set
};

}  // namespace vnf::metrics
