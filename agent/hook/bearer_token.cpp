#include "hook/bearer_token.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vnf::hook {

BearerToken BearerToken::load(const std::filesystem::path &path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read token file " + path.string() + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  const auto first = token.find_first_not_of(" \t\r\n");
  const auto last = token.find_last_not_of(" \t\r\n");
  if (first == std::string::npos) throw std::runtime_error("token file " + path.string() + " is empty");
  return BearerToken(token.substr(first, last - first + 1));
}

bool BearerToken::authorizes(std::string_view authorization) const {
  constexpr std::string_view scheme = "Bearer ";
  // Compare every byte of the longer of the two, accumulating differences without branching.
  const std::size_t offered = authorization.size() >= scheme.size() ? authorization.size() - scheme.size() : 0;
  unsigned diff = offered == token_.size() ? 0u : 1u;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    diff |= static_cast<unsigned>(i < authorization.size() ? authorization[i] ^ scheme[i] : 1);
  const std::size_t n = std::max(offered, token_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char a = i < offered ? static_cast<unsigned char>(authorization[scheme.size() + i]) : 0;
    const unsigned char b = i < token_.size() ? static_cast<unsigned char>(token_[i]) : 0;
    diff |= static_cast<unsigned>(a ^ b);
  }
  return diff == 0;
}

}  // namespace vnf::hook
