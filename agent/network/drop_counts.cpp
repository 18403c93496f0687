#include "network/drop_counts.h"

#include <bpf/bpf.h>

#include "bpf/per_cpu.h"

namespace vnf::network {

DropCounts::DropCounts(const NetProbe &probe, std::unordered_map<std::uint64_t, std::string> reason_names)
    : probe_(probe), reason_names_(std::move(reason_names)), ncpus_(bpf::possible_cpus()), reader_(probe.netns_drops()) {}

void DropCounts::read() {
  drops_.clear();
  entries_ = 0;
  reader_.for_each_key([&](const void *key, const void *value) {
    const auto *k = static_cast<const vnf_drop_key *>(key);
    drops_[k->netns_inode][k->reason] += bpf::sum_per_cpu<std::uint64_t>(value, ncpus_);
    ++entries_;
  });
}

std::map<std::string, std::uint64_t> DropCounts::drops_in(std::uint64_t netns) {
  used_.insert(netns);
  std::map<std::string, std::uint64_t> named;
  auto it = drops_.find(netns);
  if (it == drops_.end()) return named;
  for (const auto &[reason, n] : it->second) {
    auto name = reason_names_.find(reason);
    named[name != reason_names_.end() ? name->second : "reason_" + std::to_string(reason)] += n;
  }
  return named;
}

void DropCounts::sweep() {
  std::unordered_set<std::uint64_t> now_idle;
  for (const auto &[netns, reasons] : drops_) {
    if (used_.count(netns)) continue;
    if (!idle_.count(netns)) {
      now_idle.insert(netns);
      continue;
    }
    for (const auto &[reason, n] : reasons) {
      vnf_drop_key key{netns, reason};
      bpf_map_delete_elem(reader_.fd(), &key);
    }
  }
  idle_ = std::move(now_idle);
  used_.clear();
}

void DropCounts::report(collector::Health &health) const {
  health.maps.push_back({"netns_drops", entries_, reader_.capacity(), probe_.overflow(VNF_OVERFLOW_NETNS_DROPS)});
  health.programs = probe_.program_stats();
}

}  // namespace vnf::network
