#pragma once

#include <string>

#include "discover/container_cgroup.h"

namespace vnf::metrics {

// The identity labels every per-VNF series carries, in the metric contract's names, written
// as a label set (see text_exposition.h): container, namespace, pod, vnf, vnf_type.
std::string vnf_label_set(const discover::VnfIdentity &id);

}  // namespace vnf::metrics
