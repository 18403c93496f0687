#pragma once
// An answer of the orchestrator API, and the JSON error every rejection gets.

#include <string>

namespace vnf::hook {

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON
};

// {"error": message}, the message's invalid UTF-8 replaced.
ApiResponse json_error(int status, const std::string &message);

}  // namespace vnf::hook
