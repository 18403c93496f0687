#include "collect/network_source.h"

#include <bpf/bpf.h>
#include <spdlog/spdlog.h>
#include <signal.h>
#include <sys/stat.h>

#include <charconv>
#include <cstring>
#include <sstream>

#include "collect/bpf_map_reader.h"
#include "collect/cgroupfs_files.h"

namespace vnf::collect {
namespace {

std::optional<std::uint64_t> inode_of(const std::string &path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return std::nullopt;
  return st.st_ino;
}

NetworkTraffic sum_cpus(const vnf_traffic *per_cpu, int ncpus) {
  NetworkTraffic t;
  for (int cpu = 0; cpu < ncpus; ++cpu) {
    t.rx_packets += per_cpu[cpu].rx_packets;
    t.rx_bytes += per_cpu[cpu].rx_bytes;
    t.tx_packets += per_cpu[cpu].tx_packets;
    t.tx_bytes += per_cpu[cpu].tx_bytes;
  }
  return t;
}

}  // namespace

std::optional<NetworkTraffic> parse_net_dev(std::string_view content) {
  NetworkTraffic total;
  std::istringstream lines{std::string(content)};
  std::string line;
  int header = 0;
  while (std::getline(lines, line)) {
    if (header < 2) {  // two header lines
      ++header;
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string::npos) return std::nullopt;
    std::istringstream fields(line.substr(colon + 1));
    std::uint64_t v[16];
    for (auto &x : v)
      if (!(fields >> x)) return std::nullopt;
    total.rx_bytes += v[0];
    total.rx_packets += v[1];
    total.tx_bytes += v[8];
    total.tx_packets += v[9];
  }
  if (header < 2) return std::nullopt;
  return total;
}

NetworkSource::NetworkSource(const discover::CgroupLayout &layout, probes::NetProbe *probe)
    : layout_(layout), probe_(probe), exits_(cgroup_file_budget() / 2) {
  // The probe's value when there is one: the agent and its programs must skip the same namespace.
  host_netns_ = probe_ ? probe_->host_netns_inode() : inode_of("/proc/self/ns/net").value_or(0);
  if (probe_) {
    ncpus_ = possible_cpus();
    reason_names_ = probes::load_drop_reason_names();
  }
}

std::optional<std::uint64_t> NetworkSource::member_pid(const discover::CgroupNode &node) {
  int error = 0;
  auto path = layout_.cpu_root / node.path.substr(1) / "cgroup.procs";
  if (read_cgroup_file(path, content_, error) != FileRead::ok) return std::nullopt;
  auto eol = content_.find('\n');
  return parse_single_value(std::string_view(content_).substr(0, eol));
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> NetworkSource::namespace_of(const discover::CgroupNode &node) {
  constexpr auto kTrustFor = std::chrono::seconds(5);
  const auto now = std::chrono::steady_clock::now();
  if (auto it = namespaces_.find(node.id); it != namespaces_.end()) {
    const auto &known = it->second;
    if (known.watched || (now - known.checked < kTrustFor && kill(static_cast<pid_t>(known.pid), 0) == 0))
      return std::pair{known.pid, known.netns_inode};
    namespaces_.erase(it);
  }
  auto pid = member_pid(node);
  if (!pid) return std::nullopt;  // no task, so no namespace to speak of
  // Watched before its namespace is read, so that the pid cannot have been reused in between.
  const bool watched = exits_.watch(node.id, static_cast<pid_t>(*pid));
  auto netns = inode_of("/proc/" + std::to_string(*pid) + "/ns/net");
  if (!netns) {  // the task just exited
    exits_.forget(node.id);
    return std::nullopt;
  }
  namespaces_[node.id] = {*pid, *netns, now, watched};
  return std::pair{*pid, *netns};
}

std::optional<std::uint64_t> NetworkSource::unified_cgroup_id(const discover::CgroupNode &node) {
  if (layout_.cpu == discover::CpuAccounting::v2) return node.id;
  if (layout_.unified_root.empty()) return std::nullopt;
  if (auto it = unified_ids_.find(node.id); it != unified_ids_.end()) return it->second;
  auto id = inode_of((layout_.unified_root / node.path.substr(1)).string());
  if (id) unified_ids_.emplace(node.id, *id);  // ids never change while a cgroup lives
  return id;
}

void NetworkSource::read_bpf_maps() {
  netns_traffic_.clear();
  netns_drops_.clear();
  cgroup_traffic_.clear();
  const std::size_t traffic_bytes = sizeof(vnf_traffic) * static_cast<std::size_t>(ncpus_);
  BpfMapReader(probe_->netns_traffic_fd(), traffic_bytes).for_each([&](std::uint64_t inode, const void *value) {
    netns_traffic_[inode] = sum_cpus(static_cast<const vnf_traffic *>(value), ncpus_);
  });
  BpfMapReader(probe_->cgroup_traffic_fd(), traffic_bytes).for_each([&](std::uint64_t id, const void *value) {
    cgroup_traffic_[id] = sum_cpus(static_cast<const vnf_traffic *>(value), ncpus_);
  });
  drop_entries_ = 0;
  BpfMapReader(probe_->netns_drops_fd(), sizeof(std::uint64_t) * static_cast<std::size_t>(ncpus_), sizeof(vnf_drop_key))
      .for_each_key([&](const void *key, const void *value) {
        const auto *k = static_cast<const vnf_drop_key *>(key);
        const auto *per_cpu = static_cast<const std::uint64_t *>(value);
        std::uint64_t n = 0;
        for (int cpu = 0; cpu < ncpus_; ++cpu) n += per_cpu[cpu];
        netns_drops_[k->netns_inode][k->reason] += n;
        ++drop_entries_;
      });
}

void NetworkSource::collect_garbage(const std::unordered_set<std::uint64_t> &used_netns,
                                    const HostNetworkCgroups &used_cgroups) {
  std::unordered_set<std::uint64_t> idle_netns, idle_cgroups;
  for (const auto &[inode, traffic] : netns_traffic_) {
    if (used_netns.count(inode)) continue;
    if (idle_netns_.count(inode)) bpf_map_delete_elem(probe_->netns_traffic_fd(), &inode);
    else idle_netns.insert(inode);
  }
  for (const auto &[inode, reasons] : netns_drops_) {
    if (used_netns.count(inode) || !idle_netns_.count(inode)) continue;
    for (const auto &[reason, n] : reasons) {
      vnf_drop_key key{inode, reason};
      bpf_map_delete_elem(probe_->netns_drops_fd(), &key);
    }
  }
  for (const auto &[id, traffic] : cgroup_traffic_) {
    if (used_cgroups.count(id)) continue;
    if (idle_cgroups_.count(id)) bpf_map_delete_elem(probe_->cgroup_traffic_fd(), &id);
    else idle_cgroups.insert(id);
  }
  idle_netns_ = std::move(idle_netns);
  idle_cgroups_ = std::move(idle_cgroups);
}

NetworkByCgroup NetworkSource::read(const discover::CgroupTree &tree, const std::vector<std::size_t> &tracked) {
  NetworkByCgroup result;
  for (auto id : exits_.take_exited()) namespaces_.erase(id);
  if (probe_) read_bpf_maps();
  std::unordered_set<std::uint64_t> used_netns;
  HostNetworkCgroups host_network;

  std::unordered_set<std::uint64_t> live;
  for (std::size_t index : tracked) {
    const auto &node = tree.nodes()[index];
    live.insert(node.id);
    auto found = namespace_of(node);
    if (!found) continue;
    const auto [pid, netns] = *found;
    NetworkUsage usage;
    usage.netns_inode = netns;

    if (!probe_) {
      if (netns == host_netns_) continue;  // the host's interfaces are not this VNF's
      int error = 0;
      auto file = "/proc/" + std::to_string(pid) + "/net/dev";
      if (read_cgroup_file(file, content_, error) != FileRead::ok) continue;
      auto traffic = parse_net_dev(content_);
      if (!traffic) {
        ++read_errors_;
        spdlog::debug("network: unexpected content in {}", file);
        continue;
      }
      usage.traffic = *traffic;
    } else if (netns == host_netns_) {
      auto id = unified_cgroup_id(node);
      if (!id || !probe_->socket_counting()) continue;
      host_network.emplace(*id, node.path);
      if (auto it = cgroup_traffic_.find(*id); it != cgroup_traffic_.end()) usage.traffic = it->second;
    } else {
      used_netns.insert(netns);
      if (auto it = netns_traffic_.find(netns); it != netns_traffic_.end()) usage.traffic = it->second;
      if (auto it = netns_drops_.find(netns); it != netns_drops_.end()) {
        for (const auto &[reason, n] : it->second) {
          auto name = reason_names_.find(reason);
          usage.drops[name != reason_names_.end() ? name->second : "reason_" + std::to_string(reason)] += n;
        }
      }
    }
    result.emplace(node.id, std::move(usage));
  }
  if (probe_) {
    probe_->count_sockets_of(host_network);
    collect_garbage(used_netns, host_network);
  }
  std::erase_if(namespaces_, [&](const auto &entry) {
    if (live.count(entry.first)) return false;
    exits_.forget(entry.first);
    return true;
  });
  std::erase_if(unified_ids_, [&](const auto &entry) { return !live.count(entry.first); });
  return result;
}

std::vector<std::pair<std::string, BpfMapStats>> NetworkSource::map_stats() const {
  if (!probe_) return {};
  const int overflow = probe_->overflow_fd();
  return {
      {"netns_traffic", {netns_traffic_.size(), probe_->capacity(probe_->netns_traffic_fd()),
                         read_percpu_counter(overflow, VNF_OVERFLOW_NETNS_TRAFFIC)}},
      {"netns_drops", {drop_entries_, probe_->capacity(probe_->netns_drops_fd()),
                       read_percpu_counter(overflow, VNF_OVERFLOW_NETNS_DROPS)}},
      {"cgroup_traffic", {cgroup_traffic_.size(), probe_->capacity(probe_->cgroup_traffic_fd()),
                          read_percpu_counter(overflow, VNF_OVERFLOW_CGROUP_TRAFFIC)}},
  };
}

}  // namespace vnf::collect
