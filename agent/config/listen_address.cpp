#include "config/listen_address.h"

#include <charconv>
#include <stdexcept>

namespace vnf::config {
namespace {

std::uint16_t parse_port(const std::string &text, const std::string &context) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > 65535)
    throw std::invalid_argument(context + ": port '" + text + "' is not a number from 0 to 65535");
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string ListenAddress::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

ListenAddress parse_listen_address(const std::string &text) {
  const std::string context = "listen address '" + text + "'";
  auto colon = text.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument(context + ": expected HOST:PORT or :PORT");
  ListenAddress address;
  address.host = text.substr(0, colon);
  if (address.host.size() >= 2 && address.host.front() == '[' && address.host.back() == ']')
    address.host = address.host.substr(1, address.host.size() - 2);
  else if (address.host.find(':') != std::string::npos)
    throw std::invalid_argument(context + ": put IPv6 addresses in brackets, e.g. [::1]:9090");
  address.port = parse_port(text.substr(colon + 1), context);
  return address;
}

ListenAddress with_port(ListenAddress address, const std::string &port_text) {
  address.port = parse_port(port_text, "METRICS_PORT");
  return address;
}

}  // namespace vnf::config
