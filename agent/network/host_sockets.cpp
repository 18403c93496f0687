#include "network/host_sockets.h"

#include <bpf/bpf.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <unordered_set>

#include "bpf/per_cpu.h"

namespace vnf::network {

HostSockets::HostSockets(NetProbe &probe, std::uint64_t host_netns_inode, const std::filesystem::path &unified_root,
                         bool cpu_on_v2)
    : probe_(probe),
      host_netns_(host_netns_inode),
      unified_root_(unified_root),
      unified_ids_(unified_root, cpu_on_v2),
      ncpus_(bpf::possible_cpus()),
      traffic_reader_(probe.cgroup_traffic()) {}

void HostSockets::follow(const discover::DiscoverySnapshot &snapshot, const std::vector<Member> &members) {
  if (!probe_.socket_counting()) return;
  std::unordered_set<std::uint64_t> own_namespace;  // by cgroup id in the walked hierarchy
  for (const auto &m : members)
    if (m.netns_inode != host_netns_) own_namespace.insert(m.cgroup->id);
  std::unordered_map<std::uint64_t, std::string_view> wanted;  // v2 id -> path
  for (std::size_t index : snapshot.tracked) {
    const auto &node = snapshot.tree.nodes()[index];
    if (own_namespace.count(node.id)) continue;
    if (auto id = unified_ids_.id_of(node)) wanted.emplace(*id, node.path);
  }
  for (auto id : probe_.socket_cgroups()) {
    if (wanted.count(id)) continue;
    probe_.stop_counting_sockets_of(id);
    bpf_map_delete_elem(traffic_reader_.fd(), &id);  // no program adds to it any more
  }
  for (const auto &[id, path] : wanted) {
    if (probe_.counts_sockets_of(id)) continue;
    const auto dir = cgroupfs::cgroup_dir(unified_root_, path);
    if (!probe_.count_sockets_of(id, dir))  // tried again at the next walk or scrape
      spdlog::debug("network: cannot count the sockets of {}: {}", dir.string(), std::strerror(errno));
  }
  unified_ids_.retain(snapshot.tree, snapshot.tracked);
}

void HostSockets::read() {
  traffic_.clear();
  traffic_reader_.for_each([&](std::uint64_t id, const void *value) {
    const auto t = bpf::sum_per_cpu<vnf_traffic>(value, ncpus_);
    traffic_[id] = {t.rx_packets, t.rx_bytes, t.tx_packets, t.tx_bytes};
  });
  // Entries of cgroups no longer counted (a socket's last packets raced the detach) go; the
  // map never fills with them.
  for (auto it = traffic_.begin(); it != traffic_.end();) {
    if (probe_.counts_sockets_of(it->first)) {
      ++it;
      continue;
    }
    bpf_map_delete_elem(traffic_reader_.fd(), &it->first);
    it = traffic_.erase(it);
  }
}

std::optional<SocketTraffic> HostSockets::traffic_of(const Member &member) {
  auto id = unified_ids_.id_of(*member.cgroup);
  if (!id || !probe_.counts_sockets_of(*id)) return std::nullopt;
  auto it = traffic_.find(*id);
  return it == traffic_.end() ? SocketTraffic{} : it->second;
}

void HostSockets::report(collector::Health &health) const {
  health.maps.push_back({"cgroup_traffic", traffic_.size(), traffic_reader_.capacity(),
                         probe_.overflow(VNF_OVERFLOW_CGROUP_TRAFFIC)});
}

}  // namespace vnf::network
