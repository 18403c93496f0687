#include "discover/container_cgroup.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace vnf::discover {
namespace {

constexpr std::size_t kContainerIdLength = 64;
constexpr std::size_t kShortIdLength = 12;  // what `docker ps` and `crictl ps` show

bool is_container_id(std::string_view s) {
  return s.size() == kContainerIdLength &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool consume_prefix(std::string_view &s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

bool consume_suffix(std::string_view &s, std::string_view suffix) {
  if (!s.ends_with(suffix)) return false;
  s.remove_suffix(suffix.size());
  return true;
}

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    auto slash = path.find('/');
    auto part = path.substr(0, slash);
    if (!part.empty()) parts.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

// Pod UID from a pod cgroup name: "pod<uid>" (cgroupfs driver) or
// "kubepods[-<qos>]-pod<uid with '_' for '-'>.slice" (systemd driver).
std::string pod_uid_of(std::string_view name) {
  if (consume_suffix(name, ".slice")) {
    auto pos = name.rfind("-pod");
    if (!name.starts_with("kubepods") || pos == std::string_view::npos) return {};
    std::string uid(name.substr(pos + 4));
    std::replace(uid.begin(), uid.end(), '_', '-');
    return uid;
  }
  if (consume_prefix(name, "pod")) return std::string(name);
  return {};
}

enum class LeafKind { container, runtime_other, other };

// Runtime and container id from a leaf cgroup name. `runtime_other` marks names a runtime owns
// that are not containers (conmon monitors, malformed ids), so they are not taken as plain scopes.
std::tuple<LeafKind, std::string, std::string_view> container_of(std::string_view leaf, std::string_view parent) {
  static constexpr std::pair<std::string_view, std::string_view> prefixes[] = {
      {"docker-", "docker"}, {"cri-containerd-", "containerd"}, {"crio-", "cri-o"}, {"libpod-", "podman"}};
  std::string_view id = leaf;
  const bool scope = consume_suffix(id, ".scope");
  for (const auto &[prefix, runtime] : prefixes) {
    if (!consume_prefix(id, prefix)) continue;
    if (!is_container_id(id)) return {LeafKind::runtime_other, "", id};
    return {LeafKind::container, std::string(runtime), id};
  }
  if (!scope && is_container_id(id)) {
    if (parent == "docker") return {LeafKind::container, "docker", id};
    if (!pod_uid_of(parent).empty()) return {LeafKind::container, "containerd", id};  // Kubernetes, cgroupfs driver
  }
  return {LeafKind::other, "", id};
}

}  // namespace

ContainerRecognizer::ContainerRecognizer(const std::vector<std::string> &match_patterns) {
  for (const auto &pattern : match_patterns) {
    try {
      match_patterns_.emplace_back(pattern, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error &e) {
      throw std::invalid_argument("invalid --cgroup-match pattern '" + pattern + "': " + e.what());
    }
  }
}

std::optional<ContainerCgroup> ContainerRecognizer::recognize(std::string_view path) const {
  if (auto c = recognize_runtime(path)) return c;
  return recognize_pattern(path);
}

std::optional<ContainerCgroup> ContainerRecognizer::recognize_runtime(std::string_view path) const {
  const auto parts = components(path);
  if (parts.empty()) return std::nullopt;
  const std::string_view leaf = parts.back();
  const std::string_view parent = parts.size() > 1 ? parts[parts.size() - 2] : std::string_view{};

  auto [kind, runtime, id] = container_of(leaf, parent);
  if (kind == LeafKind::runtime_other) return std::nullopt;
  if (kind == LeafKind::container) {
    ContainerCgroup c;
    c.runtime = runtime;
    c.container_id = std::string(id);
    if (parts.size() > 1) c.pod_uid = pod_uid_of(parent);
    // Until runtime metadata names the container, the short id is the most recognisable name.
    c.identity.vnf = c.container_id.substr(0, kShortIdLength);
    return c;
  }

  // Plain systemd scopes (systemd-run --scope, machine.slice guests), not login sessions.
  std::string_view unit = leaf;
  if (consume_suffix(unit, ".scope") && leaf != "init.scope" && !unit.empty() &&
      std::find(parts.begin(), parts.end(), std::string_view("user.slice")) == parts.end()) {
    ContainerCgroup c;
    c.runtime = "systemd";
    c.identity.vnf = std::string(unit);
    return c;
  }
  return std::nullopt;
}

std::optional<ContainerCgroup> ContainerRecognizer::recognize_pattern(std::string_view path) const {
  for (const auto &pattern : match_patterns_) {
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(path.begin(), path.end(), m, pattern)) continue;
    ContainerCgroup c;
    c.runtime = "match";
    if (m.size() > 1 && m[1].matched && m[1].length() > 0) {
      c.identity.vnf = m[1].str();
    } else {
      auto parts = components(path);
      c.identity.vnf = parts.empty() ? std::string("/") : std::string(parts.back());
    }
    if (m.size() > 2 && m[2].matched) c.identity.vnf_type = m[2].str();
    return c;
  }
  return std::nullopt;
}

}  // namespace vnf::discover
