#include "network/network_collector.h"

#include <algorithm>
#include <thread>
#include <unordered_set>

#include "network/netns_owners.h"

namespace vnf::network {

NetworkCollector::NetworkCollector(Options options, std::unique_ptr<NetProbe> probe, metrics::Registry &registry)
    : host_netns_(options.host_netns_inode),
      // Pidfds get half the budget that memory.stat files may fill (cgroupfs/cgroup_files.h),
      // the namespaces' files a quarter: there are never more of them than of pidfds.
      membership_(options.cgroup_root, cgroupfs::cgroup_file_budget() / 2),
      devices_(cgroupfs::cgroup_file_budget() / 4, std::min(4u, std::thread::hardware_concurrency())),
      probe_(std::move(probe)),
      metrics_(registry) {
  if (!probe_) return;
  drops_.emplace(*probe_, std::move(options.drop_reasons));
  sockets_.emplace(*probe_, host_netns_, options.unified_root, options.cpu_on_v2);
}

void NetworkCollector::follow_locked(const discover::DiscoverySnapshot &snapshot, const std::vector<Member> &members) {
  if (sockets_) sockets_->follow(snapshot, members);
  std::unordered_set<std::uint64_t> live;
  for (const auto &m : members) live.insert(m.netns_inode);
  devices_.retain(live);
}

void NetworkCollector::on_discovery(const discover::DiscoverySnapshot &snapshot) {
  std::lock_guard lock(mutex_);
  membership_.on_discovery(snapshot);
  if (drops_) drops_->sweep();
}

void NetworkCollector::on_walk(const discover::DiscoverySnapshot &snapshot) {
  std::lock_guard lock(mutex_);
  membership_.on_discovery(snapshot);
  follow_locked(snapshot, membership_.refresh(snapshot));
}

NetworkByCgroup NetworkCollector::read_locked(const std::vector<Member> &members) {
  const auto owners = namespace_owners(members);
  std::unordered_map<std::uint64_t, std::uint64_t> pids;  // netns -> a task in it
  for (const auto &[netns, owner] : owners)
    if (netns != host_netns_) pids.emplace(netns, members[owner].pid);
  auto interfaces = devices_.read(pids);
  if (drops_) drops_->read();
  if (sockets_) sockets_->read();

  NetworkByCgroup network;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const auto &m = members[i];
    NetworkUsage usage;
    usage.netns_inode = m.netns_inode;
    if (m.netns_inode == host_netns_) {
      if (!sockets_ || !(usage.sockets = sockets_->traffic_of(m))) continue;  // not counted, so not read
    } else if (owners.at(m.netns_inode) == i) {
      auto it = interfaces.find(m.netns_inode);
      if (it == interfaces.end()) continue;  // unreadable now: its series stay as they are
      usage.interfaces = std::move(it->second);
      if (drops_) usage.drops = drops_->drops_in(m.netns_inode);
    }  // else another VNF exports the namespace: this one has no network series
    network.emplace(m.cgroup->id, std::move(usage));
  }
  return network;
}

void NetworkCollector::update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) {
  std::lock_guard lock(mutex_);
  const auto &members = membership_.refresh(snapshot);
  follow_locked(snapshot, members);
  const auto network = read_locked(members);
  metrics_.update(snapshot.vnfs, network);
  for (const auto &[id, n] : network) {
    if (n.interfaces.empty() && !n.sockets) continue;  // shares a namespace another VNF exports
    std::uint64_t rx = n.sockets ? n.sockets->rx_packets : 0, tx = n.sockets ? n.sockets->tx_packets : 0;
    for (const auto &i : n.interfaces) {
      rx += i.rx_packets;
      tx += i.tx_packets;
    }
    auto &r = readings[id];
    r.rx_packets = static_cast<double>(rx);
    r.tx_packets = static_cast<double>(tx);
  }
}

collector::Health NetworkCollector::health() const {
  std::lock_guard lock(mutex_);
  collector::Health health;
  if (drops_) drops_->report(health);
  if (sockets_) sockets_->report(health);
  health.descriptors.emplace_back("pidfd", membership_.pidfds());
  health.descriptors.emplace_back("net_dev", devices_.held());
  health.unreadable_files = devices_.unreadable();
  return health;
}

}  // namespace vnf::network
