#include "metrics/network_metrics.h"

#include "metrics/text_exposition.h"

namespace vnf::metrics {
namespace {

using prometheus::MetricType;

const FamilyInfo kRxPackets{"vnf_network_receive_packets_total",
                            "Packets the VNF's interfaces received, forwarded traffic included.", MetricType::Counter};
const FamilyInfo kRxBytes{"vnf_network_receive_bytes_total",
                          "Bytes the VNF's interfaces received, forwarded traffic included.", MetricType::Counter};
const FamilyInfo kTxPackets{"vnf_network_transmit_packets_total",
                            "Packets the VNF's interfaces sent, forwarded traffic included.", MetricType::Counter};
const FamilyInfo kTxBytes{"vnf_network_transmit_bytes_total",
                          "Bytes the VNF's interfaces sent, forwarded traffic included.", MetricType::Counter};
const FamilyInfo kDrops{"vnf_network_drops_total",
                        "Packets dropped in the VNF's network namespace, by kernel drop reason.", MetricType::Counter};

std::uint64_t growth(std::uint64_t now, std::uint64_t before) { return now >= before ? now - before : now; }

}  // namespace

NetworkMetrics::NetworkMetrics(Registry &registry) : registry_(registry) {
  registry.add_writer({kRxPackets, kRxBytes, kTxPackets, kTxBytes, kDrops}, *this);
}

NetworkMetrics::~NetworkMetrics() { registry_.remove_writer(*this); }

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
    s.traffic.rx_packets += growth(now.traffic.rx_packets, before.traffic.rx_packets);
    s.traffic.rx_bytes += growth(now.traffic.rx_bytes, before.traffic.rx_bytes);
    s.traffic.tx_packets += growth(now.traffic.tx_packets, before.traffic.tx_packets);
    s.traffic.tx_bytes += growth(now.traffic.tx_bytes, before.traffic.tx_bytes);
    for (const auto &[reason, n] : now.drops) {
      std::string label;
      append_label(label, "reason", reason);
      auto b = before.drops.find(reason);
      s.drops[label] += growth(n, b == before.drops.end() ? 0 : b->second);
    }
    seen.emplace(vnf.cgroup_id, now);
  }
  series_.sweep();
  last_ = std::move(seen);
}

void NetworkMetrics::write(std::string &out) const {
  series_.write_values(out, kRxPackets, [](const Series &s) { return s.traffic.rx_packets; });
  series_.write_values(out, kRxBytes, [](const Series &s) { return s.traffic.rx_bytes; });
  series_.write_values(out, kTxPackets, [](const Series &s) { return s.traffic.tx_packets; });
  series_.write_values(out, kTxBytes, [](const Series &s) { return s.traffic.tx_bytes; });
  series_.write_family(out, kDrops, [](std::string &o, std::string_view labels, const Series &s) {
    for (const auto &[reason, n] : s.drops) write_sample(o, kDrops.name, "", labels, reason, n);
  });
}

}  // namespace vnf::metrics
