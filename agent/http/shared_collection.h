#pragma once
// Concurrent scrapes share one collection: a request that arrives while a collection runs
// waits for that one and is served its result, instead of queueing a second collection behind
// it. At most `max_waiting` requests wait; more are refused, for the caller to answer 503.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/work_queue.h"

namespace vnf::http {

class SharedCollection {
 public:
  struct Outcome {
    std::shared_ptr<const std::string> text;  // null if the collection failed
    std::string error;
  };
  using Collect = std::function<std::shared_ptr<const std::string>()>;  // may throw
  using Waiter = std::function<void(const Outcome &)>;                 // called on a worker thread

  SharedCollection(Collect collect, WorkQueue &workers, std::size_t max_waiting);

  // Adds a waiter, starting a collection unless one runs; false (and `waiter` dropped) when
  // `max_waiting` requests wait already.
  bool join(Waiter waiter);
  std::size_t waiting() const;

 private:
  void run();

  Collect collect_;
  WorkQueue &workers_;
  std::size_t max_waiting_;
  mutable std::mutex mutex_;
  std::vector<Waiter> waiters_;
  bool running_ = false;
};

}  // namespace vnf::http
