#include "run/vnf_view.h"

#include <nlohmann/json.hpp>

namespace vnf::run {
namespace {

std::optional<double> plus(std::optional<double> total, std::optional<double> value) {
  if (!value) return total;
  return total.value_or(0) + *value;
}

}  // namespace

void VnfView::record(Clock::time_point now, const discover::DiscoverySnapshot &snapshot,
                     const collector::ReadingsByCgroup &readings) {
  Readings totals;
  for (std::size_t i = 0; i < snapshot.vnfs.size(); ++i) {
    const auto &vnf = snapshot.vnfs[i];
    auto &t = totals[vnf.identity];
    t.cgroups.push_back(snapshot.tree.nodes()[snapshot.tracked[i]].path);
    auto r = readings.find(vnf.cgroup_id);
    if (r == readings.end()) continue;
    t.cpu_ns += r->second.cpu_ns.value_or(0);
    t.memory_bytes = plus(t.memory_bytes, r->second.memory_bytes);
    t.rx_packets = plus(t.rx_packets, r->second.rx_packets);
    t.tx_packets = plus(t.tx_packets, r->second.tx_packets);
  }
  previous_ = std::move(current_);
  previous_at_ = current_at_;
  current_ = std::move(totals);
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
