#pragma once
// A VNF identity with only a name (and a type), and the value its one sample of a family has
// in an exposition: what the metric writers' unit tests compare.

#include <string>

#include "discover/container_cgroup.h"

namespace vnf::test {

inline discover::VnfIdentity named_vnf(const char *name, const char *type = "") {
  discover::VnfIdentity id;
  id.vnf = name;
  id.vnf_type = type;
  return id;
}

// The sample's value as written, or "" if `text` has no sample of `family` for `name`.
inline std::string sample_text(const std::string &text, const std::string &family, const char *name) {
  const std::string prefix = family + "{container=\"\",namespace=\"\",pod=\"\",vnf=\"" + name + "\",vnf_type=\"\"} ";
  const auto at = text.find(prefix);
  if (at == std::string::npos) return "";
  return text.substr(at + prefix.size(), text.find('\n', at) - at - prefix.size());
}

}  // namespace vnf::test
