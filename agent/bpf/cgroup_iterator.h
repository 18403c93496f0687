#pragma once
// The probes that walk a cgroup hierarchy (SEC("iter/cgroup"): mem, cpu_bandwidth, pressure).
// Each walk writes the counters of the cgroups the agent tracks, and of no others, into their
// slots of an array this process maps (VNF_CGROUP_RECORDS in bpf/cgroup_iter.bpf.h), stamped
// with the walk's generation. The agent hands the slots out: one per tracked cgroup, found by
// the probe through its id in the walked hierarchy. A walk then costs one read() and, per
// cgroup, one hash lookup in the kernel; reading its records costs no system call at all.

#include <bpf/bpf.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "bpf/link.h"
#include "bpf/skeleton.h"

namespace vnf::bpf {

// Attaches `program` to walk the hierarchy mounted at `root`, parents before children.
// Throws ProbeError naming `probe`.
Link attach_cgroup_iterator(bpf_program *program, const std::filesystem::path &root, const std::string &probe);
// One walk by `link`'s program, which writes nothing to its output. Throws std::system_error.
void run_cgroup_iterator(const Link &link, const std::string &probe);

// A BPF array map (BPF_F_MMAPABLE) mapped read-only into this process, unmapped with its owner.
class MappedArray {
 public:
  MappedArray() = default;
  // Maps `bytes` of the array `fd`. Throws ProbeError naming `probe`.
  MappedArray(int fd, std::size_t bytes, const std::string &probe);
  ~MappedArray();
  MappedArray(MappedArray &&other) noexcept;
  MappedArray &operator=(MappedArray &&other) noexcept;

  const unsigned char *data() const { return static_cast<const unsigned char *>(address_); }

 private:
  void *address_ = nullptr;
  std::size_t bytes_ = 0;
};

// Slots of an array handed out to keys: a freed slot is handed out again first.
class SlotTable {
 public:
  explicit SlotTable(std::uint32_t capacity) : capacity_(capacity) {}
  // A free slot, taken; false if every one is taken.
  bool take(std::uint32_t &slot);
  void give_back(std::uint32_t slot) { free_.push_back(slot); }
  std::uint32_t capacity() const { return capacity_; }

 private:
  std::uint32_t capacity_;
  std::uint32_t never_used_ = 0;  // slots from here on were never handed out
  std::vector<std::uint32_t> free_;
};

// A loaded and attached iterator probe whose skeleton `Skel` has one program, an array of
// `Record` (which ends in its generation) and the `record_slots` hash that leads to it.
template <typename Skel, typename Record>
class CgroupIterator {
 public:
  struct Parts {
    bpf_map *(*records)(Skel &);
    bpf_map *(*slots)(Skel &);
    bpf_program *(*program)(Skel &);
  };

  // Loads the probe with room for `max_cgroups` tracked cgroups and attaches it to the
  // hierarchy at `root`. Throws ProbeError.
  CgroupIterator(const std::string &probe, Parts parts, const std::filesystem::path &root, std::uint32_t max_cgroups)
      : probe_(probe), skel_(probe), table_(max_cgroups) {
    static_assert(sizeof(Record) % 8 == 0, "the kernel lays array values out 8-byte aligned");
    bpf_map *records = parts.records(*skel_.operator->());
    bpf_map *slots = parts.slots(*skel_.operator->());
    skel_.resize(records, max_cgroups);
    skel_.resize(slots, max_cgroups);
    skel_.load();
    slots_fd_ = bpf_map__fd(slots);
    records_ = MappedArray(bpf_map__fd(records), std::size_t{max_cgroups} * sizeof(Record), probe);
    link_ = attach_cgroup_iterator(parts.program(*skel_.operator->()), root, probe);
  }

  // From the next walk on, records the cgroup whose id in the walked hierarchy is `walked_id`
  // under `key`. False if every slot is taken.
  bool track(std::uint64_t key, std::uint64_t walked_id) {
    if (tracked_.count(key)) return true;
    std::uint32_t slot;
    if (!table_.take(slot)) return false;
    if (bpf_map_update_elem(slots_fd_, &walked_id, &slot, BPF_ANY) != 0) {
      table_.give_back(slot);
      return false;
    }
    tracked_.emplace(key, Tracked{walked_id, slot});
    return true;
  }
  bool tracks(std::uint64_t key) const { return tracked_.count(key) != 0; }
  // Stops recording the cgroups whose key `keep(key)` is false for; their slots are free again.
  template <typename Keep>
  void retain(Keep keep) {
    for (auto it = tracked_.begin(); it != tracked_.end();) {
      if (keep(it->first)) {
        ++it;
        continue;
      }
      bpf_map_delete_elem(slots_fd_, &it->second.walked_id);
      table_.give_back(it->second.slot);
      it = tracked_.erase(it);
    }
  }

  // One walk; its records become the current ones. Throws std::system_error.
  void walk() {
    skel_->bss->walk_generation = ++generation_;  // .bss is mapped into this process
    run_cgroup_iterator(link_, probe_);
  }
  // The record the last walk wrote for the cgroup tracked under `key`; null if it wrote none
  // (not seen: removed, or not in the walked hierarchy; or not recorded by the probe's choice).
  const Record *find(std::uint64_t key) const {
    auto it = tracked_.find(key);
    if (it == tracked_.end()) return nullptr;
    const auto *record = reinterpret_cast<const Record *>(records_.data() + std::size_t{it->second.slot} * sizeof(Record));
    return record->generation == generation_ ? record : nullptr;
  }

  std::size_t size() const { return tracked_.size(); }
  std::uint32_t capacity() const { return table_.capacity(); }

 private:
  struct Tracked {
    std::uint64_t walked_id;
    std::uint32_t slot;
  };

  std::string probe_;
  Skeleton<Skel> skel_;
  SlotTable table_;
  int slots_fd_ = -1;  // owned by the skeleton
  MappedArray records_;
  Link link_;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::uint64_t, Tracked> tracked_;  // by key
};

}  // namespace vnf::bpf
