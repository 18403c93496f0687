// libFuzzer target for the HTTP server's request path: the real server (libmicrohttpd with
// this agent's callbacks, limits, routing, basic auth and body handling) on a TCP port that
// wants basic auth and on a hook socket, fed arbitrary bytes. Every input must end in an
// HTTP answer or a closed connection, never a crash, a hang or undefined behaviour; and the
// server must still answer a health check afterwards.
//
// The first byte picks the listener (even: TCP, odd: the socket); the rest is sent as is,
// followed by a request that asks the server to close (a half-close would not do: the
// library may leave a half-closed keep-alive connection to its idle timeout).

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <crypt.h>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "http/http_metrics.h"
#include "http/http_server.h"
#include "http/web_settings.h"
#include "metrics/registry.h"

namespace {

using namespace vnf;

struct Server {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("vnf-http-fuzz-" + std::to_string(getpid()));
  metrics::Registry registry;
  http::HttpMetrics metrics{registry};
  std::unique_ptr<http::HttpServer> server;
  std::thread thread;

  Server() {
    std::filesystem::create_directories(dir);
    // bcrypt at its lowest cost, so that checking a guessed password keeps the fuzzer fast.
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    crypt_gensalt_rn("$2b$", 4, nullptr, 0, salt, sizeof salt);
    crypt_data data{};
    std::ofstream(dir / "web.yml") << "basic_auth_users:\n  prometheus: " << crypt_r("fuzz", salt, &data) << "\n"
                                   << "http_server_config:\n  headers:\n    X-Frame-Options: deny\n";
    auto web = std::make_shared<http::WebSettingsSource>(dir / "web.yml");
    http::Endpoints endpoints{
        [] { return std::make_shared<const std::string>("# TYPE up gauge\nup 1\n"); },
        [] { return true; },
        [] { return std::string("[]\n"); },
        [] { return std::string("{}\n"); },
        [](const std::string &, const std::string &, const std::string &body, const std::string &, const std::string &) {
          return hook::ApiResponse{201, "{\"length\":" + std::to_string(body.size()) + "}\n"};
        },
        [](const http::Query &query) { return hook::ApiResponse{200, "{\"n\":" + std::to_string(query.size()) + "}\n"}; },
        [](const std::string &method, const std::string &, const http::Query &, const std::string &,
           const std::string &body) {
          if (method == "POST" && body.size() % 7 == 3) throw std::runtime_error("a handler failed");
          return hook::json_error(404, "fuzzed");
        }};
    config::HttpLimits limits;
    // What a fuzzed request leaves unfinished ends within these: a partial request line after a
    // complete request is an idle keep-alive connection, closed by the idle timeout.
    limits.read_timeout_seconds = 1;
    limits.idle_timeout_seconds = 1;
    server = std::make_unique<http::HttpServer>(endpoints, limits, metrics, web);
    server->listen(config::ListenAddress{"127.0.0.1", 0});
    server->listen_unix(dir / "agent.sock");
    thread = std::thread([this] { server->serve(); });
  }
  ~Server() {
    server->stop();
    thread.join();
    server.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  int connect_to(bool unix_socket) const {
    int fd = -1;
    if (unix_socket) {
      fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_un address{};
      address.sun_family = AF_UNIX;
      std::strncpy(address.sun_path, (dir / "agent.sock").c_str(), sizeof address.sun_path - 1);
      if (connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) __builtin_trap();
    } else {
      fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<std::uint16_t>(server->port()));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) __builtin_trap();
    }
    timeval timeout{5, 0};  // well past the idle and read timeouts: no answer by then is a hang
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return fd;
  }

  // Sends `bytes`, then a request to close, and reads to the end; false if the server hung.
  bool exchange(bool unix_socket, std::string_view input, std::string &reply) const {
    const int fd = connect_to(unix_socket);
    const std::string bytes = std::string(input) + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    for (std::size_t sent = 0; sent < bytes.size();) {
      const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the server closed on a bad request: that is an answer
      sent += static_cast<std::size_t>(n);
    }
    char buf[4096];
    ssize_t n = 0;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) reply.append(buf, static_cast<std::size_t>(n));
    const bool hung = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    close(fd);
    return !hung;
  }
};

Server &server() {
  static Server instance;
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) return 0;
  const bool unix_socket = data[0] % 2;
  const std::string_view bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
  std::string reply;
  if (!server().exchange(unix_socket, bytes, reply)) __builtin_trap();  // a request held the server
  if (!reply.empty() && !reply.starts_with("HTTP/1.")) __builtin_trap();  // whatever it sent is HTTP
  static unsigned inputs = 0;
  if (++inputs % 64 == 0) {
    std::string health;
    if (!server().exchange(false, "", health) ||
        !health.starts_with("HTTP/1.1 200"))
      __builtin_trap();  // the server no longer answers
  }
  return 0;
}
