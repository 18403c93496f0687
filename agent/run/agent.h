#pragma once

#include "config/agent_config.h"

namespace vnf::run {

// Runs the agent in the foreground until SIGTERM or SIGINT. Throws with a one-line,
// actionable message when it cannot start (port in use, BPF demanded but unavailable, ...).
void run_agent(const config::AgentConfig &config);

}  // namespace vnf::run
