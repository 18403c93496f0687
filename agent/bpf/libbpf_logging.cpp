#include "bpf/libbpf_logging.h"

#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>
#include <string>

namespace vnf::bpf {
namespace {

int print_to_spdlog(enum libbpf_print_level level, const char *format, va_list args) {
  const auto spd_level = level == LIBBPF_WARN ? spdlog::level::debug : spdlog::level::trace;
  if (!spdlog::should_log(spd_level)) return 0;
  // A verifier log arrives as one message of up to a few hundred KiB: it is kept whole, since
  // its end says why the program was rejected.
  va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, format, args);
  std::string line(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(line.data(), line.size() + 1, format, again);
  va_end(again);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  spdlog::log(spd_level, "libbpf: {}", line);
  return n;
}

}  // namespace

void route_libbpf_logging() { libbpf_set_print(print_to_spdlog); }

}  // namespace vnf::bpf
