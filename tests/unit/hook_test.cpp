#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "hook/bearer_token.h"
#include "hook/hook_api.h"
#include "hook/scaling_event.h"
#include "hook/scaling_journal.h"
#include "hook/vnf_registration.h"
#include "hook/scaling_metrics.h"

namespace vnf::hook {
namespace {

RequestError error_of(std::string_view body) {
  auto r = parse_scaling_event(body);
  if (auto *e = std::get_if<RequestError>(&r)) return *e;
  ADD_FAILURE() << "accepted: " << body;
  return {};
}

TEST(ScalingEventParser, AcceptsTheDocumentedEvent) {
  auto r = parse_scaling_event(
      R"({"vnf_type": "firewall", "direction": "out", "vnf": "fw-1", "from": 2, "to": 3, "reason": "cpu", "id": "k1"})");
  ASSERT_TRUE(std::holds_alternative<ScalingEvent>(r));
  const auto &e = std::get<ScalingEvent>(r);
  EXPECT_EQ(e.vnf_type, "firewall");
  EXPECT_EQ(e.direction, "out");
  EXPECT_EQ(e.from, 2);
  EXPECT_EQ(e.to, 3);
  EXPECT_EQ(e.id, "k1");
  EXPECT_TRUE(std::holds_alternative<ScalingEvent>(parse_scaling_event(R"({"vnf_type":"lb","direction":"down"})")));
}

TEST(ScalingEventParser, EveryBadInputNamesItsProblem) {
  EXPECT_NE(error_of("{").message.find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("[1]").message.find("JSON object"), std::string::npos);
  EXPECT_NE(error_of(R"({"direction":"out"})").message.find("missing field 'vnf_type'"), std::string::npos);
  EXPECT_NE(error_of(R"({"vnf_type":"fw"})").message.find("missing field 'direction'"), std::string::npos);
  EXPECT_NE(error_of(R"({"vnf_type":"fw","direction":"sideways"})").message.find("one of out, in, up, down"), std::string::npos);
  EXPECT_NE(error_of(R"({"vnf_type":"","direction":"out"})").message.find("must not be empty"), std::string::npos);
  EXPECT_NE(error_of(R"({"vnf_type":7,"direction":"out"})").message.find("must be a string"), std::string::npos);
  EXPECT_NE(error_of(R"({"vnf_type":"fw","direction":"out","from":-1})").message.find("'from'"), std::string::npos);
  EXPECT_NE(error_of(R"({"vnf_type":"fw","direction":"out","to":1.5})").message.find("'to'"), std::string::npos);
  EXPECT_NE(error_of(R"({"vnf_type":"fw","direction":"out","colour":"red"})").message.find("unknown field 'colour'"), std::string::npos);
  EXPECT_NE(error_of(R"({"vnf_type":")" + std::string(200, 'x') + R"(","direction":"out"})").message.find("longer than 128"),
            std::string::npos);
  EXPECT_NE(error_of("{\"vnf_type\":\"fw\\u0007\",\"direction\":\"out\"}").message.find("control characters"), std::string::npos);
  EXPECT_NE(error_of("{\"vnf_type\":\"f\xff\",\"direction\":\"out\"}").message.find("UTF-8"), std::string::npos);
  const auto big = error_of(std::string(kMaxBodyBytes + 1, ' '));
  EXPECT_EQ(big.status, 413);
}

TEST(VnfRegistrationParser, PathOrPidAndLabels) {
  auto ok = parse_vnf_registration(R"({"cgroup":"/vnf.slice/fw.scope","vnf":"fw-1","vnf_type":"firewall"})");
  ASSERT_TRUE(std::holds_alternative<VnfRegistration>(ok));
  EXPECT_EQ(std::get<VnfRegistration>(ok).identity.vnf_type, "firewall");
  EXPECT_TRUE(std::holds_alternative<VnfRegistration>(parse_vnf_registration(R"({"pid":42,"vnf":"x"})")));
  auto error = [](std::string_view body) { return std::get<RequestError>(parse_vnf_registration(body)).message; };
  EXPECT_NE(error(R"({"vnf":"x"})").find("exactly one of"), std::string::npos);
  EXPECT_NE(error(R"({"cgroup":"/a","pid":1,"vnf":"x"})").find("exactly one of"), std::string::npos);
  EXPECT_NE(error(R"({"cgroup":"relative","vnf":"x"})").find("starting with '/'"), std::string::npos);
  EXPECT_NE(error(R"({"cgroup":"/a"})").find("missing field 'vnf'"), std::string::npos);
  EXPECT_NE(error(R"({"cgroup":"/a","vnf":"x","labels":{}})").find("unknown field 'labels'"), std::string::npos);
  EXPECT_NE(error(R"({"pid":-4,"vnf":"x"})").find("'pid'"), std::string::npos);
  // Checked by config_fuzz: these passed, and the agent looked them up outside the hierarchy
  // (cgroup_dir("/sys/fs/cgroup", "//etc") is /etc) and registered any directory it found there.
  for (const char *path : {"//etc", "/..", "/a/../..", "/a/./b", "/a//b", "/a/"})
    EXPECT_NE(error(R"({"cgroup":")" + std::string(path) + R"(","vnf":"x"})").find("'..'"), std::string::npos) << path;
  EXPECT_TRUE(std::holds_alternative<VnfRegistration>(parse_vnf_registration(R"({"cgroup":"/","vnf":"x"})")));
  EXPECT_TRUE(std::holds_alternative<VnfRegistration>(parse_vnf_registration(R"({"cgroup":"/a/..b/c.","vnf":"x"})")));
}

TEST(BearerToken, OnlyTheExactTokenAuthorizes) {
  BearerToken token("s3cret");
  EXPECT_TRUE(token.authorizes("Bearer s3cret"));
  EXPECT_FALSE(token.authorizes("Bearer s3cre"));
  EXPECT_FALSE(token.authorizes("Bearer s3cret2"));
  EXPECT_FALSE(token.authorizes("bearer s3cret"));
  EXPECT_FALSE(token.authorizes("Basic s3cret"));
  EXPECT_FALSE(token.authorizes(""));
  EXPECT_FALSE(token.authorizes("Bearer "));
}

class JournalTest : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("vnf-journal-" + std::to_string(getpid()));
  void TearDown() override { std::filesystem::remove_all(dir); }
  static ScalingEvent event(const std::string &type, const std::string &direction, const std::string &id = "") {
    ScalingEvent e;
    e.vnf_type = type;
    e.direction = direction;
    e.id = id;
    return e;
  }
};

TEST_F(JournalTest, RepeatedIdIsRecordedOnceAndTotalsSurviveReopening) {
  {
    ScalingJournal j(dir);
    EXPECT_TRUE(j.record(event("fw", "out", "a"), 100));
    EXPECT_FALSE(j.record(event("fw", "out", "a"), 101)) << "duplicate id";
    EXPECT_TRUE(j.record(event("fw", "out"), 102));
    EXPECT_TRUE(j.record(event("fw", "out"), 103)) << "no id: always a new event";
    EXPECT_TRUE(j.record(event("lb", "in", "b"), 104));
  }
  ScalingJournal reopened(dir);
  auto totals = reopened.totals();
  EXPECT_EQ((totals.actions[{"fw", "out"}]), 3u);
  EXPECT_EQ((totals.actions[{"lb", "in"}]), 1u);
  EXPECT_DOUBLE_EQ(totals.last_action["fw"], 103);
  EXPECT_FALSE(reopened.record(event("lb", "in", "b"), 105)) << "ids outlive a restart";
  auto listed = reopened.list(0, 2);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].event.id, "a");
  EXPECT_EQ(reopened.list(listed[1].seq, 100).size(), 2u);
}

TEST_F(JournalTest, CompactionKeepsTotalsExactAndTheFileBounded) {
  ScalingJournal j(dir, /*keep_events=*/100);
  for (int i = 0; i < 2500; ++i) j.record(event(i % 2 ? "fw" : "lb", "out", "id-" + std::to_string(i)), i);
  auto totals = j.totals();
  EXPECT_EQ((totals.actions[{"fw", "out"}]), 1250u);
  EXPECT_EQ((totals.actions[{"lb", "out"}]), 1250u);
  EXPECT_DOUBLE_EQ(totals.last_action["fw"], 2499);
  EXPECT_LE(j.list(0, 100000).size(), 600u) << "old events were folded into totals";
}

TEST_F(JournalTest, ApiAnswersWithJsonErrorsAndCounts) {
  ScalingJournal j(dir);
  metrics::Registry registry;
  ScalingMetrics m(registry, j.totals());
  HookApi api(j, m);
  EXPECT_EQ(api.post_scaling_event("text/plain", R"({"vnf_type":"fw","direction":"out"})").status, 415);
  EXPECT_EQ(api.post_scaling_event("application/json", "nope").status, 400);
  EXPECT_EQ(api.post_scaling_event("application/json; charset=utf-8", R"({"vnf_type":"fw","direction":"out","id":"x"})").status, 201);
  auto dup = api.post_scaling_event("application/json", R"({"vnf_type":"fw","direction":"out","id":"x"})");
  EXPECT_EQ(dup.status, 200);
  EXPECT_NE(dup.body.find("duplicate"), std::string::npos);
  EXPECT_NE(registry.serialize().find("vnf_scaling_actions_total{direction=\"out\",vnf_type=\"fw\"} 1"), std::string::npos);
  EXPECT_EQ(api.list_scaling_events({{"since", "-1"}}).status, 400);
  EXPECT_EQ(route(api, "DELETE", "/v1/scaling-events", {}, "", "").status, 405);
  EXPECT_EQ(route(api, "GET", "/v1/other", {}, "", "").status, 404);
}

TEST_F(JournalTest, NewVnfTypesBeyondTheLimitAreRefusedKnownOnesStillCount) {
  auto post = [](HookApi &api, const std::string &type) {
    return api.post_scaling_event("application/json", R"({"vnf_type":")" + type + R"(","direction":"out"})");
  };
  {
    ScalingJournal j(dir);
    metrics::Registry registry;
    ScalingMetrics m(registry, j.totals());
    HookApi api(j, m, nullptr, 2);
    EXPECT_EQ(post(api, "fw").status, 201);
    EXPECT_EQ(post(api, "lb").status, 201);
    auto refused = post(api, "nat");
    EXPECT_EQ(refused.status, 422);
    EXPECT_NE(refused.body.find("--max-vnfs"), std::string::npos) << refused.body;
    EXPECT_EQ(post(api, "fw").status, 201) << "a type already counted is never refused";
    EXPECT_EQ(registry.serialize().find("nat"), std::string::npos) << "no series for the refused type";
  }
  ScalingJournal j(dir);  // the limit holds across restarts: the journal's types count
  metrics::Registry registry;
  ScalingMetrics m(registry, j.totals());
  HookApi api(j, m, nullptr, 2);
  EXPECT_EQ(post(api, "nat").status, 422);
  EXPECT_EQ(post(api, "lb").status, 201);
}

}  // namespace
}  // namespace vnf::hook
