#include "hook/scaling_metrics.h"

namespace vnf::hook {

ScalingMetrics::ScalingMetrics(metrics::Registry &registry, const ScalingTotals &resume_from)
    : actions_(registry.counter("vnf_scaling_actions_total",
                                "Scaling actions reported by the orchestrator hook, by VNF type and direction.")),
      last_action_(registry.gauge("vnf_scaling_last_action_timestamp_seconds",
                                  "When the last scaling action of a VNF type was reported, in seconds since the epoch.")) {
  for (const auto &[key, n] : resume_from.actions)
    actions_.Add({{"vnf_type", key.first}, {"direction", key.second}}).Increment(static_cast<double>(n));
  for (const auto &[type, ts] : resume_from.last_action) last_action_.Add({{"vnf_type", type}}).Set(ts);
  for (const auto &[key, n] : resume_from.actions) types_.insert(key.first);
}

bool ScalingMetrics::counts(const std::string &vnf_type) const {
  std::lock_guard lock(mutex_);
  return types_.count(vnf_type) > 0;
}

std::size_t ScalingMetrics::vnf_types() const {
  std::lock_guard lock(mutex_);
  return types_.size();
}

void ScalingMetrics::count(const std::string &vnf_type, const std::string &direction, double timestamp) {
  {
    std::lock_guard lock(mutex_);
    types_.insert(vnf_type);
  }
  actions_.Add({{"vnf_type", vnf_type}, {"direction", direction}}).Increment();
  auto &last = last_action_.Add({{"vnf_type", vnf_type}});
  if (timestamp > last.Value()) last.Set(timestamp);
}

}  // namespace vnf::hook
