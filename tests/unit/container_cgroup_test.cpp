#include "discover/container_cgroup.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "discover/own_cgroup.h"

namespace vnf::discover {
namespace {

const std::string kId = "3f1c9a2b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";

TEST(ContainerCgroup, DockerSystemdAndCgroupfsDrivers) {
  ContainerRecognizer r;
  for (const std::string path : {"/system.slice/docker-" + kId + ".scope", "/docker/" + kId}) {
    auto c = r.recognize(path);
    ASSERT_TRUE(c) << path;
    EXPECT_EQ(c->runtime, "docker");
    EXPECT_EQ(c->container_id, kId);
    EXPECT_EQ(c->identity.vnf, kId.substr(0, 12));
  }
}

TEST(ContainerCgroup, KubernetesContainerdSystemdDriver) {
  ContainerRecognizer r;
  auto c = r.recognize("/kubepods.slice/kubepods-burstable.slice/"
                       "kubepods-burstable-pod0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0.slice/cri-containerd-" +
                       kId + ".scope");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime, "containerd");
  EXPECT_EQ(c->pod_uid, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
}

TEST(ContainerCgroup, KubernetesCgroupfsDriver) {
  ContainerRecognizer r;
  auto c = r.recognize("/kubepods/besteffort/pod0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/" + kId);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime, "containerd");
  EXPECT_EQ(c->pod_uid, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
  EXPECT_FALSE(r.recognize("/kubepods/besteffort/pod0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"))
      << "the pod cgroup itself is not a container";
}

TEST(ContainerCgroup, CrioAndItsConmonIsNotAContainer) {
  ContainerRecognizer r;
  auto c = r.recognize("/kubepods.slice/kubepods-pod0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0.slice/crio-" + kId + ".scope");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime, "cri-o");
  EXPECT_EQ(c->pod_uid, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
  EXPECT_FALSE(r.recognize("/kubepods.slice/kubepods-pod0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0.slice/crio-conmon-" + kId + ".scope"));
}

TEST(ContainerCgroup, PodmanAndItsConmonIsNotAContainer) {
  ContainerRecognizer r;
  auto c = r.recognize("/machine.slice/libpod-" + kId + ".scope");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime, "podman");
  EXPECT_FALSE(r.recognize("/machine.slice/libpod-conmon-" + kId + ".scope"));
  EXPECT_TRUE(r.recognize("/libpod_parent/libpod-" + kId)) << "podman, cgroupfs manager";
}

TEST(ContainerCgroup, SystemdScopesButNotSessionsOrInit) {
  ContainerRecognizer r;
  auto c = r.recognize("/system.slice/run-u42.scope");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime, "systemd");
  EXPECT_EQ(c->identity.vnf, "run-u42");
  EXPECT_FALSE(r.recognize("/init.scope"));
  EXPECT_FALSE(r.recognize("/user.slice/user-1000.slice/session-3.scope"));
  EXPECT_FALSE(r.recognize("/system.slice/sshd.service"));
  EXPECT_FALSE(r.recognize("/"));
}

TEST(ContainerCgroup, NotContainers) {
  ContainerRecognizer r;
  EXPECT_FALSE(r.recognize("/docker"));
  EXPECT_FALSE(r.recognize("/system.slice/docker-notanid.scope"));
  EXPECT_FALSE(r.recognize("/some/" + kId)) << "a bare id needs a docker or pod parent";
  EXPECT_FALSE(r.recognize("/system.slice/docker-" + kId.substr(1) + ".scope")) << "63 characters";
}

TEST(ContainerCgroup, MatchPatternCaptureGroupsNameVnfAndType) {
  ContainerRecognizer r({"/vnf/([a-z0-9-]+)/(firewall|router)$", "/plain/[a-z]+$"});
  auto c = r.recognize("/vnf/edge-1/firewall");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->runtime, "match");
  EXPECT_EQ(c->identity.vnf, "edge-1");
  EXPECT_EQ(c->identity.vnf_type, "firewall");
  auto plain = r.recognize("/plain/thing");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->identity.vnf, "thing") << "no capture group: the leaf name";
  EXPECT_FALSE(r.recognize("/vnf/edge-1/switch"));
}

TEST(ContainerCgroup, InvalidPatternNamesIt) {
  try {
    ContainerRecognizer r({"(unclosed"});
    FAIL() << "expected an error";
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("(unclosed"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace vnf::discover

namespace vnf::discover {
namespace {

TEST(OwnCgroup, KnownPathIsTheAgentsContainerAndItsAncestors) {
  OwnCgroup own("/nonexistent", "/system.slice/docker-abc.scope/init", 42);
  EXPECT_TRUE(own.holds_agent(1, "/system.slice/docker-abc.scope/init"));
  EXPECT_TRUE(own.holds_agent(2, "/system.slice/docker-abc.scope"));
  EXPECT_FALSE(own.holds_agent(3, "/system.slice/docker-abcd.scope")) << "a prefix of the name is another cgroup";
  EXPECT_FALSE(own.holds_agent(4, "/system.slice/docker-def.scope"));
  EXPECT_FALSE(own.holds_agent(5, "/"));
}

// Behind a private cgroup namespace /proc/self/cgroup says "/": the container cgroup whose
// cgroup.procs lists the agent's PID is its own.
TEST(OwnCgroup, HiddenPathIsFoundByTheAgentsPid) {
  const auto root = std::filesystem::temp_directory_path() / ("own-cgroup-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(root / "kubepods/pod1/c1");
  std::filesystem::create_directories(root / "kubepods/pod1/c2");
  std::ofstream(root / "kubepods/pod1/c1/cgroup.procs") << "7\n420\n";
  std::ofstream(root / "kubepods/pod1/c2/cgroup.procs") << "42\n";
  OwnCgroup own(root, "/", 42);
  EXPECT_FALSE(own.holds_agent(11, "/kubepods/pod1/c1")) << "420 is not 42";
  EXPECT_TRUE(own.holds_agent(12, "/kubepods/pod1/c2"));
  std::filesystem::remove_all(root);
  EXPECT_TRUE(own.holds_agent(12, "/kubepods/pod1/c2")) << "checked once per cgroup";
  own.retain({11});
  EXPECT_FALSE(own.holds_agent(12, "/kubepods/pod1/c2")) << "a gone cgroup is forgotten";
}

}  // namespace
}  // namespace vnf::discover
