#include "network/network_metrics.h"

#include <algorithm>

#include "discover/vnf_identity.h"
#include "metrics/text_exposition.h"

namespace vnf::network {
namespace {

using metrics::FamilyInfo;
using prometheus::MetricType;

// In NetworkMetrics::Field order.
const std::array<FamilyInfo, NetworkMetrics::kFields> kInterfaceFamilies{{
    {"vnf_network_receive_packets_total", "Packets the interface received, forwarded traffic included.", MetricType::Counter},
    {"vnf_network_receive_bytes_total", "Bytes the interface received, forwarded traffic included.", MetricType::Counter},
    {"vnf_network_receive_errors_total", "Receive errors the interface counted.", MetricType::Counter},
    {"vnf_network_receive_packets_dropped_total",
     "Packets the interface received but dropped (rx_dropped plus rx_missed_errors).", MetricType::Counter},
    {"vnf_network_transmit_packets_total", "Packets the interface sent, forwarded traffic included.", MetricType::Counter},
    {"vnf_network_transmit_bytes_total", "Bytes the interface sent, forwarded traffic included.", MetricType::Counter},
    {"vnf_network_transmit_errors_total", "Transmit errors the interface counted.", MetricType::Counter},
    {"vnf_network_transmit_packets_dropped_total", "Packets the interface dropped instead of sending.", MetricType::Counter},
}};
const FamilyInfo kDrops{"vnf_network_drops_total",
                        "Packets dropped in the VNF's network namespace, by kernel drop reason.", MetricType::Counter};

bool socket_field(NetworkMetrics::Field f) {
  return f == NetworkMetrics::kRxPackets || f == NetworkMetrics::kRxBytes || f == NetworkMetrics::kTxPackets ||
         f == NetworkMetrics::kTxBytes;
}

std::string interface_label(const std::string &name) {
  std::string label;
  metrics::append_label(label, "interface", discover::sanitize_label_value(name));
  return label;
}

std::vector<FamilyInfo> families() {
  std::vector<FamilyInfo> all(kInterfaceFamilies.begin(), kInterfaceFamilies.end());
  all.push_back(kDrops);
  return all;
}

}  // namespace

NetworkMetrics::NetworkMetrics(metrics::Registry &registry) : registration_(registry, families(), *this) {}

void NetworkMetrics::add(Series &series, std::uint64_t netns, const std::string &interface, const Counters &now,
                         bool device) {
  auto it = std::lower_bound(series.interfaces.begin(), series.interfaces.end(), interface,
                             [](const InterfaceTotals &t, const std::string &name) { return t.name < name; });
  if (it == series.interfaces.end() || it->name != interface)
    it = series.interfaces.insert(it, InterfaceTotals{interface, interface_label(interface), {}, {}, device, false});
  auto &totals = *it;
  const auto growth = totals.readings.advance(netns, now);
  for (std::size_t i = 0; i < kFields; ++i) totals.counters[i] += growth[i];
  totals.device = device;
  totals.seen = true;
}

void NetworkMetrics::keep(Series &series) {
  for (auto &totals : series.interfaces) {
    totals.seen = true;
    totals.readings.mark_all(true);
  }
  for (auto &[label, total] : series.drops) {
    total.seen = true;
    total.readings.mark_all(true);
  }
}

void NetworkMetrics::forget_unseen(Series &series) {
  std::erase_if(series.interfaces, [](const auto &i) { return !i.seen; });
  std::erase_if(series.drops, [](const auto &d) { return !d.second.seen; });
  for (auto &totals : series.interfaces) {
    totals.readings.forget_unseen();
    totals.seen = false;
  }
  for (auto &[label, total] : series.drops) {
    total.readings.forget_unseen();
    total.seen = false;
  }
}

void NetworkMetrics::update(const std::vector<discover::TrackedVnf> &vnfs, const NetworkByCgroup &network) {
  // Every series starts an update unseen (forget_unseen() left it so). What is not read now
  // goes, unless a cgroup of the VNF's identity was not read at all: then all of it stays.
  for (const auto &vnf : vnfs) {
    auto &s = series_.touch(vnf.identity);
    auto it = network.find(vnf.cgroup_id);
    if (it == network.end()) {
      keep(s);
      continue;
    }
    const auto &now = it->second;
    for (const auto &i : now.interfaces)
      add(s, now.netns_inode, i.name,
          {i.rx_packets, i.rx_bytes, i.rx_errors, i.rx_dropped, i.tx_packets, i.tx_bytes, i.tx_errors, i.tx_dropped}, true);
    if (const auto &t = now.sockets)
      add(s, now.netns_inode, "", {t->rx_packets, t->rx_bytes, 0, 0, t->tx_packets, t->tx_bytes, 0, 0}, false);
    for (const auto &[reason, n] : now.drops) {
      std::string label;
      metrics::append_label(label, "reason", reason);
      auto &total = s.drops[label];
      total.packets += total.readings.advance(now.netns_inode, {n})[0];
      total.seen = true;
    }
  }
  series_.for_each(forget_unseen);
  series_.sweep();
}

void NetworkMetrics::write(std::string &out) const {
  for (std::size_t f = 0; f < kFields; ++f) {
    const auto &family = kInterfaceFamilies[f];
    const bool for_sockets = socket_field(static_cast<Field>(f));
    series_.write_family(out, family, [&](std::string &o, std::string_view labels, const Series &s) {
      for (const auto &totals : s.interfaces)
        if (totals.device || for_sockets) metrics::write_sample(o, family.name, "", labels, totals.label, totals.counters[f]);
    });
  }
  series_.write_family(out, kDrops, [](std::string &o, std::string_view labels, const Series &s) {
    for (const auto &[reason, total] : s.drops) metrics::write_sample(o, kDrops.name, "", labels, reason, total.packets);
  });
}

}  // namespace vnf::network
