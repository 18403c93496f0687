#include "run/signal_watcher.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

namespace vnf::run {

SignalWatcher::SignalWatcher(http::HttpServer &server, std::function<void()> reload)
    : server_(server), reload_(std::move(reload)) {
  thread_ = std::thread([this] { watch(); });
}

SignalWatcher::~SignalWatcher() {
  done_ = true;
  pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
}

sigset_t SignalWatcher::handled() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

void SignalWatcher::watch() {
  sigset_t set = handled();
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0 || done_) return;
    if (sig == SIGHUP) {
      reload_();
      continue;
    }
    spdlog::info("{}: shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    server_.stop();
    return;
  }
}

}  // namespace vnf::run
