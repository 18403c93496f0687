#include "run/vnf_view.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace vnf::run {
namespace {

using Json = nlohmann::json;

std::optional<double> plus(std::optional<double> total, std::optional<double> value) {
  if (!value) return total;
  return total.value_or(0) + *value;
}

// Adds a cgroup's limit to the VNF's, which stays only while every cgroup has one.
void add_limit(std::optional<double> &total, bool &limited, std::optional<double> limit) {
  limited = limited && limit.has_value();
  total = limited ? plus(total, limit) : std::nullopt;
}

std::optional<double> ratio(std::optional<double> part, std::optional<double> whole) {
  if (!part || !whole || *whole <= 0) return std::nullopt;
  return *part / *whole;
}

Json value_or_null(std::optional<double> v) { return v ? Json(*v) : Json(nullptr); }

// Average and maximum of the values there are.
struct Spread {
  double sum = 0, max = 0;
  std::size_t count = 0;
  void add(std::optional<double> v) {
    if (!v) return;
    max = count ? std::max(max, *v) : *v;
    sum += *v;
    ++count;
  }
  Json to_json() const {
    if (!count) return {{"average", nullptr}, {"max", nullptr}};
    return {{"average", sum / static_cast<double>(count)}, {"max", max}};
  }
};

}  // namespace

void VnfView::record(Clock::time_point now, const discover::DiscoverySnapshot &snapshot,
                     const collector::ReadingsByCgroup &readings) {
  Readings totals;
  for (std::size_t i = 0; i < snapshot.vnfs.size(); ++i) {
    const auto &vnf = snapshot.vnfs[i];
    auto &t = totals[vnf.identity];
    t.cgroups.push_back(snapshot.tree.nodes()[snapshot.tracked[i]].path);
    auto r = readings.find(vnf.cgroup_id);
    if (r == readings.end()) {
      t.cpu_limited = t.memory_limited = false;
      t.cpu_limit_cores = t.memory_limit_bytes = std::nullopt;
      continue;
    }
    t.cpu_ns += r->second.cpu_ns.value_or(0);
    t.memory_bytes = plus(t.memory_bytes, r->second.memory_bytes);
    t.memory_working_set_bytes = plus(t.memory_working_set_bytes, r->second.memory_working_set_bytes);
    t.rx_packets = plus(t.rx_packets, r->second.rx_packets);
    t.tx_packets = plus(t.tx_packets, r->second.tx_packets);
    add_limit(t.cpu_limit_cores, t.cpu_limited, r->second.cpu_limit_cores);
    add_limit(t.memory_limit_bytes, t.memory_limited, r->second.memory_limit_bytes);
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

VnfView::Current VnfView::current_of(const Totals &now, const Totals *before) const {
  const auto interval = interval_seconds();
  auto rate = [&](std::optional<double> later, std::optional<double> earlier) -> std::optional<double> {
    if (!before || !interval || *interval <= 0 || !later || !earlier || *later < *earlier) return std::nullopt;
    return (*later - *earlier) / *interval;
  };
  Current c;
  c.cpu_cores = rate(now.cpu_ns / 1e9, before ? std::optional(before->cpu_ns / 1e9) : std::nullopt);
  c.cpu_limit_cores = now.cpu_limit_cores;
  c.cpu_utilization = ratio(c.cpu_cores, c.cpu_limit_cores);
  c.memory_bytes = now.memory_bytes;
  c.memory_limit_bytes = now.memory_limit_bytes;
  // Of the working set, as the kubelet's eviction and autoscalers count: page cache the
  // kernel can drop at once would make every VNF that reads files look full.
  c.memory_utilization = ratio(now.memory_working_set_bytes, c.memory_limit_bytes);
  c.rx_per_second = rate(now.rx_packets, before ? before->rx_packets : std::nullopt);
  c.tx_per_second = rate(now.tx_packets, before ? before->tx_packets : std::nullopt);
  return c;
}

std::string VnfView::json() const {
  Json vnfs = Json::array();
  for (const auto &[id, t] : current_) {
    auto before = previous_.find(id);
    const auto c = current_of(t, before == previous_.end() ? nullptr : &before->second);
    Json entry = {{"vnf", id.vnf},
                  {"vnf_type", id.vnf_type},
                  {"namespace", id.namespace_name},
                  {"pod", id.pod},
                  {"container", id.container},
                  {"cgroups", t.cgroups}};
    entry["cpu_cores"] = value_or_null(c.cpu_cores);
    entry["cpu_limit_cores"] = value_or_null(c.cpu_limit_cores);
    entry["cpu_utilization"] = value_or_null(c.cpu_utilization);
    entry["memory_bytes"] = value_or_null(c.memory_bytes);
    entry["memory_limit_bytes"] = value_or_null(c.memory_limit_bytes);
    entry["memory_utilization"] = value_or_null(c.memory_utilization);
    entry["receive_packets_per_second"] = value_or_null(c.rx_per_second);
    entry["transmit_packets_per_second"] = value_or_null(c.tx_per_second);
    vnfs.push_back(std::move(entry));
  }
  Json out = {{"vnfs", std::move(vnfs)}};
  out["interval_seconds"] = value_or_null(interval_seconds());
  // Label values are valid UTF-8 (sanitised at discovery); replace anything else regardless.
  return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string VnfView::types_json() const {
  struct Type {
    std::size_t instances = 0;
    Spread cpu_cores, cpu_utilization, memory_bytes, memory_utilization, rx, tx;
  };
  std::map<std::string, Type> types;
  for (const auto &[id, t] : current_) {
    auto before = previous_.find(id);
    const auto c = current_of(t, before == previous_.end() ? nullptr : &before->second);
    auto &type = types[id.vnf_type];
    ++type.instances;
    type.cpu_cores.add(c.cpu_cores);
    type.cpu_utilization.add(c.cpu_utilization);
    type.memory_bytes.add(c.memory_bytes);
    type.memory_utilization.add(c.memory_utilization);
    type.rx.add(c.rx_per_second);
    type.tx.add(c.tx_per_second);
  }
  Json list = Json::array();
  for (const auto &[name, type] : types) {
    list.push_back({{"vnf_type", name},
                    {"instances", type.instances},
                    {"cpu_cores", type.cpu_cores.to_json()},
                    {"cpu_utilization", type.cpu_utilization.to_json()},
                    {"memory_bytes", type.memory_bytes.to_json()},
                    {"memory_utilization", type.memory_utilization.to_json()},
                    {"receive_packets_per_second", type.rx.to_json()},
                    {"transmit_packets_per_second", type.tx.to_json()}});
  }
  Json out = {{"vnf_types", std::move(list)}};
  out["interval_seconds"] = value_or_null(interval_seconds());
  return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace vnf::run
