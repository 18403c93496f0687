#pragma once

#include <prometheus/labels.h>

#include <string>
#include <string_view>

#include "discover/container_cgroup.h"

namespace vnf::metrics {

// Longest label value exported, in bytes; longer names are cut at a character boundary.
inline constexpr std::size_t kMaxLabelValueBytes = 256;

// A label value that keeps the exposition valid whatever a runtime or rule produced: invalid
// UTF-8 becomes U+FFFD, control characters become '?', and it is at most kMaxLabelValueBytes.
// (Quotes, backslashes and newlines are legal; the serializer escapes them.)
std::string sanitize_label_value(std::string_view value);

// The identity with every label value sanitized; series are keyed by this, so two names that
// only differ in bytes the exposition cannot carry are one VNF, not two clashing series.
discover::VnfIdentity sanitized(discover::VnfIdentity id);

// The identity labels every per-VNF series carries, in the metric contract's names.
prometheus::Labels vnf_labels(const discover::VnfIdentity &id);

}  // namespace vnf::metrics
