#pragma once
// The agent's one HTTP port: /metrics, /healthz, /readyz and the orchestrator API (/v1/...).
// Anonymous clients may only read; a POST needs the bearer token (see run/agent.cpp). Anything
// else is 404, or 405 for a wrong method.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "config/listen_address.h"
#include "hook/hook_api.h"

namespace httplib {
class Server;
}

namespace vnf::http {

struct Endpoints {
  // The exposition text, shared with the scrape that may reuse its buffer once it is sent;
  // may throw.
  std::function<std::shared_ptr<const std::string>()> metrics;
  std::function<bool()> ready;           // true once the first collection succeeded
  std::function<std::string()> vnfs;     // GET /v1/vnfs JSON; may throw
  // POST /v1/scaling-events and /v1/vnfs (path, content type, body, Authorization header, peer).
  std::function<hook::ApiResponse(const std::string &, const std::string &, const std::string &, const std::string &,
                                  const std::string &)>
      post;
  // GET /v1/scaling-events (query parameters).
  std::function<hook::ApiResponse(const std::map<std::string, std::string> &)> list_scaling_events;
};

class HttpServer {
 public:
  explicit HttpServer(Endpoints endpoints);
  ~HttpServer();
  HttpServer(const HttpServer &) = delete;
  HttpServer &operator=(const HttpServer &) = delete;

  // Binds the listening socket; throws std::runtime_error with an actionable message.
  // Port 0 picks a free port (see port()).
  void bind(const config::ListenAddress &address);
  int port() const { return port_; }

  // Serves until stop() is called (from any thread).
  void serve();
  void stop();

 private:
  void route_reads();   // the read-only endpoints
  void route_api();     // /v1/scaling-events and POST /v1/vnfs
  void route_errors();  // wrong methods, the library's own errors, exceptions

  Endpoints endpoints_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = -1;
};

}  // namespace vnf::http
