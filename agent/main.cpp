// vnf-agent: per-container CPU, memory and packet metrics for VNFs, served on one port.

#include <CLI/CLI.hpp>
#include <malloc.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <utility>
#include <vector>

#include "config/agent_config.h"
#include "cli/scale_command.h"
#include "config/listen_address.h"
#include "run/agent.h"
#include "version.h"

namespace {

struct RunFlags {
  std::string config_path;
  vnf::config::AgentConfig overrides;
};

// The HTTP limits' flags: --http-<key of config.yaml's http section, dashed>.
std::string http_limit_flag(const std::string &key) {
  std::string flag = "--http-" + key;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

void add_http_limit_options(CLI::App &run, vnf::config::HttpLimits &limits) {
  const vnf::config::HttpLimits defaults;
  for (const auto &k : vnf::config::http_limit_keys())
    run.add_option(http_limit_flag(k.key), limits.*(k.member), k.help + " (default " + std::to_string(defaults.*(k.member)) + ")");
}

// Defaults, then the config file, then METRICS_PORT, then flags given on the command line.
vnf::config::AgentConfig resolve_config(const CLI::App &run, const RunFlags &flags) {
  vnf::config::AgentConfig config;
  if (run.count("--config")) {
    config = vnf::config::load_config_file(flags.config_path);
  } else if (std::error_code ec; std::filesystem::exists(vnf::config::kDefaultConfigPath, ec)) {
    config = vnf::config::load_config_file(vnf::config::kDefaultConfigPath);
  }
  if (const char *port = std::getenv("METRICS_PORT"); port && *port && !run.count("--listen")) {
    try {
      auto address = vnf::config::with_port(vnf::config::parse_listen_address(config.listen), port);
      config.listen = address.to_string();
      if (address.host.empty()) config.listen = ":" + std::to_string(address.port);
    } catch (const std::invalid_argument &e) {
      throw vnf::config::ConfigError(e.what());
    }
  }
  const auto &o = flags.overrides;
  if (run.count("--listen")) config.listen = o.listen;
  if (run.count("--collector")) config.collector = o.collector;
  if (run.count("--log-level")) config.log_level = o.log_level;
  if (run.count("--cgroup-match")) config.cgroup_match = o.cgroup_match;
  if (run.count("--max-vnfs")) config.max_vnfs = o.max_vnfs;
  if (run.count("--host-root")) config.host_root = o.host_root;
  if (run.count("--state-dir")) config.state_dir = o.state_dir;
  if (run.count("--socket")) config.socket = o.socket;
  if (run.count("--token-file")) config.token_file = o.token_file;
  if (run.count("--web.config.file")) config.web_config_file = o.web_config_file;
  for (const auto &k : vnf::config::http_limit_keys())
    if (run.count(http_limit_flag(k.key))) config.http.*(k.member) = o.http.*(k.member);
  config.validate();
  return config;
}

void setup_logging() {
  auto logger = spdlog::stderr_color_mt("vnf-agent");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  spdlog::set_default_logger(logger);
}

}  // namespace

// glibc raises its mmap threshold each time a large block is freed, after which scrape-sized
// buffers (the exposition text grows with the series) come from the heap and fragment it: RSS
// then stays at the high-water mark of the biggest churn burst. A fixed threshold keeps large
// buffers in mmap, returned on free; two arenas stop each HTTP worker thread from keeping its
// own heap. Measured: RSS after 2 x 500 cgroups came and went, 13 -> 42 MiB without, 13 -> 14 with.
void tune_allocator() {
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  mallopt(M_ARENA_MAX, 2);
}

// The agent keeps each VNF's memory.stat open (cgroupfs/cgroup_files.h): one file per VNF,
// beyond the soft limit's usual 1024. The hard limit is the administrator's word.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int main(int argc, char **argv) {
  tune_allocator();
  raise_open_file_limit();
  setup_logging();

  CLI::App app{"vnf-agent: per-VNF CPU, memory and network metrics from eBPF, on one Prometheus port"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("vnf-agent ") + vnf::kVersion + " (" + vnf::kRevision + ")");

  RunFlags flags;
  auto *run = app.add_subcommand("run", "Run the agent in the foreground, serving /metrics, /healthz and /readyz");
  run->add_option("--listen", flags.overrides.listen, "Address to serve on, HOST:PORT or :PORT (default :9090; env METRICS_PORT sets the port)");
  run->add_option("--config", flags.config_path, std::string("YAML config file (default ") + vnf::config::kDefaultConfigPath + " if present)");
  run->add_option("--collector", flags.overrides.collector, "auto (BPF, else cgroupfs), bpf or cgroupfs")
      ->check(CLI::IsMember({"auto", "bpf", "cgroupfs"}));
  run->add_option("--cgroup-match", flags.overrides.cgroup_match,
                  "Also track cgroups whose path matches this regex (repeatable); capture group 1 names the VNF, group 2 its type");
  run->add_option("--max-vnfs", flags.overrides.max_vnfs, "Most VNF cgroups to export, and VNF types the scaling hook counts (default 4096)")
      ->check(CLI::PositiveNumber);
  run->add_option("--host-root", flags.overrides.host_root,
                  "Where the host's filesystem is mounted, for container runtime state (default /; a DaemonSet uses e.g. /host)");
  run->add_option("--state-dir", flags.overrides.state_dir, "Directory of the durable scaling event journal and the API registrations (default /var/lib/vnf-agent)");
  run->add_option("--socket", flags.overrides.socket, "Unix socket for local hooks, mode 0660 (default /run/vnf-agent/agent.sock; empty: none)");
  run->add_option("--token-file", flags.overrides.token_file, "File holding the bearer token that POSTs on the TCP port must send");
  run->add_option("--web.config.file", flags.overrides.web_config_file,
                  "TLS, basic auth and headers for the TCP port: Prometheus exporter-toolkit's web config file");
  add_http_limit_options(*run, flags.overrides.http);
  run->add_option("--log-level", flags.overrides.log_level, "trace, debug, info, warn, error, critical or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));

  vnf::cli::ScaleOptions scale_options;
  auto *scale = app.add_subcommand("scale", "Report a scaling action to the agent (the orchestrator hook)");
  vnf::cli::add_scale_options(*scale, scale_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // The error, then the usage of the command being parsed, so the right flags are at hand.
    std::cerr << e.what() << "\n\n" << (run->parsed() ? run->help() : scale->parsed() ? scale->help() : app.help());
    return e.get_exit_code();
  }
  if (*scale) return vnf::cli::run_scale(scale_options);
  if (!*run) {
    std::cout << app.help();
    return 0;
  }

  try {
    auto config = resolve_config(*run, flags);
    spdlog::set_level(spdlog::level::from_str(config.log_level));
    vnf::run::run_agent(config, [&] { return resolve_config(*run, flags); });
    return 0;
  } catch (const std::exception &e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}
