// libFuzzer target for what operators and orchestrators hand the agent as settings: config.yaml
// (every key, and the naming rules, exclusions and --cgroup-match patterns compiled from it as
// a start or a SIGHUP does), the exporter-toolkit web config, and the JSON of a VNF
// registration (POST /v1/vnfs). Whatever the text, parsing ends in settings or in the error
// type each parser documents (ConfigError; std::invalid_argument for rules and patterns;
// WebConfigError; a RequestError naming the problem), never another exception, a crash, a
// hang or undefined behaviour; and what is accepted keeps the invariants below. Nothing here
// reads or writes a file: the web config is parsed from text, its paths only resolved.
// The first byte picks the parser; the rest is the file or the request body.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "config/agent_config.h"
#include "discover/container_cgroup.h"
#include "discover/vnf_identity.h"
#include "fuzz_checks.h"
#include "hook/vnf_registration.h"
#include "http/web_config.h"

namespace {

using namespace vnf;

// The naming a config makes (run/agent.cpp, naming_of): the patterns, rules and exclusions
// compiled, as a start or a SIGHUP does. Matching the operator's own regexes is left out: they
// are trusted, and std::regex backtracks without a bound (a few nested '?' take seconds on a
// 9-byte name), which would make this a benchmark of the library. The templates are expanded
// instead with every regex of a rule replaced by one that matches any name.
//
// libstdc++ (GCC 12) reads a back-reference or a repetition count into a long without a bound
// (_Compiler::_M_cur_int_value): 19 digits or more overflow it, undefined behaviour outside this
// project's code. Such patterns are left out here.
bool overflows_regex_count(const std::string &pattern) {
  std::size_t run = 0;
  for (char ch : pattern)
    if ((run = (ch >= '0' && ch <= '9') ? run + 1 : 0) >= 19) return true;
  return false;
}

void compile_naming(const config::AgentConfig &c) {
  for (const auto &pattern : c.cgroup_match)
    if (overflows_regex_count(pattern)) return;
  for (const auto &match : c.exclude)
    for (const auto &[field, pattern] : match)
      if (overflows_regex_count(pattern)) return;
  for (const auto &rule : c.vnf_rules)
    for (const auto &[field, pattern] : rule.match)
      if (overflows_regex_count(pattern)) return;
  try {
    discover::ContainerRecognizer recognizer(c.cgroup_match);
    discover::IdentityResolver resolver(c.vnf_rules, c.exclude);
  } catch (const std::invalid_argument &) {
    return;
  }
  auto rules = c.vnf_rules;
  for (auto &rule : rules)
    for (auto &[field, pattern] : rule.match) pattern = "^(.)(.*)$";
  const discover::IdentityResolver resolver(rules, {});  // the same templates: they compiled above
  const discover::ContainerCgroup container{"cri-o", "c1", "u1", {"c1", "", "", "", ""}};
  const discover::ContainerMetadata metadata{"upf", "r/upf:1", "", "upf-0", "5g-core", "u1", false};
  const auto resolved = resolver.resolve(container, metadata, "/kubepods/podu1/crio-c1.scope");
  if (!resolved) __builtin_trap();  // nothing excludes it, and it is no sandbox
  for (const auto *value : {&resolved->identity.vnf, &resolved->identity.vnf_type, &resolved->identity.pod,
                            &resolved->identity.namespace_name, &resolved->identity.container})
    if (value->size() > discover::kMaxLabelValueBytes || !fuzz::clean_label_value(*value)) __builtin_trap();
}

void agent_config(const std::string &yaml) {
  config::AgentConfig c;
  try {
    c = config::parse_config(yaml, "fuzz.yaml");
  } catch (const config::ConfigError &e) {
    if (std::string_view(e.what()).find("fuzz.yaml") == std::string_view::npos) __builtin_trap();  // names the file
    return;
  }
  // Accepted means valid: the same checks pass again, on the result.
  try {
    c.validate();
  } catch (const config::ConfigError &) {
    __builtin_trap();
  }
  for (const auto &rule : c.vnf_rules)
    if (rule.vnf.empty() && rule.vnf_type.empty() && !rule.network_owner) __builtin_trap();
  compile_naming(c);
}

void web_config(const std::string &yaml) {
  const std::filesystem::path file = "/etc/vnf-agent/web.yml";
  http::WebConfig c;
  try {
    c = http::parse_web_config(yaml, file);
  } catch (const http::WebConfigError &) {
    return;
  }
  if (c.tls) {
    const auto &t = *c.tls;
    if (t.cert_file.empty() || t.key_file.empty()) __builtin_trap();
    for (const auto *p : {&t.cert_file, &t.key_file, &t.client_ca_file})
      if (!p->empty() && !p->is_absolute()) __builtin_trap();  // relative ones resolved against the folder
    const bool verifies = t.client_auth == http::ClientAuth::verify_if_given ||
                          t.client_auth == http::ClientAuth::require_and_verify;
    if (verifies == t.client_ca_file.empty()) __builtin_trap();
    if (t.max_version && *t.max_version < t.min_version) __builtin_trap();
  }
  for (const auto &[user, hash] : c.basic_auth_users)
    if (user.empty() || user.find(':') != std::string::npos || hash.size() != 60) __builtin_trap();
}

// A path from the hierarchy root that stays below it, as the agent looks it up there
// (cgroupfs::cgroup_dir): "/", or components that are neither empty, "." nor "..".
bool names_a_cgroup(std::string_view path) {
  if (path == "/") return true;
  if (!path.starts_with('/')) return false;
  for (path.remove_prefix(1);;) {
    const auto slash = path.find('/');
    const auto part = path.substr(0, slash);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

void registration(std::string_view body) {
  auto result = hook::parse_vnf_registration(body);
  if (auto *error = std::get_if<hook::RequestError>(&result)) {
    if (error->message.empty() || (error->status != 400 && error->status != 413)) __builtin_trap();
    return;
  }
  const auto &r = std::get<hook::VnfRegistration>(result);
  if (r.cgroup.empty() == !r.pid) __builtin_trap();  // exactly one of them
  if (!r.cgroup.empty() && !names_a_cgroup(r.cgroup)) __builtin_trap();
  if (r.pid && (*r.pid < 0 || *r.pid > (1 << 30))) __builtin_trap();
  if (r.identity.vnf.empty()) __builtin_trap();
  // What the API accepts is a label as it is: sanitising changes nothing.
  if (discover::sanitized_identity(r.identity) != r.identity) __builtin_trap();
  for (const auto *value : {&r.identity.vnf, &r.identity.vnf_type, &r.identity.pod, &r.identity.namespace_name,
                            &r.identity.container})
    if (value->size() > hook::kMaxLabelBytes || !hook::is_clean_utf8(*value)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char *>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: agent_config(text); break;
    case 1: web_config(text); break;
    case 2: registration(text); break;
  }
  return 0;
}
