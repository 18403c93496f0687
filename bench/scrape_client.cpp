// Scrapes a /metrics endpoint repeatedly and reports latency percentiles and size.
// Usage: scrape_client PORT [scrapes (default 50)] [ms between scrapes (default 0)]
// Prints: p50_ms p99_ms bytes series

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char **argv) {
  const int port = std::atoi(argv[1]);
  const int n = argc > 2 ? std::atoi(argv[2]) : 50;
  const auto gap = std::chrono::milliseconds(argc > 3 ? std::atoi(argv[3]) : 0);
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60);
  std::vector<double> ms;
  std::string body;
  for (int i = 0; i < n; ++i) {
    if (i > 0) std::this_thread::sleep_for(gap);
    const auto start = std::chrono::steady_clock::now();
    auto res = client.Get("/metrics");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (!res || res->status != 200) return 1;
    body = std::move(res->body);
    ms.push_back(std::chrono::duration<double, std::milli>(elapsed).count());
  }
  std::size_t series = 0;  // sample lines of the last scrape: neither comments nor blank
  for (std::size_t line = 0; line < body.size();) {
    std::size_t end = body.find('\n', line);
    if (end == std::string::npos) end = body.size();
    if (end > line && body[line] != '#') ++series;
    line = end + 1;
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%.2f %.2f %zu %zu\n", ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], body.size(),
              series);
  return 0;
}
