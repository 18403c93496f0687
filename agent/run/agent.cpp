#include "run/agent.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <optional>

#include "cgroupfs/cgroup_layout.h"
#include "config/listen_address.h"
#include "discover/discovery.h"
#include "hook/bearer_token.h"
#include "hook/hook_api.h"
#include "hook/scaling_journal.h"
#include "hook/scaling_metrics.h"
#include "http/http_server.h"
#include "http/http_metrics.h"
#include "metrics/registry.h"
#include "run/collectors.h"
#include "run/scrape.h"
#include "run/signal_watcher.h"

namespace vnf::run {
namespace {

discover::Naming naming_of(const config::AgentConfig &config) {
  return {discover::ContainerRecognizer(config.cgroup_match), discover::IdentityResolver(config.vnf_rules, config.exclude)};
}

// POST on the TCP port: only with the bearer token the agent was started with.
hook::ApiResponse post_on_tcp(hook::HookApi &api, const std::optional<hook::BearerToken> &token, const std::string &path,
                              const std::string &content_type, const std::string &body, const std::string &authorization,
                              const std::string &peer) {
  if (!token)
    return hook::json_error(403, "the API on TCP needs the agent to run with --token-file; use the unix socket on the node");
  if (!token->authorizes(authorization)) {
    spdlog::warn("api: rejected a POST {} from {}: missing or wrong bearer token", path, peer);
    return hook::json_error(401, "missing or wrong bearer token");
  }
  return hook::route(api, "POST", path, {}, content_type, body);
}

// The server binds before what it serves exists, so that a taken port is the first error:
// the endpoints reach the scrape and the API through pointers set before serving starts.
http::Endpoints endpoints(const std::unique_ptr<Scrape> &scrape, const std::unique_ptr<hook::HookApi> &api,
                          const std::optional<hook::BearerToken> &token) {
  return {[&scrape] { return scrape->metrics_text(); },
          [&scrape] { return scrape->ready(); },
          [&scrape] { return scrape->vnfs_json(); },
          [&scrape] { return scrape->vnf_types_json(); },
          [&api, &token](const std::string &path, const std::string &content_type, const std::string &body,
                         const std::string &authorization, const std::string &peer) {
            return post_on_tcp(*api, token, path, content_type, body, authorization, peer);
          },
          [&api](const http::Query &query) { return api->list_scaling_events(query); },
          [&api](const std::string &method, const std::string &path, const http::Query &query,
                 const std::string &content_type, const std::string &body) {
            return hook::route(*api, method, path, query, content_type, body);
          }};
}

void restore_registrations(discover::Discovery &discovery, const std::string &state_dir) {
  try {
    const auto file = std::filesystem::path(state_dir) / "registrations.json";
    if (auto restored = discovery.keep_registrations_in(discover::RegistrationFile(file)))
      spdlog::info("api: {} VNF registration(s) restored from {}", restored, file.string());
  } catch (const std::exception &e) {
    spdlog::error("api: {}; starting without the registrations it held", e.what());
  }
}

// The hook socket (for orchestrators on the node); without it hooks can still use TCP.
bool serve_hook_socket(http::HttpServer &server, const std::string &path) {
  if (path.empty()) return false;
  try {
    server.listen_unix(path);
    return true;
  } catch (const std::exception &e) {
    spdlog::warn("api: no unix socket, local hooks must use TCP with a token: {}", e.what());
    return false;
  }
}

// SIGHUP: new naming rules at once; what only a restart can change is said so.
void reload(discover::Discovery &discovery, const config::AgentConfig &running, const ConfigReader &reread) {
  try {
    const auto next = reread();
    discovery.rename(naming_of(next));
    if (next.listen != running.listen || next.collector != running.collector || next.max_vnfs != running.max_vnfs ||
        next.http != running.http || next.web_config_file != running.web_config_file)
      spdlog::warn("SIGHUP: listen, collector, max_vnfs, the http limits and which web config file take effect at the "
                   "next restart");
    spdlog::info("SIGHUP: configuration reloaded ({} VNF rules, {} exclusions)", next.vnf_rules.size(), next.exclude.size());
  } catch (const std::exception &e) {
    spdlog::error("SIGHUP: configuration rejected, the running one stays in force: {}", e.what());
  }
}

}  // namespace

void run_agent(const config::AgentConfig &config, const ConfigReader &reread) {
  // Before any thread starts, so that every thread inherits the mask.
  sigset_t signals = SignalWatcher::handled();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const auto listen = config::parse_listen_address(config.listen);
  std::unique_ptr<Scrape> scrape;
  std::unique_ptr<hook::HookApi> api;
  std::optional<hook::BearerToken> token;
  if (!config.token_file.empty()) token = hook::BearerToken::load(config.token_file);
  metrics::Registry registry;
  http::HttpMetrics http_metrics(registry);
  std::shared_ptr<http::WebSettingsSource> web;
  if (!config.web_config_file.empty()) web = std::make_shared<http::WebSettingsSource>(config.web_config_file);
  http::HttpServer server(endpoints(scrape, api, token), config.http, http_metrics, web);
  server.listen(listen);  // the port first: if it is taken, that is the one line the operator sees

  hook::ScalingJournal journal(config.state_dir);
  hook::ScalingMetrics scaling_metrics(registry, journal.totals());
  const auto layout = cgroupfs::detect_cgroup_layout();
  auto naming = naming_of(config);  // invalid rules fail the start, before probes load
  auto collectors = make_collectors(config, layout, registry);
  discover::Discovery discovery({layout.cpu_root, layout.cpu, config.max_vnfs, discover::RuntimeStatePaths::under(config.host_root)},
                                std::move(naming), std::move(collectors.cgroup_events));
  restore_registrations(discovery, config.state_dir);
  api = std::make_unique<hook::HookApi>(journal, scaling_metrics, &discovery, config.max_vnfs);
  const bool socket = serve_hook_socket(server, config.socket);
  scrape = std::make_unique<Scrape>(discovery, std::move(collectors.list), registry, collectors.mode,
                                   collectors.features);
  discovery.set_walk_listener([&scrape](const discover::DiscoverySnapshot &snapshot) { scrape->on_walk(snapshot); });
  scrape->metrics_text();  // first collection now, so /readyz turns ready without waiting for a scrape
  spdlog::info("serving /metrics, /healthz, /readyz, /v1/vnfs, /v1/vnf-types and /v1/scaling-events on {} (port {}){}; "
               "scaling journal in {}", listen.to_string(), server.port(),
               socket ? ", hooks also on " + config.socket : "", config.state_dir);

  SignalWatcher watcher(server, [&] {
    reload(discovery, config, reread);
    if (web) web->reload("SIGHUP");
  });
  server.serve();  // until SIGTERM; when it returns, no request is in hand
  discovery.set_walk_listener({});
  scrape.reset();  // its collectors and their probes go before the discovery and registry they use
  spdlog::info("stopped");
}

}  // namespace vnf::run
