#pragma once
// A certificate, its key, the CA for client certificates and the TLS versions, loaded and
// checked once (a key that does not match its certificate fails here, not at a handshake),
// then applied to each new connection's session. Loaded again on reload; connections keep
// the credentials they started with until they close.

#include <gnutls/gnutls.h>

#include <memory>
#include <string>

#include "http/web_config.h"

namespace vnf::http {

class TlsCredentials {
 public:
  // Throws WebConfigError naming the file and what is wrong with it.
  explicit TlsCredentials(const TlsServerConfig &config);
  ~TlsCredentials();
  TlsCredentials(const TlsCredentials &) = delete;
  TlsCredentials &operator=(const TlsCredentials &) = delete;

  // The credentials, versions and client certificate policy, on a session before its handshake.
  void apply(gnutls_session_t session) const;

  // The PEM texts (libmicrohttpd wants a certificate to start with).
  const std::string &cert_pem() const { return cert_pem_; }
  const std::string &key_pem() const { return key_pem_; }

 private:
  std::string cert_pem_, key_pem_;
  ClientAuth client_auth_;
  gnutls_certificate_credentials_t credentials_ = nullptr;
  gnutls_priority_t priority_ = nullptr;
};

}  // namespace vnf::http
