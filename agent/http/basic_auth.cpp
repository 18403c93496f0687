#include "http/basic_auth.h"

#include <crypt.h>
#include <gnutls/crypto.h>

#include <memory>

namespace vnf::http {
namespace {

constexpr std::size_t kRemembered = 256;

bool equal_in_constant_time(const std::string &a, const std::string &b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

BasicAuth::BasicAuth(std::map<std::string, std::string> users) : users_(std::move(users)) {}

std::string BasicAuth::fingerprint(const std::string &user, const std::string &password) {
  const std::string both = user + '\0' + password;
  unsigned char digest[32];
  gnutls_hash_fast(GNUTLS_DIG_SHA256, both.data(), both.size(), digest);
  return std::string(reinterpret_cast<char *>(digest), sizeof digest);
}

bool BasicAuth::known_good(const std::string &user, const std::string &password) const {
  const auto f = fingerprint(user, password);
  std::lock_guard lock(mutex_);
  return good_.count(f) > 0;
}

bool BasicAuth::verify(const std::string &user, const std::string &password) {
  if (users_.empty()) return false;
  auto it = users_.find(user);
  const bool known = it != users_.end();
  const std::string &hash = known ? it->second : users_.begin()->second;
  auto data = std::make_unique<crypt_data>();  // 32 KiB: not on a worker's stack
  const char *result = crypt_r(password.c_str(), hash.c_str(), data.get());
  const bool ok = known && result && equal_in_constant_time(result, hash);
  if (ok) {
    std::lock_guard lock(mutex_);
    if (good_.size() >= kRemembered) good_.clear();
    good_.insert(fingerprint(user, password));
  }
  return ok;
}

}  // namespace vnf::http
