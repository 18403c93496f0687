#include "network/network_collector.h"

#include <algorithm>
#include <thread>
#include <unordered_set>
#include <utility>

#include "network/netns_owners.h"

namespace vnf::network {

NetworkCollector::NetworkCollector(Options options, std::unique_ptr<NetProbe> probe, metrics::Registry &registry)
    : host_netns_(options.host_netns_inode),
      // Pidfds get half the budget that memory.stat files may fill (cgroupfs/cgroup_files.h),
      // and so do the namespaces' files: a namespace is read through a watched member task, so
      // there are never more of them than of pidfds, and one not kept open costs an open, a
      // namespace check and a close at every scrape.
      membership_(options.cgroup_root, cgroupfs::cgroup_file_budget() / 2),
      devices_(cgroupfs::cgroup_file_budget() / 2, std::min(4u, std::thread::hardware_concurrency())),
      probe_(std::move(probe)),
      metrics_(registry) {
  if (!probe_) return;
  drops_.emplace(*probe_, std::move(options.drop_reasons));
  sockets_.emplace(*probe_, host_netns_, options.unified_root, options.cpu_on_v2);
}

void NetworkCollector::follow_locked(const discover::DiscoverySnapshot &snapshot, const std::vector<Member> &members) {
  // The watcher's snapshot may be newer than the one a scrape still works on: attachments
  // follow the newest only, or a stale snapshot would detach a VNF that just came.
  if (snapshot.generation < followed_generation_) return;
  followed_generation_ = snapshot.generation;
  if (sockets_) sockets_->follow(snapshot, members);
}

void NetworkCollector::on_discovery(const discover::DiscoverySnapshot &snapshot) {
  std::lock_guard lock(mutex_);
  membership_.on_discovery(snapshot);
  if (drops_) drops_->sweep();
}

void NetworkCollector::on_walk(const discover::DiscoverySnapshot &snapshot) {
  std::lock_guard lock(mutex_);
  if (snapshot.generation < followed_generation_) return;  // a scrape has followed a newer one
  membership_.on_discovery(snapshot);
  const auto &members = membership_.refresh(snapshot);
  follow_locked(snapshot, members);
  // A scrape reads only the namespaces of its members and closes the other files itself; this
  // closes them as soon as their last VNF has gone, which frees the namespaces.
  std::unordered_set<std::uint64_t> live;
  for (const auto &m : members) live.insert(m.netns_inode);
  devices_.retain(live);
}

void NetworkCollector::owners_locked(const discover::DiscoverySnapshot &snapshot, const std::vector<Member> &members) {
  const auto chosen = namespace_owners(members);
  // Which VNFs have a task, and which are tracked, matter only where the choice changed: built
  // then, not at every scrape.
  std::unordered_set<std::uint64_t> with_task, tracked;
  bool built = false;
  auto keeps_last = [&](std::uint64_t last) {
    if (!std::exchange(built, true)) {
      for (const auto &m : members) with_task.insert(m.cgroup->id);
      for (const auto &vnf : snapshot.vnfs) tracked.insert(vnf.cgroup_id);
    }
    return tracked.count(last) && !with_task.count(last);
  };
  std::erase_if(owners_, [&](const auto &owner) { return !chosen.count(owner.first); });
  for (const auto &[netns, index] : chosen) {
    if (netns == host_netns_) continue;
    const auto choice = members[index].cgroup->id;
    auto [owner, added] = owners_.try_emplace(netns, choice);
    if (!added && owner->second != choice && !keeps_last(owner->second)) owner->second = choice;
  }
}

NetworkByCgroup NetworkCollector::usage_locked(const std::vector<Member> &members) {
  NetworkByCgroup network;
  network.reserve(members.size());
  for (const auto &[netns, owner] : owners_) {
    const auto *interfaces = devices_.interfaces(netns);
    if (!interfaces) continue;  // unreadable now: the owner's series stay as they are
    NetworkUsage usage{netns, *interfaces, std::nullopt, {}};
    if (drops_) usage.drops = drops_->drops_in(netns);
    network.emplace(owner, std::move(usage));
  }
  for (const auto &m : members) {
    if (m.netns_inode == host_netns_) {
      NetworkUsage usage{m.netns_inode, {}, std::nullopt, {}};
      if (sockets_ && (usage.sockets = sockets_->traffic_of(m))) network.emplace(m.cgroup->id, std::move(usage));
    } else if (owners_.at(m.netns_inode) != m.cgroup->id) {  // another VNF exports the namespace
      network.emplace(m.cgroup->id, NetworkUsage{m.netns_inode, {}, std::nullopt, {}});
    }
  }
  return network;
}

void NetworkCollector::update(const discover::DiscoverySnapshot &snapshot, collector::ReadingsByCgroup &readings) {
  std::lock_guard lock(mutex_);
  const std::vector<Member> *members = nullptr;
  // The namespaces' tables are the kernel's work (formatting each one): while helper threads
  // read the files kept open, this thread finds which namespaces are wanted now and does the
  // scrape's own work. A namespace no longer wanted was read for nothing, and is let go.
  devices_.read([&] {
    members = &membership_.refresh(snapshot);
    follow_locked(snapshot, *members);
    owners_locked(snapshot, *members);
    if (drops_) drops_->read();
    if (sockets_) sockets_->read();
    NetnsTasks tasks;
    tasks.reserve(members->size());
    for (const auto &m : *members)
      if (m.netns_inode != host_netns_) tasks.try_emplace(m.netns_inode, m.pid);
    return tasks;
  });
  const auto network = usage_locked(*members);
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
