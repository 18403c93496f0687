#include "metrics/vnf_labels.h"

namespace vnf::metrics {

prometheus::Labels vnf_labels(const discover::VnfIdentity &id) {
  return {{"vnf", id.vnf},
          {"vnf_type", id.vnf_type},
          {"namespace", id.namespace_name},
          {"pod", id.pod},
          {"container", id.container}};
}

}  // namespace vnf::metrics
