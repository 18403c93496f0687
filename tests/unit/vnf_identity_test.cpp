// Container metadata from real runtime layouts (fixtures under tests/fixtures/host) and the
// rules that turn it into VNF identities.

#include <gtest/gtest.h>

#include "discover/metadata/metadata_store.h"
#include "discover/vnf_identity.h"
#include "metrics/vnf_labels.h"

namespace vnf::discover {
namespace {

std::string repeat(const char *two, int n = 32) {
  std::string s;
  for (int i = 0; i < n; ++i) s += two;
  return s;
}

ContainerCgroup container(const std::string &runtime, const std::string &id) {
  ContainerCgroup c;
  c.runtime = runtime;
  c.container_id = id;
  c.identity.vnf = id.substr(0, 12);
  return c;
}

MetadataStore fixtures() { return MetadataStore(RuntimeStatePaths::under(VNF_FIXTURE_HOST)); }

TEST(ContainerMetadata, ContainerdKubernetesBundle) {
  auto store = fixtures();
  auto m = store.lookup(container("containerd", repeat("c0")));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "upf");
  EXPECT_EQ(m->pod, "upf-7d9f8-abcde");
  EXPECT_EQ(m->namespace_name, "core");
  EXPECT_EQ(m->pod_uid, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
  EXPECT_EQ(m->image, "registry.example/5g/upf:2.1");
  EXPECT_FALSE(m->sandbox);
  auto sandbox = store.lookup(container("containerd", repeat("5a")));
  ASSERT_TRUE(sandbox);
  EXPECT_TRUE(sandbox->sandbox);
}

TEST(ContainerMetadata, CrioBundle) {
  auto store = fixtures();
  auto m = store.lookup(container("cri-o", repeat("c1")));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "fw");
  EXPECT_EQ(m->pod, "edge-fw-0");
  EXPECT_EQ(m->namespace_name, "edge");
  EXPECT_EQ(m->image, "quay.io/vnf/firewall:1.0");
  EXPECT_TRUE(store.lookup(container("cri-o", repeat("5b")))->sandbox);
}

TEST(ContainerMetadata, DockerAndPodman) {
  auto store = fixtures();
  auto d = store.lookup(container("docker", repeat("d0")));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->name, "lb-1");
  EXPECT_EQ(d->image, "docker.io/library/haproxy:2.8");
  auto p = store.lookup(container("podman", repeat("e0")));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "dns-1");
  EXPECT_EQ(p->image, "quay.io/vnf/coredns:1.11");
  EXPECT_FALSE(store.lookup(container("podman", repeat("e1")))) << "not listed";
}

// `docker run <image id>` records the id as the image: the name comes from the image store,
// and an image without one gives no VNF type rather than a hash.
TEST(ContainerMetadata, DockerContainerStartedByImageIdIsNamedByItsImage) {
  auto store = fixtures();
  auto tagged = store.lookup(container("docker", repeat("d2")));
  ASSERT_TRUE(tagged);
  EXPECT_EQ(tagged->image, "registry.example/vnf/router:3.2") << "the tag, not the digest reference";
  auto untagged = store.lookup(container("docker", repeat("d3")));
  ASSERT_TRUE(untagged);
  EXPECT_EQ(untagged->image, "");
  auto c = container("docker", repeat("d2"));
  EXPECT_EQ(IdentityResolver().resolve(c, store.lookup(c), "/docker/x")->identity.vnf_type, "router");
  auto u = container("docker", repeat("d3"));
  EXPECT_EQ(IdentityResolver().resolve(u, store.lookup(u), "/docker/x")->identity.vnf_type, "");
}

TEST(ContainerMetadata, ImageIdsAreRecognised) {
  EXPECT_TRUE(is_image_id("0795cb1f974d"));
  EXPECT_TRUE(is_image_id("sha256:" + repeat("ab")));
  EXPECT_TRUE(is_image_id(repeat("ab")));
  EXPECT_FALSE(is_image_id("debian"));
  EXPECT_FALSE(is_image_id("deadbeef"));  // too short for docker to take as an id
  EXPECT_FALSE(is_image_id("0795cb1f974d:1"));
  EXPECT_FALSE(is_image_id("registry.example/0795cb1f974d"));
  EXPECT_FALSE(is_image_id(""));
}

TEST(ContainerMetadata, PodmanContainerStartedByImageIdHasNoImageName) {
  const std::string id = repeat("e2");
  const std::string json = "[{\"id\": \"" + id + "\", \"names\": [\"by-id\"], \"image\": \"" + repeat("ab") +
                           "\", \"metadata\": \"{\\\"image-name\\\": \\\"" + repeat("ab") + "\\\"}\"}]";
  auto m = parse_podman_containers(json, id);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "by-id");
  EXPECT_EQ(m->image, "");
  EXPECT_EQ(m->image_id, repeat("ab"));
}

TEST(ContainerMetadata, DockerRepositoriesFile) {
  const std::string id = "sha256:" + repeat("12");
  EXPECT_EQ(parse_docker_repositories("{\"Repositories\": {\"b\": {\"b:1\": \"" + id + "\"}, \"a\": {\"a:2\": \"" + id + "\"}}}", id),
            std::optional<std::string>("a:2"));
  EXPECT_EQ(parse_docker_repositories("{\"Repositories\": {}}", id), std::nullopt);
  EXPECT_THROW(parse_docker_repositories("{}", id), std::runtime_error);
  EXPECT_THROW(parse_docker_repositories("nonsense", id), std::runtime_error);
}

TEST(ContainerMetadata, MalformedOrMissingIsNoMetadataNotACrash) {
  auto store = fixtures();
  EXPECT_FALSE(store.lookup(container("containerd", repeat("bad0", 16))));
  EXPECT_FALSE(store.lookup(container("containerd", repeat("99"))));
  EXPECT_FALSE(store.lookup(container("systemd", "")));
  EXPECT_THROW(parse_oci_bundle_config("[]"), std::runtime_error);
  EXPECT_THROW(parse_oci_bundle_config("{\"annotations\": {}}"), std::runtime_error);
  EXPECT_THROW(parse_docker_config("{\"Config\": 3}"), std::runtime_error);
  EXPECT_THROW(parse_podman_containers("{}", "x"), std::runtime_error);
  // Found by runtime_state_fuzz: a number beyond double threw nlohmann's out_of_range, which is
  // no std::runtime_error (MetadataStore::docker_image_name let it through).
  EXPECT_THROW(parse_oci_bundle_config("1e400"), std::runtime_error);
  EXPECT_THROW(parse_docker_config("{\"Name\": \"/a\", \"Size\": -1e400}"), std::runtime_error);
  EXPECT_THROW(parse_docker_repositories("{\"Repositories\": {}, \"x\": 1e400}", "sha256:" + repeat("12")),
               std::runtime_error);
  EXPECT_THROW(parse_podman_containers("[1e400]", "x"), std::runtime_error);
}

TEST(VnfIdentity, KubernetesDefaultIsPodAndContainer) {
  auto store = fixtures();
  auto c = container("containerd", repeat("c0"));
  auto id = IdentityResolver().resolve(c, store.lookup(c), "/kubepods/burstable/pod0f1e/x");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->identity.vnf, "upf-7d9f8-abcde");
  EXPECT_EQ(id->identity.vnf_type, "upf");
  EXPECT_EQ(id->identity.namespace_name, "core");
  EXPECT_EQ(id->identity.pod, "upf-7d9f8-abcde");
  EXPECT_EQ(id->identity.container, "upf");
}

TEST(VnfIdentity, SandboxesAreNotVnfs) {
  auto store = fixtures();
  auto c = container("containerd", repeat("5a"));
  EXPECT_FALSE(IdentityResolver().resolve(c, store.lookup(c), "/p"));
}

TEST(VnfIdentity, DockerDefaultIsNameAndImageBase) {
  auto store = fixtures();
  auto c = container("docker", repeat("d0"));
  auto id = IdentityResolver().resolve(c, store.lookup(c), "/docker/x");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->identity.vnf, "lb-1");
  EXPECT_EQ(id->identity.vnf_type, "haproxy");
  EXPECT_EQ(id->identity.container, "lb-1");
  EXPECT_EQ(id->identity.pod, "");
}

TEST(VnfIdentity, RulesFirstMatchWinsWithCaptureGroups) {
  std::vector<config::VnfRuleConfig> rules = {
      {{{"namespace", "^core$"}, {"pod", "^([a-z]+)-"}}, "{namespace}/{pod.1}", "5g-{container}"},
      {{{"namespace", "^core$"}}, "never", "never"},
  };
  auto store = fixtures();
  auto c = container("containerd", repeat("c0"));
  auto id = IdentityResolver(rules, {}).resolve(c, store.lookup(c), "/x");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->identity.vnf, "core/upf");
  EXPECT_EQ(id->identity.vnf_type, "5g-upf");
  EXPECT_EQ(id->identity.pod, "upf-7d9f8-abcde") << "rules rename the VNF, the pod label stays";
}

TEST(VnfIdentity, NetworkOwnerRuleKeepsTheDefaultNames) {
  config::VnfRuleConfig owner;
  owner.match = {{"container", "^upf$"}};
  owner.network_owner = true;
  auto store = fixtures();
  auto c = container("containerd", repeat("c0"));
  auto id = IdentityResolver({owner}, {}).resolve(c, store.lookup(c), "/x");
  ASSERT_TRUE(id);
  EXPECT_TRUE(id->network_owner);
  EXPECT_EQ(id->identity.vnf, "upf-7d9f8-abcde");
  EXPECT_EQ(id->identity.vnf_type, "upf");
  EXPECT_FALSE(IdentityResolver().resolve(c, store.lookup(c), "/x")->network_owner);
}

TEST(VnfIdentity, ImageAndCgroupPathRulesAndExclusions) {
  std::vector<config::VnfRuleConfig> rules = {{{{"image", "haproxy"}}, "", "load-balancer"},
                                              {{{"cgroup_path", "/vnf/([^/]+)$"}}, "{cgroup_path.1}", ""}};
  IdentityResolver resolver(rules, {{{"namespace", "^kube-system$"}}, {{"runtime", "^podman$"}}});
  auto store = fixtures();
  auto docker = container("docker", repeat("d0"));
  EXPECT_EQ(resolver.resolve(docker, store.lookup(docker), "/docker/x")->identity.vnf_type, "load-balancer");
  auto scope = container("systemd", "");
  scope.identity.vnf = "run-u7";
  EXPECT_EQ(resolver.resolve(scope, std::nullopt, "/system.slice/vnf/edge-7")->identity.vnf, "edge-7");
  auto podman = container("podman", repeat("e0"));
  EXPECT_FALSE(resolver.resolve(podman, store.lookup(podman), "/machine.slice/x")) << "excluded";
}

TEST(VnfIdentity, BadRulesAreRejectedWithTheReason) {
  auto rejects = [](std::vector<config::VnfRuleConfig> rules, const std::string &message) {
    try {
      IdentityResolver r(rules, {});
      ADD_FAILURE() << "accepted; expected: " << message;
    } catch (const std::invalid_argument &e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  };
  rejects({{{{"podname", "x"}}, "{pod}", ""}}, "unknown field 'podname'");
  rejects({{{{"pod", "(x"}}, "{pod}", ""}}, "invalid regex for pod");
  rejects({{{{"pod", "x"}}, "{pod", ""}}, "unclosed '{'");
  rejects({{{{"pod", "x"}}, "{pods}", ""}}, "unknown field '{pods}'");
  rejects({{{{"pod", "x"}}, "{pod.x}", ""}}, "capture group number");
  // Found by config_fuzz: a group number beyond int escaped as std::out_of_range from std::stoi.
  rejects({{{{"pod", "(x)"}}, "{pod.99999999999}", ""}}, "no regex has that many groups");
}

TEST(VnfIdentity, ImageBaseName) {
  EXPECT_EQ(image_base_name("registry.example:5000/ns/firewall:1.2@sha256:abc"), "firewall");
  EXPECT_EQ(image_base_name("haproxy"), "haproxy");
  EXPECT_EQ(image_base_name("docker.io/library/haproxy:2.8"), "haproxy");
}

TEST(LabelValues, WeirdNamesStayValidAndBounded) {
  using discover::sanitize_label_value;
  EXPECT_EQ(sanitize_label_value("fw-1"), "fw-1");
  EXPECT_EQ(sanitize_label_value("caf\xc3\xa9 \xe4\xb8\xad"), "caf\xc3\xa9 \xe4\xb8\xad") << "valid UTF-8 kept";
  EXPECT_EQ(sanitize_label_value("a\xff" "b"), "a\xef\xbf\xbd" "b") << "invalid byte replaced";
  EXPECT_EQ(sanitize_label_value("a\xc3"), "a\xef\xbf\xbd") << "truncated sequence replaced";
  EXPECT_EQ(sanitize_label_value("quo\"te\\ new\nline"), "quo\"te\\ new\nline") << "the serializer escapes these";
  EXPECT_EQ(sanitize_label_value(std::string("tab\there\0x", 10)), "tab?here?x");
  auto longest = sanitize_label_value(std::string(300, 'x'));
  EXPECT_EQ(longest.size(), discover::kMaxLabelValueBytes);
  std::string multibyte;
  for (int i = 0; i < 100; ++i) multibyte += "\xe4\xb8\xad";  // 300 bytes of 3-byte characters
  auto cut = sanitize_label_value(multibyte);
  EXPECT_LE(cut.size(), discover::kMaxLabelValueBytes);
  EXPECT_EQ(cut.size() % 3, 0u) << "cut at a character boundary";
}

}  // namespace
}  // namespace vnf::discover
