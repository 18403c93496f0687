#pragma once
// Looks up a container's runtime metadata on the host's disk, by runtime and container id,
// and caches it: a container's metadata never changes while it exists. Missing files are
// retried a little later (a runtime may write them just after the cgroup appears); unreadable
// or malformed ones are logged once and retried rarely.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "discover/container_cgroup.h"
#include "discover/metadata/container_metadata.h"

namespace vnf::discover {

class MetadataStore {
 public:
  explicit MetadataStore(RuntimeStatePaths paths = {});

  std::optional<ContainerMetadata> lookup(const ContainerCgroup &container);
  // Drops cached entries of containers that are gone; keeps the cache bounded by what runs.
  void retain(const std::unordered_set<std::string> &live_container_ids);

 private:
  struct Entry {
    std::optional<ContainerMetadata> metadata;
    std::chrono::steady_clock::time_point retry_after{};
  };
  std::optional<ContainerMetadata> read(const ContainerCgroup &container, bool &retry_soon);
  std::optional<ContainerMetadata> read_podman(const std::string &id, bool &retry_soon);
  std::string docker_image_name(const std::string &image_id) const;

  RuntimeStatePaths paths_;
  std::unordered_map<std::string, Entry> cache_;
  std::string podman_json_;  // containers.json, re-read when it changes
  std::filesystem::file_time_type podman_mtime_{};
};

}  // namespace vnf::discover
