#pragma once
// The agent's one HTTP port: /metrics, /healthz and /readyz (the orchestrator API joins them
// here). Read-only endpoints; anything else is 404, or 405 for a wrong method.

#include <functional>
#include <memory>
#include <string>

#include "config/listen_address.h"

namespace httplib {
class Server;
}

namespace vnf::http {

struct Endpoints {
  std::function<std::string()> metrics;  // the exposition text; may throw
  std::function<bool()> ready;           // true once the first collection succeeded
  std::function<std::string()> vnfs;     // GET /v1/vnfs JSON; may throw
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
  void route();

  Endpoints endpoints_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = -1;
};

}  // namespace vnf::http
