#pragma once
// Recognises container cgroups by path, the way each runtime lays them out, and gives each
// one the identity labels its metrics carry.

#include <compare>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace vnf::discover {

// The labels every per-VNF series carries. Empty where not applicable.
struct VnfIdentity {
  std::string vnf;
  std::string vnf_type;
  std::string namespace_name;
  std::string pod;
  std::string container;

  auto operator<=>(const VnfIdentity &) const = default;
};

struct ContainerCgroup {
  std::string runtime;       // docker, containerd, cri-o, podman, systemd or match
  std::string container_id;  // full id; empty for systemd scopes and --cgroup-match hits
  std::string pod_uid;       // Kubernetes pods only
  VnfIdentity identity;
};

class ContainerRecognizer {
 public:
  // `match_patterns` are --cgroup-match regexes (ECMAScript), searched in the cgroup path; the
  // first capture group, if any, names the VNF and the second its type.
  // Throws std::invalid_argument naming the bad pattern.
  explicit ContainerRecognizer(const std::vector<std::string> &match_patterns = {});

  // `path` is relative to the hierarchy root, starting with '/'.
  std::optional<ContainerCgroup> recognize(std::string_view path) const;

 private:
  std::optional<ContainerCgroup> recognize_runtime(std::string_view path) const;
  std::optional<ContainerCgroup> recognize_pattern(std::string_view path) const;

  std::vector<std::regex> match_patterns_;
};

}  // namespace vnf::discover
