#pragma once
// vnf_scaling_actions_total{vnf_type,direction} and
// vnf_scaling_last_action_timestamp_seconds{vnf_type}, resumed from the journal at start.

#include <mutex>
#include <set>
#include <string>

#include "hook/scaling_journal.h"
#include "metrics/registry.h"

namespace vnf::hook {

class ScalingMetrics {
 public:
  ScalingMetrics(metrics::Registry &registry, const ScalingTotals &resume_from);
  void count(const std::string &vnf_type, const std::string &direction, double timestamp);
  // Whether `vnf_type` has series already, and how many VNF types have them.
  bool counts(const std::string &vnf_type) const;
  std::size_t vnf_types() const;

 private:
  prometheus::Family<prometheus::Counter> &actions_;
  prometheus::Family<prometheus::Gauge> &last_action_;
  mutable std::mutex mutex_;
  std::set<std::string> types_;
};

}  // namespace vnf::hook
