#include "support/api_client.h"

#include <httplib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace vnf::test {

std::string to_string(Transport transport) { return transport == Transport::tcp ? "tcp" : "unix_socket"; }

ApiClient::ApiClient(const AgentProcess &agent, Transport transport, std::string token)
    : agent_(agent), transport_(transport), token_(std::move(token)) {}

HttpReply ApiClient::request(const std::string &method, const std::string &path, const std::string &body,
                             const std::string &content_type) const {
  if (transport_ == Transport::unix_socket) return over_socket(method, path, body, content_type);
  httplib::Client client("127.0.0.1", agent_.port());
  client.set_read_timeout(10);
  httplib::Headers headers;
  if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
  httplib::Result r = method == "POST"  ? client.Post(path, headers, body, content_type)
                      : method == "PUT" ? client.Put(path, headers, body, content_type)
                                        : client.Get(path, headers);
  if (!r) return {};
  return {r->status, r->body};
}

// One request per connection (Connection: close), read to the end.
HttpReply ApiClient::over_socket(const std::string &method, const std::string &path, const std::string &body,
                                 const std::string &content_type) const {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, agent_.socket_path().c_str(), sizeof address.sun_path - 1);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
    close(fd);
    return {};
  }
  std::string text = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
  if (method != "GET") text += "Content-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  text += "\r\n" + body;
  std::string response;
  // The agent may answer (a 413) and close before the whole body is sent: read its answer anyway.
  for (std::size_t sent = 0; sent < text.size();) {
    const ssize_t n = send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, static_cast<std::size_t>(n));
  close(fd);
  HttpReply reply;
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return reply;
  reply.status = std::stoi(response.substr(9, 3));
  if (auto head_end = response.find("\r\n\r\n"); head_end != std::string::npos) reply.body = response.substr(head_end + 4);
  return reply;
}

}  // namespace vnf::test
