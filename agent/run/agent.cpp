#include "run/agent.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <optional>
#include <thread>

#include "collect/bpf_cpu_source.h"
#include "collect/cgroupfs_cpu_source.h"
#include "config/listen_address.h"
#include "discover/cgroup_layout.h"
#include "hook/bearer_token.h"
#include "hook/hook_api.h"
#include "hook/scaling_journal.h"
#include "http/http_server.h"
#include "http/unix_socket_server.h"
#include "metrics/scaling_metrics.h"
#include "metrics/registry.h"
#include "discover/discovery.h"
#include "probes/cgroup_events.h"
#include "probes/cpu_probe.h"
#include "probes/libbpf_logging.h"
#include "probes/memcg_iterator.h"
#include "probes/net_probe.h"
#include "run/scrape.h"

namespace vnf::run {
namespace {

// BPF map capacity for a VNF limit: the maps also hold the host's other cgroups.
std::uint32_t map_capacity_for(std::uint32_t max_vnfs) {
  constexpr std::uint32_t kHostCgroupsHeadroom = 1024;
  return max_vnfs * 2 + kHostCgroupsHeadroom;
}

struct CpuCollector {
  std::unique_ptr<probes::CpuProbe> probe;  // null in cgroupfs mode
  std::unique_ptr<collect::CpuSource> source;
  collect::BpfCpuSource *bpf = nullptr;
};

CpuCollector choose_collector(const config::AgentConfig &config, const discover::CgroupLayout &layout) {
  CpuCollector collector;
  std::string reason = "requested with --collector=cgroupfs";
  if (config.collector != "cgroupfs") {
    try {
      probes::route_libbpf_logging();
      collector.probe = std::make_unique<probes::CpuProbe>(
          probes::CpuProbe::Options{layout.cpu, map_capacity_for(config.max_vnfs)});
      auto bpf = std::make_unique<collect::BpfCpuSource>(*collector.probe);
      collector.bpf = bpf.get();
      collector.source = std::move(bpf);
      spdlog::info("collector: bpf (scheduler probes{}; cgroups keyed in the {} hierarchy at {})",
                   collector.probe->has_runqueue() ? ", run-queue wait from schedstat" : ", no run-queue wait: no CONFIG_SCHED_INFO",
                   discover::to_string(layout.cpu), layout.cpu_root.string());
      return collector;
    } catch (const probes::ProbeError &e) {
      if (config.collector == "bpf") throw;  // explicitly demanded: do not hide the failure
      reason = e.what();
    }
  }
  collector.source = std::make_unique<collect::CgroupfsCpuSource>(layout);
  if (config.collector == "cgroupfs") spdlog::info("collector: cgroupfs ({})", reason);
  else spdlog::warn("collector: cgroupfs, because BPF is unavailable: {}", reason);
  return collector;
}

std::unique_ptr<collect::MemorySource> choose_memory_source(const discover::CgroupLayout &layout, bool bpf,
                                                            std::uint32_t max_cgroups) {
  if (layout.memory == discover::MemoryAccounting::none) {
    spdlog::warn("memory: no memory controller mounted; memory metrics are off");
    return nullptr;
  }
  std::unique_ptr<probes::MemcgIterator> iterator;
  if (bpf) {
    try {
      iterator = std::make_unique<probes::MemcgIterator>(layout.memory_root, max_cgroups);
    } catch (const probes::ProbeError &e) {
      spdlog::warn("memory: usage and limit from cgroupfs, because the cgroup iterator is unavailable: {}", e.what());
    }
  }
  spdlog::info("memory: {} hierarchy at {}; usage and limit from {}", discover::to_string(layout.memory),
               layout.memory_root.string(), iterator ? "the BPF cgroup iterator" : "cgroupfs");
  return std::make_unique<collect::MemorySource>(layout, std::move(iterator));
}

std::unique_ptr<probes::NetProbe> load_net_probe(const config::AgentConfig &config,
                                                 const discover::CgroupLayout &layout) {
  try {
    auto probe = std::make_unique<probes::NetProbe>(
        probes::NetProbe::Options{map_capacity_for(config.max_vnfs), layout.unified_root});
    spdlog::info("network: device probes per namespace{}", probe->socket_counting()
                                                              ? ", socket probes for host-network VNFs"
                                                              : "");
    return probe;
  } catch (const probes::ProbeError &e) {
    spdlog::warn("network: interface counters from /proc/PID/net/dev, because the probe is unavailable: {}", e.what());
    return nullptr;
  }
}

discover::Naming naming_of(const config::AgentConfig &config) {
  return {discover::ContainerRecognizer(config.cgroup_match), discover::IdentityResolver(config.vnf_rules, config.exclude)};
}

std::unique_ptr<probes::CgroupEvents> load_cgroup_events(bool bpf) {
  if (!bpf) return nullptr;
  try {
    return std::make_unique<probes::CgroupEvents>();
  } catch (const probes::ProbeError &e) {
    spdlog::warn("discover: no cgroup events, so cgroups are re-walked at every scrape: {}", e.what());
    return nullptr;
  }
}

// Waits for SIGINT/SIGTERM (blocked in every thread, so only this one sees them) and stops
// the server; SIGHUP calls `reload`.
class SignalWatcher {
 public:
  SignalWatcher(http::HttpServer &server, std::function<void()> reload) : server_(server), reload_(std::move(reload)) {
    thread_ = std::thread([this] { watch(); });
  }
  ~SignalWatcher() {
    done_ = true;
    pthread_kill(thread_.native_handle(), SIGTERM);
    thread_.join();
  }

  static sigset_t handled() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
  }

 private:
  void watch() {
    sigset_t set = handled();
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0 || done_) return;
      if (sig == SIGHUP) {
        reload_();
        continue;
      }
      spdlog::info("{}: shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
      server_.stop();
      return;
    }
  }

  http::HttpServer &server_;
  std::function<void()> reload_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace

void run_agent(const config::AgentConfig &config, const ConfigReader &reread) {
  // Before any thread starts, so that every thread inherits the mask.
  sigset_t signals = SignalWatcher::handled();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const auto listen = config::parse_listen_address(config.listen);
  // The port first: if it is taken, that is the one line the operator sees, before any probe loads.
  std::unique_ptr<Scrape> scrape;
  std::unique_ptr<hook::HookApi> hook_api;
  std::optional<hook::BearerToken> token;
  if (!config.token_file.empty()) token = hook::BearerToken::load(config.token_file);
  http::HttpServer server({[&scrape] { return scrape->metrics_text(); },
                           [&scrape] { return scrape->ready(); },
                           [&scrape] { return scrape->vnfs_json(); },
                           [&](const std::string &path, const std::string &content_type, const std::string &body,
                               const std::string &authorization, const std::string &peer) {
                             if (!token)
                               return hook::json_error(403, "the API on TCP needs the agent to run with --token-file; "
                                                            "use the unix socket on the node");
                             if (!token->authorizes(authorization)) {
                               spdlog::warn("api: rejected a POST {} from {}: missing or wrong bearer token", path, peer);
                               return hook::json_error(401, "missing or wrong bearer token");
                             }
                             return hook::route(*hook_api, "POST", path, {}, content_type, body);
                           },
                           [&](const std::map<std::string, std::string> &query) {
                             return hook_api->list_scaling_events(query);
                           }});
  server.bind(listen);

  metrics::Registry registry;
  hook::ScalingJournal journal(config.state_dir);
  metrics::ScalingMetrics scaling_metrics(registry, journal.totals());
  std::unique_ptr<http::UnixSocketServer> socket;
  const auto layout = discover::detect_cgroup_layout();
  auto naming = naming_of(config);  // invalid rules fail the start, before probes load
  auto collector = choose_collector(config, layout);
  auto memory = choose_memory_source(layout, collector.bpf != nullptr, map_capacity_for(config.max_vnfs));
  auto net_probe = collector.bpf ? load_net_probe(config, layout) : nullptr;

  discover::Discovery discovery({layout.cpu_root, layout.cpu, config.max_vnfs, discover::RuntimeStatePaths::under(config.host_root)},
                                std::move(naming), load_cgroup_events(collector.bpf != nullptr));
  try {
    const auto file = std::filesystem::path(config.state_dir) / "registrations.json";
    if (auto restored = discovery.keep_registrations_in(discover::RegistrationFile(file)))
      spdlog::info("api: {} VNF registration(s) restored from {}", restored, file.string());
  } catch (const std::exception &e) {
    spdlog::error("api: {}; starting without the registrations it held", e.what());
  }
  hook_api = std::make_unique<hook::HookApi>(journal, scaling_metrics, &discovery, config.max_vnfs);
  if (!config.socket.empty()) {
    try {
      socket = std::make_unique<http::UnixSocketServer>(config.socket, [&](const http::UnixRequest &r) {
        auto type = r.headers.find("content-type");
        return hook::route(*hook_api, r.method, r.path, r.query, type == r.headers.end() ? "" : type->second, r.body);
      });
    } catch (const std::exception &e) {
      spdlog::warn("api: no unix socket, local hooks must use TCP with a token: {}", e.what());
    }
  }
  Scrape::Options options;
  if (collector.bpf) {
    options.report_collector_health = [bpf = collector.bpf, probe = collector.probe.get(),
                                       net = net_probe.get()](metrics::SelfMetrics &self) {
      self.set_map("cpu_stats", bpf->cpu_stats_map());
      self.set_map("runq_hist", bpf->runq_hist_map());
      self.set_programs(probe->program_stats());
      if (net) self.set_programs(net->program_stats());
    };
  }
  Scrape::Sources sources{std::move(collector.source), std::move(memory),
                          std::make_unique<collect::NetworkSource>(layout, net_probe.get())};
  scrape = std::make_unique<Scrape>(std::move(options), discovery, std::move(sources), registry);
  scrape->metrics_text();  // first collection now, so /readyz turns ready without waiting for a scrape
  spdlog::info("serving /metrics, /healthz, /readyz, /v1/vnfs and /v1/scaling-events on {} (port {}){}; "
               "scaling journal in {}", listen.to_string(), server.port(),
               socket ? ", hooks also on " + config.socket : "", config.state_dir);

  SignalWatcher watcher(server, [&] {
    try {
      const auto next = reread();
      discovery.rename(naming_of(next));
      if (next.listen != config.listen || next.collector != config.collector || next.max_vnfs != config.max_vnfs)
        spdlog::warn("SIGHUP: listen, collector and max_vnfs take effect at the next restart");
      spdlog::info("SIGHUP: configuration reloaded ({} VNF rules, {} exclusions)", next.vnf_rules.size(),
                   next.exclude.size());
    } catch (const std::exception &e) {
      spdlog::error("SIGHUP: configuration rejected, the running one stays in force: {}", e.what());
    }
  });
  server.serve();
  socket.reset();
  scrape.reset();  // before the probes and the registry it reads from and writes to
  spdlog::info("stopped");
}

}  // namespace vnf::run
