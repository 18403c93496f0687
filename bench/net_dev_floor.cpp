// The kernel's share of the network stage: reads the /proc/PID/net/dev table of each namespace
// whose task PID is given on stdin (one per line), from files kept open, the way the agent does
// (one pread each, threads taking chunks of 16), and prints the milliseconds a round of all of
// them took: "median min max". With `cold` each round first writes 64 MiB, which evicts the
// kernel's data from the caches as a scrape's other stages do between two network stages.
// Usage: net_dev_floor [threads (default 2)] [rounds (default 30)] [warm|cold (default warm)]

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char **argv) {
  const unsigned threads = argc > 1 ? static_cast<unsigned>(std::max(1, std::atoi(argv[1]))) : 2;
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 30;
  const bool cold = argc > 3 && std::strcmp(argv[3], "cold") == 0;
  std::vector<int> files;
  for (std::string pid; std::getline(std::cin, pid);) {
    const int fd = open(("/proc/" + pid + "/net/dev").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::perror(pid.c_str());
      return 1;
    }
    files.push_back(fd);
  }
  std::vector<char> evict(cold ? 64u << 20 : 0);
  std::vector<double> ms;
  for (int r = 0; r < rounds; ++r) {
    std::fill(evict.begin(), evict.end(), static_cast<char>(r));
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    auto read_chunks = [&] {
      char page[4096];
      for (std::size_t begin; (begin = next.fetch_add(16)) < files.size();)
        for (std::size_t i = begin; i < std::min(begin + 16, files.size()); ++i)
          if (pread(files[i], page, sizeof page, 0) <= 0) failed = true;
    };
    const auto start = std::chrono::steady_clock::now();
    {
      std::vector<std::jthread> helpers;
      for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(read_chunks);
      read_chunks();
    }
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (failed) {
      std::fprintf(stderr, "net_dev_floor: a table could not be read\n");
      return 1;
    }
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%.2f %.2f %.2f\n", ms[ms.size() / 2], ms.front(), ms.back());
  for (int fd : files) close(fd);
}
