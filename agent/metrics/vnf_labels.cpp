#include "metrics/vnf_labels.h"

#include "metrics/text_exposition.h"

namespace vnf::metrics {

std::string vnf_label_set(const discover::VnfIdentity &id) {
  std::string labels;
  append_label(labels, "container", id.container);
  append_label(labels, "namespace", id.namespace_name);
  append_label(labels, "pod", id.pod);
  append_label(labels, "vnf", id.vnf);
  append_label(labels, "vnf_type", id.vnf_type);
  return labels;
}

}  // namespace vnf::metrics
