// libFuzzer target for what the agent reads of the host's state to find and name VNFs: the
// container runtimes' files (OCI bundle config.json of containerd and CRI-O, docker's
// config.v2.json and repositories.json, podman's containers.json), cgroup paths as each runtime
// lays them out, a cgroup's cgroup.procs, /proc/self/mountinfo, the agent's own registrations
// file, and the label values made of all that. Whatever those files hold (a newer runtime's
// format, a half-written file, a hostile container's name) must end in metadata, nothing, or the
// std::runtime_error the parsers document, never another exception, a crash, a hang or undefined
// behaviour; and every label value that comes out is valid UTF-8 without control characters but
// '\n', at most kMaxLabelValueBytes. The first byte picks the parser; the rest is the file (where
// a parser also takes an id, the id comes first, up to a NUL). cgroup.procs and the registrations
// file are written to a private temporary folder and read from there; nothing else on the host
// is read.

#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "cgroupfs/cgroup_layout.h"
#include "cgroupfs/cgroup_paths.h"
#include "discover/container_cgroup.h"
#include "discover/metadata/container_metadata.h"
#include "discover/own_cgroup.h"
#include "discover/registration_file.h"
#include "discover/vnf_identity.h"
#include "fuzz_checks.h"

namespace {

using namespace vnf;
using namespace vnf::discover;

constexpr pid_t kAgentPid = 4242;

// A private folder for the files the readers take from disk, removed at exit.
struct Scratch {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("vnf-runtime-state-fuzz-" + std::to_string(getpid()));
  Scratch() { std::filesystem::create_directories(dir / "x"); }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  void write(const std::filesystem::path &file, std::string_view content) const {
    std::ofstream(file, std::ios::binary | std::ios::trunc).write(content.data(), static_cast<std::streamsize>(content.size()));
  }
};
const Scratch &scratch() {
  static const Scratch s;
  return s;
}

std::pair<std::string_view, std::string_view> split_at_nul(std::string_view s, std::string_view default_first) {
  const auto nul = s.find('\0');
  if (nul == std::string_view::npos) return {default_first, s};
  return {s.substr(0, nul), s.substr(nul + 1)};
}

void check_label(std::string_view value) {
  if (value.size() > kMaxLabelValueBytes || !fuzz::clean_label_value(value)) __builtin_trap();
}

void check_identity(const VnfIdentity &id) {
  for (const auto *value : {&id.vnf, &id.vnf_type, &id.namespace_name, &id.pod, &id.container}) check_label(*value);
}

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// What the default naming makes of the metadata: sanitised labels, whatever the runtime wrote.
void name_it(const ContainerMetadata &m) {
  ContainerCgroup c{"docker", std::string(64, 'a'), "", {}};
  if (auto resolved = IdentityResolver().resolve(c, m, "/docker/" + c.container_id)) check_identity(resolved->identity);
  else if (!m.sandbox) __builtin_trap();  // without rules only sandboxes are no VNF
}

void oci_bundle(std::string_view json) {
  try {
    const auto m = parse_oci_bundle_config(json);
    if (!m.sandbox && (m.name.empty() || m.pod.empty())) __builtin_trap();
    name_it(m);
  } catch (const std::runtime_error &) {
  }
}

void docker_config(std::string_view json) {
  try {
    const auto m = parse_docker_config(json);
    if (m.name.empty()) __builtin_trap();
    name_it(m);
  } catch (const std::runtime_error &) {
  }
}

void docker_repositories(std::string_view input) {
  const auto [id, json] = split_at_nul(input, "sha256:1212121212121212121212121212121212121212121212121212121212121212");
  try {
    (void)parse_docker_repositories(json, id);
  } catch (const std::runtime_error &) {
  }
}

void podman_containers(std::string_view input) {
  const auto [id, json] = split_at_nul(input, "e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0");
  try {
    if (auto m = parse_podman_containers(json, id)) {
      if (is_image_id(m->image)) __builtin_trap();  // started by id: no name
      name_it(*m);
    }
  } catch (const std::runtime_error &) {
  }
}

void image_reference(std::string_view image) {
  if (is_image_id(image)) {
    auto hex = image.starts_with("sha256:") ? image.substr(7) : image;
    if (hex.size() < 12 || hex.size() > 64 || !is_lower_hex(hex)) __builtin_trap();
  }
  const auto base = image_base_name(image);
  if (base.find_first_of("/:@") != std::string::npos || image.find(base) == std::string_view::npos) __builtin_trap();
}

// The cgroup paths runtimes make, and one --cgroup-match pattern from the README.
void cgroup_path(std::string_view path) {
  static const ContainerRecognizer recognizer({R"(^/vnf\.slice/(.+)\.scope$)"});
  const auto c = recognizer.recognize(path);
  if (!c) return;
  const auto &r = c->runtime;
  if (r == "docker" || r == "containerd" || r == "cri-o" || r == "podman") {
    if (c->container_id.size() != 64 || !is_lower_hex(c->container_id)) __builtin_trap();
    if (c->identity.vnf != c->container_id.substr(0, 12)) __builtin_trap();
  } else if (r == "systemd" || r == "match") {
    if (!c->container_id.empty() || c->identity.vnf.empty()) __builtin_trap();
    if (r == "systemd" && (path.find("/user.slice/") != std::string_view::npos || path.ends_with("/init.scope")))
      __builtin_trap();  // login sessions and systemd's own scope are no VNFs
  } else {
    __builtin_trap();
  }
  if (auto resolved = IdentityResolver().resolve(*c, std::nullopt, path)) check_identity(resolved->identity);
  else __builtin_trap();  // no rules exclude it
}

void label_values(std::string_view input) {
  const auto value = sanitize_label_value(input);
  check_label(value);
  if (sanitize_label_value(value) != value) __builtin_trap();  // sanitising twice changes nothing
  // A value that needs nothing keeps what fits, cut at a character boundary.
  if (fuzz::clean_label_value(input) && !input.starts_with(value)) __builtin_trap();
  if (fuzz::clean_label_value(input) && input.size() <= kMaxLabelValueBytes && value != input) __builtin_trap();
  VnfIdentity id;
  std::string_view rest = input;
  for (auto *field : {&id.vnf, &id.vnf_type, &id.namespace_name, &id.pod, &id.container}) {
    const auto nul = rest.find('\0');
    *field = std::string(rest.substr(0, nul));
    rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
  }
  const auto clean = sanitized_identity(id);
  if (clean.vnf != sanitize_label_value(id.vnf) || clean.container != sanitize_label_value(id.container)) __builtin_trap();
  check_identity(clean);
}

// cgroup.procs: is the agent's PID listed? And, where /proc/self/cgroup named the agent's cgroup,
// which cgroups hold it (no file is read then).
void own_cgroup(std::string_view input) {
  const auto [own, procs] = split_at_nul(input, "");
  if (own.empty()) {
    scratch().write(scratch().dir / "x" / "cgroup.procs", procs);
    const bool listed = OwnCgroup(scratch().dir, std::nullopt, kAgentPid).holds_agent(1, "/x");
    // Where the file is what the kernel writes, one PID a line, the answer is exact.
    bool kernel_format = true, expected = false;
    for (std::string_view rest = procs; kernel_format && !rest.empty();) {
      const auto eol = rest.find('\n');
      const auto line = rest.substr(0, eol);
      kernel_format = eol != std::string_view::npos && !line.empty() && line.size() <= 10 && line.front() != '0' &&
                      line.find_first_not_of("0123456789") == std::string_view::npos;
      expected |= line == std::to_string(kAgentPid);
      rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    }
    if (kernel_format && listed != expected) __builtin_trap();
    return;
  }
  const std::string own_path = "/" + std::string(own);
  OwnCgroup agent(scratch().dir, own_path, kAgentPid);
  if (!agent.holds_agent(1, own_path) || agent.holds_agent(2, "/")) __builtin_trap();
  for (std::size_t slash = own_path.find('/', 1); slash != std::string::npos; slash = own_path.find('/', slash + 1))
    if (slash > 1 && !agent.holds_agent(3, own_path.substr(0, slash))) __builtin_trap();  // its ancestors
  if (agent.holds_agent(4, own_path + "x") || agent.holds_agent(5, own_path + "/x")) __builtin_trap();
}

// /proc/self/mountinfo, then the v2 root's cgroup.controllers after a NUL.
void mountinfo(std::string_view input) {
  const auto [text, controllers] = split_at_nul(input, "cpuset cpu io memory hugetlb pids rdma misc");
  std::istringstream in{std::string(text)};
  const auto mounts = cgroupfs::parse_cgroup_mounts(in);
  for (const auto &m : mounts)
    for (const auto &c : m.controllers)
      if (m.v2 || c.find('=') != std::string::npos || c == "rw" || c == "ro") __builtin_trap();
  try {
    const auto layout = cgroupfs::choose_cgroup_layout(mounts, std::string(controllers));
    if (layout.cpu_root.empty()) __builtin_trap();
    if (layout.memory == cgroupfs::MemoryAccounting::v2 && layout.memory_root != layout.unified_root) __builtin_trap();
    if (layout.memory == cgroupfs::MemoryAccounting::none && !layout.memory_root.empty()) __builtin_trap();
  } catch (const std::runtime_error &) {
    // Only where neither cgroup2 nor a v1 cpu or cpuacct hierarchy is mounted.
    for (const auto &m : mounts)
      if (m.v2 || std::count(m.controllers.begin(), m.controllers.end(), "cpu") ||
          std::count(m.controllers.begin(), m.controllers.end(), "cpuacct"))
        __builtin_trap();
  }
}

// The registrations the agent saved (state_dir/registrations.json), as it reads them at start.
void registrations_file(std::string_view json) {
  const auto file = scratch().dir / "registrations.json";
  scratch().write(file, json);
  try {
    for (const auto &[path, identity] : RegistrationFile(file).load())
      if (path.empty() || path.front() != '/') __builtin_trap();
  } catch (const std::runtime_error &) {
  }
}

// A task's /proc/PID/cgroup, which the hook's registrations by pid and the agent's own cgroup
// come from: a path from the root, on one line, or none.
void proc_cgroup(std::string_view input) {
  using cgroupfs::CpuAccounting;
  for (auto accounting : {CpuAccounting::v2, CpuAccounting::v1_cpu, CpuAccounting::v1_cpuacct})
    if (auto path = cgroupfs::parse_proc_cgroup(input, accounting))
      if (path->empty() || path->front() != '/' || path->find('\n') != std::string::npos) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char *>(data) + 1, size - 1);
  switch (data[0] % 11) {
    case 0: oci_bundle(input); break;
    case 1: docker_config(input); break;
    case 2: docker_repositories(input); break;
    case 3: podman_containers(input); break;
    case 4: image_reference(input); break;
    case 5: cgroup_path(input); break;
    case 6: label_values(input); break;
    case 7: own_cgroup(input); break;
    case 8: mountinfo(input); break;
    case 9: registrations_file(input); break;
    case 10: proc_cgroup(input); break;
  }
  return 0;
}
