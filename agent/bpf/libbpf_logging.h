#pragma once

namespace vnf::bpf {

// Routes libbpf's own messages to spdlog at debug/trace level: the verifier log and feature
// probes are for `--log-level debug`, while the agent reports one actionable line itself.
void route_libbpf_logging();

}  // namespace vnf::bpf
