#include "network/network_metrics.h"

#include <unordered_set>

#include "metrics/text_exposition.h"

namespace vnf::network {
namespace {

using metrics::FamilyInfo;
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

}  // namespace

NetworkMetrics::NetworkMetrics(metrics::Registry &registry)
    : registration_(registry, {kRxPackets, kRxBytes, kTxPackets, kTxBytes, kDrops}, *this) {}

void NetworkMetrics::update(const std::vector<discover::TrackedVnf> &vnfs, const NetworkByCgroup &network) {
  std::unordered_set<std::uint64_t> unread;  // no task at the moment, or it vanished
  for (const auto &vnf : vnfs) {
    auto it = network.find(vnf.cgroup_id);
    if (it == network.end()) {
      unread.insert(vnf.cgroup_id);
      traffic_.keep(vnf.cgroup_id);
      continue;
    }
    const auto &now = it->second;
    const auto &t = now.traffic;
    const auto growth = traffic_.advance(vnf.cgroup_id, {t.rx_packets, t.rx_bytes, t.tx_packets, t.tx_bytes}, now.netns_inode);
    auto &s = series_.touch(vnf.identity);
    s.traffic.rx_packets += growth[0];
    s.traffic.rx_bytes += growth[1];
    s.traffic.tx_packets += growth[2];
    s.traffic.tx_bytes += growth[3];
    for (const auto &[reason, n] : now.drops) {
      std::string label;
      metrics::append_label(label, "reason", reason);
      s.drops[label] += drops_.advance({vnf.cgroup_id, reason}, n, now.netns_inode);
    }
  }
  if (!unread.empty()) drops_.keep_if([&](const DropKey &key) { return unread.count(key.first) > 0; });
  series_.sweep();
  traffic_.sweep();
  drops_.sweep();
}

void NetworkMetrics::write(std::string &out) const {
  series_.write_values(out, kRxPackets, [](const Series &s) { return s.traffic.rx_packets; });
  series_.write_values(out, kRxBytes, [](const Series &s) { return s.traffic.rx_bytes; });
  series_.write_values(out, kTxPackets, [](const Series &s) { return s.traffic.tx_packets; });
  series_.write_values(out, kTxBytes, [](const Series &s) { return s.traffic.tx_bytes; });
  series_.write_family(out, kDrops, [](std::string &o, std::string_view labels, const Series &s) {
    for (const auto &[reason, n] : s.drops) metrics::write_sample(o, kDrops.name, "", labels, reason, n);
  });
}

}  // namespace vnf::network
