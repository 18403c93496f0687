#include "run/vnf_view.h"

#include <nlohmann/json.hpp>

namespace vnf::run {

void VnfView::record(Clock::time_point now, const discover::DiscoverySnapshot &snapshot,
                     const collect::CpuUsageByCgroup &cpu, const collect::MemoryByCgroup &memory,
                     const collect::NetworkByCgroup &network) {
  Readings readings;
  for (std::size_t i = 0; i < snapshot.vnfs.size(); ++i) {
    const auto &vnf = snapshot.vnfs[i];
    auto &t = readings[vnf.identity];
    t.cgroups.push_back(snapshot.tree.nodes()[snapshot.tracked[i]].path);
    if (auto c = cpu.find(vnf.cgroup_id); c != cpu.end()) t.cpu_ns += static_cast<double>(c->second.cpu_ns);
    if (auto m = memory.find(vnf.cgroup_id); m != memory.end())
      t.memory_bytes = t.memory_bytes.value_or(0) + static_cast<double>(m->second.usage_bytes);
    if (auto n = network.find(vnf.cgroup_id); n != network.end()) {
      t.rx_packets = t.rx_packets.value_or(0) + static_cast<double>(n->second.traffic.rx_packets);
      t.tx_packets = t.tx_packets.value_or(0) + static_cast<double>(n->second.traffic.tx_packets);
    }
  }
  previous_ = std::move(current_);
  previous_at_ = current_at_;
  current_ = std::move(readings);
  current_at_ = now;
}

std::optional<double> VnfView::interval_seconds() const {
  if (previous_at_ == Clock::time_point{}) return std::nullopt;
  return std::chrono::duration<double>(current_at_ - previous_at_).count();
}

bool VnfView::complete() const {
  for (const auto &[id, totals] : current_)
    if (!previous_.count(id)) return false;
  return true;
}

std::string VnfView::json() const {
  using nlohmann::json;
  const auto interval = interval_seconds();
  auto rate = [&](std::optional<double> now, std::optional<double> before) -> json {
    if (!interval || *interval <= 0 || !now || !before || *now < *before) return nullptr;
    return (*now - *before) / *interval;
  };
  json vnfs = json::array();
  for (const auto &[id, t] : current_) {
    const Totals *before = nullptr;
    if (auto it = previous_.find(id); it != previous_.end()) before = &it->second;
    json entry = {{"vnf", id.vnf},
                  {"vnf_type", id.vnf_type},
                  {"namespace", id.namespace_name},
                  {"pod", id.pod},
                  {"container", id.container},
                  {"cgroups", t.cgroups}};
    entry["cpu_cores"] = before ? rate(t.cpu_ns / 1e9, before->cpu_ns / 1e9) : nullptr;
    entry["memory_bytes"] = t.memory_bytes ? json(*t.memory_bytes) : json(nullptr);
    entry["receive_packets_per_second"] = before ? rate(t.rx_packets, before->rx_packets) : nullptr;
    entry["transmit_packets_per_second"] = before ? rate(t.tx_packets, before->tx_packets) : nullptr;
    vnfs.push_back(std::move(entry));
  }
  json out = {{"vnfs", std::move(vnfs)}};
  out["interval_seconds"] = interval ? json(*interval) : json(nullptr);
  // Label values are valid UTF-8 (sanitised at discovery); replace anything else regardless.
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace vnf::run
