#pragma once
// vnf_instances{vnf_type}: how many distinct live VNFs of each type run on this host.

#include <map>
#include <string>
#include <vector>

#include "metrics/registry.h"
#include "discover/tracked_vnf.h"

namespace vnf::metrics {

class VnfInstances {
 public:
  explicit VnfInstances(Registry &registry);
  void update(const std::vector<discover::TrackedVnf> &vnfs);

 private:
  prometheus::Family<prometheus::Gauge> &family_;
  std::map<std::string, prometheus::Gauge *> by_type_;
};

}  // namespace vnf::metrics
