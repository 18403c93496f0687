// The kernel's share of the network stage: reads the /proc/PID/net/dev table of each namespace
// whose task PID is given on stdin (one per line), from files kept open, the way the agent does
// (one pread each, threads taking chunks of 16), and prints the milliseconds a round of all of
// them took: "median min max". Between rounds the caches are left as they are (`warm`), or
// evicted: `cold` writes 64 MiB, a path reads every file that path lists (say the VNFs'
// memory.stat), as the stage before the network stage does in a scrape; the time this takes
// is not counted.
// Usage: net_dev_floor [threads (default 2)] [rounds (default 30)] [warm|cold|LIST (default warm)]

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

// Opens prefix + line + suffix for each line of `in` into `fds`; false, having said which, if
// one cannot be opened.
bool open_each(std::istream &in, const std::string &prefix, const std::string &suffix, std::vector<int> &fds) {
  for (std::string line; std::getline(in, line);) {
    const auto path = prefix + line + suffix;
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::perror(path.c_str());
      return false;
    }
    fds.push_back(fd);
  }
  return true;
}

int main(int argc, char **argv) {
  const unsigned threads = argc > 1 ? static_cast<unsigned>(std::max(1, std::atoi(argv[1]))) : 2;
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 30;
  const std::string between = argc > 3 ? argv[3] : "warm";
  const bool cold = between == "cold";
  std::vector<int> files;
  if (!open_each(std::cin, "/proc/", "/net/dev", files)) return 1;
  std::vector<char> evict(cold ? 64u << 20 : 0);
  std::vector<int> others;  // the listed files, kept open as the agent keeps them
  if (between != "warm" && !cold) {
    std::ifstream list(between);
    if (!open_each(list, "", "", others)) return 1;
  }
  std::vector<char> other_content(64 << 10);
  std::vector<double> ms;
  for (int r = 0; r < rounds; ++r) {
    std::fill(evict.begin(), evict.end(), static_cast<char>(r));
    for (int fd : others)
      if (pread(fd, other_content.data(), other_content.size(), 0) < 0) std::perror("net_dev_floor: a listed file");
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
  for (int fd : others) close(fd);
}
