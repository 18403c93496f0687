#pragma once
// The web configuration file (--web.config.file): the format of the Prometheus
// exporter-toolkit, which operators already keep for node_exporter. TLS for the TCP port,
// basic auth users with bcrypt hashes, extra response headers. Parsed strictly: an unknown or
// unsupported key is an error naming it, never silently ignored.

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace vnf::http {

class WebConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ClientAuth {
  none,                 // NoClientCert
  request,              // RequestClientCert: asked for, not checked
  require_any,          // RequireAnyClientCert: required, not checked
  verify_if_given,      // VerifyClientCertIfGiven: checked against client_ca_file when sent
  require_and_verify,   // RequireAndVerifyClientCert
};

enum class TlsVersion { tls10, tls11, tls12, tls13 };

struct TlsServerConfig {
  std::filesystem::path cert_file, key_file, client_ca_file;  // absolute (relative ones are to the file's folder)
  ClientAuth client_auth = ClientAuth::none;
  TlsVersion min_version = TlsVersion::tls12;
  std::optional<TlsVersion> max_version;
};

struct WebConfig {
  std::optional<TlsServerConfig> tls;
  std::map<std::string, std::string> basic_auth_users;  // user -> bcrypt hash
  std::map<std::string, std::string> headers;           // added to every response on the TCP port
};

// Parses the YAML text of `file` (relative paths are resolved against its folder); throws
// WebConfigError naming the file, the line and the problem.
WebConfig parse_web_config(const std::string &yaml, const std::filesystem::path &file);
WebConfig load_web_config(const std::filesystem::path &file);

}  // namespace vnf::http
