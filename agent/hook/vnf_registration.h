#pragma once
// POST /v1/vnfs: an orchestrator names a cgroup (by path, or by a PID inside it) as a VNF
// with explicit labels.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "discover/container_cgroup.h"
#include "hook/scaling_event.h"

namespace vnf::hook {

struct VnfRegistration {
  std::string cgroup;             // path relative to the hierarchy root, or empty
  std::optional<std::int64_t> pid;  // or a task of it
  discover::VnfIdentity identity;
};

// {"cgroup": "/system.slice/fw.service" | "pid": 1234, "vnf": "fw-1", "vnf_type": "firewall",
//  "namespace": "", "pod": "", "container": ""}: exactly one of cgroup and pid; vnf required.
std::variant<VnfRegistration, RequestError> parse_vnf_registration(std::string_view body);

}  // namespace vnf::hook
