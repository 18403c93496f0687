#include "cli/scale_command.h"

#include <CLI/CLI.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <random>
#include <thread>

#include "hook/bearer_token.h"

namespace vnf::cli {
namespace {

struct Reply {
  int status = 0;  // 0: could not reach the agent
  std::string body;
  std::string transport_error;
};

Reply post_unix(const std::string &path, const std::string &body) {
  Reply reply;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
    reply.transport_error = "cannot connect to " + path + ": " + std::strerror(errno);
    if (fd >= 0) close(fd);
    return reply;
  }
  const std::string request = "POST /v1/scaling-events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                              "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  std::string response;
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    char buf[4096];
    for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  auto sp = response.find(' ');
  auto head_end = response.find("\r\n\r\n");
  if (sp == std::string::npos || head_end == std::string::npos) {
    reply.transport_error = "no valid answer from " + path;
    return reply;
  }
  reply.status = std::atoi(response.c_str() + sp + 1);
  reply.body = response.substr(head_end + 4);
  return reply;
}

Reply post_tcp(const std::string &url, const std::string &token, const std::string &body) {
  Reply reply;
  httplib::Client client(url);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  auto res = client.Post("/v1/scaling-events", {{"Authorization", "Bearer " + token}}, body, "application/json");
  if (!res) {
    reply.transport_error = "cannot reach " + url + ": " + httplib::to_string(res.error());
    return reply;
  }
  reply.status = res->status;
  reply.body = res->body;
  return reply;
}

std::string random_id() {
  std::random_device rd;
  std::uniform_int_distribution<unsigned long long> d;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", d(rd), d(rd));
  return buf;
}

}  // namespace

void add_scale_options(CLI::App &app, ScaleOptions &o) {
  app.add_option("--type", o.vnf_type, "VNF type, e.g. firewall")->required();
  app.add_option("--direction", o.direction, "out, in, up or down")->required()->check(CLI::IsMember({"out", "in", "up", "down"}));
  app.add_option("--vnf", o.vnf, "The VNF scaled, if one");
  app.add_option("--from", o.from, "Instances (or size) before")->check(CLI::NonNegativeNumber);
  app.add_option("--to", o.to, "Instances (or size) after")->check(CLI::NonNegativeNumber);
  app.add_option("--reason", o.reason, "Why, e.g. cpu");
  app.add_option("--id", o.id, "Idempotency key (default: a random one, reused by this command's retries)");
  app.add_option("--socket", o.socket, "The agent's unix socket (default /run/vnf-agent/agent.sock)");
  auto *url = app.add_option("--url", o.url, "The agent's URL, e.g. http://node:9090, instead of the socket");
  app.add_option("--token-file", o.token_file, "Bearer token file, with --url")->needs(url);
}

int run_scale(const ScaleOptions &o) {
  nlohmann::json event = {{"vnf_type", o.vnf_type}, {"direction", o.direction}, {"id", o.id.empty() ? random_id() : o.id}};
  if (!o.vnf.empty()) event["vnf"] = o.vnf;
  if (o.from) event["from"] = *o.from;
  if (o.to) event["to"] = *o.to;
  if (!o.reason.empty()) event["reason"] = o.reason;
  const std::string body = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  std::string token;
  if (!o.url.empty()) {
    if (o.token_file.empty()) {
      std::cerr << "vnf-agent scale: --url needs --token-file\n";
      return 2;
    }
    try {
      token = hook::BearerToken::load(o.token_file).value();
    } catch (const std::exception &e) {
      std::cerr << "vnf-agent scale: " << e.what() << "\n";
      return 2;
    }
  }
  Reply reply;
  for (int attempt = 0; attempt < 3; ++attempt) {  // same id each time: never counted twice
    if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(500 << attempt));
    reply = o.url.empty() ? post_unix(o.socket, body) : post_tcp(o.url, token, body);
    if (reply.status != 0 && reply.status != 503) break;
  }
  if (reply.status == 0) {
    std::cerr << "vnf-agent scale: " << reply.transport_error << "\n";
    return 1;
  }
  auto answer = nlohmann::json::parse(reply.body, nullptr, false);
  if (reply.status >= 200 && reply.status < 300) {
    std::cout << (answer.is_object() && answer.contains("status") ? answer["status"].get<std::string>() : "ok") << "\n";
    return 0;
  }
  std::cerr << "vnf-agent scale: the agent answered " << reply.status << ": "
            << (answer.is_object() && answer.contains("error") ? answer["error"].get<std::string>() : reply.body) << "\n";
  return 1;
}

}  // namespace vnf::cli
