#include "config/agent_config.h"

#include <spdlog/common.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "config/listen_address.h"

namespace vnf::config {
namespace {

std::string where(const std::string &source, const YAML::Node &node) {
  const auto mark = node.Mark();
  if (mark.line < 0) return source;
  return source + ":" + std::to_string(mark.line + 1);
}

// A mapping's key as text. YAML lets a key be a list or a mapping, which no setting is.
std::string key_text(const std::string &source, const YAML::Node &key) {
  if (!key.IsScalar() && !key.IsNull())
    throw ConfigError(where(source, key) + ": a key must be a name, not a list or mapping");
  return key.as<std::string>();
}

template <typename T>
T scalar(const std::string &source, const std::string &key, const YAML::Node &node, const char *expected) {
  try {
    return node.as<T>();
  } catch (const YAML::Exception &) {
    throw ConfigError(where(source, node) + ": '" + key + "' must be " + expected);
  }
}

std::map<std::string, std::string> string_map(const std::string &source, const std::string &key, const YAML::Node &node) {
  if (!node.IsMap()) throw ConfigError(where(source, node) + ": '" + key + "' must be a mapping of field: regex");
  std::map<std::string, std::string> out;
  for (const auto &item : node)
    out[key_text(source, item.first)] = scalar<std::string>(source, key, item.second, "a mapping of field: regex");
  return out;
}

VnfRuleConfig rule(const std::string &source, const YAML::Node &node) {
  if (!node.IsMap()) throw ConfigError(where(source, node) + ": each of 'vnf_rules' must be a mapping");
  VnfRuleConfig r;
  for (const auto &item : node) {
    const auto key = key_text(source, item.first);
    if (key == "match") r.match = string_map(source, "match", item.second);
    else if (key == "vnf") r.vnf = scalar<std::string>(source, key, item.second, "a template string");
    else if (key == "vnf_type") r.vnf_type = scalar<std::string>(source, key, item.second, "a template string");
    else if (key == "network_owner") r.network_owner = scalar<bool>(source, key, item.second, "true or false");
    else
      throw ConfigError(where(source, item.first) + ": unknown rule setting '" + key +
                        "' (match, vnf, vnf_type, network_owner)");
  }
  if (r.vnf.empty() && r.vnf_type.empty() && !r.network_owner)
    throw ConfigError(where(source, node) + ": a rule needs 'vnf', 'vnf_type' or 'network_owner: true'");
  return r;
}

HttpLimits http_limits(const std::string &source, const YAML::Node &node, HttpLimits limits) {
  if (!node.IsMap()) throw ConfigError(where(source, node) + ": 'http' must be a mapping of limits");
  for (const auto &item : node) {
    const auto key = key_text(source, item.first);
    const auto &keys = http_limit_keys();
    auto field = std::find_if(keys.begin(), keys.end(), [&](const HttpLimitKey &k) { return k.key == key; });
    if (field == keys.end()) {
      std::string names;
      for (const auto &k : keys) names += (names.empty() ? "" : ", ") + k.key;
      throw ConfigError(where(source, item.first) + ": unknown http setting '" + key + "' (" + names + ")");
    }
    limits.*(field->member) = scalar<std::uint32_t>(source, "http." + key, item.second, "a positive integer");
  }
  return limits;
}

}  // namespace

const std::vector<HttpLimitKey> &http_limit_keys() {
  static const std::vector<HttpLimitKey> keys = {
      {"max_connections", &HttpLimits::max_connections, "Most HTTP connections, TCP and socket together"},
      {"max_connections_per_client", &HttpLimits::max_connections_per_client,
       "Most HTTP connections from one client IP address"},
      {"read_timeout_seconds", &HttpLimits::read_timeout_seconds, "Seconds a client has to send a request, head and body"},
      {"idle_timeout_seconds", &HttpLimits::idle_timeout_seconds, "Seconds a keep-alive connection may stay idle"},
      {"max_body_bytes", &HttpLimits::max_body_bytes, "Largest request body, in bytes"},
      {"max_concurrent_scrapes", &HttpLimits::max_concurrent_scrapes,
       "Most /metrics requests in flight (they share one collection)"}};
  return keys;
}

void HttpLimits::validate() const {
  for (const auto &k : http_limit_keys())
    if (this->*(k.member) == 0) throw ConfigError("http." + k.key + " must be at least 1");
  if (max_connections_per_client > max_connections)
    throw ConfigError("http.max_connections_per_client (" + std::to_string(max_connections_per_client) +
                      ") exceeds http.max_connections (" + std::to_string(max_connections) + ")");
  if (max_body_bytes > 16u << 20) throw ConfigError("http.max_body_bytes must be at most 16 MiB");
}

void AgentConfig::validate() const {
  if (collector != "auto" && collector != "bpf" && collector != "cgroupfs")
    throw ConfigError("collector '" + collector + "' is not one of auto, bpf, cgroupfs");
  if (spdlog::level::from_str(log_level) == spdlog::level::off && log_level != "off")
    throw ConfigError("log level '" + log_level + "' is not one of trace, debug, info, warn, error, critical, off");
  if (max_vnfs == 0) throw ConfigError("max_vnfs must be at least 1");
  http.validate();
  try {
    parse_listen_address(listen);
  } catch (const std::invalid_argument &e) {
    throw ConfigError(e.what());
  }
}

AgentConfig parse_config(const std::string &yaml, const std::string &source, AgentConfig config) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::ParserException &e) {
    throw ConfigError(source + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  if (root.IsNull()) return config;  // an empty file keeps the defaults
  if (!root.IsMap()) throw ConfigError(source + ": expected a mapping of settings at the top level");

  static const std::set<std::string> known = {"listen",   "collector", "log_level", "cgroup_match",
                                              "max_vnfs", "vnf_rules", "exclude", "host_root",
                                              "state_dir", "socket", "token_file", "http", "web_config_file"};
  for (const auto &item : root) {
    const auto key = key_text(source, item.first);
    const auto &value = item.second;
    if (!known.count(key))
      throw ConfigError(where(source, item.first) + ": unknown setting '" + key + "'");
    if (key == "listen") config.listen = scalar<std::string>(source, key, value, "a string such as \":9090\"");
    if (key == "collector") config.collector = scalar<std::string>(source, key, value, "auto, bpf or cgroupfs");
    if (key == "log_level") config.log_level = scalar<std::string>(source, key, value, "a log level");
    if (key == "state_dir") config.state_dir = scalar<std::string>(source, key, value, "a directory");
    if (key == "socket") config.socket = scalar<std::string>(source, key, value, "a path");
    if (key == "token_file") config.token_file = scalar<std::string>(source, key, value, "a path");
    if (key == "web_config_file") config.web_config_file = scalar<std::string>(source, key, value, "a path");
    if (key == "host_root") config.host_root = scalar<std::string>(source, key, value, "a directory");
    if (key == "max_vnfs") config.max_vnfs = scalar<std::uint32_t>(source, key, value, "a positive integer");
    if (key == "http") config.http = http_limits(source, value, config.http);
    if (key == "vnf_rules") {
      if (!value.IsSequence()) throw ConfigError(where(source, value) + ": 'vnf_rules' must be a list of rules");
      config.vnf_rules.clear();
      for (const auto &r : value) config.vnf_rules.push_back(rule(source, r));
    }
    if (key == "exclude") {
      if (!value.IsSequence()) throw ConfigError(where(source, value) + ": 'exclude' must be a list of matches");
      config.exclude.clear();
      for (const auto &m : value) config.exclude.push_back(string_map(source, "exclude", m));
    }
    if (key == "cgroup_match") {
      if (!value.IsSequence()) throw ConfigError(where(source, value) + ": 'cgroup_match' must be a list of regexes");
      config.cgroup_match.clear();
      for (const auto &pattern : value)
        config.cgroup_match.push_back(scalar<std::string>(source, key, pattern, "a list of strings"));
    }
  }
  try {
    config.validate();
  } catch (const ConfigError &e) {
    throw ConfigError(source + ": " + e.what());
  }
  return config;
}

AgentConfig load_config_file(const std::filesystem::path &path, AgentConfig base) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read config file " + path.string() + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError("cannot read config file " + path.string() + ": " + std::strerror(errno));
  return parse_config(text.str(), path.string(), std::move(base));
}

}  // namespace vnf::config
