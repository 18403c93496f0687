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
  std::string image;           // image reference as the runtime recorded it; empty if only an id
  std::string image_id;        // the runtime's id of that image ("sha256:..."), where it records one
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
  std::filesystem::path docker_images = "/var/lib/docker/image";  // <storage driver>/repositories.json
  std::filesystem::path podman_storage = "/var/lib/containers/storage/overlay-containers/containers.json";

  static RuntimeStatePaths under(const std::filesystem::path &root);
};

// Parsers for each runtime's format. Each throws std::runtime_error naming what is wrong.
// OCI runtime bundle config.json with Kubernetes annotations (containerd CRI and CRI-O).
ContainerMetadata parse_oci_bundle_config(std::string_view json);
// Docker's /var/lib/docker/containers/<id>/config.v2.json.
ContainerMetadata parse_docker_config(std::string_view json);
// Docker's image/<driver>/repositories.json: the alphabetically first tagged reference (else
// digest reference) of the image `image_id` ("sha256:<hex>"), if it has any.
std::optional<std::string> parse_docker_repositories(std::string_view json, std::string_view image_id);
// True if `image` is what a user types to start a container by image id: a hex id of 12 to 64
// digits, with or without "sha256:". Such a reference is no name for a VNF type.
bool is_image_id(std::string_view image);
// containers/storage's containers.json (podman): the entry for `container_id`, if listed.
std::optional<ContainerMetadata> parse_podman_containers(std::string_view json, std::string_view container_id);

}  // namespace vnf::discover
