#pragma once
// The agent's settings: defaults, then /etc/vnf-agent/config.yaml (or --config), then
// environment (METRICS_PORT), then command-line flags.

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace vnf::config {

inline constexpr const char *kDefaultConfigPath = "/etc/vnf-agent/config.yaml";

// A config that cannot be used, with the file and the reason.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AgentConfig {
  std::string listen = ":9090";
  std::string collector = "auto";  // auto | bpf | cgroupfs
  std::string log_level = "info";
  std::vector<std::string> cgroup_match;
  std::uint32_t max_vnfs = 4096;

  // Checks values that have a fixed set of choices or ranges; throws ConfigError.
  void validate() const;
};

// Parses YAML text (a mapping of the AgentConfig keys) over `base`. Unknown keys are errors, so
// a typo never silently leaves a default in force. Throws ConfigError naming `source`.
AgentConfig parse_config(const std::string &yaml, const std::string &source, AgentConfig base = {});

// Reads and parses a config file; throws ConfigError if it is unreadable or invalid.
AgentConfig load_config_file(const std::filesystem::path &path, AgentConfig base = {});

}  // namespace vnf::config
