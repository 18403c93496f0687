#include "http/http_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace vnf::http {
namespace {

constexpr const char *kExpositionType = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::size_t kWorkerThreads = 4;  // scrapes are serialised anyway; health checks need a spare
constexpr std::size_t kMaxRequestBody = 64 * 1024;

// SO_REUSEADDR only: the library default, SO_REUSEPORT, would let a second agent bind the same
// port silently instead of failing with "address already in use".
void listening_socket_options(int sock) {
  int yes = 1, no = 0;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  int domain = 0;
  socklen_t len = sizeof domain;
  if (getsockopt(sock, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 && domain == AF_INET6)
    setsockopt(sock, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);  // [::] also takes IPv4
}

void plain(httplib::Response &res, int status, const std::string &body) {
  res.status = status;
  res.set_content(body + "\n", "text/plain; charset=utf-8");
}

}  // namespace

HttpServer::HttpServer(Endpoints endpoints)
    : endpoints_(std::move(endpoints)), server_(std::make_unique<httplib::Server>()) {
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server_->set_socket_options(listening_socket_options);
  server_->set_payload_max_length(kMaxRequestBody);
  server_->set_read_timeout(10, 0);
  server_->set_write_timeout(10, 0);
  route_reads();
  route_api();
  route_errors();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::route_reads() {
  server_->Get("/metrics", [this](const httplib::Request &, httplib::Response &res) {
    // Sent from the scrape's buffer itself: set_content would copy the whole exposition again.
    auto text = endpoints_.metrics();
    res.set_content_provider(text->size(), kExpositionType,
                             [text](std::size_t offset, std::size_t length, httplib::DataSink &sink) {
                               return sink.write(text->data() + offset, std::min(length, text->size() - offset));
                             });
  });
  server_->Get("/healthz", [](const httplib::Request &, httplib::Response &res) { plain(res, 200, "ok"); });
  server_->Get("/readyz", [this](const httplib::Request &, httplib::Response &res) {
    if (endpoints_.ready()) plain(res, 200, "ready");
    else plain(res, 503, "not ready: no collection has succeeded yet");
  });
  server_->Get("/v1/vnfs", [this](const httplib::Request &, httplib::Response &res) {
    res.set_content(endpoints_.vnfs(), "application/json");
  });
  server_->Get("/", [](const httplib::Request &, httplib::Response &res) {
    plain(res, 200, "vnf-agent: /metrics /healthz /readyz /v1/vnfs /v1/scaling-events");
  });
}

void HttpServer::route_api() {
  auto answer = [](httplib::Response &res, const hook::ApiResponse &r) {
    res.status = r.status;
    res.set_content(r.body, "application/json");
  };
  server_->Post(R"(/v1/(scaling-events|vnfs))", [this, answer](const httplib::Request &req, httplib::Response &res) {
    answer(res, endpoints_.post(req.path, req.get_header_value("Content-Type"), req.body,
                                req.get_header_value("Authorization"), req.remote_addr));
  });
  server_->Get("/v1/scaling-events", [this, answer](const httplib::Request &req, httplib::Response &res) {
    std::map<std::string, std::string> query(req.params.begin(), req.params.end());
    answer(res, endpoints_.list_scaling_events(query));
  });
}

void HttpServer::route_errors() {
  auto wrong_method = [](const httplib::Request &req, httplib::Response &res) {
    if (req.path == "/v1/scaling-events") {
      res.set_header("Allow", "GET, POST");
      res.status = 405;
      res.set_content(hook::json_error(405, "method " + req.method + " not allowed on " + req.path).body, "application/json");
    } else if (req.path == "/v1/vnfs") {
      res.set_header("Allow", "GET, POST");
      plain(res, 405, "method " + req.method + " not allowed on " + req.path);
    } else if (req.path == "/metrics" || req.path == "/healthz" || req.path == "/readyz" || req.path == "/") {
      res.set_header("Allow", "GET, HEAD");
      plain(res, 405, "method " + req.method + " not allowed on " + req.path);
    } else {
      plain(res, 404, "not found: " + req.path);
    }
  };
  server_->Post(".*", wrong_method);
  server_->Put(".*", wrong_method);
  server_->Delete(".*", wrong_method);
  server_->Patch(".*", wrong_method);

  // Errors the library raises itself (an over-long body, a malformed request) still get a
  // message that names the problem.
  server_->set_error_handler([](const httplib::Request &, httplib::Response &res) {
    if (!res.body.empty()) return;
    const std::string message = res.status == 413 ? "body larger than 64 KiB"
                                                  : "request rejected (HTTP " + std::to_string(res.status) + ")";
    res.set_content(hook::json_error(res.status, message).body, "application/json");
  });
  server_->set_exception_handler([](const httplib::Request &req, httplib::Response &res, std::exception_ptr ep) {
    std::string what = "unknown error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception &e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("http: {} {}: {}", req.method, req.path, what);
    plain(res, 500, "internal error: " + what);
  });
}

void HttpServer::bind(const config::ListenAddress &address) {
  std::string host = address.host;
  if (host.empty()) host = "::";
  errno = 0;
  int port = address.port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, address.port) ? address.port : -1);
  if (port < 0 && address.host.empty()) {  // no IPv6 on this host: all IPv4 addresses instead
    errno = 0;
    host = "0.0.0.0";
    port = address.port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, address.port) ? address.port : -1);
  }
  if (port < 0) {
    const int err = errno;
    std::string reason = err ? std::strerror(err) : "cannot bind";
    std::string hint = err == EADDRINUSE ? " (another process listens there: pick another port with --listen or METRICS_PORT)"
                       : err == EACCES ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)"
                                       : "";
    throw std::runtime_error("cannot listen on " + address.to_string() + ": " + reason + hint);
  }
  port_ = port;
}

void HttpServer::serve() {
  if (!server_->listen_after_bind()) throw std::runtime_error("HTTP server stopped unexpectedly");
}

void HttpServer::stop() {
  if (server_) server_->stop();
}

}  // namespace vnf::http
