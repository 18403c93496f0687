#pragma once

#include <prometheus/labels.h>


#include "discover/container_cgroup.h"

namespace vnf::metrics {

// The identity labels every per-VNF series carries, in the metric contract's names.
prometheus::Labels vnf_labels(const discover::VnfIdentity &id);

}  // namespace vnf::metrics
