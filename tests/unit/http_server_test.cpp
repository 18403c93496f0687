// The HTTP server's own logic, without sockets: who may connect, which request overstayed,
// concurrent scrapes sharing one collection, and which handler serves what.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <atomic>
#include <future>
#include <latch>

#include "http/connection_table.h"
#include "http/routes.h"
#include "http/shared_collection.h"
#include "http/work_queue.h"

namespace vnf::http {
namespace {

using Clock = ConnectionTable::Clock;

TEST(ClientAddress, IPv4IPv6AndMapped) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.2", &v4.sin_addr);
  EXPECT_EQ(client_address(reinterpret_cast<sockaddr *>(&v4), sizeof v4), "127.0.0.2");
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "2001:db8::7", &v6.sin6_addr);
  EXPECT_EQ(client_address(reinterpret_cast<sockaddr *>(&v6), sizeof v6), "2001:db8::7");
  inet_pton(AF_INET6, "::ffff:198.18.0.9", &v6.sin6_addr);
  EXPECT_EQ(client_address(reinterpret_cast<sockaddr *>(&v6), sizeof v6), "198.18.0.9") << "one client, either family";
  sockaddr unix_peer{};
  unix_peer.sa_family = AF_UNIX;
  EXPECT_EQ(client_address(&unix_peer, sizeof unix_peer), "");
  EXPECT_EQ(client_address(reinterpret_cast<sockaddr *>(&v4), 2), "") << "a truncated address is no address";
}

TEST(ConnectionTable, TotalAndPerClientLimits) {
  ConnectionTable table(5, 2);
  const auto later = Clock::now() + std::chrono::hours(1);
  auto a1 = table.opened("10.0.0.1", 10, later);
  table.opened("10.0.0.1", 11, later);
  EXPECT_EQ(table.admit("10.0.0.1"), Admission::client_limit);
  EXPECT_EQ(table.admit("10.0.0.2"), Admission::accepted);
  table.closed(a1);
  EXPECT_EQ(table.admit("10.0.0.1"), Admission::accepted) << "a closed connection frees its client's place";
  table.closed(a1);  // twice: nothing more
  EXPECT_EQ(table.open_from("10.0.0.1"), 1u);
  for (int fd = 20; fd < 24; ++fd) table.opened("", fd, later);  // socket peers: no per-client limit
  EXPECT_EQ(table.open(), 5u);
  EXPECT_EQ(table.admit(""), Admission::connection_limit);
  EXPECT_EQ(table.admit("10.0.0.3"), Admission::connection_limit);
}

TEST(ConnectionTable, ExpiresOnlyWhatOverstayedAndOnlyOnce) {
  ConnectionTable table(10, 10);
  const auto now = Clock::now();
  auto slow = table.opened("a", 3, now + std::chrono::seconds(1));
  auto idle = table.opened("a", 4, now + std::chrono::seconds(5));
  auto served = table.opened("a", 5, now + std::chrono::seconds(1));
  table.disarm(served);
  table.arm(idle, now + std::chrono::seconds(60));  // a later deadline never extends an earlier one
  std::vector<int> closed;
  auto close_fd = [&](int fd) { closed.push_back(fd); };
  EXPECT_EQ(table.expire(now, close_fd), 0u);
  EXPECT_EQ(table.expire(now + std::chrono::seconds(2), close_fd), 1u);
  EXPECT_EQ(closed, std::vector<int>{3});
  EXPECT_EQ(table.expire(now + std::chrono::seconds(3), close_fd), 0u) << "closed once, until the library reports it";
  EXPECT_EQ(table.expire(now + std::chrono::seconds(6), close_fd), 1u);
  EXPECT_EQ(closed, (std::vector<int>{3, 4}));
  table.closed(slow);
  table.arm(served, now + std::chrono::seconds(1));  // its next request
  EXPECT_EQ(table.expire(now + std::chrono::seconds(7), close_fd), 1u);
  EXPECT_EQ(closed.back(), 5);
}

TEST(WorkQueue, RunsEveryPostedJobBeforeItGoes) {
  std::atomic<int> ran{0};
  {
    WorkQueue queue(2);
    for (int i = 0; i < 100; ++i) queue.post([&] { ++ran; });
  }
  EXPECT_EQ(ran, 100);
}

TEST(SharedCollection, ScrapesArrivingDuringACollectionShareIt) {
  WorkQueue workers(2);
  std::atomic<int> collections{0};
  std::promise<void> release;
  auto released = release.get_future().share();
  std::latch started(1);
  SharedCollection shared(
      [&] {
        if (collections++ == 0) {
          started.count_down();
          released.wait();
        }
        return std::make_shared<const std::string>("text " + std::to_string(collections.load()));
      },
      workers, 3);
  std::latch served(3);
  std::vector<std::shared_ptr<const std::string>> results(3);
  auto waiter = [&](int i) {
    return [&, i](const SharedCollection::Outcome &outcome) {
      results[i] = outcome.text;
      served.count_down();
    };
  };
  ASSERT_TRUE(shared.join(waiter(0)));
  started.wait();  // the first collection runs
  ASSERT_TRUE(shared.join(waiter(1)));
  ASSERT_TRUE(shared.join(waiter(2)));
  EXPECT_FALSE(shared.join([](const SharedCollection::Outcome &) { FAIL() << "over the limit yet served"; }));
  release.set_value();
  served.wait();
  EXPECT_EQ(collections, 1) << "the scrapes that came meanwhile did not start a second collection";
  EXPECT_EQ(results[0], results[1]);
  EXPECT_EQ(results[0], results[2]);
  EXPECT_EQ(*results[0], "text 1");

  std::promise<std::string> next;
  ASSERT_TRUE(shared.join([&](const SharedCollection::Outcome &outcome) { next.set_value(*outcome.text); }));
  EXPECT_EQ(next.get_future().get(), "text 2") << "a scrape after the collection ended gets a new one";
}

TEST(SharedCollection, AFailureReachesEveryWaiter) {
  WorkQueue workers(1);
  SharedCollection shared([]() -> std::shared_ptr<const std::string> { throw std::runtime_error("cgroupfs gone"); },
                          workers, 8);
  std::promise<SharedCollection::Outcome> got;
  ASSERT_TRUE(shared.join([&](const SharedCollection::Outcome &outcome) { got.set_value(outcome); }));
  auto outcome = got.get_future().get();
  EXPECT_EQ(outcome.text, nullptr);
  EXPECT_EQ(outcome.error, "cgroupfs gone");
}

TEST(Routes, TcpPort) {
  const struct {
    const char *method, *path;
    Target target;
  } cases[] = {
      {"GET", "/metrics", Target::metrics},          {"HEAD", "/metrics", Target::metrics},
      {"GET", "/healthz", Target::healthz},          {"GET", "/readyz", Target::readyz},
      {"GET", "/", Target::index},                   {"GET", "/v1/vnfs", Target::list_vnfs},
      {"POST", "/v1/vnfs", Target::post_api},        {"GET", "/v1/scaling-events", Target::list_events},
      {"POST", "/v1/scaling-events", Target::post_api}, {"DELETE", "/v1/scaling-events", Target::wrong_method},
      {"POST", "/metrics", Target::wrong_method},    {"GET", "/metrics/", Target::not_found},
      {"GET", "/v1/vnf-types", Target::list_vnf_types}, {"HEAD", "/v1/vnf-types", Target::list_vnf_types},
      {"POST", "/v1/vnf-types", Target::wrong_method},
  };
  for (const auto &c : cases) EXPECT_EQ(route(Listener::tcp, c.method, c.path).target, c.target) << c.method << " " << c.path;
  EXPECT_EQ(route(Listener::tcp, "GET", "/etc/passwd").handler, "other") << "handler labels are a fixed set";
  using Headers = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(method_not_allowed("PUT", "/v1/scaling-events").headers, (Headers{{"Allow", "GET, POST"}}));
  EXPECT_EQ(method_not_allowed("PUT", "/v1/scaling-events").content_type, "application/json");
  EXPECT_EQ(method_not_allowed("POST", "/healthz").headers, (Headers{{"Allow", "GET, HEAD"}}));
  EXPECT_FALSE(needs_basic_auth(Target::healthz)) << "probes carry no credentials";
  EXPECT_FALSE(needs_basic_auth(Target::post_api)) << "the bearer token authenticates the API's POSTs";
  EXPECT_TRUE(needs_basic_auth(Target::metrics));
  EXPECT_TRUE(needs_basic_auth(Target::not_found)) << "which paths exist is not told to strangers";
  EXPECT_EQ(unauthorized().status, 401);
  EXPECT_EQ(not_found("/x").status, 404);
}

TEST(Routes, TheSocketServesTheApiAlone) {
  EXPECT_EQ(route(Listener::unix_socket, "POST", "/v1/scaling-events").target, Target::hook);
  EXPECT_EQ(route(Listener::unix_socket, "GET", "/metrics").target, Target::hook) << "hook::route answers 404";
  EXPECT_EQ(route(Listener::unix_socket, "GET", "/v1/vnfs").handler, "vnfs");
}

}  // namespace
}  // namespace vnf::http
