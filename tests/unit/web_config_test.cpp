// The web config file (exporter-toolkit's format): every key parsed, every mistake named, and
// basic auth against real bcrypt hashes.

#include <crypt.h>
#include <gtest/gtest.h>

#include <memory>

#include "http/basic_auth.h"
#include "http/web_config.h"

namespace vnf::http {
namespace {

const std::filesystem::path kFile = "/etc/vnf-agent/web.yml";

std::string bcrypt(const std::string &password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn("$2y$", 5, nullptr, 0, salt, sizeof salt), nullptr);
  auto data = std::make_unique<crypt_data>();
  return crypt_r(password.c_str(), salt, data.get());
}

void expect_error(const std::string &yaml, const std::string &message) {
  try {
    parse_web_config(yaml, kFile);
    FAIL() << "accepted: " << yaml;
  } catch (const WebConfigError &e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
}

TEST(WebConfig, ReadsEveryKey) {
  const std::string hash = bcrypt("secret");
  const auto c = parse_web_config("tls_server_config:\n  cert_file: server.crt\n  key_file: /keys/server.key\n"
                                  "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"
                                  "  min_version: TLS13\n  max_version: TLS13\n"
                                  "http_server_config:\n  http2: false\n  headers:\n    X-Frame-Options: deny\n"
                                  "basic_auth_users:\n  prometheus: " + hash + "\n",
                                  kFile);
  ASSERT_TRUE(c.tls);
  EXPECT_EQ(c.tls->cert_file, "/etc/vnf-agent/server.crt") << "relative to the file's folder";
  EXPECT_EQ(c.tls->key_file, "/keys/server.key");
  EXPECT_EQ(c.tls->client_ca_file, "/etc/vnf-agent/ca.crt");
  EXPECT_EQ(c.tls->client_auth, ClientAuth::require_and_verify);
  EXPECT_EQ(c.tls->min_version, TlsVersion::tls13);
  EXPECT_EQ(c.headers.at("X-Frame-Options"), "deny");
  EXPECT_EQ(c.basic_auth_users.at("prometheus"), hash);
  EXPECT_FALSE(parse_web_config("", kFile).tls) << "an empty file: plain HTTP";
  EXPECT_EQ(parse_web_config("tls_server_config: {cert_file: a, key_file: b}\n", kFile).tls->min_version, TlsVersion::tls12);
}

TEST(WebConfig, EveryMistakeIsNamed) {
  expect_error("tls_server_config: {cert_file: a}\n", "needs both cert_file and key_file");
  expect_error("tls_server_config: {cert_file: a, key_file: b, cipher_suites: [x]}\n",
               "web.yml:1: unknown key 'cipher_suites' in tls_server_config");
  expect_error("tls_server_config: {cert_file: a, key_file: b, client_auth_type: RequireAndVerifyClientCert}\n",
               "needs client_ca_file");
  expect_error("tls_server_config: {cert_file: a, key_file: b, client_ca_file: c}\n", "does not verify");
  expect_error("tls_server_config: {cert_file: a, key_file: b, client_auth_type: Always}\n", "not 'Always'");
  expect_error("tls_server_config: {cert_file: a, key_file: b, min_version: SSL3}\n", "must be TLS10, TLS11, TLS12 or TLS13");
  expect_error("tls_server_config: {cert_file: a, key_file: b, min_version: TLS13, max_version: TLS12}\n", "below min_version");
  expect_error("basic_auth_users: {alice: plaintext}\n", "must be a bcrypt hash");
  expect_error("basic_auth_users: [alice]\n", "'basic_auth_users' must be a mapping");
  expect_error("http_server_config: {headers: {Server: x}}\n", "header 'Server' cannot be set");
  expect_error("tls_config: {}\n", "unknown key 'tls_config' in the web config");
  expect_error("basic_auth_users: {alice: [unclosed\n", "invalid YAML");
  // As in config.yaml (found there by config_fuzz), such keys escaped as YAML::BadConversion.
  expect_error("{[tls_server_config]: x}\n", "web.yml:1: a key in the web config must be a name");
  expect_error("basic_auth_users:\n  {alice: 1}: x\n", "web.yml:2: a key in basic_auth_users must be a name");
}

TEST(WebConfig, ThePackagedExampleIsAccepted) {
  const auto c = load_web_config(std::string(VNF_SOURCE_DIR) + "/packaging/config/web.yml.example");
  ASSERT_TRUE(c.tls);
  EXPECT_EQ(c.tls->client_auth, ClientAuth::require_and_verify);
  EXPECT_EQ(c.tls->cert_file, std::string(VNF_SOURCE_DIR) + "/packaging/config/tls/server.crt");
  BasicAuth auth(c.basic_auth_users);
  EXPECT_TRUE(auth.verify("prometheus", "change-me")) << "the example's hash is the password its comment says";
}

TEST(BasicAuth, BcryptHashesAndTheRememberedGoodOnes) {
  BasicAuth auth({{"prometheus", bcrypt("s3cret")}, {"vmagent", bcrypt("other")}});
  EXPECT_FALSE(auth.known_good("prometheus", "s3cret")) << "nothing checked yet";
  EXPECT_FALSE(auth.verify("prometheus", "wrong"));
  EXPECT_FALSE(auth.verify("nobody", "s3cret"));
  EXPECT_FALSE(auth.verify("vmagent", "s3cret")) << "another user's password";
  EXPECT_TRUE(auth.verify("prometheus", "s3cret"));
  EXPECT_TRUE(auth.known_good("prometheus", "s3cret"));
  EXPECT_FALSE(auth.known_good("prometheus", "s3cret ")) << "remembered exactly, nothing near it";
  EXPECT_FALSE(auth.known_good("prometheus", "wrong"));
}

}  // namespace
}  // namespace vnf::http
