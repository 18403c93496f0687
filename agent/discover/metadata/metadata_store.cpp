#include "discover/metadata/metadata_store.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vnf::discover {
namespace {

constexpr auto kRetryMissing = std::chrono::seconds(2);
constexpr auto kRetryMalformed = std::chrono::seconds(60);

// Reads a whole file; nullopt with `missing` set when it does not exist.
std::optional<std::string> read_file(const std::filesystem::path &path, bool &missing) {
  std::ifstream in(path);
  if (!in) {
    missing = errno == ENOENT || errno == ENOTDIR;
    if (!missing) spdlog::warn("metadata: cannot read {}: {}", path.string(), std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

MetadataStore::MetadataStore(RuntimeStatePaths paths) : paths_(std::move(paths)) {}

std::optional<ContainerMetadata> MetadataStore::read_podman(const std::string &id, bool &retry_soon) {
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(paths_.podman_storage, ec);
  if (ec) {
    retry_soon = true;
    return std::nullopt;
  }
  if (mtime != podman_mtime_ || podman_json_.empty()) {
    bool missing = false;
    auto text = read_file(paths_.podman_storage, missing);
    if (!text) {
      retry_soon = missing;
      return std::nullopt;
    }
    podman_json_ = std::move(*text);
    podman_mtime_ = mtime;
  }
  auto m = parse_podman_containers(podman_json_, id);
  if (!m) retry_soon = true;  // not listed yet
  return m;
}

std::optional<ContainerMetadata> MetadataStore::read(const ContainerCgroup &c, bool &retry_soon) {
  if (c.runtime == "podman") return read_podman(c.container_id, retry_soon);
  std::filesystem::path file;
  ContainerMetadata (*parse)(std::string_view) = nullptr;
  if (c.runtime == "containerd") {
    file = paths_.containerd_bundles / c.container_id / "config.json";
    parse = parse_oci_bundle_config;
  } else if (c.runtime == "cri-o") {
    file = paths_.crio_containers / c.container_id / "userdata" / "config.json";
    parse = parse_oci_bundle_config;
  } else if (c.runtime == "docker") {
    file = paths_.docker_containers / c.container_id / "config.v2.json";
    parse = parse_docker_config;
  } else {
    return std::nullopt;  // systemd scopes and --cgroup-match hits have no runtime metadata
  }
  bool missing = false;
  auto text = read_file(file, missing);
  if (!text) {
    retry_soon = missing;
    return std::nullopt;
  }
  ContainerMetadata m = parse(*text);
  // Started by image id, the reference is a hash: no name for a VNF type, nor for rules.
  if (is_image_id(m.image)) m.image = c.runtime == "docker" ? docker_image_name(m.image_id) : std::string();
  return m;
}

// Docker records the reference a container was started with; started by id, that is a hash.
// The image's own name is in the image store's repositories.json (one per storage driver).
std::string MetadataStore::docker_image_name(const std::string &image_id) const {
  std::error_code ec;
  for (const auto &driver : std::filesystem::directory_iterator(paths_.docker_images, ec)) {
    bool missing = false;
    auto text = read_file(driver.path() / "repositories.json", missing);
    if (!text) continue;
    try {
      if (auto name = parse_docker_repositories(*text, image_id)) return *name;
    } catch (const std::runtime_error &e) {
      spdlog::warn("metadata: {}: {}", (driver.path() / "repositories.json").string(), e.what());
    }
  }
  return {};  // untagged, or the image store is not mounted: no name rather than a hash
}

std::optional<ContainerMetadata> MetadataStore::lookup(const ContainerCgroup &container) {
  if (container.container_id.empty()) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  auto it = cache_.find(container.container_id);
  if (it != cache_.end() && (it->second.metadata || now < it->second.retry_after)) return it->second.metadata;

  Entry entry;
  bool retry_soon = false;
  try {
    entry.metadata = read(container, retry_soon);
  } catch (const std::exception &e) {
    // Logged once per container: the next attempt is a minute away.
    spdlog::warn("metadata: container {} ({}): {}", container.container_id.substr(0, 12), container.runtime, e.what());
  }
  entry.retry_after = now + (retry_soon ? kRetryMissing : kRetryMalformed);
  cache_[container.container_id] = entry;
  return entry.metadata;
}

void MetadataStore::retain(const std::unordered_set<std::string> &live_container_ids) {
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (live_container_ids.count(it->first)) ++it;
    else it = cache_.erase(it);
  }
}

}  // namespace vnf::discover
