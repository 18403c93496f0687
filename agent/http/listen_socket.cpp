#include "http/listen_socket.h"

#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace vnf::http {
namespace {

constexpr int kBacklog = 1024;

// One socket bound to host:port, or the errno of the first failure.
int bind_one(const char *host, std::uint16_t port, UniqueFd &out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo *found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host, service.c_str(), &hints, &found); rc != 0) return rc == EAI_SYSTEM ? errno : EADDRNOTAVAIL;
  int err = EADDRNOTAVAIL;
  for (addrinfo *ai = found; ai; ai = ai->ai_next) {
    UniqueFd fd(socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol));
    if (!fd) {
      err = errno;
      continue;
    }
    int yes = 1, no = 0;
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (ai->ai_family == AF_INET6) setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);  // [::] takes IPv4 too
    if (bind(fd.get(), ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd.get(), kBacklog) == 0) {
      out = std::move(fd);
      freeaddrinfo(found);
      return 0;
    }
    err = errno;
  }
  freeaddrinfo(found);
  return err;
}

int bound_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0) return -1;
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in *>(&address)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port);
}

}  // namespace

TcpListenSocket listen_tcp(const config::ListenAddress &address) {
  TcpListenSocket result;
  int err = bind_one(address.host.empty() ? "::" : address.host.c_str(), address.port, result.fd);
  if (err != 0 && err != EADDRINUSE && err != EACCES && address.host.empty()) err = bind_one("0.0.0.0", address.port, result.fd);  // no IPv6 here
  if (err != 0) {
    const std::string hint = err == EADDRINUSE ? " (another process listens there: pick another port with --listen or METRICS_PORT)"
                             : err == EACCES   ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)"
                                               : "";
    throw std::runtime_error("cannot listen on " + address.to_string() + ": " + std::strerror(err) + hint);
  }
  result.port = bound_port(result.fd.get());
  return result;
}

UniqueFd listen_unix(const std::filesystem::path &path) {
  sockaddr_un address{};
  if (path.native().size() >= sizeof address.sun_path) throw std::runtime_error("socket path too long: " + path.string());
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::filesystem::remove(path, ec);  // a stale socket of an earlier run
  UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  // Created with no access for others from the first moment, then opened to the group.
  const mode_t old_mask = umask(0117);
  const bool bound = fd && bind(fd.get(), reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
  umask(old_mask);
  if (!bound || listen(fd.get(), kBacklog) != 0)
    throw std::runtime_error("cannot listen on unix socket " + path.string() + ": " + std::strerror(errno));
  if (group *g = getgrnam("vnf-agent")) {
    if (chown(path.c_str(), static_cast<uid_t>(-1), g->gr_gid) != 0)
      spdlog::warn("hook: cannot give {} to group vnf-agent: {}", path.string(), std::strerror(errno));
  }
  chmod(path.c_str(), 0660);
  return fd;
}

}  // namespace vnf::http
