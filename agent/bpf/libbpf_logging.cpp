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
  char buf[1024];
  int n = std::vsnprintf(buf, sizeof buf, format, args);
  std::string line(buf, n > 0 ? std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buf - 1) : 0);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  spdlog::log(spd_level, "libbpf: {}", line);
  return n;
}

}  // namespace

void route_libbpf_logging() { libbpf_set_print(print_to_spdlog); }

}  // namespace vnf::bpf
