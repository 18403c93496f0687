#pragma once
// How the agent turns a source's cumulative readings (a BPF map entry, a cgroupfs file, a
// kernel counter) into the growth of an exported counter, which never goes back. One rule
// for every counter the agent exports:
//   - a key's first reading counts in full: the counter starts where its source stands;
//   - after that, each field grows by the reading minus the last one;
//   - a field that reads lower than last time grows by nothing, and its new reading is the
//     base the next one grows from: its source lost part of what it summed (a sub-cgroup, an
//     interface), which is no reason to count anything twice;
//   - a reading from another source than last time (`epoch`: another network namespace, say)
//     counts in full, as a first one.
// A key is remembered until a sweep finds it was neither advanced nor kept since the last one.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace vnf::metrics {

// The growth of each field from reading `last` to reading `now`, by the rule above.
template <std::size_t N>
std::array<std::uint64_t, N> counter_growth(const std::array<std::uint64_t, N> &last,
                                            const std::array<std::uint64_t, N> &now) {
  std::array<std::uint64_t, N> growth{};
  for (std::size_t i = 0; i < N; ++i) growth[i] = now[i] >= last[i] ? now[i] - last[i] : 0;
  return growth;
}

template <typename Key, std::size_t N = 1, typename Hash = std::hash<Key>>
class CounterFollower {
 public:
  using Counters = std::array<std::uint64_t, N>;

  // The growth of each field since the key's last reading, by the rule above; `now` is then
  // the key's last reading.
  Counters advance(const Key &key, const Counters &now, std::uint64_t epoch = 0) {
    auto [it, first] = last_.try_emplace(key);
    Entry &e = it->second;
    const Counters growth = !first && e.epoch == epoch ? counter_growth(e.reading, now) : now;
    e = Entry{now, epoch, true};
    return growth;
  }
  std::uint64_t advance(const Key &key, std::uint64_t now, std::uint64_t epoch = 0)
    requires(N == 1)
  {
    return advance(key, Counters{now}, epoch)[0];
  }

  // Keeps the key's last reading through the next sweep, though it was not read this time.
  void keep(const Key &key) {
    if (auto it = last_.find(key); it != last_.end()) it->second.live = true;
  }

  // Keeps every key for which `keep(key)` holds, as keep() does.
  template <typename Predicate>
  void keep_if(Predicate keep) {
    for (auto &[key, entry] : last_)
      if (keep(key)) entry.live = true;
  }

  // Forgets the keys neither advanced nor kept since the last sweep.
  void sweep() {
    for (auto it = last_.begin(); it != last_.end();) {
      if (std::exchange(it->second.live, false)) ++it;
      else it = last_.erase(it);
    }
  }

  std::size_t size() const { return last_.size(); }

 private:
  struct Entry {
    Counters reading{};
    std::uint64_t epoch = 0;
    bool live = false;
  };
  std::unordered_map<Key, Entry, Hash> last_;
};

// The last readings of one exported series, by source (a network namespace, say), for a
// series that belongs to a VNF identity rather than to one cgroup: a container that restarts
// in a new cgroup but the same namespace (Kubernetes keeps a pod's namespace) goes on from
// the last reading, and one in a new namespace counts that one's in full. Each source follows
// the rule above.
template <std::size_t N>
class SourceReadings {
 public:
  using Counters = std::array<std::uint64_t, N>;

  // The growth since `source`'s last reading (all of `now` for a new source); marks it seen.
  Counters advance(std::uint64_t source, const Counters &now) {
    for (auto &s : sources_)
      if (s.id == source) {
        const auto growth = counter_growth(s.reading, now);
        s = {source, now, true};
        return growth;
      }
    sources_.push_back({source, now, true});
    return now;
  }
  void mark_all(bool seen) {
    for (auto &s : sources_) s.seen = seen;
  }
  // Forgets the sources neither advanced nor marked seen since the last call (or since
  // mark_all(false)), and leaves the others unseen for the next round.
  void forget_unseen() {
    std::erase_if(sources_, [](const Source &s) { return !s.seen; });
    mark_all(false);
  }

 private:
  struct Source {
    std::uint64_t id;
    Counters reading;
    bool seen;
  };
  std::vector<Source> sources_;
};

}  // namespace vnf::metrics
