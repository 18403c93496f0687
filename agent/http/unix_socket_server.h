#pragma once
// The orchestrator API on a local unix socket, for hooks on the node: whoever can open the
// socket file (mode 0660, group vnf-agent where it exists) may call it, so no token is needed.
// A deliberately small HTTP/1.1 server: one request per connection, bodies up to 64 KiB,
// 5 s to send a request; connections are served one at a time (hooks are rare).

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "hook/hook_api.h"

namespace vnf::http {

struct UnixRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// Parses "GET /path?a=1 HTTP/1.1\r\nName: value\r\n...\r\n\r\n" (the head only); false if malformed.
bool parse_request_head(std::string_view head, UnixRequest &request);

class UnixSocketServer {
 public:
  using Handler = std::function<hook::ApiResponse(const UnixRequest &)>;

  // Creates the socket (its directory too), mode 0660; throws std::runtime_error.
  UnixSocketServer(const std::filesystem::path &path, Handler handler);
  ~UnixSocketServer();  // stops serving and removes the socket file
  UnixSocketServer(const UnixSocketServer &) = delete;
  UnixSocketServer &operator=(const UnixSocketServer &) = delete;

 private:
  void serve();
  void handle(int client);

  std::filesystem::path path_;
  Handler handler_;
  int listen_fd_ = -1;
  int wake_fd_[2] = {-1, -1};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace vnf::http
