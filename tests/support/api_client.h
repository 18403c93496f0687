#pragma once
// The orchestrator API of a running agent over either of its transports: the TCP port (with
// the bearer token, when one is given) or the hook socket (no token; whoever can open it).

#include <string>

#include "support/agent_process.h"

namespace vnf::test {

enum class Transport { tcp, unix_socket };

std::string to_string(Transport transport);

class ApiClient {
 public:
  ApiClient(const AgentProcess &agent, Transport transport, std::string token = "");

  HttpReply request(const std::string &method, const std::string &path, const std::string &body = "",
                    const std::string &content_type = "application/json") const;
  HttpReply post(const std::string &path, const std::string &body, const std::string &content_type = "application/json") const {
    return request("POST", path, body, content_type);
  }

 private:
  HttpReply over_socket(const std::string &method, const std::string &path, const std::string &body,
                        const std::string &content_type) const;

  const AgentProcess &agent_;
  Transport transport_;
  std::string token_;
};

}  // namespace vnf::test
