#include "network/bpf_network.h"

#include <bpf/bpf.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

#include "bpf/per_cpu.h"

namespace vnf::network {
namespace {

NetworkTraffic traffic_of(const void *per_cpu, int ncpus) {
  const auto t = bpf::sum_per_cpu<vnf_traffic>(per_cpu, ncpus);
  return {t.rx_packets, t.rx_bytes, t.tx_packets, t.tx_bytes};
}

// Deletes, with `erase`, the keys no VNF used now nor at the last sweep; `idle` becomes the
// keys unused for the first time.
template <typename Keys, typename Erase>
void sweep(const Keys &keys, const std::unordered_set<std::uint64_t> &used, std::unordered_set<std::uint64_t> &idle,
           Erase erase) {
  std::unordered_set<std::uint64_t> now_idle;
  for (auto key : keys) {
    if (used.count(key)) continue;
    if (idle.count(key)) erase(key);
    else now_idle.insert(key);
  }
  idle = std::move(now_idle);
}

}  // namespace

BpfNetwork::BpfNetwork(std::unique_ptr<NetProbe> probe, std::unordered_map<std::uint64_t, std::string> reason_names,
                       std::uint64_t host_netns_inode, const std::filesystem::path &unified_root, bool cpu_on_v2)
    : probe_(std::move(probe)),
      reason_names_(std::move(reason_names)),
      host_netns_(host_netns_inode),
      unified_root_(unified_root),
      unified_ids_(unified_root, cpu_on_v2),
      ncpus_(bpf::possible_cpus()),
      netns_traffic_reader_(probe_->netns_traffic()),
      netns_drops_reader_(probe_->netns_drops()),
      cgroup_traffic_reader_(probe_->cgroup_traffic()) {}

void BpfNetwork::follow(const std::vector<Member> &members) {
  std::unordered_map<std::uint64_t, std::string_view> host_network;  // v2 id -> path
  for (const auto &m : members) {
    if (m.netns_inode != host_netns_) {
      used_netns_.insert(m.netns_inode);
      continue;
    }
    if (!probe_->socket_counting()) continue;
    if (auto id = unified_ids_.id_of(*m.cgroup)) host_network.emplace(*id, m.cgroup->path);
  }
  for (auto id : probe_->socket_cgroups())
    if (!host_network.count(id)) probe_->stop_counting_sockets_of(id);
  for (const auto &[id, path] : host_network) {
    used_cgroups_.insert(id);
    if (probe_->counts_sockets_of(id)) continue;
    const auto dir = cgroupfs::cgroup_dir(unified_root_, path);
    if (!probe_->count_sockets_of(id, dir))  // tried again at the next scrape
      spdlog::debug("network: cannot count the sockets of {}: {}", dir.string(), std::strerror(errno));
  }
}

void BpfNetwork::read_maps() {
  netns_traffic_.clear();
  netns_drops_.clear();
  cgroup_traffic_.clear();
  netns_traffic_reader_.for_each(
      [&](std::uint64_t inode, const void *value) { netns_traffic_[inode] = traffic_of(value, ncpus_); });
  cgroup_traffic_reader_.for_each(
      [&](std::uint64_t id, const void *value) { cgroup_traffic_[id] = traffic_of(value, ncpus_); });
  drop_entries_ = 0;
  netns_drops_reader_.for_each_key([&](const void *key, const void *value) {
    const auto *k = static_cast<const vnf_drop_key *>(key);
    netns_drops_[k->netns_inode][k->reason] += bpf::sum_per_cpu<std::uint64_t>(value, ncpus_);
    ++drop_entries_;
  });
}

void BpfNetwork::add_drops(std::uint64_t netns, NetworkUsage &usage) const {
  auto it = netns_drops_.find(netns);
  if (it == netns_drops_.end()) return;
  for (const auto &[reason, n] : it->second) {
    auto name = reason_names_.find(reason);
    usage.drops[name != reason_names_.end() ? name->second : "reason_" + std::to_string(reason)] += n;
  }
}

NetworkByCgroup BpfNetwork::read(const std::vector<Member> &members) {
  read_maps();
  NetworkByCgroup result;
  for (const auto &m : members) {
    NetworkUsage usage;
    usage.netns_inode = m.netns_inode;
    if (m.netns_inode == host_netns_) {
      auto id = probe_->socket_counting() ? unified_ids_.id_of(*m.cgroup) : std::nullopt;
      if (!id) continue;
      if (auto it = cgroup_traffic_.find(*id); it != cgroup_traffic_.end()) usage.traffic = it->second;
    } else {
      if (auto it = netns_traffic_.find(m.netns_inode); it != netns_traffic_.end()) usage.traffic = it->second;
      add_drops(m.netns_inode, usage);
    }
    result.emplace(m.cgroup->id, std::move(usage));
  }
  return result;
}

void BpfNetwork::on_discovery(const discover::DiscoverySnapshot &snapshot) {
  std::unordered_set<std::uint64_t> namespaces, cgroups;
  for (const auto &[inode, traffic] : netns_traffic_) namespaces.insert(inode);
  for (const auto &[inode, drops] : netns_drops_) namespaces.insert(inode);
  for (const auto &[id, traffic] : cgroup_traffic_) cgroups.insert(id);
  sweep(namespaces, used_netns_, idle_netns_, [&](std::uint64_t inode) {
    bpf_map_delete_elem(netns_traffic_reader_.fd(), &inode);
    if (auto drops = netns_drops_.find(inode); drops != netns_drops_.end())
      for (const auto &[reason, n] : drops->second) {
        vnf_drop_key key{inode, reason};
        bpf_map_delete_elem(netns_drops_reader_.fd(), &key);
      }
  });
  sweep(cgroups, used_cgroups_, idle_cgroups_, [&](std::uint64_t id) { bpf_map_delete_elem(cgroup_traffic_reader_.fd(), &id); });
  used_netns_.clear();
  used_cgroups_.clear();
  unified_ids_.retain(snapshot.tree, snapshot.tracked);
}

void BpfNetwork::report(collector::Health &health) const {
  health.maps.push_back({"netns_traffic", netns_traffic_.size(), netns_traffic_reader_.capacity(),
                         probe_->overflow(VNF_OVERFLOW_NETNS_TRAFFIC)});
  health.maps.push_back({"netns_drops", drop_entries_, netns_drops_reader_.capacity(),
                         probe_->overflow(VNF_OVERFLOW_NETNS_DROPS)});
  health.maps.push_back({"cgroup_traffic", cgroup_traffic_.size(), cgroup_traffic_reader_.capacity(),
                         probe_->overflow(VNF_OVERFLOW_CGROUP_TRAFFIC)});
  health.programs = probe_->program_stats();
}

}  // namespace vnf::network
