#pragma once

#include <functional>

#include "config/agent_config.h"

namespace vnf::run {

// Re-reads the configuration (file, environment, flags) for a SIGHUP reload; throws if invalid.
using ConfigReader = std::function<config::AgentConfig()>;

// Runs the agent in the foreground until SIGTERM or SIGINT; SIGHUP re-reads the VNF naming
// settings through `reread`. Throws with a one-line, actionable message when it cannot start
// (port in use, BPF demanded but unavailable, invalid rules, ...).
void run_agent(const config::AgentConfig &config, const ConfigReader &reread);

}  // namespace vnf::run
