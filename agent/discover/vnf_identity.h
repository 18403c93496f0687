#pragma once
// Names each container cgroup as a VNF: config rules first (first match wins), then the
// defaults: a Kubernetes container is VNF <pod> of type <container>; a docker or podman
// container is VNF <name> of type <image's base name>; a systemd scope is VNF <unit>.
// Pod infrastructure (sandbox) containers and excluded containers are not VNFs.

#include <array>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "config/agent_config.h"
#include "discover/container_cgroup.h"
#include "discover/metadata/container_metadata.h"

namespace vnf::discover {

// What the rules say of a VNF: its labels, and whether it owns the interfaces of a network
// namespace it shares with other VNFs.
struct ResolvedVnf {
  VnfIdentity identity;
  bool network_owner = false;
};

class IdentityResolver {
 public:
  // Throws std::invalid_argument naming the bad rule (unknown field, bad regex, bad template).
  IdentityResolver(const std::vector<config::VnfRuleConfig> &rules,
                   const std::vector<std::map<std::string, std::string>> &exclude);
  IdentityResolver() : IdentityResolver({}, {}) {}

  // nullopt when the container is excluded or is a pod's sandbox. Label values come sanitized,
  // so two names that only differ in bytes the exposition cannot carry are one VNF.
  std::optional<ResolvedVnf> resolve(const ContainerCgroup &container, const std::optional<ContainerMetadata> &metadata,
                                     std::string_view cgroup_path) const;

 private:
  enum Field { kNamespace, kPod, kContainer, kImage, kCgroupPath, kRuntime, kFieldCount };
  using Subject = std::array<std::string, kFieldCount>;
  using Captures = std::array<std::vector<std::string>, kFieldCount>;

  struct Match {
    std::vector<std::pair<Field, std::regex>> regexes;
    bool matches(const Subject &subject, Captures &captures) const;
  };
  struct TemplatePart {
    std::string literal;
    int field = -1;  // -1: literal
    int group = -1;  // -1: the whole field
  };
  using Template = std::vector<TemplatePart>;
  struct Rule {
    Match match;
    Template vnf, vnf_type;
    bool network_owner;
  };

  static Match compile_match(const std::map<std::string, std::string> &match, const std::string &context);
  static Template compile_template(const std::string &text, const std::string &context);
  static std::string expand(const Template &t, const Subject &subject, const Captures &captures);
  static VnfIdentity default_identity(const ContainerCgroup &container, const std::optional<ContainerMetadata> &metadata);

  std::vector<Rule> rules_;
  std::vector<Match> exclude_;
};

// Longest label value exported, in bytes; longer names are cut at a character boundary.
inline constexpr std::size_t kMaxLabelValueBytes = 256;

// A label value that keeps the exposition (and JSON) valid whatever a runtime or rule produced:
// invalid UTF-8 becomes U+FFFD, control characters become '?', and it is at most
// kMaxLabelValueBytes. (Quotes, backslashes and newlines are legal; serializers escape them.)
std::string sanitize_label_value(std::string_view value);

// The identity with every label value sanitized (see sanitize_label_value).
VnfIdentity sanitized_identity(VnfIdentity id);

// "registry.example/ns/firewall:1.2@sha256:..." -> "firewall".
std::string image_base_name(std::string_view image);

}  // namespace vnf::discover
