#include "common/helper_threads.h"

#include <algorithm>
#include <system_error>

namespace vnf {

HelperThreads::~HelperThreads() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  threads_.clear();  // joins them, before the mutex and condition variables they wait on go
}

void HelperThreads::serve(std::size_t index) {
  std::uint64_t seen = 0;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
    if (stopping_) return;
    seen = generation_;
    if (index >= wanted_) continue;
    const auto *job = job_;
    lock.unlock();
    (*job)();
    lock.lock();
    if (--running_ == 0) done_.notify_one();
  }
}

void HelperThreads::run(std::size_t helpers, const std::function<void()> &job, const std::function<void()> &meanwhile) {
  helpers = std::min(helpers, max_helpers_);
  std::size_t started = 0;
  {
    std::lock_guard lock(mutex_);
    try {
      while (threads_.size() < helpers) threads_.emplace_back([this, i = threads_.size()] { serve(i); });
    } catch (const std::system_error &) {  // no thread to be had now: fewer help
    }
    wanted_ = running_ = started = std::min(helpers, threads_.size());
    job_ = &job;
    ++generation_;
  }
  if (started) wake_.notify_all();
  std::exception_ptr failed;
  try {
    meanwhile();
  } catch (...) {
    failed = std::current_exception();
  }
  job();
  {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return running_ == 0; });
    job_ = nullptr;
  }
  if (failed) std::rethrow_exception(failed);
}

}  // namespace vnf
