#pragma once
// A few threads that run what must not run on the server's event thread: collections, the
// journal's durable writes, password hashes. Jobs run in the order posted; the destructor
// runs every job already posted, then joins.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vnf::http {

class WorkQueue {
 public:
  explicit WorkQueue(std::size_t threads);
  ~WorkQueue();
  WorkQueue(const WorkQueue &) = delete;
  WorkQueue &operator=(const WorkQueue &) = delete;

  // `job` must not throw.
  void post(std::function<void()> job);

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vnf::http
