#include "hook/scaling_event.h"

#include "common/utf8.h"
#include "hook/request_fields.h"

#include <nlohmann/json.hpp>

#include <set>

namespace vnf::hook {
using nlohmann::json;

bool is_clean_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    const auto c = static_cast<unsigned char>(s[i]);
    if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7f))) return false;
    i += n;
  }
  return true;
}

std::variant<ScalingEvent, RequestError> parse_scaling_event(std::string_view text) {
  if (text.size() > kMaxBodyBytes) return RequestError{413, "body larger than 64 KiB"};
  const json body = json::parse(text, nullptr, false);
  if (body.is_discarded()) return RequestError{400, "body is not valid JSON (RFC 8259: UTF-8 text)"};
  if (!body.is_object()) return RequestError{400, "body must be a JSON object"};

  if (auto error = only_fields(body, {"vnf_type", "direction", "vnf", "from", "to", "reason", "id"})) return *error;

  ScalingEvent e;
  for (auto error : {text_field(body, "vnf_type", kMaxLabelBytes, true, e.vnf_type),
                     text_field(body, "direction", kMaxLabelBytes, true, e.direction),
                     text_field(body, "vnf", kMaxLabelBytes, false, e.vnf),
                     text_field(body, "reason", kMaxReasonBytes, false, e.reason),
                     text_field(body, "id", kMaxLabelBytes, false, e.id), count_field(body, "from", e.from),
                     count_field(body, "to", e.to)})
    if (error) return *error;
  if (e.direction != "out" && e.direction != "in" && e.direction != "up" && e.direction != "down")
    return RequestError{400, "field 'direction' must be one of out, in, up, down"};
  return e;
}

}  // namespace vnf::hook
