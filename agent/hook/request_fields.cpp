#include "hook/request_fields.h"

namespace vnf::hook {

using nlohmann::json;

std::optional<RequestError> text_field(const json &body, const char *name, std::size_t max_bytes, bool required,
                                       std::string &out) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return RequestError{400, std::string("missing field '") + name + "'"};
    return std::nullopt;
  }
  if (!it->is_string()) return RequestError{400, std::string("field '") + name + "' must be a string"};
  out = it->get<std::string>();
  if (required && out.empty()) return RequestError{400, std::string("field '") + name + "' must not be empty"};
  if (out.size() > max_bytes)
    return RequestError{400, std::string("field '") + name + "' is longer than " + std::to_string(max_bytes) + " bytes"};
  if (!is_clean_utf8(out))
    return RequestError{400, std::string("field '") + name + "' must be UTF-8 text without control characters"};
  return std::nullopt;
}

std::optional<RequestError> count_field(const json &body, const char *name, std::optional<std::int64_t> &out,
                                        std::int64_t max) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > max)
    return RequestError{400, std::string("field '") + name + "' must be an integer from 0 to " + std::to_string(max)};
  out = it->get<std::int64_t>();
  return std::nullopt;
}

std::optional<RequestError> only_fields(const json &body, std::initializer_list<const char *> known) {
  for (const auto &[key, value] : body.items()) {
    bool ok = false;
    for (const char *k : known) ok = ok || key == k;
    if (!ok) return RequestError{400, "unknown field '" + (is_clean_utf8(key) ? key : "?") + "'"};
  }
  return std::nullopt;
}

}  // namespace vnf::hook
