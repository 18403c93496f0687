#pragma once
// Threads kept between scrapes to share one job with the calling thread. Starting them anew at
// each scrape cost 0.1-0.7 ms on a busy two-CPU machine, a tenth of a stage that needs them;
// kept, they wait on a condition variable and cost nothing between jobs. They start at the
// first job that asks for them.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vnf {

class HelperThreads {
 public:
  // At most `max_helpers` threads besides the caller's.
  explicit HelperThreads(std::size_t max_helpers) : max_helpers_(max_helpers) {}
  ~HelperThreads();
  HelperThreads(const HelperThreads &) = delete;
  HelperThreads &operator=(const HelperThreads &) = delete;

  // Runs `job` on `helpers` threads (at most max_helpers()) while `meanwhile` runs on the
  // calling thread, then `job` on the calling thread too; returns once every run of `job` has
  // finished. `job` must not throw (a helper has no one to throw to); what `meanwhile` throws
  // is thrown once the helpers are done. If threads cannot be started, fewer help. One job at
  // a time: its owner does not call run() from two threads at once.
  void run(std::size_t helpers, const std::function<void()> &job, const std::function<void()> &meanwhile);

  std::size_t max_helpers() const { return max_helpers_; }

 private:
  void serve(std::size_t index);

  std::size_t max_helpers_;
  std::vector<std::jthread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void()> *job_ = nullptr;
  std::size_t wanted_ = 0;         // helpers the current job asked for: threads with a lower index run it
  std::size_t running_ = 0;        // helpers of the current job not finished yet
  std::uint64_t generation_ = 0;   // jobs started so far
  bool stopping_ = false;
};

}  // namespace vnf
