#include "http/web_config.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace vnf::http {
namespace {

struct Parser {
  std::string source;
  std::filesystem::path folder;

  [[noreturn]] void fail(const YAML::Node &node, const std::string &message) const {
    const auto mark = node.Mark();
    throw WebConfigError(source + (mark.line >= 0 ? ":" + std::to_string(mark.line + 1) : "") + ": " + message);
  }

  std::string text(const YAML::Node &node, const std::string &key) const {
    if (!node.IsScalar()) fail(node, "'" + key + "' must be a string");
    return node.as<std::string>();
  }

  std::filesystem::path path(const YAML::Node &node, const std::string &key) const {
    std::filesystem::path p = text(node, key);
    return p.is_absolute() || p.empty() ? p : folder / p;
  }

  // Calls `on_key` for each key of a mapping, after checking it is one of `known`.
  void each(const YAML::Node &node, const std::string &what, const std::set<std::string> &known,
            const std::function<void(const std::string &, const YAML::Node &)> &on_key) const {
    if (node.IsNull()) return;
    if (!node.IsMap()) fail(node, "'" + what + "' must be a mapping");
    for (const auto &item : node) {
      if (!item.first.IsScalar() && !item.first.IsNull())
        fail(item.first, "a key in " + what + " must be a name, not a list or mapping");
      const auto key = item.first.as<std::string>();
      if (!known.empty() && !known.count(key)) {
        std::string names;
        for (const auto &k : known) names += (names.empty() ? "" : ", ") + k;
        fail(item.first, "unknown key '" + key + "' in " + what + " (" + names + ")");
      }
      on_key(key, item.second);
    }
  }

  TlsVersion version(const YAML::Node &node, const std::string &key) const {
    const auto v = text(node, key);
    if (v == "TLS10") return TlsVersion::tls10;
    if (v == "TLS11") return TlsVersion::tls11;
    if (v == "TLS12") return TlsVersion::tls12;
    if (v == "TLS13") return TlsVersion::tls13;
    fail(node, "'" + key + "' must be TLS10, TLS11, TLS12 or TLS13, not '" + v + "'");
  }

  ClientAuth client_auth(const YAML::Node &node) const {
    const auto v = text(node, "client_auth_type");
    if (v == "NoClientCert") return ClientAuth::none;
    if (v == "RequestClientCert") return ClientAuth::request;
    if (v == "RequireAnyClientCert") return ClientAuth::require_any;
    if (v == "VerifyClientCertIfGiven") return ClientAuth::verify_if_given;
    if (v == "RequireAndVerifyClientCert") return ClientAuth::require_and_verify;
    fail(node, "'client_auth_type' must be NoClientCert, RequestClientCert, RequireAnyClientCert, "
               "VerifyClientCertIfGiven or RequireAndVerifyClientCert, not '" + v + "'");
  }

  TlsServerConfig tls(const YAML::Node &node) const {
    TlsServerConfig c;
    each(node, "tls_server_config", {"cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version", "max_version"},
         [&](const std::string &key, const YAML::Node &value) {
           if (key == "cert_file") c.cert_file = path(value, key);
           if (key == "key_file") c.key_file = path(value, key);
           if (key == "client_ca_file") c.client_ca_file = path(value, key);
           if (key == "client_auth_type") c.client_auth = client_auth(value);
           if (key == "min_version") c.min_version = version(value, key);
           if (key == "max_version") c.max_version = version(value, key);
         });
    if (c.cert_file.empty() || c.key_file.empty()) fail(node, "tls_server_config needs both cert_file and key_file");
    const bool verifies = c.client_auth == ClientAuth::verify_if_given || c.client_auth == ClientAuth::require_and_verify;
    if (verifies && c.client_ca_file.empty()) fail(node, "client_auth_type that verifies certificates needs client_ca_file");
    if (!verifies && !c.client_ca_file.empty())
      fail(node, "client_ca_file is set but client_auth_type does not verify (use VerifyClientCertIfGiven or "
                 "RequireAndVerifyClientCert)");
    if (c.max_version && *c.max_version < c.min_version) fail(node, "max_version is below min_version");
    return c;
  }
};

// The headers exporter-toolkit lets a web config set; the others belong to the server.
const std::set<std::string> kSettableHeaders = {"Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
                                                "X-Frame-Options", "X-XSS-Protection"};

}  // namespace

WebConfig parse_web_config(const std::string &yaml, const std::filesystem::path &file) {
  const Parser p{file.string(), file.parent_path()};
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::ParserException &e) {
    throw WebConfigError(p.source + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  WebConfig config;
  if (root.IsNull()) return config;
  p.each(root, "the web config", {"tls_server_config", "http_server_config", "basic_auth_users"},
         [&](const std::string &key, const YAML::Node &value) {
           if (key == "tls_server_config" && !value.IsNull()) config.tls = p.tls(value);
           if (key == "basic_auth_users")
             p.each(value, key, {}, [&](const std::string &user, const YAML::Node &hash) {
               const auto h = p.text(hash, "basic_auth_users." + user);
               if (!(h.starts_with("$2y$") || h.starts_with("$2b$") || h.starts_with("$2a$")) || h.size() != 60)
                 p.fail(hash, "the password of '" + user + "' must be a bcrypt hash ($2y$..., 60 characters)");
               if (user.empty() || user.find(':') != std::string::npos) p.fail(hash, "a user name must be non-empty, without ':'");
               config.basic_auth_users[user] = h;
             });
           if (key == "http_server_config")
             p.each(value, key, {"headers", "http2"}, [&](const std::string &setting, const YAML::Node &v) {
               if (setting == "http2") return;  // HTTP/1.1 is what the agent speaks; the key is accepted as node_exporter's
               p.each(v, "headers", {}, [&](const std::string &name, const YAML::Node &header_value) {
                 if (!kSettableHeaders.count(name)) {
                   std::string names;
                   for (const auto &n : kSettableHeaders) names += (names.empty() ? "" : ", ") + n;
                   p.fail(header_value, "header '" + name + "' cannot be set (" + names + ")");
                 }
                 config.headers[name] = p.text(header_value, "headers." + name);
               });
             });
         });
  return config;
}

WebConfig load_web_config(const std::filesystem::path &file) {
  std::ifstream in(file);
  if (!in) throw WebConfigError("cannot read web config " + file.string() + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_web_config(text.str(), std::filesystem::absolute(file));
}

}  // namespace vnf::http
