// libFuzzer target for the scaling event parser: any bytes a client may POST must end in an
// event or an error, never a crash, a hang or undefined behaviour.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "hook/scaling_event.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char *>(data), size);
  auto result = vnf::hook::parse_scaling_event(body);
  if (auto *event = std::get_if<vnf::hook::ScalingEvent>(&result)) {
    // What the parser accepts is what labels may carry.
    if (!vnf::hook::is_clean_utf8(event->vnf_type) || event->vnf_type.empty()) __builtin_trap();
    if (event->vnf_type.size() > vnf::hook::kMaxLabelBytes) __builtin_trap();
  } else if (std::get<vnf::hook::RequestError>(result).message.empty()) {
    __builtin_trap();
  }
  return 0;
}
