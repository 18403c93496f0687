#pragma once
// Waits for SIGINT and SIGTERM (blocked in every thread, so that only its own thread sees
// them) and stops the server; SIGHUP calls `reload`.

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

#include "http/http_server.h"

namespace vnf::run {

class SignalWatcher {
 public:
  SignalWatcher(http::HttpServer &server, std::function<void()> reload);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher &) = delete;
  SignalWatcher &operator=(const SignalWatcher &) = delete;

  // The signals it handles: block them in the process before any thread starts.
  static sigset_t handled();

 private:
  void watch();

  http::HttpServer &server_;
  std::function<void()> reload_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace vnf::run
