#include "http/http_server.h"

#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <charconv>
#include <cstdarg>
#include <cstdio>
#include <optional>
#include <stdexcept>

#include "common/stoppable_sleep.h"
#include "http/listen_socket.h"
#include "http/routes.h"

namespace vnf::http {
namespace {

constexpr std::size_t kWorkerThreads = 4;
constexpr auto kExpiryInterval = std::chrono::milliseconds(250);
// libmicrohttpd's own limit sits above ours, so that our accept policy sees (and counts)
// every connection it turns away.
constexpr unsigned kLibraryConnectionMargin = 64;

// Each connection's buffer for its request head and response head. libmicrohttpd zeroes it
// after every request, so an idle keep-alive connection keeps all of it resident: 32 KiB (the
// default) came to 40 MiB for 1,400 connections, 8 KiB to 11 MiB. Heads of up to
// about 7.5 KiB fit (a Prometheus scrape's is 300 bytes); a larger one is answered 431.
constexpr std::size_t kConnectionMemory = 8 * 1024;

using Clock = ConnectionTable::Clock;

std::string header(MHD_Connection *c, const char *name) {
  const char *value = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
  return value ? value : "";
}

Query query_of(MHD_Connection *c) {
  Query query;
  MHD_get_connection_values(
      c, MHD_GET_ARGUMENT_KIND,
      [](void *cls, MHD_ValueKind, const char *key, const char *value) {
        (*static_cast<Query *>(cls))[key] = value ? value : "";
        return MHD_YES;
      },
      &query);
  return query;
}

std::string size_text(std::size_t bytes) {
  if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

void log_library_message(void *, const char *format, va_list args) {
  char text[512];
  std::vsnprintf(text, sizeof text, format, args);
  std::string_view message(text);
  while (!message.empty() && message.back() == '\n') message.remove_suffix(1);
  spdlog::debug("http: {}", message);
}

}  // namespace

struct HttpServer::Daemon {
  HttpServer &server;
  Listener listener;
  MHD_Daemon *daemon = nullptr;
  bool tls = false;
};

struct HttpServer::Connection {
  ConnectionTable::Id id;
  std::string client;                          // its IP address, "" on the socket
  std::shared_ptr<const WebSettings> settings;  // the web config in force when it opened (TCP); may be null
};

struct HttpServer::Request {
  Connection *connection = nullptr;
  bool head_seen = false;
  bool answered = false;  // a reply is queued: anything more the client sends is dropped
  bool dispatched = false;
  bool too_large = false;
  bool check_password = false;  // a bcrypt check (on a worker) before it is served
  std::string user, password;
  Route route{Target::not_found, "other"};
  std::string method, path, content_type, authorization, body;
  Query query;
  std::optional<Reply> reply;  // a worker's answer, queued when the connection resumes
};

HttpServer::HttpServer(Endpoints endpoints, const config::HttpLimits &limits, HttpMetrics &metrics,
                       std::shared_ptr<WebSettingsSource> web)
    : endpoints_(std::move(endpoints)),
      web_(std::move(web)),
      limits_(limits),
      metrics_(metrics),
      connections_(limits.max_connections, limits.max_connections_per_client),
      workers_(kWorkerThreads),
      password_checks_(1),
      scrapes_([this] { return endpoints_.metrics(); }, workers_, limits.max_concurrent_scrapes) {}

HttpServer::~HttpServer() {
  shutdown_daemons();
  std::error_code ec;
  if (!socket_path_.empty()) std::filesystem::remove(socket_path_, ec);
}

void HttpServer::listen(const config::ListenAddress &address) {
  auto socket = listen_tcp(address);
  port_ = socket.port;
  pending_.emplace_back(Listener::tcp, std::move(socket.fd));
}

void HttpServer::listen_unix(const std::filesystem::path &path) {
  pending_.emplace_back(Listener::unix_socket, http::listen_unix(path));
  socket_path_ = path;
}

void HttpServer::serve() {
  for (auto &[listener, fd] : pending_) start_daemon(listener, fd.release());
  pending_.clear();
  expiry_ = std::jthread([this](std::stop_token stop) { expire_slow_requests(stop); });
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return stop_requested_; });
  }
  shutdown_daemons();
}

void HttpServer::stop() {
  std::lock_guard lock(mutex_);
  stop_requested_ = true;
  changed_.notify_all();
}

void HttpServer::start_daemon(Listener listener, int listen_fd) {
  auto d = std::make_unique<Daemon>(Daemon{*this, listener});
  using AcceptPolicy = MHD_Result (*)(void *, const sockaddr *, socklen_t);
  AcceptPolicy accept_policy = [](void *cls, const sockaddr *address, socklen_t length) {
    return static_cast<Daemon *>(cls)->server.admit(address, length) ? MHD_YES : MHD_NO;
  };
  MHD_AccessHandlerCallback access = [](void *cls, MHD_Connection *c, const char *url, const char *method, const char *,
                                        const char *upload, std::size_t *upload_size, void **context) {
    auto &daemon = *static_cast<Daemon *>(cls);
    return static_cast<MHD_Result>(daemon.server.handle(daemon, c, url, method, upload, upload_size, context));
  };
  MHD_NotifyConnectionCallback notify = [](void *cls, MHD_Connection *c, void **socket_context,
                                           MHD_ConnectionNotificationCode code) {
    auto &daemon = *static_cast<Daemon *>(cls);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) daemon.server.connection_started(daemon, c, socket_context);
    else daemon.server.connection_closed(daemon, socket_context);
  };
  using UriLog = void *(*)(void *, const char *, MHD_Connection *);
  UriLog uri_log = [](void *cls, const char *, MHD_Connection *c) -> void * {
    return static_cast<Daemon *>(cls)->server.request_started(c);
  };
  MHD_RequestCompletedCallback completed = [](void *cls, MHD_Connection *, void **context, MHD_RequestTerminationCode) {
    static_cast<Daemon *>(cls)->server.request_completed(static_cast<Request *>(*context));
    *context = nullptr;
  };
  using Logger = void (*)(void *, const char *, va_list);
  const Logger logger = log_library_message;

  auto option = [](MHD_OPTION o, intptr_t value, void *ptr = nullptr) { return MHD_OptionItem{o, value, ptr}; };
  auto callback = [](MHD_OPTION o, auto *fn, void *cls) {
    return MHD_OptionItem{o, reinterpret_cast<intptr_t>(fn), cls};
  };
  std::vector<MHD_OptionItem> options = {
      option(MHD_OPTION_LISTEN_SOCKET, listen_fd),
      option(MHD_OPTION_CONNECTION_LIMIT, limits_.max_connections + kLibraryConnectionMargin),
      option(MHD_OPTION_CONNECTION_TIMEOUT, limits_.idle_timeout_seconds),
      option(MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<intptr_t>(kConnectionMemory)),
      callback(MHD_OPTION_NOTIFY_CONNECTION, notify, d.get()),
      callback(MHD_OPTION_URI_LOG_CALLBACK, uri_log, d.get()),
      callback(MHD_OPTION_NOTIFY_COMPLETED, completed, d.get()),
      callback(MHD_OPTION_EXTERNAL_LOGGER, logger, nullptr)};
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  // TLS: the library starts with the certificate in force; each connection then gets the
  // credentials in force when it opens (connection_started), so that reloads reach new ones.
  std::shared_ptr<const WebSettings> settings = web_ ? web_->current() : nullptr;
  if (listener == Listener::tcp && settings && settings->tls) {
    flags |= MHD_USE_TLS;
    options.push_back(option(MHD_OPTION_HTTPS_MEM_CERT, 0, const_cast<char *>(settings->tls->cert_pem().c_str())));
    options.push_back(option(MHD_OPTION_HTTPS_MEM_KEY, 0, const_cast<char *>(settings->tls->key_pem().c_str())));
    d->tls = true;
  }
  options.push_back(option(MHD_OPTION_END, 0));
  d->daemon = MHD_start_daemon(flags, 0, accept_policy, d.get(), access, d.get(), MHD_OPTION_ARRAY, options.data(),
                               MHD_OPTION_END);
  if (!d->daemon) {
    close(listen_fd);
    throw std::runtime_error(std::string("cannot start the HTTP server on the ") + std::string(name_of(listener)) +
                             " listener");
  }
  daemons_.push_back(std::move(d));
}

// Requests in a worker's hands are finished first: libmicrohttpd must not stop with a
// connection suspended, and an endpoint must not run once serve() returns.
void HttpServer::shutdown_daemons() {
  {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    changed_.wait(lock, [this] { return suspended_ == 0; });
  }
  if (expiry_.joinable()) {
    expiry_.request_stop();
    expiry_.join();
  }
  for (auto &d : daemons_) MHD_stop_daemon(d->daemon);
  daemons_.clear();
}

void HttpServer::expire_slow_requests(std::stop_token stop) {
  while (sleep_unless_stopped(stop, kExpiryInterval)) {
    // shutdown() rather than close(): libmicrohttpd owns the descriptor; it sees the end of the
    // connection and closes it on its own thread.
    const auto expired = connections_.expire(Clock::now(), [](int fd) { ::shutdown(fd, SHUT_RDWR); });
    for (std::size_t i = 0; i < expired; ++i) metrics_.count(Rejection::read_timeout);
  }
}

bool HttpServer::admit(const sockaddr *address, socklen_t length) {
  switch (connections_.admit(client_address(address, length))) {
    case Admission::accepted: return true;
    case Admission::connection_limit: metrics_.count(Rejection::connection_limit); return false;
    case Admission::client_limit: metrics_.count(Rejection::client_limit); return false;
  }
  return false;
}

void HttpServer::connection_started(Daemon &daemon, MHD_Connection *c, void **socket_context) {
  const auto *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
  const auto *address = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  std::string client;
  if (daemon.listener == Listener::tcp && address && address->client_addr)
    client = client_address(address->client_addr,
                            address->client_addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
  const auto deadline = Clock::now() + std::chrono::seconds(limits_.read_timeout_seconds);
  auto *connection = new Connection{connections_.opened(client, fd ? fd->connect_fd : -1, deadline), client,
                                    daemon.listener == Listener::tcp && web_ ? web_->current() : nullptr};
  *socket_context = connection;
  if (daemon.tls && connection->settings && connection->settings->tls) {
    if (const auto *tls = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION))
      connection->settings->tls->apply(static_cast<gnutls_session_t>(tls->tls_session));
  }
  metrics_.connection_opened(daemon.listener);
}

void HttpServer::connection_closed(Daemon &daemon, void **socket_context) {
  auto *connection = static_cast<Connection *>(*socket_context);
  if (!connection) return;
  connections_.closed(connection->id);
  delete connection;
  *socket_context = nullptr;
  metrics_.connection_closed(daemon.listener);
}

// The request line is in: the rest of this request must follow within the read timeout.
HttpServer::Request *HttpServer::request_started(MHD_Connection *c) {
  auto *request = new Request;
  if (const auto *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT)) {
    request->connection = static_cast<Connection *>(info->socket_context);
    if (request->connection)
      connections_.arm(request->connection->id, Clock::now() + std::chrono::seconds(limits_.read_timeout_seconds));
  }
  return request;
}

// The connection is idle: the next request line is due within the idle timeout (which
// libmicrohttpd enforces while nothing arrives), and the request within the read timeout.
void HttpServer::request_completed(Request *request) {
  if (!request) return;
  if (request->connection)
    connections_.arm(request->connection->id,
                     Clock::now() + std::chrono::seconds(limits_.idle_timeout_seconds + limits_.read_timeout_seconds));
  delete request;
}

int HttpServer::handle(Daemon &daemon, MHD_Connection *c, const char *url, const char *method, const char *upload,
                       std::size_t *upload_size, void **request_context) {
  if (!*request_context) *request_context = request_started(c);
  auto &r = *static_cast<Request *>(*request_context);
  if (!r.head_seen) {
    r.head_seen = true;
    r.method = method;
    r.path = url;
    return first_call(daemon, c, r);
  }
  if (*upload_size > 0) {
    if (!r.answered && !r.too_large && !r.reply) {  // a body nobody reads is dropped
      if (r.body.size() + *upload_size > limits_.max_body_bytes) {
        // A chunked body past the limit: its length was not known in time for a 413.
        r.too_large = true;
        metrics_.count(Rejection::body_limit);
        return MHD_NO;
      }
      r.body.append(upload, *upload_size);
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (r.answered) return MHD_YES;
  if (r.reply) {
    if (r.connection) connections_.disarm(r.connection->id);
    return queue(c, r, *r.reply);
  }
  if (r.dispatched) return MHD_YES;
  return dispatch(c, r);
}

// The head is in. A body declared too large is refused at once (and the connection closed);
// what needs no worker is answered as soon as the request is complete, which keeps the
// connection alive; the rest waits for its body.
int HttpServer::first_call(Daemon &daemon, MHD_Connection *c, Request &r) {
  r.route = route(daemon.listener, r.method, r.path);
  const std::string length = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
  std::uint64_t declared = 0;
  if (!length.empty() && std::from_chars(length.data(), length.data() + length.size(), declared).ec == std::errc{} &&
      declared > limits_.max_body_bytes) {
    if (r.connection) connections_.disarm(r.connection->id);
    metrics_.count(Rejection::body_limit);
    return queue(c, r, Reply::json(hook::json_error(413, "body larger than " + size_text(limits_.max_body_bytes))));
  }
  r.content_type = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
  r.authorization = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
  r.query = query_of(c);
  const auto *settings = r.connection ? r.connection->settings.get() : nullptr;
  if (settings && settings->users && needs_basic_auth(r.route.target)) {
    char *password = nullptr;
    char *user = MHD_basic_auth_get_username_password(c, &password);
    if (user && password) {
      r.user = user;
      r.password = password;
    }
    MHD_free(user);
    MHD_free(password);
    if (r.user.empty()) r.reply = unauthorized();
    else r.check_password = !settings->users->known_good(r.user, r.password);
  }
  if (!r.reply && !r.check_password) r.reply = immediate_reply(r);
  return MHD_YES;
}

// What is answered without a worker (health checks, errors), or nothing.
std::optional<Reply> HttpServer::immediate_reply(const Request &r) const {
  switch (r.route.target) {
    case Target::healthz: return Reply::plain(200, "ok");
    case Target::readyz:
      return endpoints_.ready() ? Reply::plain(200, "ready") : Reply::plain(503, "not ready: no collection has succeeded yet");
    case Target::index: return Reply::plain(200, "vnf-agent: /metrics /healthz /readyz /v1/vnfs /v1/vnf-types /v1/scaling-events");
    case Target::wrong_method: return method_not_allowed(r.method, r.path);
    case Target::not_found: return not_found(r.path);
    default: return std::nullopt;
  }
}

// The whole request is in: it goes to a worker, its connection suspended meanwhile.
int HttpServer::dispatch(MHD_Connection *c, Request &r) {
  if (r.connection) connections_.disarm(r.connection->id);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return queue(c, r, Reply::plain(503, "the agent is stopping"));
    ++suspended_;
  }
  r.dispatched = true;
  MHD_suspend_connection(c);
  if (r.check_password) {
    // Password checks have their own thread: a flood of wrong ones cannot delay scrapes and hooks.
    password_checks_.post([this, c, &r] {
      const auto &users = r.connection->settings->users;
      if (!users->verify(r.user, r.password)) {
        spdlog::warn("http: {} {} from {}: wrong user or password for '{}'", r.method, r.path, r.connection->client, r.user);
        return finish(c, r, unauthorized());
      }
      serve(c, r);
    });
  } else {
    serve(c, r);
  }
  return MHD_YES;
}

// The request, authenticated; its connection suspended until finish().
void HttpServer::serve(MHD_Connection *c, Request &r) {
  if (auto reply = immediate_reply(r)) return finish(c, r, std::move(*reply));
  if (r.route.target != Target::metrics) {
    workers_.post([this, c, &r] { finish(c, r, serve_deferred(r)); });
    return;
  }
  const bool joined = scrapes_.join([this, c, &r](const SharedCollection::Outcome &outcome) {
    if (outcome.text) {
      Reply reply;
      reply.content_type = kExpositionType;
      reply.shared_body = outcome.text;
      finish(c, r, std::move(reply));
    } else {
      spdlog::error("http: GET /metrics: {}", outcome.error);
      finish(c, r, Reply::plain(500, "internal error: " + outcome.error));
    }
  });
  if (!joined) {
    metrics_.count(Rejection::scrape_limit);
    finish(c, r, Reply::plain(503, "too many concurrent scrapes (" + std::to_string(limits_.max_concurrent_scrapes) +
                                       " wait for one collection already)"));
  }
}

Reply HttpServer::serve_deferred(const Request &r) {
  const bool api = r.route.target != Target::list_vnfs && r.route.target != Target::list_vnf_types;
  try {
    switch (r.route.target) {
      case Target::list_vnfs:
      case Target::list_vnf_types: {
        Reply reply;
        reply.content_type = "application/json";
        reply.body = r.route.target == Target::list_vnfs ? endpoints_.vnfs() : endpoints_.vnf_types();
        return reply;
      }
      case Target::list_events: return Reply::json(endpoints_.list_scaling_events(r.query));
      case Target::post_api:
        return Reply::json(endpoints_.post(r.path, r.content_type, r.body, r.authorization,
                                           r.connection ? r.connection->client : ""));
      case Target::hook: return Reply::json(endpoints_.hook(r.method, r.path, r.query, r.content_type, r.body));
      default: return not_found(r.path);
    }
  } catch (const std::exception &e) {
    spdlog::error("http: {} {}: {}", r.method, r.path, e.what());
    return api ? Reply::json(hook::json_error(500, "internal error")) : Reply::plain(500, "internal error: " + std::string(e.what()));
  }
}

void HttpServer::finish(MHD_Connection *c, Request &r, Reply reply) {
  r.reply = std::move(reply);
  MHD_resume_connection(c);
  std::lock_guard lock(mutex_);
  --suspended_;
  changed_.notify_all();
}

int HttpServer::queue(MHD_Connection *c, Request &r, const Reply &reply) {
  MHD_Response *response = nullptr;
  if (reply.shared_body) {
    auto *held = new std::shared_ptr<const std::string>(reply.shared_body);  // until the library is done sending
    response = MHD_create_response_from_buffer_with_free_callback_cls(
        (*held)->size(), const_cast<char *>((*held)->data()),
        [](void *cls) { delete static_cast<std::shared_ptr<const std::string> *>(cls); }, held);
    if (!response) delete held;
  } else {
    response = MHD_create_response_from_buffer(reply.body.size(), const_cast<char *>(reply.body.data()),
                                               MHD_RESPMEM_MUST_COPY);
  }
  if (!response) return MHD_NO;
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, reply.content_type.c_str());
  for (const auto &[name, value] : reply.headers) MHD_add_response_header(response, name.c_str(), value.c_str());
  if (r.connection && r.connection->settings)
    for (const auto &[name, value] : r.connection->settings->headers) MHD_add_response_header(response, name.c_str(), value.c_str());
  const auto queued = MHD_queue_response(c, static_cast<unsigned>(reply.status), response);
  MHD_destroy_response(response);
  r.answered = true;
  metrics_.count_request(r.route.handler, reply.status);
  return queued;
}

}  // namespace vnf::http
