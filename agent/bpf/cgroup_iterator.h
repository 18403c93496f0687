#pragma once
// The probes that walk a cgroup hierarchy (SEC("iter/cgroup"): mem, cpu_bandwidth, pressure):
// each walk records every cgroup's counters in a hash keyed by cgroup id, stamped with the
// walk's generation (the program's `walk_generation`), which the agent reads in batches.

#include <bpf/bpf.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "bpf/link.h"
#include "bpf/map_reader.h"
#include "bpf/overflow_counters.h"
#include "bpf/skeleton.h"

namespace vnf::bpf {

// Attaches `program` to walk the hierarchy mounted at `root`, parents before children.
// Throws ProbeError naming `probe`.
Link attach_cgroup_iterator(bpf_program *program, const std::filesystem::path &root, const std::string &probe);
// One walk by `link`'s program, which writes nothing to its output. Throws std::system_error.
void run_cgroup_iterator(const Link &link, const std::string &probe);

// A loaded and attached iterator probe whose skeleton `Skel` has one program, a records hash
// of `Record` (which ends in its generation) and an `overflow` array whose slot 0 counts the
// cgroups it had no room for.
template <typename Skel, typename Record>
class CgroupIterator {
 public:
  struct Parts {
    bpf_map *(*records)(Skel &);
    bpf_program *(*program)(Skel &);
  };

  // Loads the probe with room for `max_cgroups` records and attaches it to the hierarchy at
  // `root`. Throws ProbeError.
  CgroupIterator(const std::string &probe, Parts parts, const std::filesystem::path &root, std::uint32_t max_cgroups)
      : probe_(probe), skel_(probe) {
    bpf_map *records = parts.records(*skel_.operator->());
    skel_.resize(records, max_cgroups);
    skel_.load();
    overflow_.emplace(skel_->maps.overflow);
    reader_.emplace(records);
    link_ = attach_cgroup_iterator(parts.program(*skel_.operator->()), root, probe);
  }

  // One walk; its records become the current ones. Those of earlier walks, left by cgroups
  // removed since, are remembered for drop_stale(). Throws std::system_error.
  void walk() {
    skel_->bss->walk_generation = ++generation_;  // .bss is mapped into this process
    run_cgroup_iterator(link_, probe_);
    current_.clear();
    stale_.clear();
    reader_->for_each([&](std::uint64_t id, const void *value) {
      Record record;
      std::memcpy(&record, value, sizeof record);
      if (record.generation == generation_) current_.emplace(id, record);
      else stale_.push_back(id);
    });
  }
  // The record the last walk wrote for cgroup `id`; null if it wrote none.
  const Record *find(std::uint64_t id) const {
    auto it = current_.find(id);
    return it == current_.end() ? nullptr : &it->second;
  }
  // Deletes the records of removed cgroups, so that the hash holds live ones only.
  void drop_stale() {
    for (auto id : stale_) bpf_map_delete_elem(reader_->fd(), &id);
    stale_.clear();
  }

  std::size_t size() const { return current_.size(); }
  std::uint32_t capacity() const { return reader_->capacity(); }
  // Cgroups a walk could not record because the hash was full, since load.
  std::uint64_t overflow() const { return overflow_->lost(0); }

 private:
  std::string probe_;
  Skeleton<Skel> skel_;
  std::optional<OverflowCounters> overflow_;
  std::optional<MapReader> reader_;
  Link link_;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::uint64_t, Record> current_;
  std::vector<std::uint64_t> stale_;
};

}  // namespace vnf::bpf
