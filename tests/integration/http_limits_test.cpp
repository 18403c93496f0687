// The port stays up under a crowd of clients: from four other loopback addresses, each holds
// 300 idle keep-alive connections and 50 half-sent request heads, and a client on the hook
// socket trickles a byte a second. Meanwhile a scrape, a health check and a scaling hook are
// answered (the bounds are the liveness the issue asks for: a stalled server misses them by
// seconds), the agent's memory stays bounded, every connection turned away is counted, and
// once the crowd goes everything is as before. With the default limits each address gets 128
// connections and the rest are refused; with raised limits every connection is held.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>
#include <vector>

#include "common/unique_fd.h"
#include "config/http_limits.h"
#include "support/agent_process.h"
#include "support/api_client.h"
#include "support/exposition.h"

namespace vnf::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kIdlePerAddress = 300;
constexpr int kHalfSentPerAddress = 50;
const char *kAddresses[] = {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"};

void enough_descriptors() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

UniqueFd connect_from(const char *source, int port) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, source, &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  timeval timeout{5, 0};
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (bind(fd.get(), reinterpret_cast<sockaddr *>(&local), sizeof local) != 0 ||
      connect(fd.get(), reinterpret_cast<sockaddr *>(&remote), sizeof remote) != 0)
    return UniqueFd();
  return fd;
}

bool send_text(int fd, const std::string &text) {
  return send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size());
}

// A keep-alive connection that made one request, as a scraper's does between scrapes; false
// if the agent closed it instead of answering.
bool make_idle(int fd) {
  if (!send_text(fd, "GET /healthz HTTP/1.1\r\nHost: agent\r\n\r\n")) return false;
  std::string reply;
  char buf[512];
  while (reply.find("\r\n\r\nok\n") == std::string::npos) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return false;
    reply.append(buf, static_cast<std::size_t>(n));
  }
  return reply.rfind("HTTP/1.1 200", 0) == 0;
}

// True while the agent keeps the connection open (nothing to read, no end of stream).
bool still_open(int fd) {
  char byte;
  const ssize_t n = recv(fd, &byte, 1, MSG_DONTWAIT | MSG_PEEK);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

struct Crowd {
  std::vector<UniqueFd> idle, half_sent;
  int idle_answered = 0;

  Crowd(int port) {
    for (const char *address : kAddresses) {
      for (int i = 0; i < kIdlePerAddress; ++i) {
        auto fd = connect_from(address, port);
        if (fd && make_idle(fd.get())) ++idle_answered;
        idle.push_back(std::move(fd));
      }
      for (int i = 0; i < kHalfSentPerAddress; ++i) {
        auto fd = connect_from(address, port);
        if (fd) send_text(fd.get(), "GET /metrics HTTP/1.1\r\nHost: ag");
        half_sent.push_back(std::move(fd));
      }
    }
  }
  static int open(const std::vector<UniqueFd> &fds) {
    int n = 0;
    for (const auto &fd : fds) n += fd && still_open(fd.get());
    return n;
  }
};

// A hook client that sends its request a byte a second, for as long as the agent listens.
class Trickler {
 public:
  explicit Trickler(const std::filesystem::path &socket_path) {
    fd_ = UniqueFd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
    connected_ = connect(fd_.get(), reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    thread_ = std::jthread([this](std::stop_token stop) {
      const std::string request = "POST /v1/scaling-events HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n";
      for (std::size_t i = 0; !stop.stop_requested() && connected_; i = (i + 1) % request.size()) {
        if (!send_text(fd_.get(), request.substr(i, 1))) {
          cut_off_ = true;
          return;
        }
        for (int t = 0; t < 10 && !stop.stop_requested(); ++t) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  bool connected() const { return connected_; }
  bool cut_off() const { return cut_off_ || !still_open(fd_.get()); }

 private:
  UniqueFd fd_;
  bool connected_ = false;
  std::atomic<bool> cut_off_{false};
  std::jthread thread_;
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double counter(const std::string &text, const std::string &series) { return sample(text, series).value_or(-1); }

// What the agent answers while the crowd is there, worst of five rounds.
struct Latencies {
  double metrics = 0, healthz = 0, hook = 0;
};

Latencies measure(const AgentProcess &agent) {
  Latencies worst;
  for (int round = 0; round < 5; ++round) {
    auto start = Clock::now();
    const bool scraped = !agent.scrape().empty();
    worst.metrics = std::max(worst.metrics, scraped ? seconds_since(start) : 99.0);
    start = Clock::now();
    const bool healthy = agent.get("/healthz").status == 200;
    worst.healthz = std::max(worst.healthz, healthy ? seconds_since(start) : 99.0);
    start = Clock::now();
    auto hook = run_agent_command({"scale", "--socket", agent.socket_path().string(), "--type", "upf", "--direction",
                                   "out", "--id", "crowd-" + std::to_string(round)},
                                  std::chrono::seconds(20));
    worst.hook = std::max(worst.hook, hook.exit_code == 0 ? seconds_since(start) : 99.0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return worst;
}

void expect_answered_meanwhile(const Latencies &l) {
  std::cout << "[measured] worst of 5 with the crowd: /metrics " << l.metrics << " s, /healthz " << l.healthz
            << " s, scale hook " << l.hook << " s\n";
  EXPECT_LT(l.metrics, 1.0);
  EXPECT_LT(l.healthz, 0.2);
  EXPECT_LT(l.hook, 1.0);
}

// After the crowd: the open connections drop to the scraper's own, answers are as before.
void expect_normal_after(const AgentProcess &agent) {
  double open = -1;
  for (int i = 0; i < 50; ++i) {
    open = counter(agent.scrape(), "vnf_agent_http_connections{listener=\"tcp\"}");
    if (open <= 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(open, 1) << "only this scrape's connection is left";
  EXPECT_EQ(counter(agent.scrape(), "vnf_agent_http_connections{listener=\"unix\"}"), 0);
  EXPECT_EQ(agent.get("/healthz").status, 200);
  auto hook = ApiClient(agent, Transport::unix_socket).post("/v1/scaling-events", R"({"vnf_type":"upf","direction":"in"})");
  EXPECT_EQ(hook.status, 201) << hook.body;
}

TEST(HttpLimits, DefaultLimitsTurnTheCrowdAwayAndKeepServing) {
  enough_descriptors();
  AgentProcess agent(std::vector<std::string>{});  // the defaults, as a user runs it
  ASSERT_TRUE(agent.started()) << agent.log();
  const auto rss_before = agent.rss_bytes();
  {
    Trickler trickler(agent.socket_path());
    ASSERT_TRUE(trickler.connected());
    Crowd crowd(agent.port());
    const config::HttpLimits defaults;
    const int per_client = static_cast<int>(defaults.max_connections_per_client);
    std::cout << "[measured] idle connections answered: " << crowd.idle_answered << " of " << crowd.idle.size() << "\n";
    EXPECT_EQ(crowd.idle_answered, 4 * per_client) << "each address gets its 128 connections, no more";
    expect_answered_meanwhile(measure(agent));
    const auto rss_during = agent.rss_bytes();
    std::cout << "[measured] RSS " << rss_before / 1024 << " KiB before, " << rss_during / 1024 << " KiB with the crowd\n";
    if (kRssBoundsApply) EXPECT_LT(rss_during, rss_before + (20u << 20));

    const std::string text = agent.scrape();
    const double refused = counter(text, "vnf_agent_http_rejected_total{reason=\"client_limit\"}");
    std::cout << "[measured] refused for the per-client limit: " << refused << "\n";
    EXPECT_EQ(refused, 4 * (kIdlePerAddress + kHalfSentPerAddress - per_client));
    EXPECT_EQ(counter(text, "vnf_agent_http_connections{listener=\"tcp\"}"), 4 * per_client + 1);
    EXPECT_EQ(Crowd::open(crowd.half_sent), 0) << "past the limit, closed at once";
  }
  expect_normal_after(agent);
}

TEST(HttpLimits, RaisedLimitsHoldTheWholeCrowdAndTimeOutSlowRequests) {
  enough_descriptors();
  AgentProcess agent({"--http-max-connections", "2000", "--http-max-connections-per-client", "400",
                      "--http-read-timeout-seconds", "5"});
  ASSERT_TRUE(agent.started()) << agent.log();
  const auto rss_before = agent.rss_bytes();
  {
    Trickler trickler(agent.socket_path());
    ASSERT_TRUE(trickler.connected());
    const auto crowd_start = Clock::now();
    Crowd crowd(agent.port());
    EXPECT_EQ(crowd.idle_answered, 4 * kIdlePerAddress);
    const double held = counter(agent.scrape(), "vnf_agent_http_connections{listener=\"tcp\"}");
    std::cout << "[measured] connections held: " << held << "\n";
    if (seconds_since(crowd_start) < 4.5) EXPECT_EQ(held, 4 * (kIdlePerAddress + kHalfSentPerAddress) + 1);
    expect_answered_meanwhile(measure(agent));
    const auto rss_during = agent.rss_bytes();
    std::cout << "[measured] RSS " << rss_before / 1024 << " KiB before, " << rss_during / 1024 << " KiB with "
              << held << " connections\n";
    if (kRssBoundsApply) EXPECT_LT(rss_during, rss_before + (20u << 20));

    // The read timeout (5 s here) ends the half-sent heads and the trickler; idle keep-alive
    // connections stay (their idle timeout is 60 s).
    for (int i = 0; i < 50 && (Crowd::open(crowd.half_sent) > 0 || !trickler.cut_off()); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(Crowd::open(crowd.half_sent), 0);
    EXPECT_TRUE(trickler.cut_off());
    EXPECT_EQ(Crowd::open(crowd.idle), 4 * kIdlePerAddress);
    const std::string text = agent.scrape();
    EXPECT_EQ(counter(text, "vnf_agent_http_rejected_total{reason=\"read_timeout\"}"), 4 * kHalfSentPerAddress + 1);
    EXPECT_EQ(counter(text, "vnf_agent_http_rejected_total{reason=\"client_limit\"}"), 0);
  }
  expect_normal_after(agent);
}

}  // namespace
}  // namespace vnf::test
