#include "http/tls_credentials.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vnf::http {
namespace {

std::string read_pem(const std::filesystem::path &file, const char *what) {
  std::ifstream in(file);
  if (!in) throw WebConfigError("cannot read " + std::string(what) + " " + file.string() + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const char *version_name(TlsVersion v) {
  switch (v) {
    case TlsVersion::tls10: return "VERS-TLS1.0";
    case TlsVersion::tls11: return "VERS-TLS1.1";
    case TlsVersion::tls12: return "VERS-TLS1.2";
    case TlsVersion::tls13: return "VERS-TLS1.3";
  }
  return "VERS-TLS1.3";
}

// GnuTLS' defaults, restricted to the versions from min_version to max_version.
std::string priorities(const TlsServerConfig &config) {
  std::string p = "NORMAL:%SERVER_PRECEDENCE:-VERS-ALL";
  const auto last = config.max_version.value_or(TlsVersion::tls13);
  for (int v = static_cast<int>(config.min_version); v <= static_cast<int>(last); ++v)
    p += std::string(":+") + version_name(static_cast<TlsVersion>(v));
  return p;
}

gnutls_datum_t datum(const std::string &text) {
  return {reinterpret_cast<unsigned char *>(const_cast<char *>(text.data())), static_cast<unsigned>(text.size())};
}

}  // namespace

TlsCredentials::TlsCredentials(const TlsServerConfig &config)
    : cert_pem_(read_pem(config.cert_file, "cert_file")),
      key_pem_(read_pem(config.key_file, "key_file")),
      client_auth_(config.client_auth) {
  try {
    if (int rc = gnutls_certificate_allocate_credentials(&credentials_); rc < 0)
      throw WebConfigError(std::string("TLS: ") + gnutls_strerror(rc));
    const auto cert = datum(cert_pem_), key = datum(key_pem_);
    if (int rc = gnutls_certificate_set_x509_key_mem2(credentials_, &cert, &key, GNUTLS_X509_FMT_PEM, nullptr, 0); rc < 0)
      throw WebConfigError("TLS: cert_file " + config.cert_file.string() + " with key_file " + config.key_file.string() +
                           ": " + gnutls_strerror(rc));
    if (!config.client_ca_file.empty()) {
      const auto ca_pem = read_pem(config.client_ca_file, "client_ca_file");
      const auto ca = datum(ca_pem);
      if (int n = gnutls_certificate_set_x509_trust_mem(credentials_, &ca, GNUTLS_X509_FMT_PEM); n <= 0)
        throw WebConfigError("TLS: client_ca_file " + config.client_ca_file.string() + ": " +
                             (n == 0 ? "no certificate in it" : gnutls_strerror(n)));
    }
    const auto p = priorities(config);
    if (int rc = gnutls_priority_init(&priority_, p.c_str(), nullptr); rc < 0)
      throw WebConfigError("TLS: versions " + p + ": " + gnutls_strerror(rc));
  } catch (...) {
    if (credentials_) gnutls_certificate_free_credentials(credentials_);
    throw;
  }
}

TlsCredentials::~TlsCredentials() {
  gnutls_priority_deinit(priority_);
  gnutls_certificate_free_credentials(credentials_);
}

void TlsCredentials::apply(gnutls_session_t session) const {
  gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, credentials_);
  gnutls_priority_set(session, priority_);
  switch (client_auth_) {
    case ClientAuth::none: gnutls_certificate_server_set_request(session, GNUTLS_CERT_IGNORE); break;
    case ClientAuth::request:
    case ClientAuth::verify_if_given: gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUEST); break;
    case ClientAuth::require_any:
    case ClientAuth::require_and_verify: gnutls_certificate_server_set_request(session, GNUTLS_CERT_REQUIRE); break;
  }
  // The handshake itself fails for a certificate not signed by client_ca_file.
  if (client_auth_ == ClientAuth::verify_if_given || client_auth_ == ClientAuth::require_and_verify)
    gnutls_session_set_verify_cert(session, nullptr, 0);
}

}  // namespace vnf::http
