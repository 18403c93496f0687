#include "discover/metadata/container_metadata.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace vnf::discover {
namespace {

using nlohmann::json;

json parse(std::string_view text, const char *what) {
  try {
    return json::parse(text);
  } catch (const json::exception &e) {  // parse_error, and out_of_range for a number beyond double
    throw std::runtime_error(std::string(what) + ": invalid JSON: " + e.what());
  }
}

std::string string_at(const json &object, const char *key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

RuntimeStatePaths RuntimeStatePaths::under(const std::filesystem::path &root) {
  RuntimeStatePaths defaults, paths;
  auto rebase = [&root](const std::filesystem::path &p) { return root / p.relative_path(); };
  paths.containerd_bundles = rebase(defaults.containerd_bundles);
  paths.crio_containers = rebase(defaults.crio_containers);
  paths.docker_containers = rebase(defaults.docker_containers);
  paths.docker_images = rebase(defaults.docker_images);
  paths.podman_storage = rebase(defaults.podman_storage);
  return paths;
}

ContainerMetadata parse_oci_bundle_config(std::string_view text) {
  const json config = parse(text, "OCI bundle config.json");
  if (!config.is_object()) throw std::runtime_error("OCI bundle config.json: not a JSON object");
  auto annotations_it = config.find("annotations");
  if (annotations_it == config.end() || !annotations_it->is_object())
    throw std::runtime_error("OCI bundle config.json: no annotations");
  const json &a = *annotations_it;
  ContainerMetadata m;
  if (a.contains("io.kubernetes.cri.container-type")) {  // containerd's CRI plugin
    m.sandbox = string_at(a, "io.kubernetes.cri.container-type") == "sandbox";
    m.name = string_at(a, "io.kubernetes.cri.container-name");
    m.image = string_at(a, "io.kubernetes.cri.image-name");
    m.pod = string_at(a, "io.kubernetes.cri.sandbox-name");
    m.namespace_name = string_at(a, "io.kubernetes.cri.sandbox-namespace");
    m.pod_uid = string_at(a, "io.kubernetes.cri.sandbox-uid");
  } else if (a.contains("io.kubernetes.cri-o.ContainerType")) {  // CRI-O
    m.sandbox = string_at(a, "io.kubernetes.cri-o.ContainerType") == "sandbox";
    m.name = string_at(a, "io.kubernetes.container.name");
    m.image = string_at(a, "io.kubernetes.cri-o.ImageName");
    m.pod = string_at(a, "io.kubernetes.pod.name");
    m.namespace_name = string_at(a, "io.kubernetes.pod.namespace");
    m.pod_uid = string_at(a, "io.kubernetes.pod.uid");
  } else {
    throw std::runtime_error("OCI bundle config.json: no Kubernetes annotations (containerd or CRI-O)");
  }
  if (!m.sandbox && (m.name.empty() || m.pod.empty()))
    throw std::runtime_error("OCI bundle config.json: Kubernetes annotations lack the container or pod name");
  return m;
}

ContainerMetadata parse_docker_config(std::string_view text) {
  const json config = parse(text, "docker config.v2.json");
  if (!config.is_object()) throw std::runtime_error("docker config.v2.json: not a JSON object");
  ContainerMetadata m;
  m.name = string_at(config, "Name");
  if (!m.name.empty() && m.name.front() == '/') m.name.erase(0, 1);  // docker stores "/name"
  if (auto it = config.find("Config"); it != config.end() && it->is_object()) m.image = string_at(*it, "Image");
  m.image_id = string_at(config, "Image");
  if (m.name.empty()) throw std::runtime_error("docker config.v2.json: no container name");
  return m;
}

std::optional<std::string> parse_docker_repositories(std::string_view text, std::string_view image_id) {
  const json file = parse(text, "docker repositories.json");
  auto repositories = file.is_object() ? file.find("Repositories") : file.end();
  if (repositories == file.end() || !repositories->is_object())
    throw std::runtime_error("docker repositories.json: no Repositories object");
  std::optional<std::string> tagged, by_digest;
  for (const auto &[repository, references] : repositories->items()) {
    if (!references.is_object()) continue;
    for (const auto &[reference, id] : references.items()) {
      if (!id.is_string() || id.get<std::string>() != image_id) continue;
      auto &best = reference.find('@') == std::string::npos ? tagged : by_digest;
      if (!best || reference < *best) best = reference;
    }
  }
  return tagged ? tagged : by_digest;
}

bool is_image_id(std::string_view image) {
  if (image.starts_with("sha256:")) image.remove_prefix(7);
  return image.size() >= 12 && image.size() <= 64 &&
         image.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::optional<ContainerMetadata> parse_podman_containers(std::string_view text, std::string_view container_id) {
  const json containers = parse(text, "containers.json");
  if (!containers.is_array()) throw std::runtime_error("containers.json: not a JSON array");
  for (const auto &c : containers) {
    if (!c.is_object() || string_at(c, "id") != container_id) continue;
    ContainerMetadata m;
    if (auto names = c.find("names"); names != c.end() && names->is_array() && !names->empty() &&
                                      names->front().is_string())
      m.name = names->front().get<std::string>();
    // The image's name is in the JSON-encoded "metadata" string ("image-name"), the id in "image".
    const std::string metadata = string_at(c, "metadata");
    if (!metadata.empty()) {
      auto inner = json::parse(metadata, nullptr, false);
      if (inner.is_object()) m.image = string_at(inner, "image-name");
    }
    m.image_id = string_at(c, "image");
    if (is_image_id(m.image)) m.image.clear();  // started by id: the id is no name
    return m;
  }
  return std::nullopt;
}

}  // namespace vnf::discover
