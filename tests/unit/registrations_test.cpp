#include "discover/registrations.h"
#include "discover/vnf_identity.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace vnf::discover {
namespace {

class RegistrationsTest : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("vnf-registrations-" + std::to_string(getpid()));
  std::filesystem::path file = dir / "registrations.json";
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }
  void write(const std::filesystem::path &path, const std::string &text) { std::ofstream(path) << text; }
  std::string read(const std::filesystem::path &path) {
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
  }
};

TEST_F(RegistrationsTest, EveryLabelSurvivesARestart) {
  const VnfIdentity fw{"edge-fw-1", "firewall", "", "", ""};
  const VnfIdentity odd{"lb \"ü\"\n1", "load-balancer", "edge", "pod-7", "c"};
  {
    Registrations first;
    EXPECT_EQ(first.keep_in(RegistrationFile(file)), 0u) << "no file yet: nothing to restore";
    first.add("/system.slice/fw.service", fw);
    first.add("/edge/lb", odd);
  }
  Registrations second;
  EXPECT_EQ(second.keep_in(RegistrationFile(file)), 2u);
  EXPECT_EQ(second.find("/system.slice/fw.service"), fw);
  EXPECT_EQ(second.find("/edge/lb"), odd);
}

TEST_F(RegistrationsTest, ForgottenCgroupsLeaveTheFileToo) {
  {
    Registrations r;
    r.keep_in(RegistrationFile(file));
    r.add("/a", {"a", "t", "", "", ""});
    r.add("/b", {"b", "t", "", "", ""});
    r.retain({"/b"});
  }
  const auto saved = RegistrationFile(file).load();
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved.begin()->first, "/b");
}

TEST_F(RegistrationsTest, AMalformedFileIsSetAsideNamedAndNotOverwritten) {
  const std::string broken = R"({"format": 1, "registrations": [{"cgroup": "/a", "vnf": 7}]})";
  write(file, broken);
  Registrations r;
  try {
    r.keep_in(RegistrationFile(file));
    FAIL() << "a malformed file must be reported";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("set aside as " + file.string() + ".bad"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read(file.string() + ".bad"), broken) << "nothing in it is lost";
  EXPECT_EQ(r.size(), 0u);
  r.add("/b", {"b", "t", "", "", ""});  // and the agent goes on saving new ones
  EXPECT_EQ(RegistrationFile(file).load().size(), 1u);
  EXPECT_EQ(read(file.string() + ".bad"), broken);
}

TEST_F(RegistrationsTest, UnknownFormatsAndNonPathsAreRejected) {
  write(file, R"({"format": 2, "registrations": []})");
  EXPECT_THROW(RegistrationFile(file).load(), std::runtime_error);
  write(file, R"({"format": 1, "registrations": [{"cgroup": "a", "vnf": "", "vnf_type": "", "namespace": "",
                  "pod": "", "container": ""}]})");
  EXPECT_THROW(RegistrationFile(file).load(), std::runtime_error);
  write(file, "");
  EXPECT_THROW(RegistrationFile(file).load(), std::runtime_error);
}

TEST_F(RegistrationsTest, RestoredLabelsAreSanitisedAndEscapingPathsDropped) {
  write(file, "{\"format\": 1, \"registrations\": ["
              "{\"cgroup\": \"/x/../y\", \"vnf\": \"v\", \"vnf_type\": \"\", \"namespace\": \"\", \"pod\": \"\", \"container\": \"\"},"
              "{\"cgroup\": \"/ok\", \"vnf\": \"bad\\u0000\", \"vnf_type\": \"\", \"namespace\": \"\", \"pod\": \"\", \"container\": \"\"}]}");
  Registrations r;
  EXPECT_EQ(r.keep_in(RegistrationFile(file)), 1u);
  EXPECT_FALSE(r.find("/x/../y"));
  ASSERT_TRUE(r.find("/ok"));
  EXPECT_EQ(r.find("/ok")->vnf, sanitized_identity({"bad" + std::string(1, '\0'), "", "", "", ""}).vnf);
}

TEST_F(RegistrationsTest, ARegistrationThatCannotBeSavedChangesNothing) {
  const auto not_a_dir = dir / "plain-file";
  write(not_a_dir, "x");
  Registrations r;
  EXPECT_THROW(r.keep_in(RegistrationFile(not_a_dir / "registrations.json")), std::runtime_error) << "unreadable";
  EXPECT_THROW(r.add("/a", {"a", "t", "", "", ""}), std::runtime_error);
  EXPECT_FALSE(r.find("/a"));
  EXPECT_EQ(r.size(), 0u);
}

TEST_F(RegistrationsTest, WithoutAFileTheyLiveInMemory) {
  Registrations r;
  r.add("/a", {"a", "t", "", "", ""});
  EXPECT_TRUE(r.find("/a"));
  EXPECT_FALSE(std::filesystem::exists(file));
}

}  // namespace
}  // namespace vnf::discover
