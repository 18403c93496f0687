#pragma once
// The agent's HTTP server: the TCP port (/metrics, /healthz, /readyz, the orchestrator API)
// and the hook socket, each an event-driven libmicrohttpd daemon (one epoll thread) so that
// idle or slow clients hold a descriptor and a few KiB, never a thread. Work that takes time
// (a collection, the journal's durable write) runs on a small worker pool while its
// connection is suspended; health checks are answered on the event thread at once.
// Limits (config/http_limits.h) close or refuse at once and are counted (http_metrics.h).

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/unique_fd.h"
#include "config/http_limits.h"
#include "config/listen_address.h"
#include "hook/api_response.h"
#include "http/connection_table.h"
#include "http/http_metrics.h"
#include "http/routes.h"
#include "http/shared_collection.h"
#include "http/web_settings.h"
#include "http/work_queue.h"

struct MHD_Daemon;
struct MHD_Connection;

namespace vnf::http {

using Query = std::map<std::string, std::string>;

struct Endpoints {
  // The exposition text; may throw. Concurrent scrapes share one call (shared_collection.h).
  std::function<std::shared_ptr<const std::string>()> metrics;
  std::function<bool()> ready;        // true once the first collection succeeded
  std::function<std::string()> vnfs;       // GET /v1/vnfs JSON; may throw
  std::function<std::string()> vnf_types;  // GET /v1/vnf-types JSON; may throw
  // POST /v1/scaling-events and /v1/vnfs on TCP (path, content type, body, Authorization header, peer).
  std::function<hook::ApiResponse(const std::string &, const std::string &, const std::string &, const std::string &,
                                  const std::string &)>
      post;
  std::function<hook::ApiResponse(const Query &)> list_scaling_events;  // GET /v1/scaling-events
  // Any request on the unix socket (method, path, query, content type, body).
  std::function<hook::ApiResponse(const std::string &, const std::string &, const Query &, const std::string &,
                                  const std::string &)>
      hook;
};

class HttpServer {
 public:
  // `web` (the web config: TLS, basic auth, headers) may be null: plain HTTP, no basic auth.
  HttpServer(Endpoints endpoints, const config::HttpLimits &limits, HttpMetrics &metrics,
             std::shared_ptr<WebSettingsSource> web = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer &) = delete;
  HttpServer &operator=(const HttpServer &) = delete;

  // Binds the TCP port and serves it; throws std::runtime_error with an actionable message.
  // Port 0 picks a free port (see port()).
  void listen(const config::ListenAddress &address);
  int port() const { return port_; }
  // Serves the hook socket too (its file is removed again when the server goes); throws.
  void listen_unix(const std::filesystem::path &path);

  // Blocks until stop() is called (from any thread), then finishes the requests in hand and
  // closes every connection: when it returns, no endpoint is called any more.
  void serve();
  void stop();

  // The libmicrohttpd callbacks' context (http_server.cpp).
  struct Daemon;
  struct Connection;
  struct Request;

 private:
  void start_daemon(Listener listener, int listen_fd);
  void shutdown_daemons();
  void expire_slow_requests(std::stop_token stop);

  // On the event thread.
  bool admit(const sockaddr *address, socklen_t length);
  void connection_started(Daemon &daemon, MHD_Connection *c, void **socket_context);
  void connection_closed(Daemon &daemon, void **socket_context);
  Request *request_started(MHD_Connection *c);
  void request_completed(Request *request);
  int handle(Daemon &daemon, MHD_Connection *c, const char *url, const char *method, const char *upload,
             std::size_t *upload_size, void **request_context);
  int first_call(Daemon &daemon, MHD_Connection *c, Request &r);
  int dispatch(MHD_Connection *c, Request &r);
  std::optional<Reply> immediate_reply(const Request &r) const;
  int queue(MHD_Connection *c, Request &r, const Reply &reply);

  // On a worker (or the event thread, for what is answered at once).
  void serve(MHD_Connection *c, Request &r);
  Reply serve_deferred(const Request &r);
  void finish(MHD_Connection *c, Request &r, Reply reply);

  Endpoints endpoints_;
  std::shared_ptr<WebSettingsSource> web_;
  config::HttpLimits limits_;
  HttpMetrics &metrics_;
  ConnectionTable connections_;
  WorkQueue workers_;
  WorkQueue password_checks_;
  SharedCollection scrapes_;
  std::vector<std::pair<Listener, UniqueFd>> pending_;  // bound, not yet served
  std::vector<std::unique_ptr<Daemon>> daemons_;
  std::filesystem::path socket_path_;
  int port_ = -1;

  std::mutex mutex_;  // guards what follows
  std::condition_variable changed_;
  bool stop_requested_ = false;
  bool stopping_ = false;    // no request is suspended any more
  std::size_t suspended_ = 0;  // requests a worker still has to resume
  std::jthread expiry_;
};

}  // namespace vnf::http
