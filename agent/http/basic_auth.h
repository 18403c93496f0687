#pragma once
// Basic auth against the web config's bcrypt hashes. A bcrypt check costs tens of
// milliseconds by design, so it runs on a worker, and a user and password that checked out
// are remembered (by a SHA-256 of both, never the password itself) so that a scraper's
// every request does not pay it again.

#include <map>
#include <mutex>
#include <set>
#include <string>

namespace vnf::http {

class BasicAuth {
 public:
  explicit BasicAuth(std::map<std::string, std::string> users);  // user -> bcrypt hash

  bool empty() const { return users_.empty(); }
  // True if this user and password checked out before: cheap, for the event thread.
  bool known_good(const std::string &user, const std::string &password) const;
  // The bcrypt check (slow); an unknown user costs as much as a wrong password.
  bool verify(const std::string &user, const std::string &password);

 private:
  static std::string fingerprint(const std::string &user, const std::string &password);

  std::map<std::string, std::string> users_;
  mutable std::mutex mutex_;
  std::set<std::string> good_;  // fingerprints, bounded
};

}  // namespace vnf::http
