#pragma once
// The agent's settings: defaults, then /etc/vnf-agent/config.yaml (or --config), then
// environment (METRICS_PORT), then command-line flags.

#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/http_limits.h"

namespace vnf::config {

inline constexpr const char *kDefaultConfigPath = "/etc/vnf-agent/config.yaml";

// A config that cannot be used, with the file and the reason.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One VNF naming rule: when every regex in `match` matches its field (namespace, pod,
// container, image, cgroup_path, runtime), the VNF is named by the templates.
struct VnfRuleConfig {
  std::map<std::string, std::string> match;
  std::string vnf;       // template, e.g. "{pod}" or "{pod.1}" (capture group 1 of the pod regex)
  std::string vnf_type;  // template
  // The VNF exports the interfaces of a network namespace it shares with other VNFs, ahead of
  // the default owner (docs/metrics.md, "Shared namespaces").
  bool network_owner = false;
};

struct AgentConfig {
  std::string listen = ":9090";
  std::string collector = "auto";  // auto | bpf | cgroupfs
  std::string log_level = "info";
  std::vector<std::string> cgroup_match;
  std::uint32_t max_vnfs = 4096;
  std::string state_dir = "/var/lib/vnf-agent";      // the scaling event journal
  std::string socket = "/run/vnf-agent/agent.sock";  // the orchestrator API for local hooks
  std::string token_file;                            // bearer token for the API on TCP; none: TCP read-only
  std::string web_config_file;  // TLS, basic auth, headers (exporter-toolkit format); none: plain HTTP
  std::string host_root = "/";  // where the host's /run and /var/lib are (a DaemonSet mounts them elsewhere)
  std::vector<VnfRuleConfig> vnf_rules;                 // first match wins
  std::vector<std::map<std::string, std::string>> exclude;  // containers never exported
  HttpLimits http;                                          // what clients of the port and the socket may take

  // Checks values that have a fixed set of choices or ranges; throws ConfigError.
  void validate() const;
};

// Parses YAML text (a mapping of the AgentConfig keys) over `base`. Unknown keys are errors, so
// a typo never silently leaves a default in force. Throws ConfigError naming `source`.
AgentConfig parse_config(const std::string &yaml, const std::string &source, AgentConfig base = {});

// Reads and parses a config file; throws ConfigError if it is unreadable or invalid.
AgentConfig load_config_file(const std::filesystem::path &path, AgentConfig base = {});

}  // namespace vnf::config
