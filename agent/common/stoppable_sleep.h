#pragma once
// Sleeps that a std::jthread's stop request ends at once, for threads that do something
// every so often.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace vnf {

// Sleeps for `duration`; false if a stop was requested (then at once).
template <typename Rep, typename Period>
bool sleep_unless_stopped(std::stop_token stop, std::chrono::duration<Rep, Period> duration) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  wake.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace vnf
