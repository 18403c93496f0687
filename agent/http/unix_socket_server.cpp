#include "http/unix_socket_server.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "hook/scaling_event.h"

namespace vnf::http {
namespace {

constexpr std::size_t kMaxHeadBytes = 16 * 1024;
constexpr int kClientTimeoutSeconds = 5;

const char *reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 503: return "Service Unavailable";
    default: return status < 500 ? "Error" : "Server Error";
  }
}

void send_all(int fd, const std::string &data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0 && errno == EINTR) continue;
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

void respond(int fd, const hook::ApiResponse &r) {
  send_all(fd, "HTTP/1.1 " + std::to_string(r.status) + " " + reason_phrase(r.status) +
                   "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(r.body.size()) +
                   "\r\nConnection: close\r\n\r\n" + r.body);
}

std::map<std::string, std::string> parse_query(std::string_view q) {
  std::map<std::string, std::string> out;
  while (!q.empty()) {
    auto amp = q.find('&');
    auto pair = q.substr(0, amp);
    auto eq = pair.find('=');
    out[std::string(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace

bool parse_request_head(std::string_view head, UnixRequest &request) {
  auto line_end = head.find("\r\n");
  if (line_end == std::string_view::npos) return false;
  std::string_view line = head.substr(0, line_end);
  auto sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1 || !line.substr(sp2 + 1).starts_with("HTTP/1.")) return false;
  request.method = std::string(line.substr(0, sp1));
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (target.empty() || target.front() != '/') return false;
  auto question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = parse_query(target.substr(question + 1));
  head.remove_prefix(line_end + 2);
  while (!head.empty()) {
    auto end = head.find("\r\n");
    std::string_view h = head.substr(0, end);
    if (h.empty()) break;
    auto colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    std::string name(h.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    auto value = h.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    request.headers[name] = std::string(value);
    if (end == std::string_view::npos) break;
    head.remove_prefix(end + 2);
  }
  return true;
}

UnixSocketServer::UnixSocketServer(const std::filesystem::path &path, Handler handler)
    : path_(path), handler_(std::move(handler)) {
  sockaddr_un addr{};
  if (path.native().size() >= sizeof addr.sun_path) throw std::runtime_error("socket path too long: " + path.string());
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::filesystem::remove(path, ec);  // a stale socket of an earlier run
  listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  // Created with no access for others from the first moment, then opened to the group.
  const mode_t old_mask = umask(0117);
  const bool bound = listen_fd_ >= 0 && bind(listen_fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
  umask(old_mask);
  if (!bound || listen(listen_fd_, 16) != 0 || pipe2(wake_fd_, O_CLOEXEC) != 0) {
    const int err = errno;
    if (listen_fd_ >= 0) close(listen_fd_);
    throw std::runtime_error("cannot listen on unix socket " + path.string() + ": " + std::strerror(err));
  }
  if (group *g = getgrnam("vnf-agent")) {
    if (chown(path.c_str(), static_cast<uid_t>(-1), g->gr_gid) != 0)
      spdlog::warn("hook: cannot give {} to group vnf-agent: {}", path.string(), std::strerror(errno));
  }
  chmod(path.c_str(), 0660);
  thread_ = std::thread([this] { serve(); });
}

UnixSocketServer::~UnixSocketServer() {
  stop_ = true;
  if (write(wake_fd_[1], "x", 1) < 0) {
  }
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
  close(wake_fd_[0]);
  close(wake_fd_[1]);
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

void UnixSocketServer::serve() {
  pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_[0], POLLIN, 0}};
  while (!stop_) {
    if (poll(fds, 2, -1) <= 0 || fds[1].revents) continue;
    int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    timeval timeout{kClientTimeoutSeconds, 0};
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    try {
      handle(client);
    } catch (const std::exception &e) {
      spdlog::error("hook: unix socket request failed: {}", e.what());
      respond(client, hook::json_error(500, "internal error"));
    }
    close(client);
  }
}

void UnixSocketServer::handle(int client) {
  std::string data;
  char buf[4096];
  std::size_t head_end = std::string::npos;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
    if (data.size() > kMaxHeadBytes) return respond(client, hook::json_error(400, "request head too large"));
    ssize_t n = recv(client, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return respond(client, hook::json_error(n == 0 ? 400 : 408, "incomplete request"));
    data.append(buf, static_cast<std::size_t>(n));
  }
  UnixRequest request;
  if (!parse_request_head(std::string_view(data).substr(0, head_end + 2), request))
    return respond(client, hook::json_error(400, "malformed HTTP request"));
  std::size_t length = 0;
  if (auto it = request.headers.find("content-length"); it != request.headers.end()) {
    auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), length);
    if (ec != std::errc{} || end != it->second.data() + it->second.size())
      return respond(client, hook::json_error(400, "invalid Content-Length"));
  } else if (request.headers.count("transfer-encoding")) {
    return respond(client, hook::json_error(411, "send a Content-Length; chunked bodies are not accepted"));
  }
  if (length > hook::kMaxBodyBytes) return respond(client, hook::json_error(413, "body larger than 64 KiB"));
  request.body = data.substr(head_end + 4);
  while (request.body.size() < length) {
    ssize_t n = recv(client, buf, std::min(sizeof buf, length - request.body.size()), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return respond(client, hook::json_error(n == 0 ? 400 : 408, "incomplete body"));
    request.body.append(buf, static_cast<std::size_t>(n));
  }
  request.body.resize(length);
  respond(client, handler_(request));
}

}  // namespace vnf::http
