#include "hook/api_response.h"

#include <nlohmann/json.hpp>

namespace vnf::hook {

ApiResponse json_error(int status, const std::string &message) {
  using nlohmann::json;
  return {status, json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"};
}

}  // namespace vnf::hook
