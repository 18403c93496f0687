#include "http/shared_collection.h"

namespace vnf::http {

SharedCollection::SharedCollection(Collect collect, WorkQueue &workers, std::size_t max_waiting)
    : collect_(std::move(collect)), workers_(workers), max_waiting_(max_waiting) {}

bool SharedCollection::join(Waiter waiter) {
  std::lock_guard lock(mutex_);
  if (waiters_.size() >= max_waiting_) return false;
  waiters_.push_back(std::move(waiter));
  if (!running_) {
    running_ = true;
    workers_.post([this] { run(); });
  }
  return true;
}

std::size_t SharedCollection::waiting() const {
  std::lock_guard lock(mutex_);
  return waiters_.size();
}

void SharedCollection::run() {
  Outcome outcome;
  try {
    outcome.text = collect_();
  } catch (const std::exception &e) {
    outcome.error = e.what();
  } catch (...) {
    outcome.error = "unknown error";
  }
  std::vector<Waiter> served;
  {
    std::lock_guard lock(mutex_);
    served.swap(waiters_);
    running_ = false;
  }
  for (auto &waiter : served) waiter(outcome);
}

}  // namespace vnf::http
