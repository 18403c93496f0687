#pragma once

#include <prometheus/labels.h>

#include "discover/container_cgroup.h"

namespace vnf::metrics {

// The identity labels every per-VNF series carries, in the metric contract's names.
inline prometheus::Labels vnf_labels(const discover::VnfIdentity &id) {
  return {{"vnf", id.vnf},
          {"vnf_type", id.vnf_type},
          {"namespace", id.namespace_name},
          {"pod", id.pod},
          {"container", id.container}};
}

}  // namespace vnf::metrics
