#include "http/routes.h"

namespace vnf::http {
namespace {

bool is_read(std::string_view method) { return method == "GET" || method == "HEAD"; }

std::string_view handler_of(std::string_view path) {
  if (path == "/metrics") return "metrics";
  if (path == "/healthz") return "healthz";
  if (path == "/readyz") return "readyz";
  if (path == "/") return "index";
  if (path == "/v1/vnfs") return "vnfs";
  if (path == "/v1/vnf-types") return "vnf_types";
  if (path == "/v1/scaling-events") return "scaling_events";
  return "other";
}

}  // namespace

Reply Reply::plain(int status, const std::string &text) {
  Reply r;
  r.status = status;
  r.body = text + "\n";
  return r;
}

Reply Reply::json(const hook::ApiResponse &response) {
  Reply r;
  r.status = response.status;
  r.content_type = "application/json";
  r.body = response.body;
  return r;
}

Route route(Listener listener, std::string_view method, std::string_view path) {
  const auto handler = handler_of(path);
  if (listener == Listener::unix_socket) return {Target::hook, handler};
  if (handler == "other") return {Target::not_found, handler};
  if (path == "/v1/scaling-events" || path == "/v1/vnfs") {
    if (method == "POST") return {Target::post_api, handler};
    if (is_read(method)) return {path == "/v1/vnfs" ? Target::list_vnfs : Target::list_events, handler};
    return {Target::wrong_method, handler};
  }
  if (!is_read(method)) return {Target::wrong_method, handler};
  if (path == "/metrics") return {Target::metrics, handler};
  if (path == "/healthz") return {Target::healthz, handler};
  if (path == "/readyz") return {Target::readyz, handler};
  if (path == "/v1/vnf-types") return {Target::list_vnf_types, handler};
  return {Target::index, handler};
}

Reply method_not_allowed(std::string_view method, std::string_view path) {
  const std::string message = "method " + std::string(method) + " not allowed on " + std::string(path);
  Reply r;
  if (path == "/v1/scaling-events") {
    r = Reply::json(hook::json_error(405, message));
    r.headers.emplace_back("Allow", "GET, POST");
  } else if (path == "/v1/vnfs") {
    r = Reply::plain(405, message);
    r.headers.emplace_back("Allow", "GET, POST");
  } else {
    r = Reply::plain(405, message);
    r.headers.emplace_back("Allow", "GET, HEAD");
  }
  return r;
}

bool needs_basic_auth(Target target) {
  return target != Target::healthz && target != Target::readyz && target != Target::post_api && target != Target::hook;
}

Reply unauthorized() {
  Reply r = Reply::plain(401, "unauthorized: this agent needs basic auth (its web config lists the users)");
  r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"vnf-agent\", charset=\"UTF-8\"");
  return r;
}

Reply not_found(std::string_view path) { return Reply::plain(404, "not found: " + std::string(path)); }

}  // namespace vnf::http
