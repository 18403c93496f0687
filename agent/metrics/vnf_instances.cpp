#include "metrics/vnf_instances.h"

#include <set>


namespace vnf::metrics {

VnfInstances::VnfInstances(Registry &registry)
    : family_(registry.gauge("vnf_instances", "Live VNF instances of each type on this host.")) {}

void VnfInstances::update(const std::vector<discover::TrackedVnf> &vnfs) {
  std::map<std::string, std::set<discover::VnfIdentity>> instances;  // a VNF of several cgroups counts once
  for (const auto &v : vnfs) instances[v.identity.vnf_type].insert(v.identity);
  for (auto it = by_type_.begin(); it != by_type_.end();) {
    if (instances.count(it->first)) {
      ++it;
      continue;
    }
    family_.Remove(it->second);
    it = by_type_.erase(it);
  }
  for (const auto &[type, set] : instances) {
    auto &gauge = by_type_[type];
    if (!gauge) gauge = &family_.Add({{"vnf_type", type}});
    gauge->Set(static_cast<double>(set.size()));
  }
}

}  // namespace vnf::metrics
