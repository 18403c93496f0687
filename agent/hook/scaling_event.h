#pragma once
// A scaling action an orchestrator reports (POST /v1/scaling-events), and the parser that
// turns an untrusted request body into one or into an error naming the problem.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace vnf::hook {

inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;
inline constexpr std::size_t kMaxLabelBytes = 128;
inline constexpr std::size_t kMaxReasonBytes = 1024;

struct ScalingEvent {
  std::string vnf_type;
  std::string direction;  // out, in, up or down
  std::string vnf;        // optional
  std::optional<std::int64_t> from, to;
  std::string reason;  // optional
  std::string id;      // optional idempotency key
};

// A rejected request: the HTTP status to answer and what is wrong, for a JSON error body.
struct RequestError {
  int status = 400;
  std::string message;
};

// Parses and validates a request body. Unknown fields are rejected, so a misspelt field never
// passes silently.
std::variant<ScalingEvent, RequestError> parse_scaling_event(std::string_view body);

// Whether `s` is valid UTF-8 without control characters (what a label value may hold).
bool is_clean_utf8(std::string_view s);

}  // namespace vnf::hook
