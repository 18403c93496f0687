#pragma once
// Which handler serves a request, by listener, method and path, and the answers that need no
// handler. The TCP port serves the read endpoints and the API (POSTs with the bearer token);
// the unix socket serves the API alone, without a token. Handler names are the label of
// vnf_agent_http_requests_total: a fixed set, whatever path a client sends.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hook/api_response.h"
#include "http/http_metrics.h"

namespace vnf::http {

inline constexpr const char *kExpositionType = "text/plain; version=0.0.4; charset=utf-8";

struct Reply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::shared_ptr<const std::string> shared_body;  // sent instead of `body`, without a copy
  std::vector<std::pair<std::string, std::string>> headers;  // Allow, WWW-Authenticate, ...

  static Reply plain(int status, const std::string &text);  // adds the newline
  static Reply json(const hook::ApiResponse &response);
};

enum class Target {
  index,          // GET /
  metrics,        // GET /metrics
  healthz,        // GET /healthz
  readyz,         // GET /readyz
  list_vnfs,      // GET /v1/vnfs
  list_vnf_types, // GET /v1/vnf-types
  list_events,    // GET /v1/scaling-events
  post_api,       // POST /v1/scaling-events, /v1/vnfs (bearer token)
  hook,           // anything on the unix socket: hook::route answers
  wrong_method,
  not_found,
};

struct Route {
  Target target;
  std::string_view handler;
};

// HEAD is served as GET (without the body).
Route route(Listener listener, std::string_view method, std::string_view path);

// Whether a request must carry basic auth when the web config has users: everything but the
// health checks (kubelet probes carry no credentials) and the API's POSTs (the bearer token
// authenticates those).
bool needs_basic_auth(Target target);

// 401 asking for basic auth.
Reply unauthorized();

// The 405 of a known path (with its Allow header) and the 404 of any other.
Reply method_not_allowed(std::string_view method, std::string_view path);
Reply not_found(std::string_view path);

}  // namespace vnf::http
