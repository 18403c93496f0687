#pragma once
// The shared secret that authorises state-changing requests on the TCP port.

#include <filesystem>
#include <string>
#include <string_view>

namespace vnf::hook {

class BearerToken {
 public:
  // Reads the token (surrounding whitespace trimmed) from `path`; throws std::runtime_error if
  // the file is unreadable or empty.
  static BearerToken load(const std::filesystem::path &path);
  explicit BearerToken(std::string token) : token_(std::move(token)) {}

  // Whether an Authorization header value is "Bearer <token>". Takes the same time whatever
  // the header holds, so response timing reveals nothing about the token.
  bool authorizes(std::string_view authorization) const;
  const std::string &value() const { return token_; }

 private:
  std::string token_;
};

}  // namespace vnf::hook
