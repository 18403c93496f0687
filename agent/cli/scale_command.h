#pragma once
// `vnf-agent scale`: the hook an orchestrator runs when it scales a VNF. Posts one scaling
// event to the agent (its unix socket, or --url with --token-file), retries transient failures
// with the same idempotency key, and exits non-zero with the agent's message on failure.

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace vnf::cli {

struct ScaleOptions {
  std::string vnf_type, direction, vnf, reason, id;
  std::optional<long long> from, to;
  std::string socket = "/run/vnf-agent/agent.sock";
  std::string url, token_file;
};

// Adds the subcommand's flags to `app`.
void add_scale_options(CLI::App &app, ScaleOptions &options);

// Sends the event; returns the process exit code. Prints the outcome.
int run_scale(const ScaleOptions &options);

}  // namespace vnf::cli
