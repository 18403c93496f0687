#include "metrics/network_metrics.h"

namespace vnf::metrics {
namespace {

double growth(std::uint64_t now, std::uint64_t before) {
  return static_cast<double>(now >= before ? now - before : now);
}

}  // namespace

NetworkMetrics::NetworkMetrics(Registry &registry)
    : rx_packets_(registry.counter("vnf_network_receive_packets_total",
                                   "Packets the VNF's interfaces received, forwarded traffic included.")),
      rx_bytes_(registry.counter("vnf_network_receive_bytes_total",
                                 "Bytes the VNF's interfaces received, forwarded traffic included.")),
      tx_packets_(registry.counter("vnf_network_transmit_packets_total",
                                   "Packets the VNF's interfaces sent, forwarded traffic included.")),
      tx_bytes_(registry.counter("vnf_network_transmit_bytes_total",
                                 "Bytes the VNF's interfaces sent, forwarded traffic included.")),
      drops_(registry.counter("vnf_network_drops_total",
                              "Packets dropped in the VNF's network namespace, by kernel drop reason.")),
      series_(
          [this](const prometheus::Labels &labels) {
            return Series{&rx_packets_.Add(labels), &rx_bytes_.Add(labels), &tx_packets_.Add(labels),
                          &tx_bytes_.Add(labels), labels, {}};
          },
          [this](const Series &s) {
            rx_packets_.Remove(s.rx_packets);
            rx_bytes_.Remove(s.rx_bytes);
            tx_packets_.Remove(s.tx_packets);
            tx_bytes_.Remove(s.tx_bytes);
            for (const auto &[reason, counter] : s.drops) drops_.Remove(counter);
          }) {}

void NetworkMetrics::update(const std::vector<discover::TrackedVnf> &vnfs, const collect::NetworkByCgroup &network) {
  std::unordered_map<std::uint64_t, collect::NetworkUsage> seen;
  for (const auto &vnf : vnfs) {
    auto it = network.find(vnf.cgroup_id);
    if (it == network.end()) continue;
    const auto &now = it->second;
    collect::NetworkUsage before;
    if (auto last = last_.find(vnf.cgroup_id); last != last_.end() && last->second.netns_inode == now.netns_inode)
      before = last->second;  // a new namespace counts from zero

    auto &s = series_.touch(vnf.identity);
    s.rx_packets->Increment(growth(now.traffic.rx_packets, before.traffic.rx_packets));
    s.rx_bytes->Increment(growth(now.traffic.rx_bytes, before.traffic.rx_bytes));
    s.tx_packets->Increment(growth(now.traffic.tx_packets, before.traffic.tx_packets));
    s.tx_bytes->Increment(growth(now.traffic.tx_bytes, before.traffic.tx_bytes));
    for (const auto &[reason, n] : now.drops) {
      auto &counter = s.drops[reason];
      if (!counter) {
        auto labels = s.labels;
        labels.emplace("reason", reason);
        counter = &drops_.Add(labels);
      }
      auto b = before.drops.find(reason);
      counter->Increment(growth(n, b == before.drops.end() ? 0 : b->second));
    }
    seen.emplace(vnf.cgroup_id, now);
  }
  series_.sweep();
  last_ = std::move(seen);
}

}  // namespace vnf::metrics
