#pragma once
// What a container runtime recorded about a container, read from its files on the host (no
// daemon API call): enough to name the VNF the container belongs to.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace vnf::discover {

struct ContainerMetadata {
  std::string name;            // container name (Kubernetes: the container in the pod spec)
  std::string image;           // image reference as the runtime recorded it
  std::string pod;             // Kubernetes only
  std::string namespace_name;  // Kubernetes only
  std::string pod_uid;         // Kubernetes only
  bool sandbox = false;        // the pod's infrastructure ("pause") container, not a workload
};

// Where the runtimes keep their state; a prefix makes the same layout testable in fixtures.
struct RuntimeStatePaths {
  std::filesystem::path containerd_bundles = "/run/containerd/io.containerd.runtime.v2.task/k8s.io";
  std::filesystem::path crio_containers = "/run/containers/storage/overlay-containers";
  std::filesystem::path docker_containers = "/var/lib/docker/containers";
  std::filesystem::path podman_storage = "/var/lib/containers/storage/overlay-containers/containers.json";

  static RuntimeStatePaths under(const std::filesystem::path &root);
};

// Parsers for each runtime's format. Each throws std::runtime_error naming what is wrong.
// OCI runtime bundle config.json with Kubernetes annotations (containerd CRI and CRI-O).
ContainerMetadata parse_oci_bundle_config(std::string_view json);
// Docker's /var/lib/docker/containers/<id>/config.v2.json.
ContainerMetadata parse_docker_config(std::string_view json);
// containers/storage's containers.json (podman): the entry for `container_id`, if listed.
std::optional<ContainerMetadata> parse_podman_containers(std::string_view json, std::string_view container_id);

}  // namespace vnf::discover
