// Scrapes a /metrics endpoint repeatedly and reports latency percentiles and size.
// Usage: scrape_client PORT [scrapes (default 50)]   Prints: p50_ms p99_ms bytes

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char **argv) {
  const int port = std::atoi(argv[1]);
  const int n = argc > 2 ? std::atoi(argv[2]) : 50;
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60);
  std::vector<double> ms;
  std::size_t bytes = 0;
  for (int i = 0; i < n; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto res = client.Get("/metrics");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (!res || res->status != 200) return 1;
    bytes = res->body.size();
    ms.push_back(std::chrono::duration<double, std::milli>(elapsed).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%.2f %.2f %zu\n", ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], bytes);
  return 0;
}
